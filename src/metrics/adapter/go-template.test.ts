import { describe, expect, it } from 'vitest';
import { formatGoFloat } from '../../core/index.js';
import { executeGoTemplate, goStringMap, goStruct } from './go-template-exec.js';
import { GoTemplateError, parseGoTemplate } from './go-template-parse.js';
import { unknownTemplateFields } from './template-fields.js';

const args = goStruct('naming.queryTemplateArgs', {
  Series: 'asr_active_requests',
  LabelMatchers: 'namespace="default",pod=~"a|b"',
  LabelValuesByName: goStringMap({ pod: 'a|b', namespace: 'default' }),
  GroupBy: 'pod',
  GroupBySlice: ['pod'],
});
const run = (text: string): string => executeGoTemplate(parseGoTemplate(text, { name: 'metrics-query' }), args);

describe('executeGoTemplate()', () => {
  it.each([
    { name: 'renders fields', text: 'sum(<<.Series>>{<<.LabelMatchers>>}) by (<<.GroupBy>>)', want: 'sum(asr_active_requests{namespace="default",pod=~"a|b"}) by (pod)' },
    { name: 'prints a slice like Go', text: '<<.GroupBySlice>>', want: '[pod]' },
    { name: 'prints a map with sorted keys', text: '<<.LabelValuesByName>>', want: 'map[namespace:default pod:a|b]' },
    { name: 'index of a missing key is ""', text: '[<<index .LabelValuesByName "gpu">>]', want: '[]' },
    { name: 'a missing key read as a field is <no value>', text: '<<.LabelValuesByName.gpu>>', want: '<no value>' },
    { name: 'if / else if / else', text: '<<if eq .GroupBy "node">>n<<else if .GroupBy>>p<<else>>x<<end>>', want: 'p' },
    { name: 'range with index and value', text: '<<range $i, $l := .GroupBySlice>><<$i>>:<<$l>><<end>>', want: '0:pod' },
    { name: 'with rebinds dot', text: '<<with .GroupBy>><<.>><<end>>', want: 'pod' },
    { name: 'pipelines and printf', text: '<<.Series | printf "%s_x">>', want: 'asr_active_requests_x' },
    { name: 'trim markers', text: 'a  <<- .GroupBy ->>  b', want: 'apodb' },
    { name: 'comments', text: 'a<</* note */>>b', want: 'ab' },
  ])('$name', ({ text, want }) => {
    expect(run(text)).toBe(want);
  });

  it('reports a missing field with Go\'s message', () => {
    expect(() => run('<<.Foo>>')).toThrow(
      new GoTemplateError('exec', 'template: metrics-query:1:2: executing "metrics-query" at <.Foo>: can\'t evaluate field Foo in type naming.queryTemplateArgs'),
    );
  });
});

describe('parseGoTemplate()', () => {
  it.each([
    { text: '<<foo .Series>>', message: 'template: metrics-query:1: function "foo" not defined' },
    { text: '<<.Series', message: 'template: metrics-query:1: unclosed action' },
    { text: '<<if .Series>>x', message: 'template: metrics-query:1: unexpected EOF' },
    { text: '<<define "x">><<end>>', message: 'template: metrics-query:1: {{define}} is not supported' },
  ])('rejects $text', ({ text, message }) => {
    expect(() => parseGoTemplate(text, { name: 'metrics-query' })).toThrow(message);
  });
});

describe('unknownTemplateFields()', () => {
  it('lists root fields outside the allowed set, not fields of a with/range dot', () => {
    const tree = parseGoTemplate('<<.Serie>> <<with .GroupBySlice>><<.Anything>><<end>> <<$.Bad>>', { name: 't' });
    expect(unknownTemplateFields(tree, ['GroupBySlice']).map((f) => f.name)).toEqual(['Serie', 'Bad']);
  });
});

describe('formatGoFloat()', () => {
  it.each([
    [1.5, '1.5'],
    [1e6, '1e+06'],
    [123456, '123456'],
    [0.0001, '0.0001'],
    [0.00001, '1e-05'],
  ])('%s -> %s', (value, want) => {
    expect(formatGoFloat(value)).toBe(want);
  });
});
