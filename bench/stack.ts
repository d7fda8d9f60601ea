/**
 * The local stack's speed (`npx tsx bench/stack.ts`): requests per second through the API server
 * to workers with zero service time, the latency it adds over calling a worker directly, the
 * same through nginx `least_conn` in front of the same workers (when nginx is installed), and
 * the reaction time from a load step to the scale decision in `--fast` mode. Load comes from
 * `hpa-lab load` in a separate process, so the generator does not share the API server's CPU.
 * Returns figures; prints only when run directly.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLocalProcessPool } from '../src/cluster/local-process-pool.js';
import type { HorizontalPodAutoscaler } from '../src/engine/index.js';
import { Hono } from 'hono';
import { Registry } from 'prom-client';
import { type AppHandler, serve, serveApp, systemClock, systemTimers, toFetchHandler } from '../src/platform/index.js';
import { FAST_SETTINGS, startStack } from '../src/stack/index.js';
import { startApiServer } from '../src/workload/api-server/api-server.js';
import { createApiServerApp } from '../src/workload/api-server/api-server-app.js';
import { createWorkerApp } from '../src/workload/worker/worker-app.js';
import { makeWav } from '../src/workload/audio/make-wav.js';
import { runLoad } from '../src/workload/load/run-load.js';

const BIN = fileURLToPath(new URL('../bin/hpa-lab.js', import.meta.url));
const TOKEN = 'bench';
const ZERO_SERVICE = ['--rtf', '0', '--overhead-ms', '0', '--model-load-ms', '0', '--max-concurrency', '10000', '--grace-ms', '2000'];

/** One path's figures. */
export interface PathFigures {
  readonly name: string;
  /** Requests per second at `concurrency` connections. */
  readonly throughputRps: number;
  /** Latency at one connection (sequential requests). */
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly failed: number;
}

export interface StackBenchResult {
  readonly workers: number;
  readonly concurrency: number;
  readonly durationMs: number;
  readonly paths: readonly PathFigures[];
  /** Why nginx was not measured, when it was not. */
  readonly nginxSkipped?: string;
  /** Milliseconds from a load step to the SuccessfulRescale decision, one per trial. */
  readonly reactionMs: readonly number[];
}

export interface StackBenchOptions {
  /** Length of each throughput and latency run; 5 s unless told. */
  readonly durationMs?: number;
  readonly concurrency?: number;
  readonly workers?: number;
  readonly reactionTrials?: number;
  readonly log?: (line: string) => void;
}

interface LoadJson {
  readonly throughputRps: number;
  readonly requests: number;
  readonly ok: number;
  readonly latency: { readonly p50Ms: number; readonly p99Ms: number };
}

/** Runs `hpa-lab load` in its own process and returns its JSON result. */
function loadInProcess(args: readonly string[]): Promise<LoadJson> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'load', ...args, '--json', '--quiet', '--token', TOKEN], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.once('exit', (code) => {
      try {
        resolve(JSON.parse(out) as LoadJson);
      } catch {
        reject(new Error(`hpa-lab load exited with ${code}: ${err}`));
      }
    });
  });
}

