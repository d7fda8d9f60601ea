/**
 * The page state that opens the visualizer on a file, as the page reads it from its URL hash:
 * `s=` + base64url(deflate-raw(JSON)). A scenario travels with the files it references (HPA
 * files, trace files), keyed by their path relative to it, because the page cannot read disk.
 */
import { readFile } from 'node:fs/promises';
import { basename, dirname, posix, resolve } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { InputError } from '../core/index.js';
import { parseScenarioText, parseYamlDocuments } from '../input/index.js';
import { loadHpaFile, loadScenarioFile } from '../input/files/index.js';

/** The part of the page's state a link from the server sets; the page fills in the rest. */
export interface PageLinkState {
  readonly v: 1;
  readonly view: 'calculator' | 'scenario' | 'compare' | 'share';
  readonly scenario: { readonly source: { readonly kind: 'file'; readonly name: string; readonly text: string; readonly files?: Record<string, string> } };
  readonly init?: 'calc-from-source';
}

/** Encodes a state as the page's hash (without `#`). */
export function encodePageHash(state: unknown): string {
  return `s=${deflateRawSync(Buffer.from(JSON.stringify(state), 'utf8')).toString('base64url')}`;
}

/** Whether the text is a scenario file (one document with `hpas` and no `kind`), as `loadHpaConfig` decides. */
export function isScenarioText(text: string, file: string): boolean {
  const docs = parseYamlDocuments(text, file);
  const first = docs[0]?.value;
  return docs.length === 1 && first !== null && typeof first === 'object' && !Array.isArray(first) && 'hpas' in first && !('kind' in first);
}

async function readText(path: string, where?: { file: string; field: string; ref: string }): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message;
    if (where) throw new InputError('unreadable', where.file, where.field, `cannot read '${where.ref}' (${path}): ${reason}`, { cause: error });
    throw new InputError('unreadable', path, '', `cannot read the file: ${reason}`, { cause: error });
  }
}

/**
 * The page state for a file: a scenario opens the Scenario view, an HPA manifest or Helm values
 * file the Calculator (filled from its first HPA), with the Scenario view running it on the
 * built-in traffic spike. The file is validated first, so a bad one fails here with its path.
 *
 * @throws {InputError} for an unreadable or invalid file (as `hpa-lab simulate` and `explain` do)
 * @example (await pageStateForFile('examples/blog/hpa.yaml')).view // -> 'calculator'
 */
export async function pageStateForFile(path: string, options: { readonly view?: PageLinkState['view'] } = {}): Promise<PageLinkState> {
  const text = await readText(path);
  const name = basename(path);
  if (!isScenarioText(text, path)) {
    await loadHpaFile(path); // validates; the page parses the same text again
    return { v: 1, view: options.view ?? 'calculator', scenario: { source: { kind: 'file', name, text } }, init: 'calc-from-source' };
  }
  await loadScenarioFile(path);
  const file = parseScenarioText(text, path);
  const refs: { ref: string; field: string }[] = [];
  file.hpas.forEach((e, i) => e.file !== undefined && refs.push({ ref: e.file, field: `hpas[${i}].file` }));
  (file.variants ?? []).forEach((v, i) => (v.hpas ?? []).forEach((e, j) => e.file !== undefined && refs.push({ ref: e.file, field: `variants[${i}].hpas[${j}].file` })));
  if (file.traffic.type === 'trace' && file.traffic.file !== undefined) refs.push({ ref: file.traffic.file, field: 'traffic.file' });
  const files: Record<string, string> = {};
  for (const { ref, field } of refs) {
    const key = posix.normalize(ref.split('\\').join('/'));
    files[key] = await readText(resolve(dirname(path), ref), { file: path, field, ref });
  }
  return {
    v: 1,
    view: options.view ?? 'scenario',
    scenario: { source: { kind: 'file', name, text, ...(refs.length ? { files } : {}) } },
    init: 'calc-from-source',
  };
}

/** The hash (without `#`) that opens the page on a file (see `pageStateForFile`). */
export async function pageHashForFile(path: string, options: { readonly view?: PageLinkState['view'] } = {}): Promise<string> {
  return encodePageHash(await pageStateForFile(path, options));
}
