/**
 * A tiny supervisor that gives a non-Node program a lifeline (see `supervise-main.ts`), and the
 * command line that runs a program under it.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { forgetPid, recordPid } from './pid-file.js';
import { workerNodeArgs } from './worker-entry.js';

/** After the lifeline closes: SIGTERM, then SIGKILL this long after. */
export const CHILD_KILL_TIMEOUT_MS = 5_000;

/** The supervisor's entry next to this module (`.ts` from the sources, `.js` compiled). */
export const SUPERVISOR_ENTRY = fileURLToPath(new URL(`./supervise-main.${import.meta.url.endsWith('.ts') ? 'ts' : 'js'}`, import.meta.url));

/** A command line: what to spawn (with an IPC channel: `stdio[3] = 'ipc'`). */
export interface SupervisedCommand {
  readonly command: string;
  readonly args: readonly string[];
}

/**
 * The command that runs `binary args...` under the supervisor. Spawn it with an IPC channel
 * (`stdio: [..., 'ipc']`): its closing is the lifeline.
 *
 * @example
 * supervisedCommand('prometheus', ['--web.listen-address=127.0.0.1:9090'], { pidDir: '.hpa-lab/pids' });
 * // -> { command: '/usr/bin/node', args: ['.../supervise-main.js', '--pid-dir', '.hpa-lab/pids', '--', 'prometheus', ...] }
 */
export function supervisedCommand(binary: string, args: readonly string[], options: { readonly pidDir?: string | undefined } = {}): SupervisedCommand {
  return {
    command: process.execPath,
    args: [...workerNodeArgs(SUPERVISOR_ENTRY), SUPERVISOR_ENTRY, ...(options.pidDir === undefined ? [] : ['--pid-dir', options.pidDir]), '--', binary, ...args],
  };
}

const SIGNAL_NUMBERS: Readonly<Record<string, number>> = { SIGHUP: 1, SIGINT: 2, SIGKILL: 9, SIGTERM: 15 };

/**
 * The supervisor: runs the child (telling the stack its pid: `{event: 'spawned', pid}` on the
 * IPC channel), relays signals, ends it when the lifeline closes. Resolves with the exit code
 * (the child's, 127 when it cannot start, 2 for bad arguments); when the child was killed by a
 * signal, the supervisor kills itself with the same signal (unless `reraise: false`).
 */
export async function runSupervisor(argv: readonly string[], options: { readonly reraise?: boolean } = {}): Promise<number> {
  const sep = argv.indexOf('--');
  const own = sep < 0 ? [] : argv.slice(0, sep);
  const [binary, ...args] = sep < 0 ? [] : argv.slice(sep + 1);
  const pidDir = own[0] === '--pid-dir' ? own[1] : undefined;
  if (binary === undefined || (own.length > 0 && (pidDir === undefined || own.length !== 2))) {
    process.stderr.write('supervise: usage: supervise-main [--pid-dir DIR] -- BINARY [ARGS...]\n');
    return 2;
  }
  // Handlers first: a signal is handled from the event loop, by which time the child exists.
  const relay = (signal: NodeJS.Signals): void => void child.kill(signal);
  for (const s of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) process.on(s, relay);
  const child = spawn(binary, args, { stdio: ['ignore', 'inherit', 'inherit'] });
  const pidFile = child.pid === undefined || pidDir === undefined ? undefined : recordPid(pidDir, { pid: child.pid, what: binary.split('/').at(-1) ?? binary, ownerPid: process.ppid });
  const started = child;
  const lifeline = (): void => {
    started.kill('SIGTERM');
    setTimeout(() => started.kill('SIGKILL'), CHILD_KILL_TIMEOUT_MS).unref();
  };
  if (process.send !== undefined) {
    process.on('disconnect', lifeline);
    process.channel?.unref();
    if (!process.connected) lifeline(); // the stack died while this process was starting
  } else {
    process.stderr.write('supervise: no IPC channel: the child has no lifeline\n');
  }
  // Told last, once every handler is in place: the stack may signal as soon as it knows.
  if (child.pid !== undefined) process.send?.({ event: 'spawned', pid: child.pid });
  let killedBy: NodeJS.Signals | null = null;
  const code = await new Promise<number>((resolve) => {
    started.once('error', (error) => {
      process.stderr.write(`supervise: cannot start '${binary}': ${(error as NodeJS.ErrnoException).code ?? error.message}\n`);
      resolve(127);
    });
    started.once('exit', (exitCode, signal) => {
      killedBy = signal;
      resolve(exitCode ?? 128 + (signal ? (SIGNAL_NUMBERS[signal] ?? 0) : 0));
    });
  });
  forgetPid(pidFile);
  for (const s of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) process.off(s, relay);
  process.off('disconnect', lifeline);
  if (process.connected) process.disconnect();
  // End as the child ended, so the stack sees 'killed by SIGKILL' rather than 'code 137'.
  if (killedBy !== null && options.reraise !== false) process.kill(process.pid, killedBy);
  return code;
}
