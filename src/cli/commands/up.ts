/**
 * `hpa-lab up`: the seeds' stack, live on this machine. Starts the API server on 127.0.0.1,
 * ASR-like worker processes behind it and the HPA controller scaling them, prints the token and
 * URLs, then a `kubectl get hpa -w` line per change, until Ctrl-C or SIGTERM, which stops
 * everything in order (in-flight requests are answered first).
 */
import { randomBytes } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ClusterEvent } from '../../cluster/index.js';
import type { HpaView, SyncResult } from '../../controller/index.js';
import { findExecutable } from '../../metrics/prometheus/index.js';
import { loadHpaFile } from '../../input/files/index.js';
import { prometheusDurationSeconds, InputError } from '../../core/index.js';
import {
  API_SERVER_DEPLOYMENT,
  apiServerNote,
  FAST_SETTINGS,
  formatWatchHeader,
  formatWatchRow,
  prometheusDuration,
  removeRunFile,
  RUN_FILE,
  STACK_RELIST_INTERVAL_MS,
  startStack,
  STATE_FILE,
  type Stack,
  type StackOptions,
  workerDeploymentOf,
  writeRunFile,
} from '../../stack/index.js';
import { systemClock } from '../../platform/index.js';
import { checkAudioSourcePolicy } from '../../workload/index.js';
import { UsageError, type CommandDef } from '../command.js';
import { versionConfigFromFlags, VERSION_OPTIONS } from '../version-flags.js';
import { DEFAULT_KUBE_API_PORT, writeKubeconfig } from '../../kube/index.js';

/** Where `up` writes the kubeconfig of its Kubernetes API. */
export const KUBECONFIG_FILE = '.hpa-lab/kubeconfig';
import type { Io } from '../io.js';

/** The seeds' Helm values, used when `up` gets no file. */
export const DEFAULT_VALUES_FILE = fileURLToPath(new URL('../../../examples/lightning-asr/values.yaml', import.meta.url));

/**
 * Seconds in a duration flag: `15`, `15s`, `1m30s`, `500ms`.
 *
 * @throws {UsageError} when it is not a duration > 0
 * @example parseDurationFlag('1m', 'sync-period') // -> 60
 */
export function parseDurationFlag(text: string, flag: string): number {
  const seconds = /^\d+(\.\d+)?$/.test(text) ? Number(text) : prometheusDurationSeconds(text);
  // At most a day: Node timers fire at once past 2^31 ms (24.8 days), which would spin.
  if (seconds === undefined || !(seconds > 0) || seconds > 86_400) throw new UsageError(`'--${flag}' must be a duration > 0 and <= 1d such as 15, 15s, 1m30s or 500ms: got '${text}'`);
  return seconds;
}

/**
 * An integer flag in a range.
 *
 * @throws {UsageError} when it is not an integer in [min, max]
 */
export function parseIntFlag(text: string, flag: string, min: number, max: number): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < min || n > max) throw new UsageError(`'--${flag}' must be an integer from ${min} to ${max}: got '${text}'`);
  return n;
}

/** Resolves with the signal name on the first SIGINT or SIGTERM; `onAgain` runs on any later one. */
function untilSignal(onAgain: (signal: string) => void): Promise<string> {
  return new Promise((done) => {
    let first = true;
    const handler = (signal: NodeJS.Signals): void => {
      if (first) {
        first = false;
        done(signal);
      } else onAgain(signal);
    };
    process.on('SIGINT', handler);
    process.on('SIGTERM', handler);
  });
}

const stamp = (startMs: number): string => `+${Math.max(0, Math.round((systemClock.now() - startMs) / 1000))}s`.padStart(6);

