/**
 * A signal that aborts when any of `signals` does, with the first reason, and a `dispose` that
 * detaches it. Unlike `AbortSignal.any`, nothing stays attached to a long-lived signal (a
 * server's shutdown signal) after the request is done, and no weak references are created.
 *
 * @example
 * const linked = linkSignals([request.signal, shutdown.signal]);
 * try { await work(linked.signal); } finally { linked.dispose(); }
 */
export function linkSignals(signals: readonly AbortSignal[]): { readonly signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const already = signals.find((s) => s.aborted);
  if (already !== undefined) {
    controller.abort(already.reason);
    return { signal: controller.signal, dispose: () => undefined };
  }
  const listeners = signals.map((s) => {
    const onAbort = (): void => controller.abort(s.reason);
    s.addEventListener('abort', onAbort, { once: true });
    return () => s.removeEventListener('abort', onAbort);
  });
  return {
    signal: controller.signal,
    dispose: () => {
      for (const remove of listeners) remove();
    },
  };
}
