/**
 * The traffic a run offers, step by step: the scenario's traffic shape (with its noise) turned
 * into a count of arrivals per step. Fluid runs take the expected count; Poisson runs with steps
 * ≤ 1 s draw Poisson(rate(t + dt/2) × dt) with an O(1) exact sampler; the others go through
 * `sampleArrivals` (gaussian noise, longer steps). Each random stream has its own seed derived
 * from the run's, so the counts depend on the seed alone.
 */
import { createSeededRng, type Rng } from '../core/index.js';
import { PoissonSampler } from './poisson.js';
import { createTraffic, sampleArrivals, type Traffic } from './traffic.js';
import type { Scenario } from './types.js';

/** Arrivals per step of one run. */
export class TrafficFeed {
  /** The noise-free rate (requests/s) at a time. */
  readonly meanRps: (tSeconds: number) => number;
  readonly #traffic: Traffic;
  readonly #rng: Rng;
  readonly #sampler: PoissonSampler | undefined;
  readonly #fluid: boolean;
  readonly #noisy: boolean;
  readonly #dtSeconds: number;

  constructor(scenario: Scenario, seed: number) {
    const dt = scenario.stepSeconds;
    this.#traffic = createTraffic(scenario.traffic, {
      rng: createSeededRng((seed ^ 0x9e3779b9) >>> 0),
      ...(scenario.trafficPoints === undefined ? {} : { points: scenario.trafficPoints }),
    });
    this.#rng = createSeededRng(seed);
    this.meanRps = this.#traffic.meanRpsAt ?? this.#traffic.rpsAt;
    const noise = this.#traffic.noise;
    this.#fluid = scenario.arrivals === 'fluid';
    this.#noisy = noise !== undefined;
    const poissonOnly = dt <= 1 && (noise === undefined || noise.type === 'poisson');
    this.#sampler = poissonOnly && !this.#fluid ? new PoissonSampler(seed) : undefined;
    this.#dtSeconds = dt;
  }

  /**
   * Requests arriving in [t, t + dt), given `offeredRps`, the noise-free rate at the step's
   * middle (`meanRps(t + dt/2)`).
   */
  arrivals(tSeconds: number, offeredRps: number): number {
    const dt = this.#dtSeconds;
    if (this.#fluid) return (this.#noisy ? this.#traffic.rpsAt(tSeconds + dt / 2) : offeredRps) * dt;
    const sampler = this.#sampler;
    return sampler !== undefined ? sampler.draw(offeredRps * dt) : sampleArrivals(this.#traffic, tSeconds, dt, this.#rng);
  }
}