export const upCommand: CommandDef = {
  name: 'up',
  summary: "Run the seeds' stack on this machine: API server, ASR-like worker processes and the HPA controller scaling them",
  usage: '[values.yaml|hpa.yaml] [--fast] [--prometheus|--no-prometheus] [--sync-period S] [--token T] [--port N] [--api-port N] [--state FILE] [options]',
  options: [
    { name: 'fast', type: 'boolean', description: 'scrape and sync every second (a load step reaches a decision in ≤ 2 s) instead of every 15 s' },
    { name: 'sync-period', type: 'string', arg: 'S', description: 'controller sync period (default 15s, 1s with --fast)' },
    { name: 'scrape-interval', type: 'string', arg: 'S', description: "scrape interval (built-in scraper: default 15s; Prometheus: the values' scrapeInterval, else 30s; 1s with --fast)" },
    {
      name: 'prometheus',
      type: 'boolean',
      description: "read metrics as the HPA does in Kubernetes: a real Prometheus (config, rules and data under .hpa-lab/prometheus) and the adapter's custom/external metrics API (default when 'prometheus' is on PATH)",
    },
    { name: 'no-prometheus', type: 'boolean', description: 'use the built-in scraper even when Prometheus is installed' },
    { name: 'token', type: 'string', arg: 'T', description: 'license key clients send as Authorization: Token T (default: $LICENSE_KEY, else a random one)' },
    { name: 'port', type: 'string', short: 'p', arg: 'N', default: '7100', description: 'API server port on 127.0.0.1 (0: any free port)' },
    { name: 'api-port', type: 'string', arg: 'N', default: String(DEFAULT_KUBE_API_PORT), description: `Kubernetes API port on 127.0.0.1 (0: any free port); kubectl reads ${KUBECONFIG_FILE}` },
    { name: 'state', type: 'string', arg: 'FILE', default: STATE_FILE, description: 'controller state file, loaded at start and saved after every decision' },
    { name: 'rtf', type: 'string', arg: 'X', default: '0.1', description: "workers' real-time factor: seconds of work per second of audio" },
    { name: 'max-concurrency', type: 'string', arg: 'N', default: '4', description: 'requests a worker serves at once (the rest queue)' },
    { name: 'model-load', type: 'string', arg: 'S', default: '2s', description: "time a worker's model takes to load (asr_model_load_time_seconds)" },
    { name: 'grace', type: 'string', arg: 'S', default: '30s', description: 'on stop, time given to in-flight requests' },
    { name: 'audio-dir', type: 'string', arg: 'DIR', description: 'let JSON {"url"} requests name regular files under DIR (default: none)' },
    {
      name: 'audio-origin',
      type: 'string',
      arg: 'URL',
      description: `let JSON {"url"} requests name URLs under this http URL on 127.0.0.1/localhost/::1 (default: the stack's own samples, http://127.0.0.1:PORT/samples/)`,
    },
    ...VERSION_OPTIONS,
  ],
  examples: [
    'hpa-lab up --fast',
    'hpa-lab up --prometheus --fast',
    'hpa-lab up examples/lightning-asr/hpa.yaml --fast --token secret',
    'hpa-lab up examples/lightning-asr/values.yaml --sync-period 15s --port 7100',
  ],
  async run({ positionals, values }, io) {
    const [fileArg, ...extra] = positionals;
    if (extra.length) throw new UsageError(`unexpected arguments: ${extra.join(' ')}`);
    const cwd = io.cwd ?? process.cwd();
    const file = fileArg === undefined ? DEFAULT_VALUES_FILE : resolve(cwd, fileArg);
    const fast = values['fast'] === true;
    const wantPrometheus = values['prometheus'] === true;
    const noPrometheus = values['no-prometheus'] === true;
    if (wantPrometheus && noPrometheus) throw new UsageError("'--prometheus' and '--no-prometheus' exclude each other");
    const syncPeriodMs = 1000 * (values['sync-period'] === undefined ? (fast ? FAST_SETTINGS.syncPeriodMs / 1000 : 15) : parseDurationFlag(String(values['sync-period']), 'sync-period'));
    const scrapeIntervalMs =
      1000 * (values['scrape-interval'] === undefined ? (fast ? FAST_SETTINGS.scrapeIntervalMs / 1000 : 15) : parseDurationFlag(String(values['scrape-interval']), 'scrape-interval'));
    const port = parseIntFlag(String(values['port']), 'port', 0, 65_535);
    const apiPort = parseIntFlag(String(values['api-port']), 'api-port', 0, 65_535);
    const rtf = Number(values['rtf']);
    if (!(rtf >= 0) || !Number.isFinite(rtf)) throw new UsageError(`'--rtf' must be a number >= 0: got '${String(values['rtf'])}'`);
    const maxConcurrency = parseIntFlag(String(values['max-concurrency']), 'max-concurrency', 1, 10_000);
    const modelLoadMs = Math.round(1000 * (String(values['model-load']) === '0' ? 0 : parseDurationFlag(String(values['model-load']), 'model-load')));
    const graceMs = Math.round(1000 * parseDurationFlag(String(values['grace']), 'grace'));
    const statePath = resolve(cwd, String(values['state']));
    const audioDir = values['audio-dir'] === undefined ? undefined : resolve(cwd, String(values['audio-dir']));
    if (audioDir !== undefined) {
      const isDir = await stat(audioDir).then((st) => st.isDirectory(), () => false);
      if (!isDir) throw new UsageError(`'--audio-dir' must name a directory: got '${String(values['audio-dir'])}'`);
    }
    const audioOrigin = values['audio-origin'] === undefined ? undefined : String(values['audio-origin']);
    if (audioOrigin !== undefined) {
      try {
        checkAudioSourcePolicy({ audioOrigin });
      } catch (error) {
        throw new UsageError(`'--audio-origin' ${(error as Error).message.replace("Cannot use 'audioOrigin' as it ", '')}`);
      }
    }
    const versionConfig = versionConfigFromFlags(values);
    const token = (values['token'] as string | undefined) ?? process.env['LICENSE_KEY'] ?? randomBytes(12).toString('hex');
    if (!/^[\x21-\x7e]{1,256}$/.test(token)) {
      const from = values['token'] === undefined ? '$LICENSE_KEY' : "'--token'";
      throw new UsageError(`${from} must be 1 to 256 visible ASCII characters without spaces (clients send it as 'Authorization: Token T'): got ${JSON.stringify(token)}`);
    }

    const loaded = await loadHpaFile(file);
    const workerName = workerDeploymentOf(loaded.hpas, file);
    const workerArgs = ['--rtf', String(rtf), '--max-concurrency', String(maxConcurrency), '--model-load-ms', String(modelLoadMs), '--grace-ms', String(graceMs)];
    const startMs = systemClock.now();
    const out = (line: string): void => void io.stdout.write(`${line}\n`);
    const lastKey = new Map<string, string>();
    const printedEvents = new Map<string, number>();
    let headerPrinted = false;
    let bannerDone = false;
    const printSync = (view: HpaView, nowMs: number, events: SyncResult['decision']['events']): void => {
      if (!headerPrinted) {
        out(formatWatchHeader());
        headerPrinted = true;
      }
      const row = formatWatchRow(view, nowMs);
      if (lastKey.get(view.name) !== row.key) {
        lastKey.set(view.name, row.key);
        out(row.line);
      }
      for (const e of events) {
        // A repeated event (FailedGetPodsMetric while workers start) is shown once a minute.
        const key = `${view.name}\t${e.reason}\t${e.message}`;
        const last = printedEvents.get(key);
        if (last !== undefined && nowMs - last < 60_000) continue;
        printedEvents.set(key, nowMs);
        out(`  ${stamp(startMs)} ${e.type.padEnd(7)} ${e.reason.padEnd(28)} hpa/${view.name}: ${e.message}`);
      }
    };
    const onClusterEvent = (e: ClusterEvent): void => {
      if (headerPrinted) out(`  ${stamp(startMs)} ${e.type.padEnd(7)} ${e.reason.padEnd(28)} ${e.object}: ${e.message}`);
    };

    // The metrics pipeline: Prometheus and the adapter when installed (or asked for), else the built-in scraper.
    const prometheusBinary = noPrometheus ? undefined : findExecutable('prometheus');
    if (wantPrometheus && prometheusBinary === undefined) {
      throw new Error("Cannot start Prometheus as 'prometheus' is not on PATH: install it (apt-get install -y prometheus), or drop '--prometheus' to use the built-in scraper");
    }
    const prometheus: StackOptions['prometheus'] =
      prometheusBinary === undefined
        ? undefined
        : {
            runDir: resolve(cwd, dirname(RUN_FILE)),
            binary: prometheusBinary,
            ...(loaded.prometheus ? { settings: loaded.prometheus } : {}),
            valuesFile: file,
            ...(loaded.prometheus?.adapterRules === undefined ? {} : { adapterConfig: { text: await readFile(file, 'utf8'), file } }),
            ...(values['scrape-interval'] !== undefined ? { scrapeInterval: prometheusDuration(scrapeIntervalMs) } : fast ? { scrapeInterval: '1s' } : {}),
            ...(fast ? { evaluationInterval: '1s' } : {}),
            relistIntervalMs: fast ? 1_000 : STACK_RELIST_INTERVAL_MS,
            restartDelayMs: fast ? 2_000 : 10_000,
            log: (line) => void io.stderr.write(`hpa-lab up: ${line}\n`),
          };
    let builtInReason = noPrometheus ? '--no-prometheus' : "'prometheus' is not on PATH (apt-get install -y prometheus for the Kubernetes chain)";

    for (const w of loaded.warnings) io.stderr.write(`warning: ${w}\n`);
    const stackOptions: StackOptions = {
      hpas: loaded.hpas,
      token,
      port,
      kubeApi: { port: apiPort },
      syncPeriodMs,
      scrapeIntervalMs,
      ...(fast ? { healthIntervalMs: FAST_SETTINGS.healthIntervalMs } : {}),
      statePath,
      workerArgs,
      runDir: resolve(cwd, dirname(RUN_FILE)),
      ...(audioDir === undefined ? {} : { audioDir }),
      ...(audioOrigin === undefined ? {} : { audioOrigin }),
      ...(Object.keys(versionConfig).length > 0 ? { config: versionConfig } : {}),
      onClusterEvent,
      // The banner goes first; syncs that happen before it are shown from the next one.
      onSync: (r) => {
        if (bannerDone) printSync(r.view, r.nowMs, r.decision.events);
      },
    };
    let stack: Stack;
    try {
      stack = await startStack(prometheus ? { ...stackOptions, prometheus } : stackOptions);
    } catch (error) {
      // Found on PATH but failing: fall back to the built-in scraper, unless asked for or misconfigured.
      if (!prometheus || wantPrometheus || error instanceof InputError) throw error;
      builtInReason = `Prometheus did not start: ${(error as Error).message}`;
      io.stderr.write(`hpa-lab up: ${builtInReason}; using the built-in scraper ('--prometheus' makes this an error)\n`);
      stack = await startStack(stackOptions);
    }
    const runFile = resolve(cwd, RUN_FILE);
    await writeRunFile(runFile, { kind: 'hpa-lab/run', pid: process.pid, startedMs: stack.startedMs, statusUrl: stack.statusUrl, apiUrl: stack.api.url, token });
    const hasApiHpa = loaded.hpas.some((h) => h.spec.scaleTargetRef.name === API_SERVER_DEPLOYMENT);
    const kubeconfig = resolve(cwd, KUBECONFIG_FILE);
    if (stack.kube) await writeKubeconfig(kubeconfig, { server: stack.kube.url, token, namespace: stack.kube.world.namespace });
    printBanner(io, {
      kube: stack.kube ? { url: stack.kube.url, kubeconfig } : undefined,
      file: fileArg ?? `${DEFAULT_VALUES_FILE} (the seeds' values)`,
      apiUrl: stack.api.url,
      token,
      statusUrl: stack.statusUrl,
      syncSeconds: syncPeriodMs / 1000,
      metrics: metricsBanner(stack, cwd, builtInReason),
      statePath,
      workerName,
      workerArgs,
      replicas: (await stack.pool.getScale()).specReplicas,
      hasApiHpa,
      apiPort: stack.api.port,
      sampleUrl: stack.sampleAudioUrl,
      audio: audioBanner(stack.sampleAudioUrl, audioOrigin, audioDir),
    });
    for (const p of stack.reaped) io.stderr.write(`hpa-lab up: killed ${p.what} (pid ${p.pid}) left running by a previous stack (pid ${p.ownerPid})\n`);
    for (const [name, replicas] of Object.entries(stack.restoredReplicas)) {
      out(`  restored     ${name}: ${replicas} replica(s) from ${statePath} (the HPA's window and policies apply from there)`);
    }
    bannerDone = true;
    // A restored HPA's past events stay in 'describe'; here only what happens from now on is shown.
    for (const v of stack.controller.views()) {
      const fresh = v.events.filter((e) => e.lastMs >= stack.startedMs);
      printSync(v, systemClock.now(), fresh.map((e) => ({ type: e.type, reason: e.reason, message: e.message })));
    }

    const signal = await untilSignal(() => {
      io.stderr.write('hpa-lab up: stopping at once (workers are killed)\n');
      process.exit(130); // the pool's exit hook kills the workers
    });
    io.stderr.write(`hpa-lab up: ${signal}: stopping (in-flight requests are answered first, up to ${graceMs / 1000} s; again to force)\n`);
    await stack.stop({ graceMs });
    await removeRunFile(runFile, process.pid);
    io.stderr.write('hpa-lab up: stopped\n');
    return 0;
  },
};