async function measurePath(name: string, url: string, audioFile: string, o: { durationMs: number; concurrency: number }): Promise<PathFigures> {
  const common = [url, '--audio', audioFile, '-m', 'POST'];
  await loadInProcess([...common, '-z', '1s', '-c', String(o.concurrency)]); // warm-up: connections, JIT
  const busy = await loadInProcess([...common, '-z', `${o.durationMs}ms`, '-c', String(o.concurrency)]);
  const single = await loadInProcess([...common, '-z', `${o.durationMs}ms`, '-c', '1']);
  return {
    name,
    throughputRps: busy.throughputRps,
    p50Ms: single.latency.p50Ms,
    p99Ms: single.latency.p99Ms,
    failed: busy.requests - busy.ok + (single.requests - single.ok),
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** The same app handler behind hono's router and @hono/node-server (web Request/Response per call). */
function onHono(handle: AppHandler): Hono {
  const fetchHandle = toFetchHandler(handle);
  const app = new Hono();
  app.all('*', (c) => fetchHandle(c.req.raw));
  return app;
}

/** Starts nginx in the foreground with a generated config (`least_conn` over `upstreams`); undefined + reason when absent. */
async function startNginx(upstreams: readonly string[]): Promise<{ url: string; stop(): Promise<void> } | { skipped: string }> {
  const which = spawnSync('nginx', ['-v']);
  if (which.error) return { skipped: `nginx is not installed (${(which.error as NodeJS.ErrnoException).code ?? which.error.message}): apt-get install -y nginx` };
  const dir = await mkdtemp(join(tmpdir(), 'hpa-lab-nginx-'));
  await mkdir(join(dir, 'logs'));
  const port = await freePort();
  const conf = join(dir, 'nginx.conf');
  await writeFile(
    conf,
    [
      ...(process.getuid?.() === 0 ? ['user root;'] : []),
      'worker_processes 1;', // one process, as the API server
      'daemon off;',
      `pid ${join(dir, 'nginx.pid')};`,
      `error_log ${join(dir, 'logs', 'error.log')} warn;`,
      'events { worker_connections 4096; }',
      'http {',
      '  access_log off;',
      `  client_body_temp_path ${join(dir, 'body')}; proxy_temp_path ${join(dir, 'proxy')};`,
      `  fastcgi_temp_path ${join(dir, 'fastcgi')}; uwsgi_temp_path ${join(dir, 'uwsgi')}; scgi_temp_path ${join(dir, 'scgi')};`,
      '  upstream workers {',
      '    least_conn;',
      ...upstreams.map((u) => `    server ${u.replace(/^http:\/\//, '')};`),
      '    keepalive 256;',
      '  }',
      '  server {',
      `    listen 127.0.0.1:${port};`,
      '    client_max_body_size 100m;',
      '    location /v1/listen {',
      '      proxy_pass http://workers/api/v1/lightning/get_text;',
      '      proxy_http_version 1.1;',
      '      proxy_set_header Connection "";',
      '    }',
      '  }',
      '}',
      '',
    ].join('\n'),
  );
  const child = spawn('nginx', ['-p', dir, '-c', conf, '-e', join(dir, 'logs', 'error.log')], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    const up = await fetch(`${url}/`).then(
      () => true,
      () => false,
    );
    if (up) break;
    if (child.exitCode !== null) return { skipped: `nginx did not start: ${stderr.trim()}` };
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    url,
    async stop() {
      spawnSync('nginx', ['-p', dir, '-c', conf, '-s', 'quit']);
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

const reactionHpa: HorizontalPodAutoscaler = {
  metadata: { name: 'lightning-asr' },
  spec: {
    scaleTargetRef: { kind: 'Deployment', name: 'lightning-asr' },
    minReplicas: 1,
    maxReplicas: 4,
    metrics: [{ type: 'Pods', pods: { metric: { name: 'asr_active_requests' }, target: { type: 'AverageValue', averageValue: '5' } } }],
    behavior: { scaleUp: { stabilizationWindowSeconds: 0 } },
  },
};

/** One trial: a stack in --fast mode at rest, then 20 long requests at once; time to the rescale. */
async function reactionTrial(delayMs: number): Promise<number> {
  let decidedMs: number | undefined;
  const stack = await startStack({
    hpas: [reactionHpa],
    token: TOKEN,
    port: 0,
    ...FAST_SETTINGS,
    workerArgs: ['--rtf', '10', '--overhead-ms', '0', '--model-load-ms', '0', '--grace-ms', '500'],
    onSync: (r) => {
      if (r.rescaled && decidedMs === undefined) decidedMs = r.nowMs;
    },
  });
  try {
    const deadline = Date.now() + 20_000;
    while (!(await stack.pool.listPods()).some((p) => p.ready?.status === 'True') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    await new Promise((r) => setTimeout(r, 1_500 + delayMs)); // at rest, at a random phase of the scrape and sync timers
    const stepMs = systemClock.now();
    const abort = new AbortController();
    const load = runLoad({ url: `${stack.api.url}/v1/listen`, token: TOKEN, audio: makeWav(1), durationMs: 10_000, concurrency: 20, signal: abort.signal });
    while (decidedMs === undefined && systemClock.now() - stepMs < 10_000) await new Promise((r) => setTimeout(r, 10));
    abort.abort();
    await load;
    if (decidedMs === undefined) throw new Error('no scale decision within 10 s of the load step');
    return decidedMs - stepMs;
  } finally {
    await stack.stop({ graceMs: 0 });
  }
}

/**
 * Measures the stack. Starts its own workers (zero service time), API server and, when present,
 * nginx; stops them all.
 *
 * @example const r = await benchStack({ durationMs: 5_000 }); r.paths[1].throughputRps // -> 4200
 */
export async function benchStack(options: StackBenchOptions = {}): Promise<StackBenchResult> {
  const durationMs = options.durationMs ?? 5_000;
  const concurrency = options.concurrency ?? 32;
  const workerCount = options.workers ?? 2;
  const trials = options.reactionTrials ?? 5;
  const log = options.log ?? (() => undefined);
  const dir = await mkdtemp(join(tmpdir(), 'hpa-lab-bench-'));
  const audioFile = join(dir, 'short.wav');
  await writeFile(audioFile, makeWav(0.1)); // 3.2 KB
  const api = await startApiServer({ port: 0, token: TOKEN });
  const pool = createLocalProcessPool({ clock: systemClock, timers: systemTimers, router: api.app.workers, initialReplicas: workerCount, workerArgs: ZERO_SERVICE, healthIntervalMs: 100 });
  const paths: PathFigures[] = [];
  let nginxSkipped: string | undefined;
  try {
    const deadline = Date.now() + 30_000;
    while (api.app.workers.routableCount() < workerCount && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    const workers = pool.workers().map((w) => w.url ?? '');
    log(`workers ready: ${workers.join(', ')}`);
    paths.push(await measurePath('direct to one worker', `${workers[0]}/api/v1/lightning/get_text`, audioFile, { durationMs, concurrency }));
    log(`measured ${paths.at(-1)?.name}`);
    paths.push(await measurePath(`API server → ${workerCount} workers`, `${api.url}/v1/listen`, audioFile, { durationMs, concurrency }));
    log(`measured ${paths.at(-1)?.name}`);
    // The HTTP layer of the hot paths, node:http (`serveApp`) against hono, in this run: the same
    // API-server app over the same workers, and the same worker app served in this process.
    const honoApi = createApiServerApp({ clock: systemClock, token: TOKEN, workers: api.app.workers, registry: new Registry(), defaultMetrics: false });
    const honoApiServer = await serve(onHono(honoApi.handle));
    try {
      paths.push(await measurePath(`API server on hono → ${workerCount} workers`, `${honoApiServer.url}/v1/listen`, audioFile, { durationMs, concurrency }));
      log(`measured ${paths.at(-1)?.name}`);
    } finally {
      await honoApi.shutdown({ graceMs: 1_000 });
      await honoApiServer.close();
    }
    const inProcessWorker = createWorkerApp({ clock: systemClock, rtf: 0, overheadMs: 0, modelLoadMs: 0, maxConcurrency: 10_000, registry: new Registry(), defaultMetrics: false });
    for (const [layer, start] of [
      ['node:http', () => serveApp(inProcessWorker.handle.bind(inProcessWorker))],
      ['hono', () => serve(onHono(inProcessWorker.handle.bind(inProcessWorker)))],
    ] as const) {
      const server = await start();
      try {
        paths.push(await measurePath(`in-process worker on ${layer}`, `${server.url}/api/v1/lightning/get_text`, audioFile, { durationMs, concurrency }));
        log(`measured ${paths.at(-1)?.name}`);
      } finally {
        await server.close();
      }
    }
    const nginx = await startNginx(workers);
    if ('skipped' in nginx) nginxSkipped = nginx.skipped;
    else {
      try {
        paths.push(await measurePath(`nginx least_conn → ${workerCount} workers`, `${nginx.url}/v1/listen`, audioFile, { durationMs, concurrency }));
        log(`measured ${paths.at(-1)?.name}`);
      } finally {
        await nginx.stop();
      }
    }
  } finally {
    await api.stop({ graceMs: 1_000 });
    await pool.close();
    await rm(dir, { recursive: true, force: true });
  }
  const reactionMs: number[] = [];
  for (let i = 0; i < trials; i++) {
    reactionMs.push(await reactionTrial((i * 1_000) / trials)); // spread over one timer period
    log(`reaction trial ${i + 1}: ${reactionMs.at(-1)} ms`);
  }
  return { workers: workerCount, concurrency, durationMs, paths, ...(nginxSkipped === undefined ? {} : { nginxSkipped }), reactionMs };
}

/** The figures as a table. */
export function formatStackBench(r: StackBenchResult): string {
  const direct = r.paths[0];
  const lines = [
    `## stack: ${r.workers} workers with zero service time, ${r.concurrency} connections for throughput, 1 for latency, ${r.durationMs / 1000} s each (load from a separate process)`,
    `${'path'.padEnd(34)} ${'req/s'.padStart(9)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)} ${'+p50'.padStart(7)} ${'+p99'.padStart(7)}  failed`,
  ];
  for (const p of r.paths) {
    const add = (a: number, b: number | undefined) => (p === direct || b === undefined ? '' : `${a - b >= 0 ? '+' : ''}${(a - b).toFixed(2)}`);
    lines.push(
      `${p.name.padEnd(34)} ${p.throughputRps.toFixed(0).padStart(9)} ${p.p50Ms.toFixed(2).padStart(8)} ${p.p99Ms.toFixed(2).padStart(8)} ${add(p.p50Ms, direct?.p50Ms).padStart(7)} ${add(p.p99Ms, direct?.p99Ms).padStart(7)}  ${p.failed}`,
    );
  }
  if (r.nginxSkipped) lines.push(`nginx skipped: ${r.nginxSkipped}`);
  const max = Math.max(...r.reactionMs);
  lines.push(
    '',
    '## reaction: load step (20 long requests on 1 worker, target 5) → scale decision, --fast (scrape every 1 s, sync 200 ms after each scrape)',
    `trials: ${r.reactionMs.map((m) => `${(m / 1000).toFixed(2)} s`).join(', ')}; max ${(max / 1000).toFixed(2)} s (target ≤ 2 s: ${max <= 2_000 ? 'met' : 'NOT met'})`,
  );
  return lines.join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const result = await benchStack({ log: (l) => console.error(`  ${l}`) });
  console.log(formatStackBench(result));
}
