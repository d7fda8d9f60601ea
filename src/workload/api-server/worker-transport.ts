import type { Agent } from 'node:http';
import { httpRequest } from '../../platform/index.js';
import { GET_TEXT_PATH } from '../worker/worker-app.js';

/** One call from the API server to a worker's `get_text`. */
export interface WorkerCall {
  readonly body: Uint8Array;
  /** `application/json` for `{url}`, else `application/octet-stream`. */
  readonly contentType: string;
  readonly signal: AbortSignal;
  readonly timeoutMs: number;
}

/** A worker's answer: its status and parsed JSON body (undefined when not JSON). */
export interface WorkerReply {
  readonly status: number;
  readonly body: unknown;
}

/**
 * How the API server reaches a worker. It must reject with an `HttpRequestError` whose phase is
 * 'connect' when no answer arrived (the router then retries elsewhere). In-process tests pass a
 * transport that calls a worker app's `fetch` directly.
 */
export type WorkerTransport = (worker: { readonly id: string; readonly url: string }, call: WorkerCall) => Promise<WorkerReply>;

/**
 * The real transport: POST to `<worker url>/api/v1/lightning/get_text` over keep-alive node:http.
 *
 * @example
 * const transport = createHttpWorkerTransport();
 * await transport({ id: 'w1', url: 'http://127.0.0.1:2270' }, call); // -> { status: 200, body: {...} }
 */
export function createHttpWorkerTransport(options: { readonly agent?: Agent } = {}): WorkerTransport {
  return async (worker, call) => {
    const r = await httpRequest(`${worker.url}${GET_TEXT_PATH}`, {
      method: 'POST',
      headers: { 'content-type': call.contentType },
      body: call.body,
      signal: call.signal,
      timeoutMs: call.timeoutMs,
      ...(options.agent === undefined ? {} : { agent: options.agent }),
    });
    let body: unknown;
    try {
      body = JSON.parse(r.body.toString('utf8'));
    } catch {
      body = undefined;
    }
    return { status: r.status, body };
  };
}
