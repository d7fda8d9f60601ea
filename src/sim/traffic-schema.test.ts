import { describe, expect, it } from 'vitest';
import { InputError } from '../core/index.js';
import {
  parseDurationSeconds,
  parseTrafficSpec,
  resolvePrometheusWindow,
  TRAFFIC_DEFAULTS,
  TRAFFIC_TYPES,
  trafficSpecSchema,
  type PrometheusTrafficSpec,
} from './traffic-schema.js';

const TYPES = TRAFFIC_TYPES.join(', ');

describe('trafficSpecSchema', () => {
  it('lists every type of the union in TRAFFIC_TYPES', () => {
    expect(trafficSpecSchema.options.map((o) => o.shape.type.value)).toEqual([...TRAFFIC_TYPES]);
  });

  it.each([
    {
      name: 'traffic-spike gets the seed scenario defaults',
      input: { type: 'traffic-spike' },
      want: { type: 'traffic-spike', ...TRAFFIC_DEFAULTS['traffic-spike'], scale: 1 },
    },
    {
      name: 'gradual-decline gets its defaults',
      input: { type: 'gradual-decline', toRps: 0 },
      want: { type: 'gradual-decline', fromRps: 45, toRps: 0, startSeconds: 300, declineSeconds: 3600, scale: 1 },
    },
    {
      name: 'off-hours gets a 22:00-06:00 night with no traffic',
      input: { type: 'off-hours' },
      want: { type: 'off-hours', dayRps: 30, nightRps: 0, nightStartSeconds: 79_200, nightEndSeconds: 21_600, periodSeconds: 86_400, transitionSeconds: 600, scale: 1 },
    },
    {
      name: 'diurnal peaks at 14:00 by default',
      input: { type: 'diurnal' },
      want: { type: 'diurnal', minRps: 5, maxRps: 45, peakAtSeconds: 50_400, periodSeconds: 86_400, scale: 1 },
    },
    {
      name: 'gaussian noise gets cv 0.1',
      input: { type: 'ramp', noise: { type: 'gaussian' } },
      want: { type: 'ramp', fromRps: 0, toRps: 50, startSeconds: 0, durationSeconds: 600, noise: { type: 'gaussian', cv: 0.1 }, scale: 1 },
    },
    {
      name: 'trace gets linear interpolation',
      input: { type: 'trace', file: 'day.csv' },
      want: { type: 'trace', file: 'day.csv', interpolation: 'linear', scale: 1 },
    },
    {
      name: 'prometheus gets a 60 s step',
      input: { type: 'prometheus', url: 'http://127.0.0.1:9090', query: 'sum(rate(asr_requests_total[1m]))', range: '6h' },
      want: { type: 'prometheus', url: 'http://127.0.0.1:9090', query: 'sum(rate(asr_requests_total[1m]))', range: '6h', stepSeconds: 60, interpolation: 'linear', scale: 1 },
    },
  ])('$name', ({ input, want }) => {
    expect(trafficSpecSchema.parse(input)).toEqual(want);
  });

  it('pins the defaults to the seeds (5 active requests per pod at ~1 s each, max 10 pods)', () => {
    const podsAt = (rps: number): number => Math.ceil(rps / 5);
    expect(podsAt(TRAFFIC_DEFAULTS['traffic-spike'].baseRps)).toBe(2);
    expect(podsAt(TRAFFIC_DEFAULTS['traffic-spike'].peakRps)).toBe(8);
    expect(podsAt(TRAFFIC_DEFAULTS['gradual-decline'].toRps)).toBe(1);
    expect(TRAFFIC_DEFAULTS['off-hours'].nightRps).toBe(0);
    for (const rps of [TRAFFIC_DEFAULTS['gradual-decline'].fromRps, TRAFFIC_DEFAULTS['off-hours'].dayRps, TRAFFIC_DEFAULTS.diurnal.maxRps]) {
      expect(podsAt(rps)).toBeLessThanOrEqual(10);
    }
  });
});

