/**
 * `hpa-lab size`: the highest per-pod `targetActiveRequests` that keeps a latency SLO at steady
 * load, from an M/G/c queueing model of one pod (see `src/sim/queueing.ts`), how it moves with the
 * model's speed, and the simulator's check at that target and the next one.
 */
import { resolve } from 'node:path';
import { formatTable, type Cell } from '../../report/index.js';
import { confirmTarget, DEFAULT_SERVICE_MODEL, formatSeconds, maxTargetForSlo, scaleServiceTime, type ConfirmTargetResult, type ServiceModel, type ServiceTimeSpec } from '../../sim/index.js';
import { prometheusDurationSeconds } from '../../core/index.js';
import { loadScenarioFile } from '../../input/files/index.js';
import { UsageError, type CommandDef } from '../command.js';

/** The model speeds of the table: service time × these factors. */
const SPEED_FACTORS = [0.25, 0.5, 0.75, 1, 1.5, 2, 3] as const;

export const sizeCommand: CommandDef = {
  name: 'size',
  summary: "Compute the highest per-pod targetActiveRequests that keeps a latency SLO (M/G/c queueing model), then check it by simulation",
  usage: '--service-time 1s --concurrency 8 --slo p95=5s [--scenario FILE] [options]',
  options: [
    { name: 'service-time', type: 'string', arg: 'DURATION', description: 'Mean service time of one request (default: the scenario\'s, else 1s)' },
    { name: 'distribution', type: 'string', arg: 'NAME', description: 'Service-time distribution: lognormal (default, sigma 0.5), exponential or fixed' },
    { name: 'sigma', type: 'string', arg: 'N', description: 'Lognormal sigma (default 0.5)' },
    { name: 'concurrency', type: 'string', arg: 'N', description: 'Requests one pod serves at once (default: the scenario\'s, else 8)' },
    { name: 'slo', type: 'string', arg: 'pNN=DURATION', default: 'p95=5s', description: 'Latency SLO: a percentile and a bound, e.g. p95=5s, p99=10s' },
    { name: 'scenario', type: 'string', arg: 'FILE', description: "Take concurrency and service time from the scenario's first HPA target" },
    { name: 'pods', type: 'string', arg: 'N', default: '4', description: 'Pods the simulated steady load holds at the target' },
    { name: 'no-simulate', type: 'boolean', description: 'Skip the check by simulation' },
    { name: 'json', type: 'boolean', description: 'Print the result as JSON' },
  ],
  examples: ['hpa-lab size --service-time 1s --concurrency 8 --slo p95=5s', 'hpa-lab size --scenario examples/scenarios/traffic-spike.yaml --slo p99=8s'],
  async run({ positionals, values }, io) {
    if (positionals.length) throw new UsageError(`unexpected argument '${positionals[0]}': size takes only options`);
    let base: ServiceModel = DEFAULT_SERVICE_MODEL;
    if (typeof values['scenario'] === 'string') {
      const loaded = await loadScenarioFile(resolve(io.cwd ?? process.cwd(), values['scenario']));
      const target = loaded.scenario.hpas[0]?.spec.scaleTargetRef.name;
      base = (target !== undefined ? loaded.scenario.services[target] : undefined) ?? DEFAULT_SERVICE_MODEL;
    }
    const concurrency = values['concurrency'] === undefined ? base.concurrency : positiveInt('concurrency', values['concurrency']);
    const serviceTime = serviceTimeFrom(values, base.serviceTime);
    const { percentile, label, sloSeconds } = parseSlo(String(values['slo'] ?? 'p95=5s'));
    const pods = positiveInt('pods', values['pods'] ?? '4');

    const result = maxTargetForSlo({ concurrency, serviceTime, percentile, sloSeconds });
    const speeds = SPEED_FACTORS.map((factor) => {
      const st = scaleServiceTime(serviceTime, factor);
      const r = maxTargetForSlo({ concurrency, serviceTime: st, percentile, sloSeconds });
      return { factor, serviceTime: st, target: r.target, latencySeconds: r.at?.latencySeconds ?? null, rpsPerPod: r.at?.arrivalRatePerSecond ?? null };
    });
    const simulate = values['no-simulate'] !== true && result.target !== null && !(percentile !== 0.5 && percentile !== 0.95 && percentile !== 0.99);
    const checks: ConfirmTargetResult[] = [];
    let confirmed: number | null = null;
    if (simulate && result.target !== null) {
      const check = (target: number): ConfirmTargetResult => confirmTarget({ concurrency, serviceTime, target, pods, base });
      const sim = (r: ConfirmTargetResult): number | null => (percentile === 0.5 ? r.latencyP50Seconds : percentile === 0.95 ? r.latencyP95Seconds : r.latencyP99Seconds);
      checks.push(check(result.target), check(result.target + 1));
      // When the simulator misses the SLO at the model's target, step down until it holds.
      let t = result.target;
      let r = checks[0]!;
      while (t >= 1 && !((sim(r) ?? Infinity) <= sloSeconds)) {
        t -= 1;
        if (t < 1) break;
        r = check(t);
        checks.push(r);
      }
      confirmed = t >= 1 ? t : null;
    }

    if (values['json'] === true) {
      io.stdout.write(`${JSON.stringify({ model: 'M/G/c per pod (Erlang C, Allen-Cunneen)', concurrency, serviceTime, slo: { percentile, seconds: sloSeconds }, ...result, speeds, simulation: checks, confirmedTarget: confirmed }, null, 2)}\n`);
      return 0;
    }
    const cvText = serviceTime.distribution === 'lognormal' ? `lognormal, mean ${meanOf(serviceTime).toFixed(3)} s, sigma ${serviceTime.sigma}` : `${serviceTime.distribution}, mean ${serviceTime.meanSeconds} s`;
    io.stdout.write(`Model: one pod is an M/G/${concurrency} queue (Poisson arrivals, ${cvText}; Erlang C wait probability, Allen-Cunneen mean wait); the HPA holds mean active requests per pod at the target\n`);
    io.stdout.write(`SLO: ${label} latency <= ${formatSeconds(sloSeconds)}\n\n`);
    if (result.target === null) {
      io.stdout.write(`No target keeps the SLO: at 1 active request per pod the ${label} is already ${formatSeconds(result.next.latencySeconds)} (the service time itself is too slow)\n`);
      return 1;
    }
    const at = result.at!;
    io.stdout.write(
      `targetActiveRequests: ${result.target}  (${label} ${fmt(at.latencySeconds)} s at ${at.arrivalRatePerSecond.toFixed(2)} req/s per pod, utilization ${(at.utilization * 100).toFixed(0)} %, ${(at.waitProbability * 100).toFixed(0)} % of requests wait)\n`,
    );
    io.stdout.write(`  ${result.target + 1} would give ${label} ${fmt(result.next.latencySeconds)} s\n\n`);
    io.stdout.write('How it moves with the model\'s speed (service time × factor):\n');
    const rows: Cell[][] = speeds.map((s) => [`× ${s.factor}`, `${meanOf(s.serviceTime).toFixed(2)} s`, s.target ?? 'none', s.latencySeconds === null ? '-' : fmt(s.latencySeconds), s.rpsPerPod === null ? '-' : s.rpsPerPod.toFixed(2)]);
    io.stdout.write(`${formatTable(['SPEED', 'MEAN SERVICE', 'TARGET', `${label.toUpperCase()} (s)`, 'REQ/S PER POD'], rows, { align: ['left', 'right', 'right', 'right', 'right'] })}\n`);
    if (checks.length > 0) {
      io.stdout.write(`Simulation (steady Poisson load holding ${pods} pods at the target, round-robin routing, 2 h, seed 1):\n`);
      const simRows: Cell[][] = checks.map((c) => [c.target, c.rps.toFixed(1), c.meanReplicas.toFixed(1), c.meanActivePerPod.toFixed(1), fmtOrDash(c.latencyP50Seconds), fmtOrDash(c.latencyP95Seconds), fmtOrDash(c.latencyP99Seconds), c.dropped]);
      io.stdout.write(`${formatTable(['TARGET', 'REQ/S', 'MEAN PODS', 'ACTIVE/POD', 'P50 (s)', 'P95 (s)', 'P99 (s)', 'DROPPED'], simRows)}\n`);
      if (confirmed === result.target) io.stdout.write(`The simulator confirms ${result.target}: its ${label} stays within ${formatSeconds(sloSeconds)}.\n`);
      else if (confirmed !== null) {
        io.stdout.write(
          `The simulator holds the SLO only up to ${confirmed}: above the concurrency the HPA lets the pods run near saturation, where its fluid queues and the scale-down window make the replicas swing. Use ${confirmed}.\n`,
        );
      } else io.stdout.write('The simulator misses the SLO at every target: the load cannot be held.\n');
    }
    return 0;
  },
};

