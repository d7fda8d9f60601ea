/**
 * One worker process: spawned in its own process group, its stdout read as JSON lines
 * (`{"event":"listening","port":...}`), the tail of its stderr kept for the crash message.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { forgetPid, recordPid } from './pid-file.js';
import { workerNodeArgs } from './worker-entry.js';

/** How a worker process ended. */
export interface WorkerExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  /** Set when the process could not be started at all. */
  readonly error?: Error | undefined;
}

/** Input of {@link spawnWorkerProcess}. */
export interface SpawnWorkerInput {
  /** `main.js` (run as is) or `main.ts` (run through tsx). */
  readonly entry: string;
  readonly args: readonly string[];
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Each stdout line that parses as a JSON object. */
  readonly onMessage: (message: Record<string, unknown>) => void;
  /** Called once, when the process exits or fails to start. */
  readonly onExit: (exit: WorkerExit) => void;
  /** Where its pid file goes (see `pid-file.ts`); none unless told. */
  readonly pidDir?: string | undefined;
  /** What it is, in its pid file: `worker lightning-asr-7xk2p`. */
  readonly what?: string;
}

/** A started worker process. */
export interface WorkerProcess {
  readonly child: ChildProcess;
  /** Resolves when the process has exited (or failed to start). */
  readonly exited: Promise<void>;
  /** The last 2,000 characters of its stderr (plus notes the pool appends). */
  stderrTail: string;
}

const STDERR_TAIL_CHARS = 2_000;

/**
 * Starts `node [--import tsx] entry ...args` detached (its own process group, so a terminal's
 * Ctrl-C reaches only the parent, which stops the workers in order), with an IPC channel as its
 * lifeline: the worker stops when the channel closes, which happens however this process dies
 * (SIGKILL included). With `pidDir`, its pid file is written at once and removed when it exits.
 *
 * @example
 * const w = spawnWorkerProcess({ entry: WORKER_ENTRY, args: ['--port', '0'], onMessage: console.log, onExit: () => {} });
 * await w.exited;
 */
export function spawnWorkerProcess(input: SpawnWorkerInput): WorkerProcess {
  const child = spawn(process.execPath, [...workerNodeArgs(input.entry), input.entry, ...input.args], {
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    detached: true,
    env: { ...process.env, ...input.env },
  });
  child.channel?.unref(); // the lifeline alone does not keep this process alive
  const pidFile = child.pid === undefined || input.pidDir === undefined ? undefined : recordPid(input.pidDir, { pid: child.pid, what: input.what ?? 'worker' });
  let buffer = '';
  child.stdout?.setEncoding('utf8');
  child.stdout?.on('data', (chunk: string) => {
    buffer += chunk;
    let i: number;
    while ((i = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, i);
      buffer = buffer.slice(i + 1);
      let message: unknown;
      try {
        message = JSON.parse(line);
      } catch {
        continue;
      }
      if (typeof message === 'object' && message !== null && !Array.isArray(message)) input.onMessage(message as Record<string, unknown>);
    }
  });
  const proc: WorkerProcess = {
    child,
    stderrTail: '',
    exited: new Promise<void>((resolve) => {
      let done = false;
      const finish = (exit: WorkerExit): void => {
        if (done) return;
        done = true;
        forgetPid(pidFile);
        resolve();
        input.onExit(exit);
      };
      child.once('exit', (code, signal) => finish({ code, signal }));
      child.once('error', (error) => finish({ code: null, signal: null, error }));
    }),
  };
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    proc.stderrTail = (proc.stderrTail + chunk).slice(-STDERR_TAIL_CHARS);
  });
  return proc;
}

/** True while the process has neither exited nor been killed by a signal. */
export function isRunning(child: ChildProcess): boolean {
  return child.exitCode === null && child.signalCode === null;
}
