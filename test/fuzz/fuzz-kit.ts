/**
 * Shared pieces of the fuzz suite: a copy of `examples/` in a temporary folder (mutated files are
 * written next to the files they reference), value and text mutations of YAML documents, a fake
 * `Io`, and the invariant every command run must keep: exit 0 with finite output, or exit 2 with
 * one line naming the file or flag, never a stack trace.
 */
import { cp, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { Document, parseAllDocuments, stringify } from 'yaml';
import { expect } from 'vitest';
import type { Io } from '../../src/cli/io.js';

/** Runs per property times `HPA_LAB_FUZZ_SCALE` (default 1; raise it for a deeper search). */
export function runs(base: number): number {
  const scale = Number(process.env['HPA_LAB_FUZZ_SCALE'] ?? '1');
  return Math.max(1, Math.round(base * (Number.isFinite(scale) && scale > 0 ? scale : 1)));
}

/** Copies `examples/` into a fresh temporary folder and returns that folder. */
export async function copyExamples(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'hpa-lab-fuzz-'));
  await cp('examples', join(dir, 'examples'), { recursive: true });
  return dir;
}

/** A fake `Io` that records what a command writes. */
export function fakeIo(cwd: string): { io: Io; out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return {
    io: { stdout: { write: (s: string) => (out += s) }, stderr: { write: (s: string) => (err += s) }, cwd },
    out: () => out,
    err: () => err,
  };
}

/** Values that broke loaders before: huge, tiny, negative, non-finite, unicode, wrong types. */
export const NASTY_VALUES: readonly unknown[] = [
  1e308, -1e308, 2_147_483_647, 2_147_483_648, 1e16, Number('9007199254740993'), Number('99999999999999999999'), 1e-9, 5e-324, -1, 0, -0, 0.5,
  Infinity, -Infinity, NaN, '', ' ', 'ü', '\u202e', '𝟘', '1e308', '1e9999999', '-5m', '100y', '0s', '1e-9', '%', '1e308%', true, null, [], {}, [1], { a: 1 },
];

/** A nasty value or a random one of any JSON type. */
export const nastyValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...NASTY_VALUES) },
  { weight: 1, arbitrary: fc.integer({ min: -3_000_000_000, max: 3_000_000_000 }) },
  { weight: 1, arbitrary: fc.double() },
  { weight: 1, arbitrary: fc.string({ maxLength: 6, unit: 'grapheme' }) },
);

type Path = (string | number)[];

/** Every path to a node of plain data (mappings and lists), root excluded. */
export function allPaths(value: unknown, prefix: Path = []): Path[] {
  if (value === null || typeof value !== 'object') return [];
  const entries: [string | number, unknown][] = Array.isArray(value) ? value.map((v, i) => [i, v]) : Object.entries(value);
  return entries.flatMap(([k, v]) => [[...prefix, k], ...allPaths(v, [...prefix, k])]);
}

/** One change to a document: at a path, drop it, set a value, misspell its key, or add a key. */
export type Mutation =
  | { readonly op: 'drop'; readonly pick: number }
  | { readonly op: 'set'; readonly pick: number; readonly value: unknown }
  | { readonly op: 'misspell'; readonly pick: number }
  | { readonly op: 'duplicate-key' }
  | { readonly op: 'alias'; readonly pick: number; readonly other: number }
  | { readonly op: 'undefined-alias'; readonly pick: number }
  | { readonly op: 'alias-bomb' };

export const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 2, arbitrary: fc.record({ op: fc.constant('drop' as const), pick: fc.nat() }) },
  { weight: 6, arbitrary: fc.record({ op: fc.constant('set' as const), pick: fc.nat(), value: nastyValue }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('misspell' as const), pick: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('duplicate-key' as const) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('alias' as const), pick: fc.nat(), other: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('undefined-alias' as const), pick: fc.nat() }) },
  { weight: 1, arbitrary: fc.constant({ op: 'alias-bomb' as const }) },
);

