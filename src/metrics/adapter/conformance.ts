/**
 * Runs prometheus-adapter compatibility vectors (test/conformance/adapter, format in FORMAT.md)
 * through this library. Dispatch is on the file's `kind`; inputs are interpreted generically, so
 * held-back cases of the same kinds run too. A case never throws: an exception is a failed case
 * with its message.
 *
 * `query` cases of mode `registry` reference a naming case (`naming.json#id`); pass the other
 * vector files as `siblings` (file name -> parsed JSON) or a `baseDir` to read them from, or run a
 * whole set with {@link runAdapterVectorFiles}. Without either, this repository's
 * `test/conformance/adapter/` is used.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runNamingCase } from './conformance/naming-cases.js';
import { runQuantityCase } from './conformance/quantity-cases.js';
import { runQueryCase } from './conformance/query-cases.js';
import { runQuotingCase } from './conformance/quoting-cases.js';
import { runRoutingCase } from './conformance/routing-cases.js';
import { runValueMappingCase } from './conformance/value-mapping-cases.js';
import { isObject, type CaseRunner, type RunContext } from './conformance/vector-case.js';

/** The outcome of one case. */
export interface AdapterCaseResult {
  readonly id: string;
  readonly ok: boolean;
  readonly message?: string;
}

/** Options of {@link runAdapterVectorFile}. */
export interface RunAdapterVectorOptions {
  /** Other vector files by file name (`naming.json`), for cross-file references. */
  readonly siblings?: Readonly<Record<string, unknown>>;
  /** Directory to read referenced vector files from. */
  readonly baseDir?: string;
}

const RUNNERS: Readonly<Record<string, CaseRunner>> = {
  naming: runNamingCase,
  query: runQueryCase,
  value_mapping: runValueMappingCase,
  quantity: runQuantityCase,
  http_routing: runRoutingCase,
  label_quoting: runQuotingCase,
};

/** The vector kinds this runner understands. */
export const ADAPTER_VECTOR_KINDS: readonly string[] = Object.keys(RUNNERS);

const DEFAULT_DIR = fileURLToPath(new URL('../../../test/conformance/adapter/', import.meta.url));

/**
 * Whether a parsed JSON document is an adapter vector file (top-level `kind`, `formatVersion`, `cases`).
 *
 * @example isAdapterVectorFile({ kind: 'quantity', formatVersion: 1, cases: [] }) // -> true
 */
export function isAdapterVectorFile(doc: unknown): boolean {
  return isObject(doc) && typeof doc['kind'] === 'string' && doc['formatVersion'] !== undefined && Array.isArray(doc['cases']);
}

function contextFor(options: RunAdapterVectorOptions): RunContext {
  const cache = new Map<string, unknown>();
  return {
    resolveFile: (fileName) => {
      if (options.siblings && fileName in options.siblings) return options.siblings[fileName];
      if (cache.has(fileName)) return cache.get(fileName);
      let doc: unknown;
      for (const dir of [options.baseDir, DEFAULT_DIR]) {
        if (!dir || doc !== undefined) continue;
        try {
          doc = JSON.parse(readFileSync(join(dir, fileName), 'utf8')) as unknown;
        } catch {
          doc = undefined;
        }
      }
      cache.set(fileName, doc);
      return doc;
    },
  };
}

/**
 * Runs every case of a vector file and compares the fields each case pins.
 *
 * @example runAdapterVectorFile(JSON.parse(readFileSync('quantity.json', 'utf8'))).every((r) => r.ok) // -> true
 */
export function runAdapterVectorFile(doc: unknown, options: RunAdapterVectorOptions = {}): AdapterCaseResult[] {
  if (!isObject(doc) || !Array.isArray(doc['cases'])) return [];
  const kind = doc['kind'];
  const runner = typeof kind === 'string' ? RUNNERS[kind] : undefined;
  const ctx = contextFor(options);
  return doc['cases'].map((raw, k): AdapterCaseResult => {
    const id = isObject(raw) && typeof raw['id'] === 'string' ? raw['id'] : `#${k}`;
    if (!runner) return { id, ok: false, message: `unknown vector kind ${JSON.stringify(kind)}: expected one of ${ADAPTER_VECTOR_KINDS.join(', ')}` };
    if (!isObject(raw) || !isObject(raw['input']) || !isObject(raw['expected'])) return { id, ok: false, message: 'case must have object input and expected' };
    try {
      const problems = runner({ id, input: raw['input'], expected: raw['expected'] }, ctx);
      return problems.length === 0 ? { id, ok: true } : { id, ok: false, message: problems.join('; ') };
    } catch (err) {
      return { id, ok: false, message: `threw ${(err as Error).name}: ${(err as Error).message}` };
    }
  });
}

/**
 * Runs a set of vector files that reference each other (file name -> parsed JSON), e.g. a
 * held-back set whose `query.json` points at cases of its own `naming.json`.
 *
 * @example runAdapterVectorFiles({ 'naming.json': naming, 'query.json': query })['query.json'].length
 */
export function runAdapterVectorFiles(files: Readonly<Record<string, unknown>>): Record<string, AdapterCaseResult[]> {
  return Object.fromEntries(Object.entries(files).map(([name, doc]) => [name, runAdapterVectorFile(doc, { siblings: files })]));
}

