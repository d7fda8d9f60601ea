import { describe, expect, it } from 'vitest';
import { loadScenarioFile } from '../input/files/index.js';
import { escapeLabelValue, writeOpenMetrics } from './openmetrics.js';
import { captureSimulation } from './sim-capture.js';

describe('writeOpenMetrics()', () => {
  it('writes grouped families, increasing timestamps per series, and # EOF', async () => {
    const loaded = await loadScenarioFile(new URL('../../examples/scenarios/traffic-spike.yaml', import.meta.url).pathname);
    const { frames } = captureSimulation({ ...loaded.scenario, durationSeconds: 600 }, { seed: 1 });
    let text = '';
    writeOpenMetrics(frames, { startEpochMs: 1_700_000_000_000, write: (s) => (text += s) });
    expect(text.endsWith('# EOF\n')).toBe(true);
    const lastBySeries = new Map<string, number>();
    const familiesSeen: string[] = [];
    for (const line of text.split('\n')) {
      const type = /^# TYPE (\S+) gauge$/.exec(line);
      if (type) {
        expect(familiesSeen).not.toContain(type[1]);
        familiesSeen.push(type[1]!);
        continue;
      }
      const m = /^(\S+\{[^}]*\}) (\S+) (\S+)$/.exec(line);
      if (!m) continue;
      const ts = Number(m[3]);
      expect(ts).toBeGreaterThanOrEqual(lastBySeries.get(m[1]!) ?? 0);
      lastBySeries.set(m[1]!, ts);
    }
    expect(familiesSeen).toEqual(expect.arrayContaining(['kube_horizontalpodautoscaler_status_desired_replicas', 'kube_deployment_spec_replicas', 'kube_pod_status_phase', 'asr_active_requests']));
    expect(text).toContain('kube_horizontalpodautoscaler_status_condition{namespace="smallest",horizontalpodautoscaler="lightning-asr",condition="AbleToScale",status="true"} 1 1700000000.000');
  });
});

describe('escapeLabelValue()', () => {
  it.each([
    { value: 'plain', want: 'plain' },
    { value: 'a"b', want: 'a\\"b' },
    { value: 'a\\b', want: 'a\\\\b' },
    { value: 'a\nb', want: 'a\\nb' },
  ])('$value', ({ value, want }) => {
    expect(escapeLabelValue(value)).toBe(want);
  });
});
