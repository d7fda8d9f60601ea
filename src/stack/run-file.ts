/**
 * The run file: where a running `hpa-lab up` tells other commands of the same folder how to
 * reach it (`.hpa-lab/run.json` in the working directory, readable by its owner only, as it
 * holds the API token).
 */
import { chmod, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { InputError } from '../core/index.js';

/** The run file's path relative to the working directory. */
export const RUN_FILE = '.hpa-lab/run.json';
/** The default state file of `hpa-lab up`, next to the run file. */
export const STATE_FILE = '.hpa-lab/state.json';

export interface RunInfo {
  readonly kind: 'hpa-lab/run';
  readonly pid: number;
  readonly startedMs: number;
  /** `http://127.0.0.1:<port>/status` */
  readonly statusUrl: string;
  /** The API server, `http://127.0.0.1:7100`. */
  readonly apiUrl: string;
  readonly token: string;
}

/**
 * Writes the run file (mode 0600), creating its folder.
 *
 * @example await writeRunFile('.hpa-lab/run.json', info);
 */
export async function writeRunFile(path: string, info: RunInfo): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, `${JSON.stringify(info, null, 2)}\n`, { mode: 0o600 });
  await chmod(path, 0o600);
}

/**
 * Reads the run file of a running stack.
 *
 * @throws {InputError} `unreadable` when there is none (no stack runs here), `schema` when it is not a run file
 * @example (await readRunFile('.hpa-lab/run.json')).statusUrl // -> 'http://127.0.0.1:39121/status'
 */
export async function readRunFile(path: string): Promise<RunInfo> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
    throw new InputError('unreadable', path, '', missing ? "no stack is running from this folder: start one with 'hpa-lab up'" : `cannot read the file: ${(error as Error).message}`, { cause: error });
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    throw new InputError('syntax', path, '', `not valid JSON: ${(error as Error).message}`, { cause: error });
  }
  const d = doc as Partial<RunInfo> | null;
  if (d === null || typeof d !== 'object' || d.kind !== 'hpa-lab/run' || typeof d.statusUrl !== 'string') {
    throw new InputError('schema', path, 'kind', "expected an 'hpa-lab/run' file written by 'hpa-lab up'");
  }
  return d as RunInfo;
}

/**
 * Removes the run file if it is still the one this process wrote.
 *
 * @example await removeRunFile('.hpa-lab/run.json', process.pid);
 */
export async function removeRunFile(path: string, pid: number): Promise<void> {
  try {
    const info = await readRunFile(path);
    if (info.pid === pid) await rm(path, { force: true });
  } catch {
    // Gone or replaced: nothing to do.
  }
}
