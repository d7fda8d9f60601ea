/**
 * `hpa-lab load`: a bounded load generator like `hey`, for this machine only. Closed loop
 * (`-c` connections, optionally capped at `--rps`), or open loop playing a scenario's traffic
 * shape live (`--scenario`), with progress and a final latency histogram, percentiles, status
 * codes and throughput.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { createTraffic } from '../../sim/index.js';
import { InputError } from '../../core/index.js';
import { loadScenarioFile } from '../../input/files/index.js';
import { readRunFile, RUN_FILE, type RunInfo } from '../../stack/index.js';
import { makeWav } from '../../workload/audio/index.js';
import { parseLoopbackUrl, type LoadProgress, type LoadResult, playTraffic, type PlayTrafficResult, runLoad } from '../../workload/load/index.js';
import { UsageError, type CommandDef } from '../command.js';
import type { Io } from '../io.js';
import { parseDurationFlag, parseIntFlag } from './up.js';

/** Audio seconds of the default request body: 10 s of audio is 1 s of work at rtf 0.1 (the seeds' mean service time). */
export const DEFAULT_AUDIO_SECONDS = 10;

const ms = (v: number): string => `${v.toFixed(v < 10 ? 2 : 1)} ms`;

/**
 * The end-of-run report in `hey`'s layout: summary, histogram, latency distribution, status
 * codes, errors.
 *
 * @example formatLoadReport(result) // -> 'Summary:\n  Total:        10.02 s\n  ...'
 */
export function formatLoadReport(r: LoadResult | PlayTrafficResult): string {
  const lines = [
    'Summary:',
    `  Total:        ${(r.elapsedMs / 1000).toFixed(2)} s`,
    `  Requests:     ${r.requests}${'sent' in r ? ` (sent ${r.sent}, not sent ${r.dropped} because too many were in flight)` : ''}`,
    `  Slowest:      ${ms(r.latency.maxMs)}`,
    `  Fastest:      ${ms(r.latency.minMs)}`,
    `  Average:      ${ms(r.latency.meanMs)}`,
    `  Requests/sec: ${r.throughputRps.toFixed(1)}`,
    '',
    'Response time histogram:',
  ];
  const peak = Math.max(1, ...r.histogram.map((b) => b.count));
  for (const b of r.histogram) lines.push(`  ${ms(b.upperMs).padStart(12)} [${b.count}]\t|${'■'.repeat(Math.round((40 * b.count) / peak))}`);
  if (r.histogram.length === 0) lines.push('  (no answers)');
  lines.push('', 'Latency distribution:');
  for (const [p, v] of [['50', r.latency.p50Ms], ['90', r.latency.p90Ms], ['99', r.latency.p99Ms]] as const) lines.push(`  ${p}% in ${ms(v)}`);
  lines.push('', 'Status code distribution:');
  const codes = Object.entries(r.statusCodes).sort(([a], [b]) => a.localeCompare(b));
  for (const [code, n] of codes) lines.push(`  [${code}] ${n} responses`);
  if (codes.length === 0) lines.push('  (none)');
  const errors = Object.entries(r.errors);
  if (errors.length) {
    lines.push('', 'Error distribution:');
    for (const [e, n] of errors) lines.push(`  [${n}] ${e}`);
  }
  if (r.aborted) lines.push('', 'Stopped early (Ctrl-C).');
  return `${lines.join('\n')}\n`;
}

async function runInfoFor(io: Io): Promise<RunInfo | undefined> {
  try {
    return await readRunFile(resolve(io.cwd ?? process.cwd(), RUN_FILE));
  } catch {
    return undefined;
  }
}

