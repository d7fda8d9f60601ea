import type { HorizontalPodAutoscaler, Quantity } from '../engine/index.js';
import { HELM_HPA_BLOCKS, type HelmHpaBlock } from './helm-values.js';

/** Helm values for the seeds' chart, and what could not be carried over. */
export interface HelmValuesExport {
  /** `{ scaling: { auto: { enabled: true, lightningAsr: { hpa }, apiServer: { hpa } } } }`. */
  readonly values: Record<string, unknown>;
  readonly warnings: readonly string[];
}

/**
 * The inverse of `parseHelmValues()` where the chart can say it: an HPA with one Pods metric
 * `asr_active_requests` (AverageValue) becomes `scaling.auto.lightningAsr.hpa`, one with one
 * External metric `lightning_asr_replica_count` (AverageValue) becomes `scaling.auto.apiServer.hpa`.
 * Behavior that is only stabilization windows uses the `scaleUp/DownStabilizationWindowSeconds`
 * keys, anything else the `behavior` block. Names, namespace and labels the chart fixes are
 * reported as warnings.
 *
 * @throws {RangeError} when an HPA's metrics have no place in the chart, or two HPAs need one block.
 * @example hpaToHelmValues(parseHelmValues(text, f).hpas).values // -> the same HPA settings
 */
export function hpaToHelmValues(hpas: HorizontalPodAutoscaler | readonly HorizontalPodAutoscaler[]): HelmValuesExport {
  const list: readonly HorizontalPodAutoscaler[] = Array.isArray(hpas) ? hpas : [hpas as HorizontalPodAutoscaler];
  const auto: Record<string, unknown> = { enabled: true };
  const warnings: string[] = [];
  for (const hpa of list) {
    const block = blockFor(hpa);
    const name = hpa.metadata.name;
    if (!block) {
      const shapes = HELM_HPA_BLOCKS.map((b) => `one ${b.metricType} metric '${b.metricName}' with an AverageValue target`).join(' or ');
      throw new RangeError(`Cannot export HPA '${name}' to Helm values as its metrics have no place in the chart: expected ${shapes}`);
    }
    if (auto[block.key] !== undefined) {
      throw new RangeError(`Cannot export HPA '${name}' to Helm values as 'scaling.auto.${block.key}.hpa' is already taken by another HPA`);
    }
    auto[block.key] = { hpa: blockValues(hpa, block) };
    warnings.push(...lostFields(hpa, block));
  }
  return { values: { scaling: { auto } }, warnings };
}

function blockFor(hpa: HorizontalPodAutoscaler): HelmHpaBlock | undefined {
  const metrics = hpa.spec.metrics ?? [];
  const metric = metrics[0];
  if (metrics.length !== 1 || !metric) return undefined;
  return HELM_HPA_BLOCKS.find((b) => {
    const source = b.metricType === 'Pods' ? metric.pods : metric.external;
    return (
      metric.type === b.metricType &&
      source !== undefined &&
      source.metric.name === b.metricName &&
      !source.metric.selector &&
      source.target.type === 'AverageValue' &&
      source.target.averageValue !== undefined
    );
  });
}

function blockValues(hpa: HorizontalPodAutoscaler, block: HelmHpaBlock): Record<string, unknown> {
  const { minReplicas, maxReplicas, behavior, metrics } = hpa.spec;
  const metric = metrics?.[0];
  const target = (block.metricType === 'Pods' ? metric?.pods : metric?.external)?.target.averageValue as Quantity;
  const values: Record<string, unknown> = { enabled: true };
  if (minReplicas !== undefined) values['minReplicas'] = minReplicas;
  values['maxReplicas'] = maxReplicas;
  values[block.targetField] = toHelmNumber(target);
  if (behavior !== undefined && behavior !== null) {
    const directions = (['scaleUp', 'scaleDown'] as const).filter((d) => behavior[d] !== undefined && behavior[d] !== null);
    const windowsOnly =
      directions.length > 0 &&
      directions.every((d) => {
        const rules = behavior[d] ?? {};
        const keys = Object.keys(rules).filter((k) => (rules as Record<string, unknown>)[k] !== undefined && (rules as Record<string, unknown>)[k] !== null);
        return keys.length === 1 && keys[0] === 'stabilizationWindowSeconds';
      });
    if (windowsOnly) {
      for (const d of directions) values[`${d}StabilizationWindowSeconds`] = behavior[d]?.stabilizationWindowSeconds;
    } else {
      values['behavior'] = structuredClone(behavior);
    }
  }
  return values;
}

/** A string quantity that is a plain number is written as a number (`"5"` -> 5), as the seeds do. */
function toHelmNumber(q: Quantity): Quantity {
  if (typeof q === 'number') return q;
  const n = Number(q);
  return q.trim() !== '' && String(n) === q ? n : q;
}

function lostFields(hpa: HorizontalPodAutoscaler, block: HelmHpaBlock): string[] {
  const out: string[] = [];
  const where = `scaling.auto.${block.key}.hpa`;
  const { name, namespace, labels, annotations } = hpa.metadata;
  if (name !== block.name) out.push(`'${where}': the chart names this HPA '${block.name}', not '${name}'`);
  const ref = hpa.spec.scaleTargetRef;
  if (ref.kind !== 'Deployment' || ref.name !== block.name || (ref.apiVersion ?? 'apps/v1') !== 'apps/v1') {
    out.push(`'${where}': the chart targets Deployment '${block.name}', not ${ref.kind} '${ref.name}'`);
  }
  if (namespace !== undefined) out.push(`'${where}': namespace '${namespace}' is not part of the values (Helm's release namespace is used)`);
  if (labels !== undefined || annotations !== undefined) out.push(`'${where}': labels and annotations are not part of the values`);
  return out;
}
