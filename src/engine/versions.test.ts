import { describe, expect, it } from 'vitest';
import { aggregateContainerRequest, isPodLevelRequestsSet } from './requests.js';
import { sumExternalPerPod } from './replica-calculator.js';
import { resolveControllerConfig } from './defaults.js';
import { isWithinTolerance } from './tolerance.js';
import { MAX_INT64 } from './int-math.js';
import {
  checkGate,
  defaultFeatureGates,
  describeGate,
  LATEST_KUBERNETES_VERSION,
  parseFeatureGates,
  parseKubernetesVersion,
  SUPPORTED_KUBERNETES_VERSIONS,
  versionRuleApplies,
} from './versions.js';
import type { PodInfo } from './types.js';

describe('Kubernetes versions', () => {
  it('supports 1.30 to 1.38 and defaults to the newest', () => {
    expect(SUPPORTED_KUBERNETES_VERSIONS).toEqual(['1.30', '1.31', '1.32', '1.33', '1.34', '1.35', '1.36', '1.37', '1.38']);
    expect(LATEST_KUBERNETES_VERSION).toBe('1.38');
    expect(resolveControllerConfig({}).kubernetesVersion).toBe('1.38');
  });

  it.each([
    { text: '1.37', ok: '1.37' },
    { text: 'v1.33.4', ok: '1.33' },
    { text: '1.30', ok: '1.30' },
    { text: '1.29', ok: undefined },
    { text: '1.39', ok: undefined },
    { text: '2.0', ok: undefined },
    { text: 'latest', ok: undefined },
  ])('parses $text', ({ text, ok }) => {
    const v = parseKubernetesVersion(text);
    if (ok === undefined) expect(v).toMatchObject({ ok: false, error: expect.stringContaining('from 1.30 to 1.38') });
    else expect(v).toMatchObject({ ok: true, version: ok });
  });

  it.each([
    { v: '1.30', gates: { HPAConfigurableTolerance: false, HPAScaleToZero: false, HPAGeneration: false, PodLevelResources: false } },
    { v: '1.33', gates: { HPAConfigurableTolerance: false, HPAScaleToZero: false, HPAGeneration: false, PodLevelResources: false } },
    { v: '1.34', gates: { HPAConfigurableTolerance: false, HPAScaleToZero: false, HPAGeneration: false, PodLevelResources: true } },
    { v: '1.35', gates: { HPAConfigurableTolerance: true, HPAScaleToZero: false, HPAGeneration: false, PodLevelResources: true } },
    { v: '1.36', gates: { HPAConfigurableTolerance: true, HPAScaleToZero: false, HPAGeneration: false, PodLevelResources: true } },
    { v: '1.37', gates: { HPAConfigurableTolerance: true, HPAScaleToZero: true, HPAGeneration: false, PodLevelResources: true } },
    { v: '1.38', gates: { HPAConfigurableTolerance: true, HPAScaleToZero: true, HPAGeneration: false, PodLevelResources: true } },
  ])('turns on the default gates of $v', ({ v, gates }) => {
    expect(defaultFeatureGates(v)).toEqual(gates);
  });

  it('applies version rules from their version on', () => {
    expect(versionRuleApplies('IgnoreSucceededPods', '1.37')).toBe(false);
    expect(versionRuleApplies('IgnoreSucceededPods', '1.38')).toBe(true);
    expect(versionRuleApplies('ScaleToZeroCondition', '1.35')).toBe(false);
    expect(versionRuleApplies('ScaleToZeroCondition', '1.36')).toBe(true);
  });

  it('parses --feature-gates as kube-controller-manager and refuses what it would refuse', () => {
    expect(parseFeatureGates('PodLevelResources=false, HPAScaleToZero=TRUE', '1.38')).toEqual({ ok: true, gates: { PodLevelResources: false, HPAScaleToZero: true } });
    expect(parseFeatureGates('', '1.38')).toEqual({ ok: true, gates: {} });
    expect(parseFeatureGates('PodLevelResources', '1.38')).toMatchObject({ ok: false, error: expect.stringContaining('Gate=true|false') });
    expect(parseFeatureGates('Nope=true', '1.38')).toMatchObject({ ok: false, error: expect.stringContaining('unknown feature gate "Nope"') });
    expect(checkGate('HPAConfigurableTolerance', false, '1.37')).toMatchObject({ ok: false, error: expect.stringContaining('GA in Kubernetes 1.37') });
    expect(checkGate('HPAConfigurableTolerance', true, '1.32')).toMatchObject({ ok: false, error: expect.stringContaining('added in 1.33') });
    expect(checkGate('HPAConfigurableTolerance', false, '1.36')).toEqual({ ok: true, name: 'HPAConfigurableTolerance', value: false });
  });

  it('resolves overrides over the version defaults', () => {
    const c = resolveControllerConfig({ kubernetesVersion: '1.33', featureGates: { HPAConfigurableTolerance: true } });
    expect(c.featureGates).toEqual({ HPAConfigurableTolerance: true, HPAScaleToZero: false, HPAGeneration: false, PodLevelResources: false });
  });

  it.each([
    { name: 'HPAConfigurableTolerance', v: '1.37', on: true, text: 'HPAConfigurableTolerance, GA in 1.37' },
    { name: 'HPAConfigurableTolerance', v: '1.35', on: true, text: 'HPAConfigurableTolerance, beta since 1.35, on by default' },
    { name: 'HPAConfigurableTolerance', v: '1.34', on: false, text: 'HPAConfigurableTolerance, alpha since 1.33, off by default' },
    { name: 'HPAConfigurableTolerance', v: '1.34', on: true, text: 'HPAConfigurableTolerance=true set explicitly, alpha since 1.33' },
    { name: 'PodLevelResources', v: '1.31', on: false, text: 'PodLevelResources, not in 1.31' },
  ] as const)('describes $name in $v ($on)', ({ name, v, on, text }) => {
    expect(describeGate(name, v, on)).toBe(text);
  });
});

