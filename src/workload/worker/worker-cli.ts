import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { checkAudioSourcePolicy } from './audio-source.js';
import { DEFAULT_WORKER_OPTIONS } from './worker-app.js';
import { DEFAULT_GRACE_MS, DEFAULT_METRICS_PORT, type WorkerHandle, startWorker } from './worker-server.js';

/** Where the worker CLI writes: its JSON event lines on stdout, errors on stderr. */
export interface WorkerCliIo {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown };
}

export interface WorkerCliOptions {
  /**
   * Calls `onStop` when the process is asked to stop (SIGTERM or SIGINT unless told) and returns
   * a function that unsubscribes.
   */
  readonly onStopSignal?: (onStop: (signal: string) => void) => () => void;
  /** Called with the running worker (tests use it to reach the handle). */
  readonly onStarted?: (worker: WorkerHandle) => void;
  /** Where {@link WORKER_TOKEN_ENV} is read; `process.env` unless told. */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/**
 * The environment variable that holds the key `get_text` callers must send (`Authorization: Token
 * <key>`): an environment variable, not a flag, so other users cannot read it in `ps`.
 */
export const WORKER_TOKEN_ENV = 'HPA_LAB_WORKER_TOKEN';

/** The numeric options the flags set. */
type NumericKey =
  | 'port'
  | 'metricsPort'
  | 'graceMs'
  | 'rtf'
  | 'overheadMs'
  | 'maxConcurrency'
  | 'modelLoadMs'
  | 'gpuMemoryBaseBytes'
  | 'gpuMemoryPerRequestBytes'
  | 'maxBodyBytes';

interface NumberFlag {
  readonly name: string;
  readonly key: NumericKey;
  readonly fallback: number;
  readonly integer: boolean;
  readonly description: string;
}

const FLAGS: readonly NumberFlag[] = [
  { name: 'port', key: 'port', fallback: 0, integer: true, description: 'API port on 127.0.0.1 (0 = a free port)' },
  { name: 'metrics-port', key: 'metricsPort', fallback: DEFAULT_METRICS_PORT, integer: true, description: 'metrics port (0 = a free port)' },
  { name: 'rtf', key: 'rtf', fallback: DEFAULT_WORKER_OPTIONS.rtf, integer: false, description: 'real-time factor: seconds of work per second of audio' },
  { name: 'overhead-ms', key: 'overheadMs', fallback: DEFAULT_WORKER_OPTIONS.overheadMs, integer: false, description: 'fixed time added to every request' },
  { name: 'max-concurrency', key: 'maxConcurrency', fallback: DEFAULT_WORKER_OPTIONS.maxConcurrency, integer: true, description: 'requests served at once (the rest queue, FIFO)' },
  { name: 'model-load-ms', key: 'modelLoadMs', fallback: DEFAULT_WORKER_OPTIONS.modelLoadMs, integer: false, description: 'time before /health turns 200' },
  { name: 'gpu-memory-base-bytes', key: 'gpuMemoryBaseBytes', fallback: DEFAULT_WORKER_OPTIONS.gpuMemoryBaseBytes, integer: false, description: 'modelled GPU memory of the model' },
  { name: 'gpu-memory-per-request-bytes', key: 'gpuMemoryPerRequestBytes', fallback: DEFAULT_WORKER_OPTIONS.gpuMemoryPerRequestBytes, integer: false, description: 'modelled GPU memory per in-service request' },
  { name: 'max-body-bytes', key: 'maxBodyBytes', fallback: DEFAULT_WORKER_OPTIONS.maxBodyBytes, integer: true, description: 'largest audio body accepted' },
  { name: 'grace-ms', key: 'graceMs', fallback: DEFAULT_GRACE_MS, integer: false, description: 'on SIGTERM, time given to in-flight requests' },
];

/** `--help` text of the worker entry point. */
export function workerUsage(): string {
  return [
    'Usage: node --import tsx src/workload/worker/main.ts [options]',
    '',
    'An ASR-like worker (synthetic: it waits as a model would). Prints JSON event lines on stdout:',
    '{"event":"listening","port":..,"metricsPort":..,"pid":..}, then "ready" and, after SIGTERM, "stopped".',
    `$${WORKER_TOKEN_ENV} (required) is the key callers send as 'Authorization: Token <key>'.`,
    'JSON {"url"} requests are refused unless --audio-dir or --audio-origin allows them.',
    '',
    'Options:',
    ...FLAGS.map((f) => `  --${f.name.padEnd(30)} ${f.description} (default: ${f.fallback})`),
    `  --${'audio-dir DIR'.padEnd(30)} let {"url"} name regular files under DIR (absolute; default: none)`,
    `  --${'audio-origin URL'.padEnd(30)} let {"url"} name http URLs under URL on 127.0.0.1/localhost/::1 (default: none)`,
    '  --help                           show this text',
    '',
  ].join('\n');
}

/**
 * SIGTERM, SIGINT, and the lifeline: a worker spawned with an IPC channel (as the pool does)
 * stops when the channel closes, which happens however its parent dies (SIGKILL included).
 */
const defaultStopSignal = (onStop: (signal: string) => void): (() => void) => {
  const handler = (signal: NodeJS.Signals): void => onStop(signal);
  const lifeline = (): void => onStop('lifeline');
  process.on('SIGTERM', handler);
  process.on('SIGINT', handler);
  if (process.send !== undefined) {
    process.on('disconnect', lifeline);
    process.channel?.unref(); // the channel alone does not keep the worker alive
    if (!process.connected) queueMicrotask(lifeline); // the parent died while this worker was starting
  }
  return () => {
    process.off('SIGTERM', handler);
    process.off('SIGINT', handler);
    process.off('disconnect', lifeline);
  };
};

/**
 * The worker process: parses flags, starts the worker, prints
 * `{"event":"listening","port":..,"metricsPort":..,"pid":..}` as soon as both ports are bound
 * and `{"event":"ready",...}` once the model is loaded; on SIGTERM/SIGINT it stops gracefully
 * (new requests 503, in-flight ones finish within `--grace-ms`), prints `{"event":"stopped",...}`
 * and resolves with the exit code: 0 ok (or `--help`), 1 failed to start or requests were cut off,
 * 2 bad flags.
 *
 * @example
 * await runWorkerCli(['--port', '0', '--metrics-port', '0'], { stdout: process.stdout, stderr: process.stderr });
 */
export async function runWorkerCli(argv: readonly string[], io: WorkerCliIo, options: WorkerCliOptions = {}): Promise<number> {
  let values: Record<string, string | boolean | undefined>;
  try {
    values = parseArgs({
      args: [...argv],
      options: Object.fromEntries<{ type: 'string' | 'boolean' }>([
        ...FLAGS.map((f): [string, { type: 'string' }] => [f.name, { type: 'string' }]),
        ['audio-dir', { type: 'string' as const }],
        ['audio-origin', { type: 'string' as const }],
        ['help', { type: 'boolean' as const }],
      ]),
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (error) {
    io.stderr.write(`worker: ${error instanceof Error ? error.message : String(error)}\n\n${workerUsage()}`);
    return 2;
  }
  if (values['help'] === true) {
    io.stdout.write(workerUsage());
    return 0;
  }
  const numbers = {} as Record<NumericKey, number>;
  for (const f of FLAGS) {
    const raw = values[f.name];
    const value = typeof raw === 'string' ? Number(raw) : f.fallback;
    if (!Number.isFinite(value) || value < 0 || (f.integer && !Number.isInteger(value))) {
      io.stderr.write(`worker: option '--${f.name}' must be ${f.integer ? 'an integer' : 'a number'} >= 0: got '${String(raw)}'\n`);
      return 2;
    }
    numbers[f.key] = value;
  }
  const { graceMs, ...workerOptions } = numbers;
  if (workerOptions.maxConcurrency === 0) {
    io.stderr.write("worker: option '--max-concurrency' must be an integer >= 1: got '0'\n");
    return 2;
  }
  const token = (options.env ?? process.env)[WORKER_TOKEN_ENV];
  if (token === undefined || token === '') {
    io.stderr.write(`worker: $${WORKER_TOKEN_ENV} must hold the key callers send as 'Authorization: Token <key>': it is ${token === undefined ? 'not set' : 'empty'}\n`);
    return 2;
  }
  const audioDir = values['audio-dir'];
  const audioOrigin = values['audio-origin'];
  const policy = {
    ...(typeof audioDir === 'string' ? { audioDir: resolve(audioDir) } : {}),
    ...(typeof audioOrigin === 'string' ? { audioOrigin } : {}),
  };
  try {
    checkAudioSourcePolicy(policy);
  } catch (error) {
    io.stderr.write(`worker: option '--${typeof audioOrigin === 'string' && String((error as Error).message).includes('audioOrigin') ? 'audio-origin' : 'audio-dir'}': ${(error as Error).message}\n`);
    return 2;
  }
  let worker: WorkerHandle;
  try {
    worker = await startWorker({ ...workerOptions, ...policy, token });
  } catch (error) {
    io.stderr.write(`worker: cannot start: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
  const line = (event: Record<string, unknown>): void => {
    io.stdout.write(`${JSON.stringify(event)}\n`);
  };
  line({ event: 'listening', port: worker.port, metricsPort: worker.metricsPort, pid: process.pid });
  options.onStarted?.(worker);
  worker.app.ready.then(
    () => line({ event: 'ready', pid: process.pid }),
    () => undefined,
  );
  const signal = await new Promise<string>((resolve) => {
    const unsubscribe = (options.onStopSignal ?? defaultStopSignal)((s) => {
      unsubscribe();
      resolve(s);
    });
  });
  const result = await worker.stop({ graceMs });
  line({ event: 'stopped', signal, drained: result.drained, abandoned: result.abandoned, pid: process.pid });
  return result.drained ? 0 : 1;
}
