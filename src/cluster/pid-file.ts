/**
 * Pid files: every process the local stack starts (workers, Prometheus) is written down in
 * `<runDir>/pids/<pid>.json` with its start time and its owner's, so that a new `hpa-lab up`
 * can reap what a previous one left behind, and never kills a process that merely reuses a pid.
 * The start time is field 22 of `/proc/PID/stat` (clock ticks since boot): a pid plus its start
 * time names one process for the machine's uptime.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';

/** One started process. */
export interface PidRecord {
  readonly kind: 'hpa-lab/pid';
  readonly pid: number;
  /** `/proc/PID/stat` start time of `pid`. */
  readonly startTicks: string;
  /** What it is, for messages: `worker lightning-asr-7xk2p`, `prometheus`. */
  readonly what: string;
  /** The stack process that started it, and its start time: a live owner keeps its children. */
  readonly ownerPid: number;
  readonly ownerStartTicks: string;
}

/** A process a reap found and killed. */
export interface ReapedProcess {
  readonly pid: number;
  readonly what: string;
  readonly ownerPid: number;
}

/**
 * The start time of a process (field 22 of `/proc/PID/stat`), or undefined when there is no such
 * process or no `/proc` (then nothing is ever reaped: a pid alone is not proof).
 *
 * @example processStartTicks(process.pid) // -> '1234567'
 */
export function processStartTicks(pid: number): string | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // The command name (field 2) is in parentheses and may hold spaces: count from the last ')'.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const state = fields[0];
  if (state === 'Z' || state === 'X') return undefined; // a zombie is already dead
  return fields[19]; // field 22 overall: 3 is the first after ')'
}

/**
 * Writes the pid file of a process this one just started (synchronously, so it exists as soon as
 * the process does). Returns its path, or undefined when the start time cannot be read.
 *
 * @example recordPid('.hpa-lab/pids', { pid: child.pid, what: 'worker lightning-asr-7xk2p' })
 */
export function recordPid(dir: string, input: { readonly pid: number; readonly what: string; readonly ownerPid?: number }): string | undefined {
  const startTicks = processStartTicks(input.pid);
  const ownerPid = input.ownerPid ?? process.pid;
  const ownerStartTicks = processStartTicks(ownerPid);
  if (startTicks === undefined || ownerStartTicks === undefined) return undefined;
  const record: PidRecord = { kind: 'hpa-lab/pid', pid: input.pid, startTicks, what: input.what, ownerPid, ownerStartTicks };
  try {
    mkdirSync(dir, { recursive: true });
    const path = join(dir, `${input.pid}.json`);
    writeFileSync(path, `${JSON.stringify(record)}\n`);
    return path;
  } catch {
    return undefined; // a read-only folder: the lifeline still ends the process with its owner
  }
}

/** Removes a pid file (the process exited). */
export function forgetPid(path: string | undefined): void {
  if (path !== undefined) rmSync(path, { force: true });
}

function readRecord(path: string): PidRecord | undefined {
  try {
    const r = JSON.parse(readFileSync(path, 'utf8')) as Partial<PidRecord>;
    if (r.kind !== 'hpa-lab/pid' || typeof r.pid !== 'number' || !Number.isInteger(r.pid) || r.pid <= 1) return undefined;
    if (typeof r.startTicks !== 'string' || typeof r.ownerPid !== 'number' || typeof r.ownerStartTicks !== 'string') return undefined;
    return r as PidRecord;
  } catch {
    return undefined;
  }
}

const sameProcess = (pid: number, startTicks: string): boolean => processStartTicks(pid) === startTicks;

/**
 * Kills the processes recorded in `dir` whose owner is gone (SIGKILL to the process group, as
 * workers lead their own, then to the process), waits until they are gone (up to `waitMs`), and
 * removes their pid files; pid files of processes already gone are removed too. A process whose
 * pid now names another process (different start time) is left alone, as are the processes of a
 * live owner (another `up` from the same folder).
 *
 * @example (await reapOrphans('.hpa-lab/pids')).map((p) => p.what) // -> ['worker lightning-asr-7xk2p', 'prometheus']
 */
export async function reapOrphans(dir: string, options: { readonly waitMs?: number } = {}): Promise<ReapedProcess[]> {
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => /^\d+\.json$/.test(n));
  } catch {
    return [];
  }
  const reaped: ReapedProcess[] = [];
  for (const name of names) {
    const path = join(dir, name);
    const r = readRecord(path);
    if (r === undefined) {
      rmSync(path, { force: true });
      continue;
    }
    if (sameProcess(r.ownerPid, r.ownerStartTicks)) continue;
    if (sameProcess(r.pid, r.startTicks)) {
      for (const target of [-r.pid, r.pid]) {
        try {
          process.kill(target, 'SIGKILL');
        } catch {
          // not a group leader, or already gone
        }
      }
      reaped.push({ pid: r.pid, what: r.what, ownerPid: r.ownerPid });
    }
    rmSync(path, { force: true });
  }
  const deadline = Date.now() + (options.waitMs ?? 5_000);
  while (reaped.some((p) => processStartTicks(p.pid) !== undefined) && Date.now() < deadline) await delay(20);
  return reaped;
}
