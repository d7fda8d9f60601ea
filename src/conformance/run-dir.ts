/**
 * Runs every vector file of a directory, whatever suite it belongs to: each file is routed by
 * its format marker to the suite that understands it.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { InputError } from '../core/index.js';
import type { CaseResult } from './k8s-hpa.js';
import { SUITES } from './suites.js';

export interface FileResult {
  readonly file: string;
  readonly suite: string | null;
  readonly results: readonly CaseResult[];
  /** Why the file was not run (not JSON, unknown format). */
  readonly skipped?: string;
}

export interface Suite {
  readonly name: string;
  readonly accepts: (doc: unknown) => boolean;
  /** Runs a parsed file; `dir` is the directory it came from (for suites whose files refer to siblings). */
  readonly run: (doc: unknown, context: { readonly file: string; readonly dir: string }) => CaseResult[];
}

async function listJson(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await listJson(p)));
    else if (entry.name.endsWith('.json')) out.push(p);
  }
  return out.sort();
}

/** Runs a directory (recursively) or a single file of vectors. */
export async function runConformanceDir(dir: string): Promise<FileResult[]> {
  let files: string[];
  try {
    files = (await stat(dir)).isDirectory() ? await listJson(dir) : [dir];
  } catch (e) {
    throw new InputError('unreadable', dir, '', `no such directory or file (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  const results: FileResult[] = [];
  for (const file of files) {
    const name = relative(dir, file) || file;
    let doc: unknown;
    try {
      doc = JSON.parse(await readFile(file, 'utf8'));
    } catch (e) {
      results.push({ file: name, suite: null, results: [], skipped: `not valid JSON: ${(e as Error).message}` });
      continue;
    }
    const suite = SUITES.find((s) => s.accepts(doc));
    if (!suite) {
      results.push({ file: name, suite: null, results: [], skipped: 'not a vector file of a known format' });
      continue;
    }
    results.push({ file: name, suite: suite.name, results: suite.run(doc, { file, dir: dirname(file) }) });
  }
  return results;
}