/** The banner's `{"url"}` line: what the workers may read. */
function audioBanner(sampleUrl: string, audioOrigin: string | undefined, audioDir: string | undefined): string {
  const origin = audioOrigin === undefined ? `URLs under ${sampleUrl.slice(0, sampleUrl.lastIndexOf('/') + 1)} (the stack's samples)` : `URLs under ${audioOrigin}`;
  return `${origin}${audioDir === undefined ? '' : ` and files under ${audioDir}`}; any other URL or path is refused (400)`;
}

/** The banner's metrics line: which pipeline the controller reads through. */
function metricsBanner(stack: Stack, cwd: string, builtInReason: string): string {
  const chain = stack.prometheus;
  if (!chain) {
    const every = stack.scraper.intervalMs / 1000;
    const phase = stack.controller.syncPeriodMs === stack.scraper.intervalMs ? ', each sync 200 ms after a scrape' : '';
    return `built-in scraper every ${every} s${phase} (${builtInReason})`;
  }
  const shown = (path: string): string => {
    const rel = relative(cwd, path);
    return rel.startsWith('..') || rel === '' ? path : rel;
  };
  return [
    `Prometheus ${chain.prometheus.url} (scrape every ${chain.scrapeIntervalMs / 1000} s, rules every ${chain.evaluationIntervalMs / 1000} s; config, rules and data in ${shown(chain.prometheus.dir)})`,
    `               → adapter ${chain.adapter.url} (relist every ${chain.relistIntervalMs / 1000} s, rules ${shown(chain.adapterConfigFile)}) → HPA (custom.metrics.k8s.io, external.metrics.k8s.io)`,
    `               kube_deployment_status_replicas from ${chain.exporter.url}`,
  ].join('\n');
}

