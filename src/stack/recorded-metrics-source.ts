/**
 * A `MetricsSource` wrapper that remembers each HPA's last reading per metric, so `hpa-lab status`
 * and `describe` can show what the controller read, and through which pipeline.
 */
import { formatMilliQuantity, type MetricReading, type MetricSpec, type MetricsSource } from '../engine/index.js';
import type { Clock } from '../core/index.js';

/** The last reading of one HPA metric. */
export interface MetricRead {
  readonly hpa: string;
  /** The metric's name (`asr_active_requests`; `cpu` for a Resource metric). */
  readonly metric: string;
  readonly type: MetricSpec['type'];
  readonly atMs: number;
  readonly ok: boolean;
  /** The values read (`lightning-asr-bcdfg=3, lightning-asr-hjklm=4`, or `2`), or the error. */
  readonly value: string;
}

/** A source that records what it read. */
export interface RecordedMetricsSource extends MetricsSource {
  /** The last reading of every HPA metric, in the order they were first read. */
  reads(): MetricRead[];
}

/** The name of a metric spec, whatever its type. */
export function metricNameOf(spec: MetricSpec): string {
  switch (spec.type) {
    case 'Pods':
      return spec.pods?.metric.name ?? '';
    case 'Object':
      return spec.object?.metric.name ?? '';
    case 'External':
      return spec.external?.metric.name ?? '';
    case 'Resource':
      return spec.resource?.name ?? '';
    case 'ContainerResource':
      return spec.containerResource?.name ?? '';
    default:
      return '';
  }
}

const MAX_SHOWN = 4;

function summarize(reading: MetricReading): { ok: boolean; value: string } {
  if ('error' in reading) return { ok: false, value: reading.error };
  if ('podValues' in reading) {
    if (reading.podValues.length === 0) return { ok: true, value: 'no pods' };
    const shown = reading.podValues.slice(0, MAX_SHOWN).map((v) => `${v.podName}=${formatMilliQuantity(v.valueMilli)}`);
    const more = reading.podValues.length - shown.length;
    return { ok: true, value: `${shown.join(', ')}${more > 0 ? ` and ${more} more` : ''}` };
  }
  if ('valuesMilli' in reading) return { ok: true, value: reading.valuesMilli.length === 0 ? 'no values' : reading.valuesMilli.map(formatMilliQuantity).join(', ') };
  if ('valueMilli' in reading) return { ok: true, value: formatMilliQuantity(reading.valueMilli) };
  return { ok: true, value: `${reading.podMetrics.length} pods` };
}

/**
 * Wraps `source`.
 *
 * @example
 * const recorded = createRecordedMetricsSource(scraper, { clock: systemClock });
 * recorded.reads(); // -> [{ hpa: 'lightning-asr', metric: 'asr_active_requests', ok: true, value: 'lightning-asr-bcdfg=3', ... }]
 */
export function createRecordedMetricsSource(source: MetricsSource, options: { readonly clock: Clock }): RecordedMetricsSource {
  const last = new Map<string, MetricRead>();
  return {
    async read(input) {
      const readings = await source.read(input);
      const atMs = options.clock.now();
      const hpa = input.hpa.metadata.name;
      (input.hpa.spec.metrics ?? []).forEach((spec, k) => {
        const reading = readings[k];
        if (reading === undefined) return;
        last.set(`${hpa}\t${k}`, { hpa, metric: metricNameOf(spec), type: spec.type, atMs, ...summarize(reading) });
      });
      return readings;
    },
    reads: () => [...last.values()],
    ...(source.close ? { close: () => source.close?.() ?? Promise.resolve() } : {}),
  };
}
