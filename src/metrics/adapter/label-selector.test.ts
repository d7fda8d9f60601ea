import { describe, expect, it } from 'vitest';
import { formatLabelSelector, LabelSelectorError, labelSelectorFromRequirements, matchesLabelSelector, parseLabelSelector } from './label-selector.js';

describe('parseLabelSelector()', () => {
  it('sorts requirements by key and values within a requirement', () => {
    expect(parseLabelSelector('zone=b, app in (y,x), !legacy')).toEqual([
      { key: 'app', operator: 'in', values: ['x', 'y'] },
      { key: 'legacy', operator: '!', values: [] },
      { key: 'zone', operator: '=', values: ['b'] },
    ]);
  });

  it.each([
    { text: '', want: [] },
    { text: 'gpu', want: [{ key: 'gpu', operator: 'exists', values: [] }] },
    { text: 'a==1,b!=2', want: [{ key: 'a', operator: '==', values: ['1'] }, { key: 'b', operator: '!=', values: ['2'] }] },
    { text: 'n>5', want: [{ key: 'n', operator: 'gt', values: ['5'] }] },
    { text: 'a=', want: [{ key: 'a', operator: '=', values: [''] }] },
    { text: 'a in ()', want: [{ key: 'a', operator: 'in', values: [''] }] },
  ])('parses "$text"', ({ text, want }) => {
    expect(parseLabelSelector(text)).toEqual(want);
  });

  it.each([
    { text: 'a=b,', message: "found '', expected: identifier after ','" },
    { text: ',a', message: "found ',', expected: !, identifier, or 'end of string'" },
    { text: 'a b', message: "unable to parse requirement: found 'b', expected: in, notin, =, ==, !=, gt, lt" },
    { text: 'a in b', message: "unable to parse requirement: found 'b' expected: '('" },
    { text: 'a=b c', message: "found 'c', expected: ',' or 'end of string'" },
    { text: 'a=x y"', message: "found 'y\"', expected: ',' or 'end of string'" },
    { text: 'n>x', message: "unable to parse requirement: values[0]: Invalid value: \"x\": for 'Gt', 'Lt' operators, the value must be an integer" },
    { text: '-a=b', message: 'unable to parse requirement: <nil>: Invalid value: "-a": name part must consist of alphanumeric characters' },
    { text: 'a=b"c', message: 'unable to parse requirement: values[0][a]: Invalid value: "b\\"c": a valid label must be an empty string' },
  ])('rejects "$text" with apimachinery\'s message', ({ text, message }) => {
    expect(() => parseLabelSelector(text)).toThrow(LabelSelectorError);
    expect(() => parseLabelSelector(text)).toThrow(message);
  });
});

describe('formatLabelSelector()', () => {
  it('writes the canonical form', () => {
    expect(formatLabelSelector(parseLabelSelector('z notin (b,a),!x,y,n<3'))).toBe('n<3,!x,y,z notin (a,b)');
  });
});

describe('labelSelectorFromRequirements()', () => {
  it('validates like NewRequirement', () => {
    expect(() => labelSelectorFromRequirements([{ key: 'a', operator: 'in', values: [] }])).toThrow("values set can't be empty");
    expect(labelSelectorFromRequirements([{ key: 'b', operator: '=', values: ['1'] }, { key: 'a', operator: 'exists' }]).map((r) => r.key)).toEqual(['a', 'b']);
  });
});

describe('matchesLabelSelector()', () => {
  it.each([
    { sel: 'app=asr', labels: { app: 'asr' }, want: true },
    { sel: 'app!=asr', labels: {}, want: true },
    { sel: 'tier notin (db)', labels: { tier: 'db' }, want: false },
    { sel: '!canary', labels: { canary: '' }, want: false },
    { sel: 'n>5', labels: { n: '7' }, want: true },
  ])('$sel on $labels -> $want', ({ sel, labels, want }) => {
    expect(matchesLabelSelector(parseLabelSelector(sel), labels)).toBe(want);
  });
});