describe('upstream rules fixed in issue 11', () => {
  const pod = (p: Partial<PodInfo>): PodInfo => ({ name: 'p', phase: 'Running', ...p });

  it.each([
    { name: 'containers summed', p: { containers: [{ name: 'a', requestsMilli: { cpu: 100 } }, { name: 'b', requestsMilli: { cpu: 50 } }] }, want: 150 },
    { name: 'a container without the resource counts as nothing', p: { containers: [{ name: 'a' }, { name: 'b', requestsMilli: { cpu: 50 } }] }, want: 50 },
    { name: 'nothing requests it', p: { containers: [{ name: 'a', requestsMilli: { memory: 1 } }] }, want: undefined },
    {
      name: 'a regular init container larger than the rest wins',
      p: { containers: [{ name: 'a', requestsMilli: { cpu: 100 } }], initContainers: [{ name: 'i', requestsMilli: { cpu: 500 } }] },
      want: 500,
    },
    {
      name: 'an init container after a sidecar adds the sidecar',
      p: {
        containers: [{ name: 'a', requestsMilli: { cpu: 100 } }],
        initContainers: [
          { name: 's', restartPolicy: 'Always', requestsMilli: { cpu: 50 } },
          { name: 'i', requestsMilli: { cpu: 200 } },
        ],
      },
      want: 250,
    },
    {
      name: 'an init container before a sidecar does not',
      p: {
        containers: [{ name: 'a', requestsMilli: { cpu: 100 } }],
        initContainers: [
          { name: 'i', requestsMilli: { cpu: 200 } },
          { name: 's', restartPolicy: 'Always', requestsMilli: { cpu: 50 } },
        ],
      },
      want: 200,
    },
  ])('aggregates container requests as PodRequests: $name', ({ p, want }) => {
    expect(aggregateContainerRequest(pod(p), 'cpu')).toBe(want);
  });

  it('counts pod-level requests as set only with a supported resource', () => {
    expect(isPodLevelRequestsSet(pod({ podRequestsMilli: { 'ephemeral-storage': 1 } }))).toBe(false);
    expect(isPodLevelRequestsSet(pod({ podRequestsMilli: { 'hugepages-2Mi': 1 } }))).toBe(true);
    expect(isPodLevelRequestsSet(pod({ podRequestsMilli: { memory: 1 } }))).toBe(true);
    expect(isPodLevelRequestsSet(pod({}))).toBe(false);
  });

  it('saturates a per-pod External sum that goes below zero, and only then', () => {
    expect(sumExternalPerPod([-5000, 9000])).toEqual({ usage: MAX_INT64, saturated: 'negative-sum' });
    expect(sumExternalPerPod([9000, -5000])).toEqual({ usage: 4000 });
    expect(sumExternalPerPod([])).toEqual({ usage: 0 });
  });

  it('tests tolerance as |1 - ratio| before 1.33 and as a band after', () => {
    expect(isWithinTolerance(1.1, { scaleUp: 0.1, scaleDown: 0.1 })).toBe(true);
    expect(isWithinTolerance(1.1, { scaleUp: 0.1, scaleDown: 0.1, absolute: true })).toBe(false);
  });
});

