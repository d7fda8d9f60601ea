/**
 * The events of a run, as `kubectl get events` would list them: identical events within 10
 * minutes are one event with a count, as Kubernetes' event correlator does; rescales are kept one
 * per occurrence so logs and plots show each.
 */
import type { HpaEvent } from '../engine/index.js';
import type { SimEvent } from './types.js';

/** Identical events closer than this merge (the event correlator's 10-minute window). */
const EVENT_MERGE_SECONDS = 600;

/** Collects the HPAs' events in time order. */
export class EventLog {
  readonly events: SimEvent[] = [];
  readonly #recent = new Map<string, SimEvent>();

  /** Adds an event of HPA `hpa` at `tSeconds`; a rescale's numbers travel as data with it. */
  add(hpa: string, tSeconds: number, e: HpaEvent, rescale?: { from: number; to: number; rescaleReason: string }): void {
    const key = `${hpa}\u0000${e.type}\u0000${e.reason}\u0000${e.message}`;
    const last = e.reason === 'SuccessfulRescale' ? undefined : this.#recent.get(key);
    if (last !== undefined && tSeconds - last.lastT <= EVENT_MERGE_SECONDS) {
      last.count++;
      last.lastT = tSeconds;
      return;
    }
    const data = rescale && (e.reason === 'SuccessfulRescale' || e.reason === 'FailedRescale') ? rescale : {};
    const ev: SimEvent = { t: tSeconds, hpa, type: e.type, reason: e.reason, message: e.message, ...data, count: 1, lastT: tSeconds };
    this.events.push(ev);
    if (e.reason !== 'SuccessfulRescale') this.#recent.set(key, ev);
  }
}
