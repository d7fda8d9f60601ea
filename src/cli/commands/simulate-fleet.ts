/**
 * `hpa-lab simulate SCENARIO --fleet N [--patch FILE] [--workers N]`: the scenario's HPAs as a
 * fleet of N, each with its own service and traffic, run across cores. Prints a line per HPA as
 * it completes (not with --quiet), then the totals, the worst SLO misses and the flappers; with
 * --patch, the what-if's change per HPA and in total.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { InputError } from '../../core/index.js';
import { runFleet } from '../../fleet/index.js';
import { formatDuration, formatTable, type Cell } from '../../report/index.js';
import { DEFAULT_FLEET, type FleetMemberResult, type FleetMemberSummary, type FleetReport, type FleetSpec, type FleetTotals, type Scenario } from '../../sim/index.js';
import type { Io } from '../io.js';

/** Input of {@link runFleetCommand}. */
export interface FleetCommandInput {
  readonly scenario: Scenario;
  readonly scenarioPath: string;
  readonly size: number | undefined;
  readonly seed: number;
  readonly kubernetesVersion: string;
  readonly patchPath: string | undefined;
  readonly workers: number | undefined;
  readonly quiet: boolean;
  readonly json: string | undefined;
  readonly cwd: string;
}

/**
 * Reads a what-if patch: a YAML or JSON mapping shaped like an HPA (`spec: {behavior: ...}`).
 *
 * @throws {InputError} when the file is unreadable or not a mapping
 */
export async function loadFleetPatch(path: string): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new InputError('unreadable', path, '', `cannot read the patch: ${(e as Error).message}`, { cause: e });
  }
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (e) {
    throw new InputError('syntax', path, '', `expected YAML or JSON: ${(e as Error).message}`, { cause: e });
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
    throw new InputError('schema', path, '', 'expected a mapping shaped like an HPA, e.g. {spec: {behavior: {scaleDown: {stabilizationWindowSeconds: 600}}}}');
  }
  const unknown = Object.keys(doc).filter((k) => k !== 'spec' && k !== 'metadata');
  if (unknown.length > 0) throw new InputError('schema', path, unknown[0]!, "unknown field: expected 'spec' (and optionally 'metadata')");
  return doc as Record<string, unknown>;
}

/** Runs the fleet and prints its report; returns the exit code. */
export async function runFleetCommand(input: FleetCommandInput, io: Io): Promise<number> {
  const { scenario } = input;
  const fleet: FleetSpec = { ...DEFAULT_FLEET, ...scenario.fleet, size: input.size ?? scenario.fleet?.size ?? 1 };
  const patch = input.patchPath === undefined ? undefined : await loadFleetPatch(resolve(input.cwd, input.patchPath));
  const workers = Math.min(input.workers ?? availableParallelism(), fleet.size);
  io.stdout.write(
    `Fleet of ${fleet.size} HPA${fleet.size === 1 ? '' : 's'} from ${scenario.name} (seed ${input.seed}, Kubernetes ${input.kubernetesVersion}): ` +
      `${formatDuration(scenario.durationSeconds)} simulated each, ${workers} worker thread${workers === 1 ? '' : 's'}` +
      `${patch === undefined ? '' : `, what-if ${input.patchPath}`}\n\n`,
  );
  const members: FleetMemberResult[] = [];
  const t0 = performance.now();
  let report: FleetReport;
  try {
    report = await runFleet(scenario, {
      fleet,
      seed: input.seed,
      patch,
      workers,
      onMember: (r) => {
        if (input.json !== undefined) members.push(r);
        if (!input.quiet) io.stdout.write(`${memberLine(r)}\n`);
      },
    });
  } catch (error) {
    if (error instanceof RangeError) throw new InputError('semantic', input.scenarioPath, '', error.message.replace(/^Cannot run the simulation as /, ''), { cause: error });
    throw error;
  }
  const wallSeconds = (performance.now() - t0) / 1000;
  if (!input.quiet) io.stdout.write('\n');
  io.stdout.write(formatFleetReport(report));
  const runs = patch === undefined ? 1 : 2;
  io.stdout.write(
    `\n${fleet.size} × ${formatDuration(scenario.durationSeconds)}${runs === 2 ? ' × 2 runs' : ''} in ${wallSeconds.toFixed(1)} s: ` +
      `${formatRate((report.members * runs * scenario.durationSeconds) / wallSeconds)} simulated HPA-seconds per second\n`,
  );
  if (input.json !== undefined) {
    members.sort((a, b) => a.base.index - b.base.index);
    const data = { scenario: scenario.name, seed: input.seed, fleet, ...(patch === undefined ? {} : { patch }), report, members };
    await writeFile(resolve(input.cwd, input.json), `${JSON.stringify(data, null, 1)}\n`);
    io.stderr.write(`wrote ${input.json}\n`);
  }
  return 0;
}