describe('explaining the saturated per-pod External sum', () => {
  it('says plainly that upstream reads a negative running sum as int64 overflow', async () => {
    const { computeMetric } = await import('./compute-metric.js');
    const { describeStep } = await import('./explain.js');
    const o = computeMetric(
      { type: 'External', external: { metric: { name: 'queue' }, target: { type: 'AverageValue', averageValue: '1' } } },
      { valuesMilli: [-5000, 9000] },
      {
        specReplicas: 3,
        statusReplicas: 3,
        pods: [],
        namespace: 'default',
        tolerances: { scaleUp: 0.1, scaleDown: 0.1 },
        settings: { cpuInitializationPeriodSeconds: 300, delayOfInitialReadinessStatusSeconds: 30, nowMs: 0 },
      },
    );
    expect(o.ok && o.replicas).toBe(2147483647);
    if (!o.ok) return;
    const text = describeStep({ kind: 'metric', index: 0, name: o.name, ok: true, current: o.current, target: o.target, targetType: o.targetType, proposal: o.replicas, detail: o.detail });
    expect(text).toContain('went below zero: upstream takes that for int64 overflow and saturates the usage to MaxInt64');
    expect(text).toContain('capped at MaxInt32');
  });
});

describe('explaining where utilization requests came from', () => {
  it('names the container aggregate when pod-level requests lack the resource', async () => {
    const { computeMetric } = await import('./compute-metric.js');
    const { describeStep } = await import('./explain.js');
    const pods: PodInfo[] = ['a', 'b'].map((name) => ({
      name,
      phase: 'Running',
      startTimeMs: -600_000,
      ready: { status: 'True', lastTransitionTimeMs: -600_000 },
      containers: [{ name: 'c', requestsMilli: { cpu: 500 } }],
      podRequestsMilli: { memory: 1_000_000 },
    }));
    const o = computeMetric(
      { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } },
      { podMetrics: pods.map((p) => ({ podName: p.name, timestampMs: 0, windowSeconds: 60, containers: [{ name: 'c', usageMilli: { cpu: 500 } }] })) },
      {
        specReplicas: 2,
        statusReplicas: 2,
        pods,
        namespace: 'default',
        tolerances: { scaleUp: 0.1, scaleDown: 0.1 },
        settings: { cpuInitializationPeriodSeconds: 300, delayOfInitialReadinessStatusSeconds: 30, podLevelResources: true, nowMs: 0 },
      },
    );
    expect(o.ok && o.replicas).toBe(4);
    if (!o.ok) return;
    const text = describeStep({ kind: 'metric', index: 0, name: o.name, ok: true, current: o.current, target: o.target, targetType: o.targetType, proposal: o.replicas, detail: o.detail });
    expect(text).toContain("requests from the containers' aggregate, since the pod-level requests do not name this resource");
  });
});