export const loadCommand: CommandDef = {
  name: 'load',
  summary: 'Send bounded load to a loopback URL (like hey), or play a scenario\'s traffic live, and report latency and status codes',
  usage: '[URL] [-z DURATION] [-c N] [--rps N] [--audio FILE] [--token T] [--scenario FILE] [options]',
  options: [
    { name: 'duration', type: 'string', short: 'z', arg: 'DURATION', description: "how long to send: 30s, 5m (default 10s; a scenario's own length with --scenario)" },
    { name: 'concurrency', type: 'string', short: 'c', arg: 'N', default: '50', description: 'connections sending at once (closed loop)' },
    { name: 'rps', type: 'string', short: 'q', arg: 'N', description: 'cap on requests per second over all connections' },
    { name: 'audio', type: 'string', arg: 'FILE', description: 'audio file to POST (default: a generated WAV for /v1/listen)' },
    { name: 'audio-seconds', type: 'string', arg: 'S', default: String(DEFAULT_AUDIO_SECONDS), description: 'length of the generated WAV' },
    { name: 'method', type: 'string', short: 'm', arg: 'METHOD', description: 'HTTP method (default: POST with audio for /v1/listen, else GET)' },
    { name: 'token', type: 'string', arg: 'T', description: "license key (default: $LICENSE_KEY, else the running stack's from .hpa-lab/run.json)" },
    { name: 'scenario', type: 'string', arg: 'FILE', description: "play this scenario's traffic (requests/s over time) live, open loop" },
    { name: 'time-scale', type: 'string', arg: 'X', default: '1', description: 'with --scenario: traffic seconds per real second (10 plays 40 min in 4 min)' },
    { name: 'rate-scale', type: 'string', arg: 'X', default: '1', description: "with --scenario: multiply the scenario's request rates (0.5 halves them, for a small machine)" },
    { name: 'max-in-flight', type: 'string', arg: 'N', default: '1000', description: 'with --scenario: arrivals beyond this many in flight are not sent (counted)' },
    { name: 'timeout', type: 'string', arg: 'S', default: '30s', description: 'per-request timeout' },
    { name: 'json', type: 'boolean', description: 'print the result as JSON instead of the report' },
    { name: 'quiet', type: 'boolean', description: 'no progress lines' },
  ],
  examples: [
    'hpa-lab load http://127.0.0.1:7100/v1/listen -z 5m -c 50',
    'hpa-lab load http://127.0.0.1:7100/health -z 30s -c 10',
    'hpa-lab load --scenario examples/scenarios/traffic-spike.yaml --time-scale 5 --rate-scale 0.5',
  ],
  async run({ positionals, values }, io) {
    const [urlArg, ...extra] = positionals;
    if (extra.length) throw new UsageError(`unexpected arguments: ${extra.join(' ')}`);
    const run = await runInfoFor(io);
    const url = urlArg ?? (run ? `${run.apiUrl}/v1/listen` : undefined);
    if (url === undefined) throw new UsageError("missing URL: give one (http://127.0.0.1:7100/v1/listen) or start a stack here with 'hpa-lab up'");
    const parsed = parseLoopbackUrl(url);
    const sameStack = run !== undefined && new URL(run.apiUrl).origin === parsed.origin;
    const token = (values['token'] as string | undefined) ?? process.env['LICENSE_KEY'] ?? (sameStack ? run.token : undefined);
    const concurrency = parseIntFlag(String(values['concurrency']), 'concurrency', 1, 10_000);
    const rps = values['rps'] === undefined ? undefined : Number(values['rps']);
    if (rps !== undefined && !(rps > 0 && rps <= 100_000)) throw new UsageError(`'--rps' must be a number > 0 and <= 100000: got '${String(values['rps'])}'`);
    const timeoutMs = Math.round(1000 * parseDurationFlag(String(values['timeout']), 'timeout'));
    const isListen = parsed.pathname === '/v1/listen';
    let audio: Uint8Array | undefined;
    if (values['audio'] !== undefined) {
      const path = resolve(io.cwd ?? process.cwd(), String(values['audio']));
      try {
        audio = await readFile(path);
      } catch (error) {
        throw new InputError('unreadable', path, '', `cannot read the audio file: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
      }
    } else if (isListen) {
      audio = makeWav(parseDurationFlag(String(values['audio-seconds']), 'audio-seconds'));
    }
    const method = (values['method'] as string | undefined)?.toUpperCase() ?? (audio ? 'POST' : 'GET');
    const request = { url, method, requestTimeoutMs: timeoutMs, ...(token === undefined ? {} : { token }), ...(audio && method !== 'GET' ? { audio } : {}) };

    const controller = new AbortController();
    const onSignal = (): void => controller.abort(new Error('interrupted'));
    process.once('SIGINT', onSignal);
    const quiet = values['quiet'] === true || values['json'] === true;
    const progressLine = (p: LoadProgress, extraText = ''): void => {
      if (!quiet) io.stderr.write(`  ${(p.elapsedMs / 1000).toFixed(0).padStart(5)}s  ${String(p.requests).padStart(7)} done  ${String(p.ok).padStart(7)} ok  ${String(p.errors).padStart(4)} errors  ${String(p.inFlight).padStart(5)} in flight  ${p.recentRps.toFixed(1).padStart(7)} req/s${extraText}\n`);
    };
    let result: LoadResult | PlayTrafficResult;
    try {
      if (values['scenario'] !== undefined) {
        const file = resolve(io.cwd ?? process.cwd(), String(values['scenario']));
        const loaded = await loadScenarioFile(file);
        const traffic = createTraffic(loaded.scenario.traffic, loaded.scenario.trafficPoints ? { points: loaded.scenario.trafficPoints } : {});
        const timeScale = Number(values['time-scale']);
        if (!(timeScale > 0) || !Number.isFinite(timeScale)) throw new UsageError(`'--time-scale' must be a number > 0: got '${String(values['time-scale'])}'`);
        const durationMs =
          values['duration'] === undefined ? Math.ceil((loaded.scenario.durationSeconds / timeScale) * 1000) : Math.round(1000 * parseDurationFlag(String(values['duration']), 'duration'));
        const rateScale = Number(values['rate-scale']);
        if (!(rateScale > 0) || !Number.isFinite(rateScale)) throw new UsageError(`'--rate-scale' must be a number > 0: got '${String(values['rate-scale'])}'`);
        const rate = (t: number): number => rateScale * (traffic.meanRpsAt?.(t) ?? traffic.rpsAt(t));
        if (!quiet) io.stderr.write(`Playing ${loaded.scenario.name} (${loaded.scenario.durationSeconds} s of traffic) at ×${timeScale} time, ×${rateScale} rate, for ${durationMs / 1000} s against ${url}\n`);
        result = await playTraffic({
          ...request,
          rpsAt: rate,
          durationMs,
          timeScale,
          maxInFlight: parseIntFlag(String(values['max-in-flight']), 'max-in-flight', 1, 100_000),
          signal: controller.signal,
          onProgress: (p) => progressLine(p, `   target ${rate((p.elapsedMs / 1000) * timeScale).toFixed(1)} req/s (traffic t=${Math.round((p.elapsedMs / 1000) * timeScale)} s)`),
        });
      } else {
        const durationMs = Math.round(1000 * parseDurationFlag(String(values['duration'] ?? '10s'), 'duration'));
        if (!quiet) io.stderr.write(`Sending to ${url} for ${durationMs / 1000} s with ${concurrency} connections${rps ? `, at most ${rps} req/s` : ''}\n`);
        result = await runLoad({ ...request, durationMs, concurrency, ...(rps === undefined ? {} : { rps }), signal: controller.signal, onProgress: (p) => progressLine(p) });
      }
    } finally {
      process.off('SIGINT', onSignal);
    }
    if (values['json']) io.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    else io.stdout.write(`\n${formatLoadReport(result)}`);
    return result.requests > 0 && result.ok === 0 ? 1 : 0;
  },
};