function parentOf(root: unknown, path: Path): Record<string | number, unknown> {
  let node = root as Record<string | number, unknown>;
  for (const k of path.slice(0, -1)) node = node[k] as Record<string | number, unknown>;
  return node;
}

/**
 * Applies `m` to the YAML text of one or more documents (a document is picked by the path
 * number) and returns the new text.
 */
export function mutateYaml(text: string, m: Mutation): string {
  const docs = parseAllDocuments(text) as Document[];
  const values = docs.map((d) => d.toJS() as unknown);
  const targets = values.flatMap((v, d) => allPaths(v).map((p) => ({ d, p })));
  const at = (n: number) => targets[n % Math.max(1, targets.length)];
  const render = (vs: unknown[]): string => vs.map((v) => stringify(v)).join('---\n');
  switch (m.op) {
    case 'drop':
    case 'set':
    case 'misspell': {
      const t = at(m.pick);
      if (!t) return render(values);
      const parent = parentOf(values[t.d], t.p);
      const key = t.p[t.p.length - 1]!;
      if (m.op === 'set') parent[key] = m.value;
      else if (Array.isArray(parent)) parent.splice(Number(key), 1);
      else {
        const v = parent[key];
        delete parent[key];
        if (m.op === 'misspell') parent[`${String(key)}z`] = v;
      }
      return render(values);
    }
    case 'duplicate-key': {
      const first = Object.keys((values[0] ?? {}))[0] ?? 'a';
      return `${render(values)}${first}: 1\n`;
    }
    case 'alias': {
      const a = at(m.pick);
      const b = at(m.other);
      if (!a || !b || a.d !== b.d) return render(values);
      const doc = new Document(values[a.d]);
      const source = doc.getIn(a.p, true);
      if (!source || typeof source !== 'object' || b.p.slice(0, a.p.length).join('.') === a.p.join('.')) return render(values);
      try {
        doc.setIn(b.p, doc.createAlias(source as Parameters<Document['createAlias']>[0], 'fz'));
        const aliased = doc.toString(); // throws when the alias comes before its anchor
        return docs.map((_, i) => (i === a.d ? aliased : stringify(values[i]))).join('---\n');
      } catch {
        return render(values);
      }
    }
    case 'undefined-alias': {
      const t = at(m.pick);
      if (!t) return render(values);
      const marker = '__FUZZ_ALIAS__';
      parentOf(values[t.d], t.p)[t.p[t.p.length - 1]!] = marker;
      return render(values).replace(`${marker}`, '*nowhere');
    }
    case 'alias-bomb': {
      const bomb = ['a: &a [x,x,x,x,x,x,x,x,x]', ...'bcdef'.split('').map((k, i) => `${k}: &${k} [${Array(9).fill(`*${'abcdef'[i]}`).join(',')}]`)].join('\n');
      return `${bomb}\n${render(values)}`;
    }
  }
}

/**
 * The invariant of every run: exit 0 with no NaN or Infinity printed, or exit 2 with a first
 * line naming the command and a file or flag; never a stack trace, never exit 1.
 */
export function expectCleanOutcome(command: string, code: number, out: string, err: string, context: string): void {
  const where = `${context}\n--- stdout\n${out.slice(0, 2000)}\n--- stderr\n${err.slice(0, 2000)}`;
  expect(err, where).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
  if (code === 0) {
    const printed = `${out}\n${err}`.split('\n').filter((l) => !l.startsWith('wrote ')); // file names are the user's
    expect(printed.join('\n'), where).not.toMatch(/\bNaN\b|\bInfinity\b/);
    return;
  }
  expect(code, where).toBe(2);
  const first = err.split('\n')[0] ?? '';
  expect(first, where).toMatch(new RegExp(`^hpa-lab ${command}: `));
  // Names a file ('Cannot load 'file'...') or a flag ('--name').
  expect(first, where).toMatch(/Cannot load '|--[a-z]|Unknown option '|missing |unexpected argument|FILE|SCENARIO/);
}
