import { describe, expect, it } from 'vitest';
import { labelEq, labelMatches } from './promql-matchers.js';

describe('labelEq() / labelMatches()', () => {
  it('quote an injection attempt into a single string literal', () => {
    expect(labelEq('pod', 'x"} or vector(1) or up{a="')).toBe('pod="x\\"} or vector(1) or up{a=\\""');
    expect(labelMatches('pod', 'a|b')).toBe('pod=~"a|b"');
  });
});