function formatRate(x: number): string {
  return x >= 1e6 ? `${(x / 1e6).toFixed(2)} million` : Math.round(x).toLocaleString('en-US');
}

function round(x: number, digits = 1): number {
  const k = 10 ** digits;
  return Math.round(x * k) / k;
}

function memberLine(r: FleetMemberResult): string {
  const b = r.base;
  const head = `${b.name.padEnd(24)} ×${b.trafficFactor.toFixed(2).padStart(5)}  pod-hours ${round(b.podHours).toString().padStart(8)}  peak ${String(b.peakReplicas).padStart(3)}  flaps ${String(b.flaps).padStart(3)}  SLO misses ${String(Math.round(b.sloMisses ?? 0)).padStart(6)}`;
  const p = r.patched;
  if (p === undefined) return head;
  const d = p.podHours - b.podHours;
  return `${head}  → pod-hours ${d >= 0 ? '+' : ''}${round(d)} (${pct(d, b.podHours)}), SLO misses ${signed(Math.round((p.sloMisses ?? 0) - (b.sloMisses ?? 0)))}, flaps ${signed(p.flaps - b.flaps)}`;
}

function signed(x: number): string {
  return `${x > 0 ? '+' : ''}${x}`;
}

function pct(delta: number, base: number): string {
  if (base === 0) return delta === 0 ? '0 %' : 'n/a';
  const p = (100 * delta) / base;
  return `${p >= 0 ? '+' : ''}${p.toFixed(1)} %`;
}

const TOTAL_ROWS: readonly [string, keyof FleetTotals][] = [
  ['pod-hours', 'podHours'],
  ['requests', 'requests'],
  ['SLO misses', 'sloMisses'],
  ['dropped', 'dropped'],
  ['scale-ups', 'scaleUps'],
  ['scale-downs', 'scaleDowns'],
  ['flaps', 'flaps'],
];

/** The fleet report as text: totals (with the what-if beside them), worst SLO misses, flappers. */
export function formatFleetReport(report: FleetReport): string {
  const out: string[] = [];
  const p = report.patched;
  const columns = p === undefined ? ['TOTAL', 'FLEET'] : ['TOTAL', 'BASE', 'WHAT-IF', 'CHANGE'];
  const rows: Cell[][] = TOTAL_ROWS.map(([label, key]) => {
    const base = round(report.totals[key]);
    if (p === undefined) return [label, base];
    return [label, base, round(p.totals[key]), `${signed(round(p.change[key]))} (${pct(p.change[key], report.totals[key])})`];
  });
  out.push(`Fleet of ${report.members} HPAs, ${formatDuration(report.simulatedSeconds)} each:\n${formatTable(columns, rows, { align: columns.map((_, i) => (i === 0 ? 'left' : 'right')) })}`);
  const memberRows = (list: readonly FleetMemberSummary[]): Cell[][] =>
    list.map((s) => [s.name, round(s.podHours), s.peakReplicas, s.flaps, Math.round(s.sloMisses ?? 0), s.requests > 0 ? `${((100 * (s.sloMisses ?? 0)) / s.requests).toFixed(2)} %` : '-']);
  const memberColumns = ['HPA', 'POD-HOURS', 'PEAK', 'FLAPS', 'SLO MISSES', 'OF REQUESTS'];
  const align = memberColumns.map((_, i) => (i === 0 ? 'left' : 'right'));
  if (report.worstSloMisses.length > 0) out.push(`Worst SLO misses:\n${formatTable(memberColumns, memberRows(report.worstSloMisses), { align })}`);
  else out.push('Worst SLO misses: none\n');
  if (report.flappers.length > 0) out.push(`Flappers:\n${formatTable(memberColumns, memberRows(report.flappers), { align })}`);
  else out.push('Flappers: none\n');
  if (p !== undefined && p.biggestChanges.length > 0) {
    const cols = ['HPA', 'POD-HOURS', 'SLO MISSES', 'FLAPS'];
    out.push(
      `Biggest changes with the what-if:\n${formatTable(
        cols,
        p.biggestChanges.map((c) => [c.name, signed(round(c.podHours)), signed(Math.round(c.sloMisses)), signed(c.flaps)]),
        { align: cols.map((_, i) => (i === 0 ? 'left' : 'right')) },
      )}`,
    );
  }
  return out.join('\n');
}
