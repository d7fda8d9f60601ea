import { describe, expect, it } from 'vitest';
import {
  formatLabelSelector,
  formatMetaLabelSelectorGo,
  LabelSelectorError,
  labelSelectorFromMeta,
  labelSelectorFromRequirements,
  matchesLabelSelector,
  parseLabelSelector,
  toMetaLabelSelector,
} from './label-selector.js';

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

// Cases from apimachinery's pkg/labels/selector_test.go (TestSelectorParse, TestToString).
describe('parseLabelSelector() on upstream cases', () => {
  it.each(['x=a,y=b,z=c', '', 'x!=a,y=b', 'x=', 'x= ', 'x=,z= ', 'x= ,z= ', '!x', 'x>1', 'x>1,z<5', 'x>1,z<5,a=b'])(
    'accepts %j',
    (text) => {
      expect(() => parseLabelSelector(text)).not.toThrow();
    },
  );

  it.each(['x=a||y=b', 'x==a==b', '!x=a', 'x<a'])('rejects %j', (text) => {
    expect(() => parseLabelSelector(text)).toThrow(LabelSelectorError);
  });

  it.each([
    ['x in (foo,,baz),y,z notin ()', 'x in (,baz,foo),y,z notin ()'],
    ['z notin (a),!y,x', 'x,!y,z notin (a)'],
    ['x=a,x!=b', 'x=a,x!=b'],
  ])('prints %j as %j', (text, want) => {
    expect(formatLabelSelector(parseLabelSelector(text))).toBe(want);
  });

  it('treats undefined labels as the empty set', () => {
    expect(matchesLabelSelector(parseLabelSelector('!a'), undefined)).toBe(true);
    expect(matchesLabelSelector(parseLabelSelector('a'), undefined)).toBe(false);
  });
});

describe('the object form', () => {
  it('labelSelectorFromMeta() reads matchLabels and matchExpressions', () => {
    const selector = labelSelectorFromMeta({ matchLabels: { app: 'asr' }, matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['b', 'a'] }] });
    expect(formatLabelSelector(selector)).toBe('app=asr,tier notin (a,b)');
  });

  it('labelSelectorFromMeta() rejects an unknown operator as Go does', () => {
    expect(() => labelSelectorFromMeta({ matchExpressions: [{ key: 'a', operator: 'Gt' as 'In' }] })).toThrow(
      new LabelSelectorError('"Gt" is not a valid label selector operator'),
    );
  });

  it('toMetaLabelSelector() round-trips through labelSelectorFromMeta()', () => {
    const selector = parseLabelSelector('app=asr,tier in (a,b),!legacy');
    const meta = toMetaLabelSelector(selector);
    expect(meta.ok && labelSelectorFromMeta(meta.selector)).toEqual(selector);
  });

  it("formatMetaLabelSelectorGo() prints Go's %+v", () => {
    expect(formatMetaLabelSelectorGo({ matchLabels: { b: '2', a: '1' }, matchExpressions: [{ key: 'k', operator: 'In', values: ['x', 'y'] }] })).toBe(
      '&LabelSelector{MatchLabels:map[string]string{a: 1,b: 2,},MatchExpressions:[]LabelSelectorRequirement{LabelSelectorRequirement{Key:k,Operator:In,Values:[x y],}},}',
    );
    expect(formatMetaLabelSelectorGo(null)).toBe('<nil>');
  });
});
