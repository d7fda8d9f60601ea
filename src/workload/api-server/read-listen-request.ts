import { readBodyLimited, type AppRequest } from '../../platform/index.js';
import { ApiError } from './api-error.js';

/** How a `/v1/listen` body is sent: JSON `{url}`, a multipart `audio` field, or raw audio bytes. */
export type ListenBodyKind = 'json' | 'multipart' | 'audio';

/** What the API server forwards to a worker. */
export interface ListenInput {
  readonly kind: ListenBodyKind;
  /** JSON `{"url":...}` or the audio bytes. */
  readonly body: Uint8Array;
  /** `application/json` or `application/octet-stream`. */
  readonly contentType: string;
}

/**
 * The body kind named by a Content-Type header, or undefined when it is not supported (415).
 * A missing header counts as raw audio, as do `application/octet-stream` and any `audio/*`.
 *
 * @example
 * classifyContentType('audio/wav'); // -> 'audio'
 * classifyContentType('text/plain'); // -> undefined
 */
export function classifyContentType(header: string | null): ListenBodyKind | undefined {
  const type = (header ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (type === 'application/json') return 'json';
  if (type === 'multipart/form-data') return 'multipart';
  if (type === '' || type === 'application/octet-stream' || type.startsWith('audio/')) return 'audio';
  return undefined;
}

/**
 * Reads and checks a `/v1/listen` body without holding more than `maxBodyBytes`: a larger
 * Content-Length is refused before reading, a chunked body is cut as soon as it passes the limit.
 *
 * @throws {ApiError} UNSUPPORTED_FORMAT (415), FILE_TOO_LARGE (422), MISSING_PARAMETER (400: no
 *   `url`, no `audio` field, empty body) or INVALID_REQUEST (400: JSON or multipart that does not parse)
 * @example
 * const input = await readListenRequest(new Request('http://a/v1/listen', { method: 'POST', body: makeWav(1) }), { maxBodyBytes: 1e8 });
 * input.kind; // -> 'audio'
 */
export async function readListenRequest(request: AppRequest, options: { readonly maxBodyBytes: number }): Promise<ListenInput> {
  const header = request.headers.get('content-type');
  const kind = classifyContentType(header);
  if (kind === undefined) {
    throw new ApiError(
      'UNSUPPORTED_FORMAT',
      `Unsupported Content-Type '${header}': send application/json {"url"}, multipart/form-data with an 'audio' field, or audio bytes`,
    );
  }
  const read = await readBodyLimited(request, { maxBytes: options.maxBodyBytes });
  if (!read.ok) throw tooLarge(options.maxBodyBytes);
  if (read.totalBytes === 0) {
    throw new ApiError('MISSING_PARAMETER', 'Request body is empty: send JSON {"url"}, a multipart \'audio\' field, or audio bytes');
  }
  if (kind === 'json') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(new TextDecoder().decode(read.bytes));
    } catch (error) {
      throw new ApiError('INVALID_REQUEST', `Cannot parse the JSON body: ${error instanceof Error ? error.message : String(error)}`);
    }
    const url = typeof parsed === 'object' && parsed !== null ? (parsed as { url?: unknown }).url : undefined;
    if (typeof url !== 'string' || url.trim() === '') {
      throw new ApiError('MISSING_PARAMETER', "Missing parameter 'url': expected a non-empty string");
    }
    return { kind, body: new TextEncoder().encode(JSON.stringify({ url })), contentType: 'application/json' };
  }
  if (kind === 'multipart') {
    let form: FormData;
    try {
      form = await new Response(read.bytes as Uint8Array<ArrayBuffer>, { headers: { 'content-type': header ?? '' } }).formData();
    } catch (error) {
      throw new ApiError('INVALID_REQUEST', `Cannot parse the multipart body: ${error instanceof Error ? error.message : String(error)}`);
    }
    const audio = form.get('audio');
    if (audio === null || typeof audio === 'string') {
      throw new ApiError('MISSING_PARAMETER', "Missing parameter 'audio': expected a file field named 'audio'");
    }
    const bytes = new Uint8Array(await audio.arrayBuffer());
    if (bytes.byteLength === 0) throw new ApiError('MISSING_PARAMETER', "Parameter 'audio' is an empty file");
    return { kind, body: bytes, contentType: 'application/octet-stream' };
  }
  return { kind, body: read.bytes, contentType: 'application/octet-stream' };
}

/** The 422 answer for a body over the limit. */
export function tooLarge(maxBodyBytes: number): ApiError {
  return new ApiError('FILE_TOO_LARGE', `File is larger than the limit of ${maxBodyBytes} bytes`);
}
