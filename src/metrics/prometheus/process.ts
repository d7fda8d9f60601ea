/**
 * Runs a real Prometheus server (Debian's `prometheus` package, 2.42) for the local stack: writes
 * its files into `<runDir>/prometheus/`, starts it on 127.0.0.1 (a free port unless told) with the
 * data directory `<runDir>/prometheus/data`, waits until `/-/ready` answers 200, and stops it on
 * `stop()` (and, as a last resort, when this process exits).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import type { HelmPrometheusSettings } from '../../input/index.js';
import { httpRequest } from '../../platform/index.js';
import { writeFileSd, type FileSdTarget } from './file-sd.js';
import { prometheusArgs, type StaticScrapeJob } from './prometheus-config.js';
import { buildStackFiles, STACK_FILES } from './stack-files.js';

/** Options of {@link startPrometheus}. */
export interface StartPrometheusOptions {
  /** The run folder; Prometheus' files and data go to `<runDir>/prometheus/`. */
  readonly runDir: string;
  /** The values' settings: intervals, retention, rules map. */
  readonly settings?: HelmPrometheusSettings;
  readonly valuesFile?: string;
  /** Override the values' scrape / evaluation intervals. */
  readonly scrapeInterval?: string;
  readonly evaluationInterval?: string;
  readonly staticJobs?: readonly StaticScrapeJob[];
  /** Workers to scrape from the start (see {@link PrometheusHandle.writeFileSd}). */
  readonly targets?: readonly FileSdTarget[];
  /** Port on 127.0.0.1; 0 (default) picks a free one. Pass the old port to restart in place. */
  readonly port?: number;
  /** The binary; default `prometheus` on PATH. */
  readonly binary?: string;
  /** How long to wait for `/-/ready`; default 30 s. */
  readonly readyTimeoutMs?: number;
  /** Receives Prometheus' log lines. */
  readonly log?: (line: string) => void;
  /**
   * Runs Prometheus through a wrapper (the local stack's lifeline supervisor): the command line
   * to spawn instead of `binary args`. The wrapper gets an IPC channel and its own process group
   * (killed as a group on SIGKILL); it must relay SIGTERM and SIGHUP.
   */
  readonly wrap?: (binary: string, args: readonly string[]) => { readonly command: string; readonly args: readonly string[] };
}

/** A running Prometheus. */
export interface PrometheusHandle {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  readonly port: number;
  readonly pid: number;
  /** `<runDir>/prometheus` */
  readonly dir: string;
  readonly dataDir: string;
  readonly configFile: string;
  readonly fileSdPath: string;
  /** Absolute paths of the rule files. */
  readonly ruleFiles: readonly string[];
  /** Rewrites the workers' file_sd file (Prometheus notices within seconds). */
  writeFileSd(targets: readonly FileSdTarget[]): Promise<void>;
  /** Re-reads the configuration and rule files (SIGHUP). */
  reload(): void;
  /** Stops the server (SIGTERM, SIGKILL after `timeoutMs`, default 10 s); `signal: 'SIGKILL'` kills at once. */
  stop(options?: { readonly signal?: 'SIGTERM' | 'SIGKILL'; readonly timeoutMs?: number }): Promise<void>;
  /** Resolves when the process exits. */
  readonly exited: Promise<{ readonly code: number | null; readonly signal: NodeJS.Signals | null }>;
}

const live = new Set<ChildProcess>();
/** Processes that lead their own group (wrapped): SIGKILL goes to the whole group. */
const groups = new WeakSet<ChildProcess>();

function kill(child: ChildProcess, signal: NodeJS.Signals): void {
  if (signal === 'SIGKILL' && groups.has(child) && child.pid !== undefined) {
    try {
      process.kill(-child.pid, signal);
      return;
    } catch {
      // the group is gone: fall through to the process
    }
  }
  child.kill(signal);
}
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const child of live) kill(child, 'SIGKILL');
  });
}

/**
 * A port on 127.0.0.1 that was free a moment ago.
 *
 * @example await freePort() // -> 41873
 */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Writes the stack's Prometheus files under `dir`; returns the rule files' absolute paths. */
async function writeFiles(dir: string, options: StartPrometheusOptions): Promise<string[]> {
  const files = buildStackFiles({
    ...(options.settings ? { settings: options.settings } : {}),
    ...(options.valuesFile === undefined ? {} : { valuesFile: options.valuesFile }),
    ...(options.scrapeInterval === undefined ? {} : { scrapeInterval: options.scrapeInterval }),
    ...(options.evaluationInterval === undefined ? {} : { evaluationInterval: options.evaluationInterval }),
    ...(options.staticJobs ? { staticJobs: options.staticJobs } : {}),
  });
  const rules: string[] = [];
  for (const f of files) {
    const path = join(dir, f.path);
    await mkdir(dirname(path), { recursive: true });
    if (f.path === STACK_FILES.targets) await writeFileSd(path, options.targets ?? []);
    else await writeFile(path, f.text);
    if (f.path.startsWith(`${STACK_FILES.rulesDir}/`)) rules.push(path);
  }
  return rules;
}

