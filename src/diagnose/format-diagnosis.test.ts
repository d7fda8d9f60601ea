import { describe, expect, it } from 'vitest';
import { formatDiagnosis } from './format-diagnosis.js';
import type { Diagnosis } from './types.js';

const DIAGNOSIS: Diagnosis = {
  prometheusUrl: 'http://127.0.0.1:9090',
  adapter: 'in-process adapter',
  rulesFile: 'rules.yaml',
  ok: false,
  hpas: [
    {
      name: 'lightning-asr',
      namespace: 'default',
      metrics: [
        {
          label: 'pods metric asr_active_requests',
          type: 'Pods',
          metric: 'asr_active_requests',
          firstBroken: 'targets scraped and up',
          checks: [
            { id: 'prometheus', title: 'Prometheus answers', status: 'pass', evidence: 'http://127.0.0.1:9090' },
            { id: 'targets', title: 'targets scraped and up', status: 'fail', evidence: '1 of 2 targets down', fix: 'start the worker' },
            { id: 'fresh', title: 'samples are fresh', status: 'skip', evidence: 'needs a series' },
          ],
        },
      ],
      decision: { id: 'decision', title: 'decision', status: 'warn', evidence: 'at maxReplicas 10', fix: 'raise maxReplicas' },
    },
  ],
};

describe('formatDiagnosis()', () => {
  it('prints one marked line per check, fixes under ✗ and ⚠, and the first broken link', () => {
    expect(formatDiagnosis(DIAGNOSIS)).toBe(
      [
        'Prometheus http://127.0.0.1:9090 · adapter: in-process adapter · rules: rules.yaml',
        '',
        'HPA default/lightning-asr',
        '  pods metric asr_active_requests',
        '    ✓ Prometheus answers               http://127.0.0.1:9090',
        '    ✗ targets scraped and up           1 of 2 targets down',
        '        fix: start the worker',
        '    – samples are fresh                needs a series',
        '    first broken link: targets scraped and up',
        '  ⚠ decision                         at maxReplicas 10',
        '      fix: raise maxReplicas',
        '',
        'Broken links found (✗): fix the first one of each metric, then run diagnose again.',
        '',
      ].join('\n'),
    );
  });
});