function fmt(seconds: number): string {
  return Number.isFinite(seconds) ? seconds.toFixed(2) : 'inf';
}
function fmtOrDash(seconds: number | null): string {
  return seconds === null ? '-' : fmt(seconds);
}
function meanOf(st: ServiceTimeSpec): number {
  return st.distribution === 'lognormal' ? st.medianSeconds * Math.exp((st.sigma * st.sigma) / 2) : st.meanSeconds;
}

function positiveInt(flag: string, value: unknown): number {
  const text = String(value);
  const n = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(n) || n < 1 || n > 10_000) throw new UsageError(`'--${flag}' must be an integer from 1 to 10000: got '${text}'`);
  return n;
}

function seconds(flag: string, text: string): number {
  const v = /^\d+(\.\d+)?$/.test(text) ? Number(text) : prometheusDurationSeconds(text);
  if (v === undefined || !(v >= 0.001 && v <= 86_400)) throw new UsageError(`'--${flag}' must be a duration from 1ms to 1d such as '1s', '800ms' or '2.5' (seconds): got '${text}'`);
  return v;
}

/** A flag's text (flags here are single strings). */
function flagText(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function serviceTimeFrom(values: Record<string, unknown>, fallback: ServiceTimeSpec): ServiceTimeSpec {
  const dist = values['distribution'];
  const given = values['service-time'];
  if (given === undefined && dist === undefined && values['sigma'] === undefined) return fallback;
  const mean = given === undefined ? meanOf(fallback) : seconds('service-time', flagText(given));
  const name = dist === undefined ? 'lognormal' : flagText(dist);
  if (name === 'exponential' || name === 'fixed') return { distribution: name, meanSeconds: mean };
  if (name !== 'lognormal') throw new UsageError(`'--distribution' must be one of lognormal, exponential, fixed: got '${name}'`);
  const sigmaText = values['sigma'] === undefined ? '0.5' : flagText(values['sigma']);
  const sigma = Number(sigmaText);
  if (!/^\d+(\.\d+)?$/.test(sigmaText) || sigma > 5) throw new UsageError(`'--sigma' must be a number from 0 to 5: got '${sigmaText}'`);
  // --service-time is the mean: median = mean / e^(σ²/2).
  return { distribution: 'lognormal', medianSeconds: mean / Math.exp((sigma * sigma) / 2), sigma };
}

/** `p95=5s` → percentile 0.95, 5 seconds. */
function parseSlo(text: string): { percentile: number; label: string; sloSeconds: number } {
  const m = /^p(\d{1,2}(?:\.\d+)?)=(.+)$/.exec(text.trim());
  const p = m ? Number(m[1]) : NaN;
  if (!m || !(p > 0 && p < 100)) throw new UsageError(`'--slo' must be a percentile and a duration such as 'p95=5s' or 'p99=800ms': got '${text}'`);
  return { percentile: p / 100, label: `p${m[1]}`, sloSeconds: seconds('slo', m[2]!) };
}
