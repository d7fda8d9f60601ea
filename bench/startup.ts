/**
 * CLI start-up (`npm run bench -- startup`): wall time of the compiled CLI, as a ratio to
 * `node -e 0` measured in the same run (median of 7 of each, runs interleaved so machine noise
 * hits all three alike). Needs `npm run build` first (`npm run bench` builds).
 * Targets: `hpa-lab --help` ≤ 3×, `hpa-lab explain <example>` ≤ 5× `node -e 0`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const REPO = fileURLToPath(new URL('..', import.meta.url));
const BIN = fileURLToPath(new URL('../bin/hpa-lab.js', import.meta.url));
const DIST_BIN = fileURLToPath(new URL('../dist/cli/bin.js', import.meta.url));

/** One command's start-up figures. */
export interface StartupFigure {
  readonly name: string;
  readonly medianMs: number;
  /** `medianMs` / the median of `node -e 0`. */
  readonly ratio: number;
  readonly targetRatio: number | undefined;
}

export interface StartupBenchResult {
  readonly runs: number;
  readonly nodeMedianMs: number;
  readonly figures: readonly StartupFigure[];
}

const CASES = [
  { name: 'node -e 0', args: ['-e', '0'], targetRatio: undefined },
  { name: 'hpa-lab --help', args: [BIN, '--help'], targetRatio: 3 },
  { name: 'hpa-lab explain examples/blog/hpa.yaml --readings ...', args: [BIN, 'explain', 'examples/blog/hpa.yaml', '--readings', 'examples/blog/readings-startup.yaml'], targetRatio: 5 },
] as const;

function wallMs(args: readonly string[]): number {
  const t0 = process.hrtime.bigint();
  // Plain node: no loader or option inherited from the benchmark's own runner (tsx).
  const r = spawnSync(process.execPath, [...args], { cwd: REPO, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, NODE_OPTIONS: '' } });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`'node ${args.join(' ')}' exited with ${r.status}: ${String(r.stderr).trim()}`);
  return ms;
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] ?? 0) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
}

/**
 * Runs each case `runs` times (after one warm-up of each, which fills the OS file cache).
 *
 * @throws {Error} when the CLI is not built, or a command fails
 */
export function benchStartup(runs = 7): StartupBenchResult {
  if (!existsSync(DIST_BIN)) throw new Error("the compiled CLI is missing: run 'npm run build' first");
  for (const c of CASES) wallMs(c.args);
  const samples: number[][] = CASES.map(() => []);
  for (let i = 0; i < runs; i++) CASES.forEach((c, j) => samples[j]?.push(wallMs(c.args)));
  const medians = samples.map(median);
  const nodeMedianMs = medians[0] ?? 0;
  return {
    runs,
    nodeMedianMs,
    figures: CASES.map((c, j) => ({ name: c.name, medianMs: medians[j] ?? 0, ratio: (medians[j] ?? 0) / nodeMedianMs, targetRatio: c.targetRatio })),
  };
}

/** The figures as lines, with each target met or missed. */
export function formatStartupBench(r: StartupBenchResult): string {
  return r.figures
    .map((f) => {
      const target = f.targetRatio === undefined ? '' : `  target ≤ ${f.targetRatio}×: ${f.ratio <= f.targetRatio ? 'met' : 'MISSED'}`;
      return `${f.name.padEnd(56)} ${f.medianMs.toFixed(0).padStart(5)} ms  ${f.ratio.toFixed(2).padStart(5)}×${target}`;
    })
    .join('\n');
}
