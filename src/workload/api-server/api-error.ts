import { jsonResponse, type AppResponse } from '../../platform/index.js';

/** Error codes of the API server's flat JSON errors `{error, code}`. */
export type ApiErrorCode =
  | 'MISSING_PARAMETER' // 400
  | 'INVALID_REQUEST' // 400: a worker refused the input (bad URL, unreadable file)
  | 'INVALID_LICENSE' // 401
  | 'NOT_FOUND' // 404
  | 'METHOD_NOT_ALLOWED' // 405
  | 'UNSUPPORTED_FORMAT' // 415
  | 'FILE_TOO_LARGE' // 422
  | 'INTERNAL' // 500
  | 'WORKER_ERROR' // 502: the worker failed or answered nonsense
  | 'SERVICE_UNAVAILABLE' // 503: no worker ready, or the server is stopping
  | 'WORKER_TIMEOUT'; // 504

/** HTTP status of each error code. */
export const API_ERROR_STATUS: Readonly<Record<ApiErrorCode, number>> = {
  MISSING_PARAMETER: 400,
  INVALID_REQUEST: 400,
  INVALID_LICENSE: 401,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  UNSUPPORTED_FORMAT: 415,
  FILE_TOO_LARGE: 422,
  INTERNAL: 500,
  WORKER_ERROR: 502,
  SERVICE_UNAVAILABLE: 503,
  WORKER_TIMEOUT: 504,
};

/** A request the API server refuses; {@link toResponse} turns it into the flat JSON answer. */
export class ApiError extends Error {
  override name = 'ApiError';
  readonly code: ApiErrorCode;
  /** Seconds a client should wait before retrying (503 only): sent as `retry_after` and `Retry-After`. */
  readonly retryAfterSeconds: number | undefined;
  constructor(code: ApiErrorCode, message: string, options?: ErrorOptions & { readonly retryAfterSeconds?: number }) {
    super(message, options);
    this.code = code;
    this.retryAfterSeconds = options?.retryAfterSeconds;
  }
  get status(): number {
    return API_ERROR_STATUS[this.code];
  }
}

/**
 * The one place errors become HTTP answers: `{error, code}` (plus `retry_after` for 503) with the
 * code's status; anything that is not an ApiError is a 500 `INTERNAL`.
 *
 * @example
 * toResponse(new ApiError('INVALID_LICENSE', 'Invalid license key')).status; // -> 401
 */
export function toResponse(error: unknown): AppResponse {
  if (!(error instanceof ApiError)) {
    const message = error instanceof Error ? error.message : String(error);
    return jsonResponse({ error: `Internal error: ${message}`, code: 'INTERNAL' }, 500);
  }
  const headers: Record<string, string> = {};
  const body: Record<string, unknown> = { error: error.message, code: error.code };
  if (error.retryAfterSeconds !== undefined) {
    body['retry_after'] = error.retryAfterSeconds;
    headers['retry-after'] = String(error.retryAfterSeconds);
  }
  return jsonResponse(body, error.status, headers);
}
