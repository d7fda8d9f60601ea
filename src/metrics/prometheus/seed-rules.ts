/**
 * The recording and alerting rules of seed 002 ("Metrics Setup": Recording Rules, Alerting Rules),
 * as the `additionalPrometheusRulesMap` entries `asr-rules` and `asr-alerts` of the chart's values.
 * They are the defaults a values file's own map is merged over, key by key, as Helm merges maps.
 */

/** A Prometheus rule file (`groups:`), kept as plain data so it is written exactly as given. */
export interface PrometheusRuleFile {
  readonly groups: readonly Readonly<Record<string, unknown>>[];
}

/** `asr-rules`: the seed's recording rules. */
export const SEED_RECORDING_RULES: PrometheusRuleFile = {
  groups: [
    {
      name: 'asr_aggregations',
      interval: '30s',
      rules: [
        { record: 'asr:requests:rate5m', expr: 'rate(asr_total_requests[5m])' },
        { record: 'asr:requests:active_avg', expr: 'avg(asr_active_requests) by (namespace)' },
        { record: 'asr:gpu:utilization_avg', expr: 'avg(asr_gpu_utilization) by (namespace)' },
      ],
    },
  ],
};

/** `asr-alerts`: the seed's alerting rules. */
export const SEED_ALERTING_RULES: PrometheusRuleFile = {
  groups: [
    {
      name: 'asr_alerts',
      rules: [
        {
          alert: 'HighErrorRate',
          expr: 'rate(asr_failed_requests[5m]) > 0.1',
          for: '5m',
          labels: { severity: 'warning' },
          annotations: { summary: 'High ASR error rate', description: 'Error rate is {{ $value }} errors/sec' },
        },
        {
          alert: 'HighQueueLength',
          expr: 'asr_active_requests > 50',
          for: '2m',
          labels: { severity: 'warning' },
          annotations: { summary: 'ASR queue backing up', description: '{{ $value }} requests queued' },
        },
        {
          alert: 'GPUMemoryHigh',
          expr: 'asr_gpu_memory_used_bytes / 24000000000 > 0.9',
          for: '5m',
          labels: { severity: 'warning' },
          annotations: { summary: 'GPU memory usage high', description: 'GPU memory at {{ $value | humanizePercentage }}' },
        },
      ],
    },
  ],
};

/** The seed's `additionalPrometheusRulesMap`. */
export const SEED_PROMETHEUS_RULES_MAP: Readonly<Record<string, PrometheusRuleFile>> = {
  'asr-rules': SEED_RECORDING_RULES,
  'asr-alerts': SEED_ALERTING_RULES,
};
