import { isLoopbackHost } from '../../platform/index.js';

export interface AddWorkerInput {
  /** Unique name (a pod name, a process id). */
  readonly id: string;
  /** Base URL of the worker's API, `http://127.0.0.1:<port>`. */
  readonly url: string;
  /** Route to it at once (true unless told); a pool that watches `/health` passes false and calls setReady. */
  readonly ready?: boolean;
}

/** One worker as the router sees it. */
export interface WorkerSnapshot {
  readonly id: string;
  readonly url: string;
  readonly ready: boolean;
  /** Chosen for removal: no new request is routed to it. */
  readonly draining: boolean;
  /** Requests this server has sent to it and not yet seen answered. */
  readonly inFlight: number;
  /** Requests routed to it since it was added. */
  readonly routedTotal: number;
}

export interface WorkerRegistry {
  /**
   * Adds a worker, or updates the URL and readiness of one with the same id (which also clears
   * its draining mark; its in-flight count is kept).
   *
   * @throws {RangeError} when the id is empty or the URL is not http on 127.0.0.1, localhost or ::1
   */
  addWorker(input: AddWorkerInput): void;
  /** Forgets a worker (requests already sent to it still finish). False when unknown. */
  removeWorker(id: string): boolean;
  /** Marks a worker ready or not ready for routing. False when unknown. */
  setReady(id: string, ready: boolean): boolean;
  /**
   * Stops routing to the worker at once and resolves when its in-flight count reaches 0 (at once
   * if it is idle, unknown, or removed meanwhile). A scaler awaits this before stopping it.
   */
  markDraining(id: string): Promise<void>;
  /**
   * The routable worker (ready, not draining, not in `exclude`) with the fewest in-flight
   * requests; ties go to the one picked least recently. Undefined when none.
   */
  pick(exclude?: ReadonlySet<string>): WorkerSnapshot | undefined;
  /**
   * Counts a request as sent to the worker and returns the function that counts it answered (or
   * failed); calling that twice counts once, and it stays bound to this worker even if the id is
   * removed and added again meanwhile.
   */
  begin(id: string): () => void;
  get(id: string): WorkerSnapshot | undefined;
  list(): readonly WorkerSnapshot[];
  /** Workers that are ready and not draining. */
  routableCount(): number;
}

interface Entry {
  id: string;
  url: string;
  ready: boolean;
  draining: boolean;
  inFlight: number;
  routedTotal: number;
  lastPickSeq: number;
  drainWaiters: (() => void)[];
}

/**
 * The API server's view of its workers, with in-flight counts it tracks itself (no scrape lag):
 * least-active routing and drain-before-stop, so a scaler that awaits `markDraining` before
 * stopping a worker loses no request.
 *
 * @example
 * const workers = createWorkerRegistry();
 * workers.addWorker({ id: 'w1', url: 'http://127.0.0.1:2270' });
 * workers.pick()?.id; // -> 'w1'
 * await workers.markDraining('w1'); // resolves when nothing is in flight on w1
 */
export function createWorkerRegistry(): WorkerRegistry {
  const entries = new Map<string, Entry>();
  let seq = 0;

  const snapshot = (e: Entry): WorkerSnapshot => ({
    id: e.id,
    url: e.url,
    ready: e.ready,
    draining: e.draining,
    inFlight: e.inFlight,
    routedTotal: e.routedTotal,
  });
  const wake = (e: Entry): void => {
    const waiters = e.drainWaiters;
    e.drainWaiters = [];
    for (const w of waiters) w();
  };

  return {
    addWorker({ id, url, ready = true }) {
      if (id === '') throw new RangeError("Cannot add a worker as 'id' must be a non-empty string: got ''");
      let parsed: URL;
      try {
        parsed = new URL(url);
      } catch {
        throw new RangeError(`Cannot add worker '${id}' as 'url' must be a URL: got '${url}'`);
      }
      if (parsed.protocol !== 'http:' || !isLoopbackHost(parsed.hostname)) {
        throw new RangeError(
          `Cannot add worker '${id}' as 'url' must be http on 127.0.0.1, localhost or ::1: got '${url}'`,
        );
      }
      const base = url.replace(/\/+$/, '');
      const existing = entries.get(id);
      if (existing) {
        existing.url = base;
        existing.ready = ready;
        existing.draining = false;
        return;
      }
      entries.set(id, { id, url: base, ready, draining: false, inFlight: 0, routedTotal: 0, lastPickSeq: 0, drainWaiters: [] });
    },
    removeWorker(id) {
      const e = entries.get(id);
      if (!e) return false;
      entries.delete(id);
      wake(e);
      return true;
    },
    setReady(id, ready) {
      const e = entries.get(id);
      if (!e) return false;
      e.ready = ready;
      return true;
    },
    markDraining(id) {
      const e = entries.get(id);
      if (!e) return Promise.resolve();
      e.draining = true;
      if (e.inFlight === 0) return Promise.resolve();
      return new Promise<void>((resolve) => e.drainWaiters.push(resolve));
    },
    pick(exclude) {
      let best: Entry | undefined;
      for (const e of entries.values()) {
        if (!e.ready || e.draining || exclude?.has(e.id)) continue;
        if (
          best === undefined ||
          e.inFlight < best.inFlight ||
          (e.inFlight === best.inFlight && e.lastPickSeq < best.lastPickSeq)
        ) {
          best = e;
        }
      }
      if (best === undefined) return undefined;
      best.lastPickSeq = ++seq;
      return snapshot(best);
    },
    begin(id) {
      const e = entries.get(id);
      if (!e) return () => undefined;
      e.inFlight++;
      e.routedTotal++;
      let ended = false;
      return () => {
        if (ended) return;
        ended = true;
        e.inFlight--;
        if (e.inFlight === 0) wake(e);
      };
    },
    get(id) {
      const e = entries.get(id);
      return e === undefined ? undefined : snapshot(e);
    },
    list: () => [...entries.values()].map(snapshot),
    routableCount() {
      let n = 0;
      for (const e of entries.values()) if (e.ready && !e.draining) n++;
      return n;
    },
  };
}
