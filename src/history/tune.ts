/**
 * `hpa-lab tune`: runs candidate HPA settings on one scenario (a scenario file, or a trace's
 * recorded demand) with the same seed, keeps the Pareto front of (pod-hours, SLO misses, flaps)
 * and recommends the cheapest configuration that meets an objective. Candidates run on worker
 * threads, one per core; results are put back in candidate order, so the outcome depends only
 * on the seed and the budget.
 */
import { availableParallelism } from 'node:os';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { HorizontalPodAutoscaler } from '../engine/index.js';
import { runSimulation, type Scenario } from '../sim/index.js';

/** What one candidate did on the scenario. */
export interface TuneScore {
  readonly podHours: number;
  readonly requests: number;
  /** Requests slower than the SLO plus requests dropped. */
  readonly sloMisses: number;
  /** `sloMisses / requests` (0 without requests). */
  readonly sloMissRate: number;
  readonly dropped: number;
  readonly flaps: number;
  readonly maxTimeToCapacitySeconds: number | null;
}

/** The scenario with `candidate` in place of its HPA number `hpaIndex`. */
export function withCandidate(scenario: Scenario, hpaIndex: number, candidate: HorizontalPodAutoscaler): Scenario {
  return { ...scenario, hpas: scenario.hpas.map((h, i) => (i === hpaIndex ? candidate : h)), timelineEverySyncs: Math.max(scenario.timelineEverySyncs, 1_000_000) };
}

/** Runs one candidate and scores it. */
export function evaluateCandidate(scenario: Scenario, input: { readonly hpaIndex: number; readonly candidate: HorizontalPodAutoscaler; readonly seed: number }): TuneScore {
  const result = runSimulation(withCandidate(scenario, input.hpaIndex, input.candidate), { seed: input.seed });
  const h = result.summary.hpas[input.hpaIndex]!;
  const s = result.summary.services.find((x) => x.service === h.service);
  const requests = s?.requests ?? 0;
  const dropped = s?.dropped ?? 0;
  const misses = (s?.sloMisses ?? 0) + dropped;
  return { podHours: h.podHours, requests, sloMisses: misses, sloMissRate: requests > 0 ? misses / requests : 0, dropped, flaps: h.flaps, maxTimeToCapacitySeconds: s?.maxTimeToCapacitySeconds ?? null };
}

/** Indices of the scores no other score beats on every objective (pod-hours, SLO miss rate, flaps). */
export function paretoFront(scores: readonly TuneScore[]): number[] {
  const front: number[] = [];
  const dominates = (a: TuneScore, b: TuneScore): boolean =>
    a.podHours <= b.podHours && a.sloMissRate <= b.sloMissRate && a.flaps <= b.flaps && (a.podHours < b.podHours || a.sloMissRate < b.sloMissRate || a.flaps < b.flaps);
  for (let i = 0; i < scores.length; i++) {
    if (!scores.some((other, j) => j !== i && dominates(other, scores[i]!))) front.push(i);
  }
  return front.sort((a, b) => scores[a]!.podHours - scores[b]!.podHours || a - b);
}

/** An objective: limits on SLO misses and flaps; the cheapest candidate within them wins. */
export interface Objective {
  /** Fraction, e.g. 0.001 for 0.1 %. */
  readonly maxSloMissRate?: number;
  readonly maxFlaps?: number;
}

/** The recommended candidate: the cheapest within the objective, else the fewest SLO misses. */
export function recommend(scores: readonly TuneScore[], objective: Objective): { index: number; meetsObjective: boolean } {
  const ok = (s: TuneScore): boolean => s.sloMissRate <= (objective.maxSloMissRate ?? Number.POSITIVE_INFINITY) && s.flaps <= (objective.maxFlaps ?? Number.POSITIVE_INFINITY);
  let best = -1;
  for (let i = 0; i < scores.length; i++) {
    const s = scores[i]!;
    if (!ok(s)) continue;
    if (best < 0 || s.podHours < scores[best]!.podHours || (s.podHours === scores[best]!.podHours && s.sloMissRate < scores[best]!.sloMissRate)) best = i;
  }
  if (best >= 0) return { index: best, meetsObjective: true };
  let fewest = 0;
  for (let i = 1; i < scores.length; i++) {
    const a = scores[i]!;
    const b = scores[fewest]!;
    if (a.sloMissRate < b.sloMissRate || (a.sloMissRate === b.sloMissRate && a.podHours < b.podHours)) fewest = i;
  }
  return { index: fewest, meetsObjective: false };
}

/** Options of {@link scoreCandidates}. */
export interface ScoreCandidatesOptions {
  readonly hpaIndex: number;
  readonly seed: number;
  /** Worker threads (default: the cores; 1 runs in this thread). */
  readonly workers?: number;
  readonly onProgress?: (done: number, total: number) => void;
}

/** The worker module next to this one, and how to start it from sources or from `dist/`. */
function workerSource(): { code: string; eval: true } | { file: URL; eval: false } {
  const ts = import.meta.url.endsWith('.ts');
  const file = new URL(`./tune-worker.${ts ? 'ts' : 'js'}`, import.meta.url);
  if (!ts) return { file, eval: false };
  let api: string;
  try {
    api = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs')).href;
  } catch {
    throw new Error(`Cannot start the tune workers from '${fileURLToPath(file)}' as it is TypeScript and tsx is not installed: run 'npm run build' and use the compiled entry`);
  }
  return { code: `import(${JSON.stringify(api)}).then((m) => { m.register(); return import(${JSON.stringify(file.href)}); });`, eval: true };
}

/**
 * Scores every candidate on the scenario, in parallel on worker threads.
 *
 * @example (await scoreCandidates(scenario, candidates, { hpaIndex: 0, seed: 1 }))[0].podHours // -> 6.87
 */
export async function scoreCandidates(scenario: Scenario, candidates: readonly HorizontalPodAutoscaler[], options: ScoreCandidatesOptions): Promise<TuneScore[]> {
  const total = candidates.length;
  const workers = Math.max(1, Math.min(options.workers ?? availableParallelism(), total));
  const scores: TuneScore[] = new Array<TuneScore>(total);
  let done = 0;
  if (workers === 1) {
    for (let i = 0; i < total; i++) {
      scores[i] = evaluateCandidate(scenario, { hpaIndex: options.hpaIndex, candidate: candidates[i]!, seed: options.seed });
      options.onProgress?.(++done, total);
    }
    return scores;
  }
  const source = workerSource();
  const workerData = { scenario, hpaIndex: options.hpaIndex, seed: options.seed };
  let next = 0;
  const pool = Array.from({ length: workers }, () => (source.eval ? new Worker(source.code, { eval: true, workerData }) : new Worker(source.file, { workerData })));
  try {
    await Promise.all(
      pool.map(
        (worker) =>
          new Promise<void>((resolve, reject) => {
            const send = (): void => {
              if (next >= total) {
                resolve();
                return;
              }
              const id = next++;
              worker.postMessage({ id, candidate: candidates[id] });
            };
            worker.on('message', (m: { id: number; score?: TuneScore; error?: string }) => {
              if (m.error !== undefined) {
                reject(new Error(`Cannot score candidate ${m.id}: ${m.error}`));
                return;
              }
              scores[m.id] = m.score!;
              options.onProgress?.(++done, total);
              send();
            });
            worker.once('error', reject);
            worker.once('online', send);
          }),
      ),
    );
  } finally {
    await Promise.all(pool.map((w) => w.terminate()));
  }
  return scores;
}
