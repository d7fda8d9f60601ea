import { describe, expect, it } from 'vitest';
import { formatHpaTargets, humanDuration } from './tables.js';

describe('humanDuration (kubectl AGE)', () => {
  it.each([
    [-5, '<invalid>'],
    [0, '0s'],
    [119, '119s'],
    [120, '2m'],
    [310, '5m10s'],
    [600, '10m'],
    [179 * 60, '179m'],
    [3 * 3600 + 30 * 60, '3h30m'],
    [10 * 3600, '10h'],
    [50 * 3600, '2d2h'],
    [30 * 86400, '30d'],
    [3 * 365 * 86400 + 5 * 86400, '3y5d'],
  ])('%s s -> %s', (seconds, text) => {
    expect(humanDuration(seconds)).toBe(text);
  });
});

const hpa = (metrics: unknown[], currentMetrics?: unknown[]) => ({ spec: { metrics }, status: currentMetrics ? { currentMetrics } : {} });
const pods = { type: 'Pods', pods: { metric: { name: 'm' }, target: { type: 'AverageValue', averageValue: '5' } } };
const cpu = { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } };
const external = { type: 'External', external: { metric: { name: 'q' }, target: { type: 'AverageValue', averageValue: '30' } } };

describe('formatHpaTargets (TARGETS)', () => {
  it.each([
    ['no metric', hpa([]), '<none>'],
    ['pods, no status', hpa([pods]), '<unknown>/5'],
    ['pods with a milli value', hpa([pods], [{ type: 'Pods', pods: { current: { averageValue: '7500m' } } }]), '7500m/5'],
    ['cpu utilization', hpa([cpu], [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 50, averageValue: '100m' } } }]), 'cpu: 50%/80%'],
    ['external average', hpa([external], [{ type: 'External', external: { current: { averageValue: '12' } } }]), '12/30 (avg)'],
    ['three metrics', hpa([pods, cpu, external]), '<unknown>/5, cpu: <unknown>/80% + 1 more...'],
  ])('%s', (_what, object, text) => {
    expect(formatHpaTargets(object)).toBe(text);
  });
});
