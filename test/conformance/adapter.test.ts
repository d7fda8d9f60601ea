/**
 * prometheus-adapter compatibility: every case of every vector file in test/conformance/adapter
 * (format in FORMAT.md) runs through the library via `runAdapterVectorFile`, one test per case.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isAdapterVectorFile, runAdapterVectorFile, runAdapterVectorFiles } from '../../src/metrics/adapter/conformance.js';

const DIR = fileURLToPath(new URL('./adapter/', import.meta.url));
const files = readdirSync(DIR)
  .filter((f) => f.endsWith('.json'))
  .sort();
const docs = Object.fromEntries(files.map((f) => [f, JSON.parse(readFileSync(join(DIR, f), 'utf8')) as unknown]));

describe('adapter conformance vectors', () => {
  it('finds the six vector files with 219 cases', () => {
    expect(files).toHaveLength(6);
    const total = Object.values(docs).reduce<number>((n, d) => n + ((d as { cases: unknown[] }).cases.length ?? 0), 0);
    expect(total).toBe(219);
  });

  for (const file of files) {
    const doc = docs[file];
    describe(file, () => {
      it('is an adapter vector file', () => {
        expect(isAdapterVectorFile(doc)).toBe(true);
      });
      const results = runAdapterVectorFile(doc, { siblings: docs });
      it.each(results.map((r) => ({ ...r, name: r.id })))('$name', (r) => {
        expect(r.message ?? '').toBe('');
        expect(r.ok).toBe(true);
      });
    });
  }
});

describe('runAdapterVectorFile()', () => {
  it('fails every case of an unknown kind with a clear message, without throwing', () => {
    const results = runAdapterVectorFile({ kind: 'telepathy', formatVersion: 1, cases: [{ id: 'a', input: {}, expected: {} }, { id: 'b', input: {}, expected: {} }] });
    expect(results).toEqual([
      { id: 'a', ok: false, message: expect.stringContaining('unknown vector kind "telepathy"') as unknown },
      { id: 'b', ok: false, message: expect.stringContaining('expected one of naming, query') as unknown },
    ]);
  });

  it('turns a throwing case into a failed result', () => {
    const [r] = runAdapterVectorFile({ kind: 'quantity', formatVersion: 1, cases: [{ id: 'bad', input: { op: 'parse', string: '1.2.3' }, expected: { string: '1' } }] });
    expect(r).toEqual({ id: 'bad', ok: false, message: expect.stringContaining('quantities must match the regular expression') as unknown });
  });

  it('fails a case whose pinned value differs', () => {
    const [r] = runAdapterVectorFile({ kind: 'label_quoting', formatVersion: 1, cases: [{ id: 'x', input: { value: 'a"b' }, expected: { labelEq: 'l="a"b"' } }] });
    expect(r?.ok).toBe(false);
    expect(r?.message).toContain('labelEq');
  });

  it('recognises the vector format and nothing else', () => {
    expect(isAdapterVectorFile({ kind: 'quantity', formatVersion: 1, cases: [] })).toBe(true);
    expect(isAdapterVectorFile({ kind: 'quantity', cases: [] })).toBe(false);
    expect(isAdapterVectorFile({ schemaVersion: 1, cases: [] })).toBe(false);
    expect(isAdapterVectorFile(null)).toBe(false);
  });
});

describe('runAdapterVectorFiles()', () => {
  it('resolves cross-file references inside the given set', () => {
    const query = docs['query.json'] as { cases: { id: string }[] };
    const naming = docs['naming.json'] as { cases: { id: string }[] };
    const renamed = {
      'naming.json': { ...naming, cases: naming.cases.map((c) => ({ ...c, id: `held-${c.id}` })) },
      'query.json': { ...query, cases: query.cases.filter((c) => c.id === 'registry-03').map((c) => JSON.parse(JSON.stringify(c).replace('naming.json#', 'naming.json#held-')) as unknown) },
    };
    const results = runAdapterVectorFiles(renamed);
    expect(results['query.json']).toEqual([{ id: 'registry-03', ok: true }]);
  });
});
