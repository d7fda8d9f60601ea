import { describe, expect, it } from 'vitest';
import { parseLabelSelector } from '../../core/index.js';
import { compileMetricsQuery } from './metrics-query.js';
import { createResourceConverter } from './resource-converter.js';
import { createResourceMapper } from './resource-mapper.js';

const mapper = createResourceMapper();
const converter = createResourceConverter({ overrides: { namespace: { resource: 'namespace' }, pod: { resource: 'pod' } } }, mapper);
const query = compileMetricsQuery('asr_active_requests{<<.LabelMatchers>>}', converter);
const pods = { group: '', resource: 'pods' };

describe('MetricsQuery.build()', () => {
  it('orders matchers: selector (by key), namespace, resource', () => {
    const r = query.build({ series: 'asr_active_requests', resource: pods, namespace: 'asr', names: ['a', 'b', 'c'], metricSelector: parseLabelSelector('zone=b,model=whisper') });
    expect(r).toEqual({ ok: true, query: 'asr_active_requests{model="whisper",zone="b",namespace="asr",pod=~"a|b|c"}' });
  });

  it.each([
    {
      name: 'an object name that tries to close the matcher',
      names: ['x"} or vector(1) or up{a="'],
      want: 'asr_active_requests{namespace="ns",pod="x\\"} or vector(1) or up{a=\\""}',
    },
    {
      name: 'a backslash that tries to escape the closing quote',
      names: ['p\\'],
      want: 'asr_active_requests{namespace="ns",pod="p\\\\"}',
    },
    {
      name: 'a newline in a name',
      names: ['a\n}'],
      want: 'asr_active_requests{namespace="ns",pod="a\\n}"}',
    },
  ])('escapes $name (no PromQL injection)', ({ names, want }) => {
    expect(query.build({ series: '', resource: pods, namespace: 'ns', names, metricSelector: [] })).toEqual({ ok: true, query: want });
  });

  it('escapes a namespace too', () => {
    const r = query.build({ series: '', resource: pods, namespace: 'n"s', names: ['p'], metricSelector: [] });
    expect(r).toEqual({ ok: true, query: 'asr_active_requests{namespace="n\\"s",pod="p"}' });
  });

  it('refuses gt/lt selectors', () => {
    const r = query.build({ series: '', resource: pods, namespace: 'ns', names: ['p'], metricSelector: parseLabelSelector('n>1') });
    expect(r).toEqual({ ok: false, code: 'unsupportedOperator', message: 'operator not supported by prometheus' });
  });

  it('fails when the rule cannot name the resource label', () => {
    const r = query.build({ series: '', resource: { group: 'apps', resource: 'deployments' }, namespace: 'ns', names: ['d'], metricSelector: [] });
    expect(r).toEqual({
      ok: false,
      code: 'labelForResource',
      message: 'unable to convert resource deployments.apps into label: no generic resource label form specified for this metric',
    });
  });

  it('fails on an empty rendering', () => {
    expect(compileMetricsQuery('', converter).build({ series: '', resource: pods, namespace: '', names: ['p'], metricSelector: [] })).toEqual({
      ok: false,
      code: 'emptyQuery',
      message: 'empty query produced by metrics query template',
    });
  });
});

describe('MetricsQuery.buildExternal()', () => {
  it('adds only selector and namespace matchers, and an empty GroupBy', () => {
    const q = compileMetricsQuery('sum(<<.Series>>{<<.LabelMatchers>>}) by (<<.GroupBy>>)', converter);
    expect(q.buildExternal({ series: 'queue_depth', namespace: 'prod', metricSelector: parseLabelSelector('topic=jobs') })).toEqual({
      ok: true,
      query: 'sum(queue_depth{topic="jobs",namespace="prod"}) by ()',
    });
  });
});

describe('createResourceConverter()', () => {
  it('derives labels from a template with the singular resource and a sanitised group', () => {
    const c = createResourceConverter({ template: 'kube_<<.Group>>_<<.Resource>>' }, mapper);
    expect(c.labelForResource({ group: 'apps', resource: 'deployments' })).toEqual({ ok: true, label: 'kube_apps_deployment' });
    expect(c.resourcesForSeries({ name: 'x', labels: { kube_apps_deployment: 'd', other: 'x' } })).toEqual({
      resources: [{ group: 'apps', resource: 'deployments' }],
      namespaced: true,
    });
  });
});