function printBanner(
  io: Io,
  b: {
    file: string;
    apiUrl: string;
    token: string;
    statusUrl: string;
    syncSeconds: number;
    /** Which metrics pipeline the controller reads through. */
    metrics: string;
    statePath: string;
    workerName: string;
    workerArgs: readonly string[];
    replicas: number;
    hasApiHpa: boolean;
    kube: { url: string; kubeconfig: string } | undefined;
    apiPort: number;
    sampleUrl: string;
    audio: string;
  },
): void {
  const lines = [
    `hpa-lab up: ${b.file}`,
    `  API server   ${b.apiUrl}/v1/listen   (POST audio; Authorization: Token ${b.token})`,
    `  token        ${b.token}`,
    `  status       ${b.statusUrl}   (hpa-lab status, hpa-lab describe ${b.workerName})`,
    `  controller   sync every ${b.syncSeconds} s, state ${b.statePath}`,
    `  metrics      ${b.metrics}`,
    `  workers      ${b.workerName}: ${b.replicas} process(es), ${b.workerArgs.join(' ')}`,
    ...(b.hasApiHpa ? [`  api-server   replicas ${apiServerNote(b.apiPort)}`] : []),
    `  {"url"}      ${b.audio}`,
    ...(b.kube ? [`  kubernetes   ${b.kube.url}   (kubectl get hpa; kubeconfig ${b.kube.kubeconfig})`] : []),
    `  load         hpa-lab load ${b.apiUrl}/v1/listen -z 2m -c 20   (or --scenario examples/scenarios/traffic-spike.yaml)`,
    `  seed loop    for i in {1..100}; do curl -s -X POST ${b.apiUrl}/v1/listen -H "Authorization: Token ${b.token}" -H "Content-Type: application/json" -d '{"url": "${b.sampleUrl}"}' & done`,
    '  Ctrl-C stops everything, answering in-flight requests first.',
    ...(b.kube ? ['', `export KUBECONFIG=${b.kube.kubeconfig}`] : []),
    '',
  ];
  io.stdout.write(`${lines.join('\n')}\n`);
}
