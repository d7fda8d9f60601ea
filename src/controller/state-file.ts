/**
 * The controller's memory on disk: each HPA's `AutoscalerState` (recommendations and scale
 * events, so the stabilization window and the scaling policies' periods survive a restart),
 * its creation time and its recent events. Upstream keeps this in memory only and forgets it
 * on restart; a local controller does not have to.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { AutoscalerState, HpaEvent } from '../engine/index.js';
import { InputError } from '../core/index.js';

/** An HPA event with the times it was seen (events that repeat are counted, as kubectl shows them). */
export interface HpaEventRecord extends HpaEvent {
  readonly firstMs: number;
  readonly lastMs: number;
  readonly count: number;
}

/** What is saved of one HPA. */
export interface SavedHpa {
  readonly createdMs: number;
  readonly state: AutoscalerState;
  readonly events: readonly HpaEventRecord[];
}

/** The state file's content. */
export interface ControllerStateFile {
  readonly kind: 'hpa-lab/controller-state';
  readonly version: 1;
  readonly savedMs: number;
  readonly hpas: Readonly<Record<string, SavedHpa>>;
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

function checkSaved(file: string, name: string, v: unknown): SavedHpa {
  const at = `hpas.${name}`;
  if (!isObject(v)) throw new InputError('schema', file, at, 'expected a mapping with createdMs, state and events');
  if (typeof v['createdMs'] !== 'number') throw new InputError('schema', file, `${at}.createdMs`, 'expected a number of milliseconds');
  const state = v['state'];
  if (!isObject(state)) throw new InputError('schema', file, `${at}.state`, 'expected a mapping');
  if (state['recommendations'] !== null && !Array.isArray(state['recommendations'])) {
    throw new InputError('schema', file, `${at}.state.recommendations`, 'expected a list or null');
  }
  for (const k of ['scaleUpEvents', 'scaleDownEvents'] as const) {
    if (!Array.isArray(state[k])) throw new InputError('schema', file, `${at}.state.${k}`, 'expected a list');
  }
  if (!Array.isArray(v['events'])) throw new InputError('schema', file, `${at}.events`, 'expected a list');
  return v as unknown as SavedHpa;
}

/**
 * Reads a state file; an absent file is an empty state.
 *
 * @throws {InputError} `syntax` when it is not JSON, `schema` when it is not a state file
 * @example (await loadControllerState('.hpa-lab/state.json'))['lightning-asr']?.state.recommendations
 * // -> [{ recommendation: 3, timestampMs: 1717000000000 }, ...]
 */
export async function loadControllerState(path: string): Promise<Record<string, SavedHpa>> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new InputError('unreadable', path, '', `cannot read the file: ${(error as Error).message}`, { cause: error });
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    throw new InputError('syntax', path, '', `not valid JSON: ${(error as Error).message}`, { cause: error });
  }
  if (!isObject(doc) || doc['kind'] !== 'hpa-lab/controller-state') {
    throw new InputError('schema', path, 'kind', "expected 'hpa-lab/controller-state': delete the file to start afresh");
  }
  if (doc['version'] !== 1) throw new InputError('schema', path, 'version', `expected 1: got ${JSON.stringify(doc['version'])}`);
  if (!isObject(doc['hpas'])) throw new InputError('schema', path, 'hpas', 'expected a mapping of HPA name to state');
  const out: Record<string, SavedHpa> = {};
  for (const [name, v] of Object.entries(doc['hpas'])) out[name] = checkSaved(path, name, v);
  return out;
}

/**
 * Writes a state file atomically (a temporary file renamed over it), creating its folder.
 *
 * @example await saveControllerState('.hpa-lab/state.json', { 'lightning-asr': saved }, Date.now());
 */
export async function saveControllerState(path: string, hpas: Readonly<Record<string, SavedHpa>>, savedMs: number): Promise<void> {
  const doc: ControllerStateFile = { kind: 'hpa-lab/controller-state', version: 1, savedMs, hpas };
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, `${JSON.stringify(doc)}\n`);
  await rename(tmp, path);
}
