import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodePageHash } from '../../src/web-server/index.js';
import { defaultState, normalizeState } from '../../web/src/state.js';
import { decodeHash, encodeHash } from '../../web/src/url-state.js';

describe('encodeHash() / decodeHash()', () => {
  it('round-trips any JSON value (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue(), async (value) => {
        const back = await decodeHash(`#${await encodeHash(value)}`);
        expect(back).toEqual(JSON.parse(JSON.stringify(value)));
      }),
      { numRuns: 100 },
    );
  });

  it('reads what the server writes (node:zlib deflate-raw, base64url)', async () => {
    const state = { view: 'scenario', scenario: { source: { kind: 'file', name: 'x.yaml', text: 'ü '.repeat(500) } } };
    expect(await decodeHash(`#${encodePageHash(state)}`)).toEqual(state);
  });

  it.each([
    { name: 'an empty hash', hash: '', want: undefined },
    { name: 'plain JSON under j=', hash: `#j=${Buffer.from('{"view":"share"}').toString('base64url')}`, want: { view: 'share' } },
  ])('reads $name', async ({ hash, want }) => {
    expect(await decodeHash(hash)).toEqual(want);
  });

  it.each([
    { name: 'a damaged payload', hash: '#s=not-deflate', message: "Cannot read the page state from the link: the '#s=' value is damaged" },
    { name: 'another fragment', hash: '#section-2', message: "expected '#s=...' or '#j=...', got '#section-2'" },
  ])('throws a SyntaxError for $name', async ({ hash, message }) => {
    await expect(decodeHash(hash)).rejects.toThrow(SyntaxError);
    await expect(decodeHash(hash)).rejects.toThrow(message);
  });
});

describe('normalizeState()', () => {
  it('fills a partial state with the defaults', () => {
    const s = normalizeState({ view: 'compare', calc: { maxReplicas: 10 } });
    expect(s.view).toBe('compare');
    expect(s.calc.maxReplicas).toBe(10);
    expect(s.calc.metrics).toEqual(defaultState().calc.metrics);
    expect(s.scenario.source).toEqual(defaultState().scenario.source);
  });

  it.each([
    { name: 'an unknown view', raw: { view: 'graphs' }, check: (s: ReturnType<typeof normalizeState>) => s.view === 'calculator' },
    { name: 'maxReplicas below minReplicas', raw: { calc: { minReplicas: 5, maxReplicas: 2 } }, check: (s: ReturnType<typeof normalizeState>) => s.calc.maxReplicas === 5 },
    { name: 'a non-object', raw: 42, check: (s: ReturnType<typeof normalizeState>) => s.view === 'calculator' },
    { name: 'an override that is not an HPA', raw: { scenario: { overrides: { a: 1, b: { spec: {} } } } }, check: (s: ReturnType<typeof normalizeState>) => Object.keys(s.scenario.overrides).join() === 'b' },
  ])('repairs $name', ({ raw, check }) => {
    expect(check(normalizeState(raw))).toBe(true);
  });

  it('is idempotent (property)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (raw) => {
        const once = normalizeState(raw);
        expect(normalizeState(JSON.parse(JSON.stringify(once)))).toEqual(once);
      }),
      { numRuns: 200 },
    );
  });
});