describe('parseTrafficSpec()', () => {
  it.each([
    { name: 'an unknown type lists the known ones', input: { type: 'burst' }, at: 'traffic.type', detail: `'type' must be one of ${TYPES}: got "burst"` },
    { name: 'a missing type lists the known ones', input: { peakRps: 3 }, at: 'traffic.type', detail: `'type' must be one of ${TYPES}: got nothing` },
    { name: 'a non-object', input: 'spike', at: 'traffic', detail: `must be an object with a 'type' (one of ${TYPES}): got "spike"` },
    {
      name: 'a misspelled field lists the allowed ones',
      input: { type: 'ramp', toRPS: 3 },
      at: 'traffic.toRPS',
      detail: "unknown field; did you mean 'toRps'? (expected one of 'type', 'fromRps', 'toRps', 'startSeconds', 'durationSeconds', 'noise', 'scale')",
    },
    { name: 'a negative rate', input: { type: 'traffic-spike', peakRps: -5 }, at: 'traffic.peakRps', detail: "must be a number from 0 to 1000000 rps (a limit of hpa-lab's workload model): got -5" },
    { name: 'a rate given as text', input: { type: 'diurnal', maxRps: '40' }, at: 'traffic.maxRps', detail: `must be a number from 0 to 1000000 rps (a limit of hpa-lab's workload model): got "40"` },
    { name: 'maxRps below minRps', input: { type: 'diurnal', minRps: 10, maxRps: 5 }, at: 'traffic.maxRps', detail: "must be ≥ 'minRps' (10): got 5" },
    { name: 'a zero period', input: { type: 'diurnal', periodSeconds: 0 }, at: 'traffic.periodSeconds', detail: 'must be a number of seconds > 0 and <= 10000000000: got 0' },
    {
      name: 'a night start outside the period',
      input: { type: 'off-hours', nightStartSeconds: 90_000 },
      at: 'traffic.nightStartSeconds',
      detail: "must be < 'periodSeconds' (86400): got 90000",
    },
    { name: 'an empty night', input: { type: 'off-hours', nightStartSeconds: 3600, nightEndSeconds: 3600 }, at: 'traffic.nightEndSeconds', detail: "must differ from 'nightStartSeconds': got 3600" },
    {
      name: 'a transition longer than the night',
      input: { type: 'off-hours', nightStartSeconds: 0, nightEndSeconds: 300 },
      at: 'traffic.transitionSeconds',
      detail: 'must fit in the night (300 s) and the day (86100 s): got 600',
    },
    {
      name: 'unordered steps',
      input: { type: 'step', steps: [{ atSeconds: 60, rps: 1 }, { atSeconds: 30, rps: 2 }] },
      at: 'traffic.steps[1].atSeconds',
      detail: 'times must be strictly increasing: got 30 after 60',
    },
    { name: 'no steps', input: { type: 'step', steps: [] }, at: 'traffic.steps', detail: 'must list at least one step' },
    { name: 'a trace with neither file nor points', input: { type: 'trace' }, at: 'traffic', detail: "must have exactly one of 'file' or 'points': got neither" },
    {
      name: 'a trace with both file and points',
      input: { type: 'trace', file: 'a.csv', points: [{ t: 0, rps: 1 }] },
      at: 'traffic',
      detail: "must have exactly one of 'file' or 'points': got both",
    },
    { name: 'a bad interpolation', input: { type: 'trace', file: 'a.csv', interpolation: 'cubic' }, at: 'traffic.interpolation', detail: 'must be "step" or "linear": got "cubic"' },
    { name: 'an unknown noise type', input: { type: 'ramp', noise: { type: 'pink' } }, at: 'traffic.noise.type', detail: `'type' must be one of poisson, gaussian: got "pink"` },
    { name: 'a prometheus URL without http', input: { type: 'prometheus', url: 'ftp://x', query: 'up' }, at: 'traffic.url', detail: 'must be an http(s) URL: got "ftp://x"' },
    { name: 'a bad prometheus range', input: { type: 'prometheus', url: 'http://p:9090', query: 'up', range: '6 hours' }, at: 'traffic.range', detail: 'must be a Prometheus duration like "6h": got "6 hours"' },
    { name: 'a start without an end', input: { type: 'prometheus', url: 'http://p:9090', query: 'up', startSeconds: 5 }, at: 'traffic.endSeconds', detail: "is required with 'startSeconds'" },
    {
      name: 'range together with start and end',
      input: { type: 'prometheus', url: 'http://p:9090', query: 'up', startSeconds: 5, endSeconds: 10, range: '1h' },
      at: 'traffic.range',
      detail: `must not be set with 'startSeconds' and 'endSeconds': got "1h"`,
    },
    {
      name: 'an end before the start',
      input: { type: 'prometheus', url: 'http://p:9090', query: 'up', startSeconds: 10, endSeconds: 10 },
      at: 'traffic.endSeconds',
      detail: "must be > 'startSeconds' (10): got 10",
    },
  ])('throws an InputError for $name', ({ input, at, detail }) => {
    let error: unknown;
    try {
      parseTrafficSpec(input, { file: 'scenario.yaml', path: 'traffic' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).message).toBe(`Cannot load 'scenario.yaml' at '${at}': ${detail}`);
    expect((error as InputError).code).toBe('schema');
  });

  it('returns a parsed spec unchanged when parsed again', () => {
    const once = parseTrafficSpec({ type: 'off-hours', noise: { type: 'gaussian' } });
    expect(parseTrafficSpec(once)).toEqual(once);
  });
});

describe('parseDurationSeconds()', () => {
  it.each([
    { text: '90s', want: 90 },
    { text: '6h', want: 21_600 },
    { text: '1h30m', want: 5_400 },
    { text: '2d', want: 172_800 },
    { text: '1w', want: 604_800 },
    { text: '500ms', want: 0.5 },
    { text: '1d12h30m15s', want: 131_415 },
  ])('parses $text as $want seconds', ({ text, want }) => {
    expect(parseDurationSeconds(text)).toBe(want);
  });

  it.each([
    { name: 'words', text: '6 hours' },
    { name: 'units out of order', text: '30m1h' },
    { name: 'a repeated unit', text: '1h1h' },
    { name: 'nothing', text: '' },
  ])('throws a SyntaxError for $name', ({ text }) => {
    expect(() => parseDurationSeconds(text)).toThrow(
      new SyntaxError(`Cannot parse duration: expected a Prometheus duration like "6h" or "1h30m": got ${JSON.stringify(text)}`),
    );
  });
});

describe('resolvePrometheusWindow()', () => {
  const base = parseTrafficSpec({ type: 'prometheus', url: 'http://p:9090', query: 'up' }) as PrometheusTrafficSpec;
  it.each([
    { name: 'uses explicit start and end', spec: { ...base, startSeconds: 100, endSeconds: 200 }, want: { startSec: 100, endSec: 200, stepSec: 60 } },
    { name: 'ends a range at now', spec: { ...base, range: '6h' }, want: { startSec: 1_699_978_400, endSec: 1_700_000_000, stepSec: 60 } },
    { name: 'takes the last day without a range', spec: base, want: { startSec: 1_699_913_600, endSec: 1_700_000_000, stepSec: 60 } },
  ])('$name', ({ spec, want }) => {
    expect(resolvePrometheusWindow(spec, 1_700_000_000.7)).toEqual(want);
  });
});
