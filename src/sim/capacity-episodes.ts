/**
 * Capacity episodes of one deployment: the times the offered load exceeded what its Ready pods
 * could serve, until they could again (the "time to capacity" of an autoscaler).
 */
import type { CapacityEpisode } from './types.js';

/** Capacity episodes kept in full (the counters cover all). */
const MAX_EPISODES = 1000;

/** Opens, extends and closes capacity episodes, step by step. */
export class CapacityEpisodes {
  readonly #service: string;
  /** The first `MAX_EPISODES` episodes. */
  readonly #list: CapacityEpisode[] = [];
  #count = 0;
  #closed = 0;
  #closedSeconds = 0;
  #maxSeconds = 0;
  /** Start of the open episode; NaN when none is open. */
  #start = Number.NaN;
  #peak = 0;

  constructor(service: string) {
    this.#service = service;
  }

  /** The first 1000 episodes. */
  get list(): readonly CapacityEpisode[] {
    return this.#list;
  }

  /** Every episode, open or closed. */
  get count(): number {
    return this.#count;
  }

  /** Episodes that ended within the run, and their total and longest duration (seconds). */
  get closed(): number {
    return this.#closed;
  }

  get closedSeconds(): number {
    return this.#closedSeconds;
  }

  get maxSeconds(): number {
    return this.#maxSeconds;
  }

  /** Forgets everything (after the warm-up). */
  reset(): void {
    this.#list.length = 0;
    this.#count = 0;
    this.#closed = 0;
    this.#closedSeconds = 0;
    this.#maxSeconds = 0;
    this.#start = Number.NaN;
    this.#peak = 0;
  }

  /** Takes the step at `tSeconds`: `offeredRps` against `capacityRps` (the Ready pods' throughput). */
  observe(tSeconds: number, offeredRps: number, capacityRps: number): void {
    if (offeredRps > capacityRps * (1 + 1e-9)) {
      const ratio = capacityRps > 0 ? offeredRps / capacityRps : Number.POSITIVE_INFINITY;
      if (this.#start !== this.#start) {
        this.#start = tSeconds;
        this.#peak = ratio;
      } else if (ratio > this.#peak) {
        this.#peak = ratio;
      }
    } else if (this.#start === this.#start) {
      this.#close(tSeconds - this.#start);
    }
  }

  /** Closes an open episode at the end of the run (its duration is unknown). */
  finish(): void {
    if (this.#start === this.#start) this.#close(null);
  }

  #close(seconds: number | null): void {
    this.#count++;
    if (seconds !== null) {
      this.#closed++;
      this.#closedSeconds += seconds;
      if (seconds > this.#maxSeconds) this.#maxSeconds = seconds;
    }
    if (this.#list.length < MAX_EPISODES) this.#list.push({ service: this.#service, t: this.#start, seconds, peakRatio: this.#peak });
    this.#start = Number.NaN;
  }
}
