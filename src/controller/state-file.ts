/**
 * The controller's memory on disk: each HPA's `AutoscalerState` (recommendations and scale
 * events, so the stabilization window and the scaling policies' periods survive a restart),
 * its creation time and its recent events. Upstream keeps this in memory only and forgets it
 * on restart; a local controller does not have to.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { AutoscalerState, HorizontalPodAutoscaler, HpaEvent } from '../engine/index.js';
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
  /** {@link specHashOf} the HPA it was saved for: another spec under the same name starts afresh. */
  readonly specHash?: string;
  /**
   * The target's replicas after the last sync (as a Deployment keeps `spec.replicas` across a
   * controller restart): the local stack starts its pool there, not at minReplicas.
   */
  readonly replicas?: number;
}

/** The state file's content: HPAs keyed by {@link stateKeyOf} (`namespace/name`). */
export interface ControllerStateFile {
  readonly kind: 'hpa-lab/controller-state';
  readonly version: 2;
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
  if (v['specHash'] !== undefined && typeof v['specHash'] !== 'string') throw new InputError('schema', file, `${at}.specHash`, 'expected a string');
  const r = v['replicas'];
  if (r !== undefined && !(typeof r === 'number' && Number.isInteger(r) && r >= 0 && r <= 2 ** 31 - 1)) {
    throw new InputError('schema', file, `${at}.replicas`, `expected an integer 0..${2 ** 31 - 1}: got ${JSON.stringify(r)}`);
  }
  return v as unknown as SavedHpa;
}

/**
 * The key of an HPA in the state file: its identity, `namespace/name` (the namespace the HPA
 * names, else `defaultNamespace`).
 *
 * @example stateKeyOf(hpa, 'default') // -> 'smallest/lightning-asr'
 */
export function stateKeyOf(hpa: HorizontalPodAutoscaler, defaultNamespace: string): string {
  return `${hpa.metadata.namespace ?? defaultNamespace}/${hpa.metadata.name}`;
}

/** JSON with sorted keys, so equal specs hash equal whatever their key order. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * A short hash of an HPA's spec (sha-256 of its canonical JSON): the saved state of one spec is
 * not applied to another (an `hpa.yaml` and a `values.yaml` that both name `lightning-asr`).
 *
 * @example specHashOf(hpa) // -> '3f2a9c1e0b7d4a66'
 */
export function specHashOf(hpa: HorizontalPodAutoscaler): string {
  return createHash('sha256').update(canonical(hpa.spec)).digest('hex').slice(0, 16);
}

/**
 * The saved state of this HPA: found under its identity and saved for the same spec; undefined
 * otherwise (another HPA's state is never applied).
 *
 * @example savedStateOf(saved, hpa, 'default')?.replicas // -> 5
 */
export function savedStateOf(saved: Readonly<Record<string, SavedHpa>>, hpa: HorizontalPodAutoscaler, defaultNamespace: string): SavedHpa | undefined {
  const s = saved[stateKeyOf(hpa, defaultNamespace)];
  return s !== undefined && s.specHash === specHashOf(hpa) ? s : undefined;
}

/**
 * Reads a state file; an absent file (or a version-1 file, keyed by name alone) is an empty state.
 *
 * @throws {InputError} `syntax` when it is not JSON, `schema` when it is not a state file
 * @example (await loadControllerState('.hpa-lab/state.json'))['smallest/lightning-asr']?.state.recommendations
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
  // Version 1 keyed HPAs by name alone, with no spec: its state cannot be matched safely.
  if (doc['version'] === 1) return {};
  if (doc['version'] !== 2) throw new InputError('schema', path, 'version', `expected 2: got ${JSON.stringify(doc['version'])}`);
  if (!isObject(doc['hpas'])) throw new InputError('schema', path, 'hpas', 'expected a mapping of namespace/name to state');
  const out: Record<string, SavedHpa> = {};
  for (const [name, v] of Object.entries(doc['hpas'])) out[name] = checkSaved(path, name, v);
  return out;
}

/**
 * Writes a state file atomically (a temporary file renamed over it), creating its folder.
 *
 * @example await saveControllerState('.hpa-lab/state.json', { 'smallest/lightning-asr': saved }, Date.now());
 */
export async function saveControllerState(path: string, hpas: Readonly<Record<string, SavedHpa>>, savedMs: number): Promise<void> {
  const doc: ControllerStateFile = { kind: 'hpa-lab/controller-state', version: 2, savedMs, hpas };
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, `${JSON.stringify(doc)}\n`);
  await rename(tmp, path);
}
