import { parseQuantityMilli } from '../core/index.js';
import type { Tolerances } from './tolerance.js';
import type { ControllerConfig, HorizontalPodAutoscaler } from './types.js';
import { minorOf } from './versions.js';

/**
 * `tolerancesForHpa`: the cluster flag, overridden per direction by behavior when the gate is on.
 *
 * @see https://github.com/kubernetes/kubernetes/blob/master/pkg/controller/podautoscaler/horizontal.go
 */
export function tolerancesForHpa(hpa: HorizontalPodAutoscaler, config: ControllerConfig): Tolerances {
  const hit = memo.get(hpa);
  if (hit !== undefined && hit.config === config) return hit.tolerances;
  const tolerances = compute(hpa, config);
  memo.set(hpa, { config, tolerances });
  return tolerances;
}

/** Per HPA object (specs are not mutated), for the config it was last asked with. */
const memo = new WeakMap<HorizontalPodAutoscaler, { readonly config: ControllerConfig; readonly tolerances: Tolerances }>();

function compute(hpa: HorizontalPodAutoscaler, config: ControllerConfig): Tolerances {
  const b = hpa.spec.behavior;
  let scaleUp = config.tolerance;
  let scaleDown = config.tolerance;
  if (b && config.featureGates.HPAConfigurableTolerance) {
    if (b.scaleDown?.tolerance != null) scaleDown = parseQuantityMilli(b.scaleDown.tolerance) / 1000;
    if (b.scaleUp?.tolerance != null) scaleUp = parseQuantityMilli(b.scaleUp.tolerance) / 1000;
  }
  return minorOf(config.kubernetesVersion) < 33 ? { scaleUp, scaleDown, absolute: true } : { scaleUp, scaleDown };
}
