import fc from 'fast-check';
import { Gauge, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { parsePrometheusText } from './parse-prometheus-text.js';

describe('parsePrometheusText()', () => {
  it.each([
    { name: 'reads a bare sample', text: 'asr_active_requests 3', want: [{ name: 'asr_active_requests', labels: {}, value: 3 }] },
    { name: 'reads labels and a timestamp', text: 'x{pod="a",le="0.5"} 1.5 1700000000000', want: [{ name: 'x', labels: { pod: 'a', le: '0.5' }, value: 1.5, timestampMs: 1_700_000_000_000 }] },
    { name: 'unescapes label values', text: 'x{m="a\\"b\\\\c\\nd"} 1', want: [{ name: 'x', labels: { m: 'a"b\\c\nd' }, value: 1 }] },
    { name: 'accepts a trailing comma and spaces', text: 'x{ a="1", } 2', want: [{ name: 'x', labels: { a: '1' }, value: 2 }] },
    { name: 'reads +Inf and -Inf', text: 'x +Inf\ny -Inf', want: [{ name: 'x', labels: {}, value: Infinity }, { name: 'y', labels: {}, value: -Infinity }] },
    { name: 'skips comments and blank lines', text: '# HELP x help\n\n# TYPE x gauge\nx 0\n', want: [{ name: 'x', labels: {}, value: 0 }] },
  ])('$name', ({ text, want }) => {
    expect(parsePrometheusText(text).samples).toEqual(want);
  });

  it('reads NaN', () => {
    expect(parsePrometheusText('x NaN').samples[0]?.value).toBeNaN();
  });

  it.each([
    { name: 'a missing value', text: 'ok 1\nx{a="1"}', message: 'Cannot parse the exposition at line 2: expected a value and an optional timestamp' },
    { name: 'an unterminated label value', text: 'x{a="1} 2', message: "Cannot parse the exposition at line 1: unterminated value of label 'a'" },
    { name: 'a value that is not a number', text: 'x abc', message: "Cannot parse the exposition at line 1: expected a number: got 'abc'" },
    { name: 'a line without a name', text: '{a="b"} 1', message: 'Cannot parse the exposition at line 1: expected a metric name' },
  ])('throws SyntaxError for $name', ({ text, message }) => {
    expect(() => parsePrometheusText(text)).toThrow(SyntaxError);
    expect(() => parsePrometheusText(text)).toThrow(message);
  });

  it('reads back what prom-client writes, with types', async () => {
    const registry = new Registry();
    const g = new Gauge({ name: 'asr_active_requests', help: 'Current active requests', labelNames: ['pod'], registers: [registry] });
    g.set({ pod: 'lightning-asr-xxx' }, 3);
    const parsed = parsePrometheusText(await registry.metrics());
    expect(parsed.types).toEqual({ asr_active_requests: 'gauge' });
    expect(parsed.samples).toEqual([{ name: 'asr_active_requests', labels: { pod: 'lightning-asr-xxx' }, value: 3 }]);
  });

  it('round-trips any label values and finite values (property)', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.stringMatching(/^[a-z_][a-z0-9_]{0,5}$/), fc.string(), { maxKeys: 4 }), fc.double({ noNaN: true, noDefaultInfinity: true }), (labels, value) => {
        const escape = (s: string) => s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
        const body = Object.entries(labels).map(([k, v]) => `${k}="${escape(v)}"`).join(',');
        const [s] = parsePrometheusText(`m{${body}} ${String(value)}`).samples;
        expect(s?.labels).toEqual(labels);
        expect(s?.value).toBe(Number(String(value)));
      }),
    );
  });
});
