/**
 * A periodic event of a run (a scrape, a sync) on the grid of steps: integer step numbers keep
 * times exact; an event due at x runs at the first step i with i × dt + eps ≥ x (eps = dt × 1e-6,
 * so float noise never moves an event by a step).
 */

/** When a periodic event runs next, as a step number. */
export class Periodic {
  /** The next step the event runs at (`Infinity`: never). */
  step: number;
  readonly #everySeconds: number;
  readonly #dtSeconds: number;
  readonly #eps: number;
  #nextS: number;

  /**
   * @param everySeconds the period
   * @param options.firstS when it is first due; `options.fromStep` the first step it may run at
   */
  constructor(everySeconds: number, options: { dtSeconds: number; firstS: number; fromStep: number; enabled?: boolean }) {
    this.#everySeconds = everySeconds;
    this.#dtSeconds = options.dtSeconds;
    this.#eps = options.dtSeconds * 1e-6;
    this.#nextS = options.firstS;
    this.step = options.enabled === false ? Number.POSITIVE_INFINITY : this.#due(options.fromStep);
  }

  /** After the event ran at step `i`: the next time it is due, past step i. */
  ran(i: number): void {
    const t = i * this.#dtSeconds;
    while (this.#nextS <= t + this.#eps) this.#nextS += this.#everySeconds;
    this.step = this.#due(i + 1);
  }

  /** The first step j ≥ `from` with j × dt + eps ≥ the next due time. */
  #due(from: number): number {
    const x = this.#nextS;
    const dt = this.#dtSeconds;
    const eps = this.#eps;
    let j = Math.ceil((x - eps) / dt);
    if (j < from) j = from;
    while (j > from && (j - 1) * dt + eps >= x) j--;
    while (j * dt + eps < x) j++;
    return j;
  }
}
