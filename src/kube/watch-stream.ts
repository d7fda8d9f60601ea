/**
 * A watch as the API server streams it: one JSON event per line (`{"type":"MODIFIED","object":...}`),
 * objects or Table rows, until the client goes away or `timeoutSeconds` pass.
 *
 * @see https://github.com/kubernetes/apiserver/blob/master/pkg/endpoints/handlers/watch.go
 */
import type { ResourceDef } from './resources.js';
import type { ObjectStore, WatchEvent, WatchOptions } from './store.js';
import { toTable, type IncludeObject } from './tables.js';

export interface WatchStreamInput {
  readonly store: ObjectStore;
  readonly resource: ResourceDef;
  readonly options: WatchOptions;
  /** Table rows instead of objects (the first event carries the column definitions). */
  readonly table: boolean;
  readonly includeObject: IncludeObject;
  readonly timeoutSeconds: number;
  readonly nowMs: () => number;
  /** Aborts when the client goes away. */
  readonly signal?: AbortSignal;
}

/**
 * Subscribes at once (so a 410 for a forgotten resourceVersion is thrown before any byte is
 * sent) and answers the stream.
 *
 * @throws {KubeError} 410 or 400 from the store's watch
 */
export function watchResponse(input: WatchStreamInput): Response {
  const { resource, table, includeObject } = input;
  const encoder = new TextEncoder();
  let first = true;
  const frame = (e: WatchEvent): Uint8Array => {
    const object = table ? toTable(resource.kind, [e.object], { nowMs: input.nowMs(), includeObject, noHeaders: !first }) : e.object;
    first = false;
    return encoder.encode(`${JSON.stringify({ type: e.type, object })}\n`);
  };
  const pending: WatchEvent[] = [];
  let controller: ReadableStreamDefaultController<Uint8Array> | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let done = false;
  const stop = (): void => {
    if (done) return;
    done = true;
    if (timer !== undefined) clearTimeout(timer);
    unsubscribe();
    try {
      controller?.close();
    } catch {
      // the client already went away
    }
  };
  const push = (e: WatchEvent): void => {
    if (done) return;
    if (!controller) {
      pending.push(e);
      return;
    }
    try {
      controller.enqueue(frame(e));
    } catch {
      stop(); // a write to a closed stream must never reach the store's writer
    }
  };
  const unsubscribe = input.store.watch(resource, input.options, push);
  const stream = new ReadableStream<Uint8Array>({
    start(ctrl) {
      controller = ctrl;
      for (const e of pending.splice(0)) push(e);
      timer = setTimeout(stop, Math.max(1, input.timeoutSeconds) * 1000);
      timer.unref?.();
      input.signal?.addEventListener('abort', stop);
    },
    cancel() {
      done = true;
      if (timer !== undefined) clearTimeout(timer);
      unsubscribe();
    },
  });
  return new Response(stream, { status: 200, headers: { 'content-type': 'application/json', 'cache-control': 'no-cache' } });
}