async function waitReady(url: string, child: ChildProcess, timeoutMs: number, tail: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`Prometheus exited before it was ready (code ${child.exitCode ?? child.signalCode}): ${tail()}`);
    }
    try {
      const res = await httpRequest(`${url}/-/ready`, { timeoutMs: 1_000 });
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    await delay(100);
  }
  throw new Error(`Prometheus at ${url} was not ready within ${timeoutMs} ms: ${tail()}`);
}

/**
 * Writes the files and starts Prometheus; resolves once it is ready.
 *
 * @throws {Error} when the binary is missing, exits early (bad config, port taken) or is not ready in time
 * @example
 * const prom = await startPrometheus({ runDir: '/tmp/run1', scrapeInterval: '1s' });
 * await prom.writeFileSd([{ address: '127.0.0.1:2269', pod: 'asr-0', namespace: 'default' }]);
 * await prom.stop();
 */
export async function startPrometheus(options: StartPrometheusOptions): Promise<PrometheusHandle> {
  const dir = join(options.runDir, 'prometheus');
  const dataDir = join(dir, 'data');
  await mkdir(dataDir, { recursive: true });
  const ruleFiles = await writeFiles(dir, options);
  const configFile = join(dir, STACK_FILES.config);
  const fileSdPath = join(dir, STACK_FILES.targets);
  let lastError: Error | undefined;
  // A free port can be taken between the check and Prometheus' bind: retry with another one.
  for (let attempt = 0; attempt < (options.port ? 1 : 3); attempt++) {
    const port = options.port || (await freePort());
    const url = `http://127.0.0.1:${port}`;
    const args = prometheusArgs({
      configFile,
      dataDir,
      listenAddress: `127.0.0.1:${port}`,
      ...(options.settings?.retention === undefined ? {} : { retention: options.settings.retention }),
      ...(options.settings?.retentionSize === undefined ? {} : { retentionSize: options.settings.retentionSize }),
    });
    const binary = options.binary ?? 'prometheus';
    const wrapped = options.wrap?.(binary, args);
    const child = wrapped
      ? spawn(wrapped.command, wrapped.args, { stdio: ['ignore', 'ignore', 'pipe', 'ipc'], detached: true })
      : spawn(binary, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    // A wrapper tells the pid of the program it runs: that is Prometheus' pid.
    let pid = child.pid ?? -1;
    if (wrapped) {
      groups.add(child);
      child.on('message', (m: { event?: unknown; pid?: unknown }) => {
        if (m.event === 'spawned' && typeof m.pid === 'number') pid = m.pid;
      });
      child.channel?.unref();
    }
    const lines: string[] = [];
    let partial = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      partial += chunk.toString();
      let i: number;
      while ((i = partial.indexOf('\n')) >= 0) {
        const line = partial.slice(0, i);
        partial = partial.slice(i + 1);
        lines.push(line);
        if (lines.length > 200) lines.shift();
        options.log?.(line);
      }
    });
    const spawnError = new Promise<Error>((resolve) => child.once('error', resolve));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
      child.once('exit', (code, signal) => {
        live.delete(child);
        resolve({ code, signal });
      });
      void spawnError.then(() => {
        live.delete(child);
        resolve({ code: null, signal: null });
      });
    });
    live.add(child);
    installExitHook();
    // Prometheus logs its reason at level=error before a few lines of shutdown noise.
    const tail = (): string => {
      const errors = lines.filter((l) => l.includes('level=error'));
      return (errors.length > 0 ? errors.slice(-3) : lines.slice(-5)).join(' | ') || 'no output';
    };
    try {
      await Promise.race([
        waitReady(url, child, options.readyTimeoutMs ?? 30_000, tail),
        spawnError.then((e) => {
          throw new Error(`Cannot start Prometheus '${options.binary ?? 'prometheus'}': ${(e as NodeJS.ErrnoException).code ?? e.message}`, { cause: e });
        }),
      ]);
    } catch (error) {
      kill(child, 'SIGKILL');
      await Promise.race([exited, delay(2_000)]);
      lastError = error as Error;
      if (/address already in use/.test(lastError.message)) continue;
      throw lastError;
    }
    const stop = async (stopOptions: { readonly signal?: 'SIGTERM' | 'SIGKILL'; readonly timeoutMs?: number } = {}): Promise<void> => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      kill(child, stopOptions.signal ?? 'SIGTERM');
      const timedOut = await Promise.race([exited.then(() => false), delay(stopOptions.timeoutMs ?? 10_000).then(() => true)]);
      if (timedOut) {
        kill(child, 'SIGKILL');
        await exited;
      }
    };
    return {
      url,
      port,
      pid,
      dir,
      dataDir,
      configFile,
      fileSdPath,
      ruleFiles,
      writeFileSd: (targets) => writeFileSd(fileSdPath, targets),
      reload: () => {
        child.kill('SIGHUP');
      },
      stop,
      exited,
    };
  }
  throw lastError ?? new Error('Cannot start Prometheus');
}
