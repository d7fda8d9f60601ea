/**
 * Reads a running stack's status from its status endpoint (the other half of
 * `controller/status-server.ts`), for commands run in another process.
 */
import { httpRequest, isLoopbackHost } from '../platform/index.js';
import type { StackStatus } from './stack-status.js';

/**
 * Fetches `GET <statusUrl>` (loopback only).
 *
 * @throws {Error} when the URL is not loopback, the stack does not answer, or answers something else
 * @example (await fetchStackStatus('http://127.0.0.1:39121/status')).hpas[0].name // -> 'lightning-asr'
 */
export async function fetchStackStatus(statusUrl: string, options: { readonly timeoutMs?: number } = {}): Promise<StackStatus> {
  const url = new URL(statusUrl);
  if (url.protocol !== 'http:' || !isLoopbackHost(url.hostname)) throw new Error(`Cannot read the status at '${statusUrl}': only http on 127.0.0.1 is read`);
  let body: string;
  try {
    const r = await httpRequest(url, { timeoutMs: options.timeoutMs ?? 5_000 });
    body = r.body.toString('utf8');
    if (r.status !== 200) throw new Error(`status ${r.status}: ${body.slice(0, 200)}`);
  } catch (error) {
    throw new Error(`Cannot read the status at '${statusUrl}': ${(error as Error).message} (is 'hpa-lab up' still running? a stale .hpa-lab/run.json can be removed)`, { cause: error });
  }
  const doc = JSON.parse(body) as StackStatus;
  if (doc.kind !== 'hpa-lab/stack-status') throw new Error(`Cannot read the status at '${statusUrl}': not an hpa-lab stack`);
  return doc;
}
