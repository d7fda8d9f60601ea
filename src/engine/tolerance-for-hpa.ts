import { parseQuantityMilli } from './quantity.js';
import type { Tolerances } from './tolerance.js';
import type { ControllerConfig, HorizontalPodAutoscaler } from './types.js';
import { describeGate, minorOf } from './versions.js';

/**
 * `tolerancesForHpa`: the cluster flag, overridden per direction by behavior when the gate is on.
 *
 * @see https://github.com/kubernetes/kubernetes/blob/master/pkg/controller/podautoscaler/horizontal.go
 */
export function tolerancesForHpa(hpa: HorizontalPodAutoscaler, config: ControllerConfig): Tolerances {
  const b = hpa.spec.behavior;
  let scaleUp = config.tolerance;
  let scaleDown = config.tolerance;
  if (b && config.featureGates.HPAConfigurableTolerance) {
    if (b.scaleDown?.tolerance != null) scaleDown = parseQuantityMilli(b.scaleDown.tolerance) / 1000;
    if (b.scaleUp?.tolerance != null) scaleUp = parseQuantityMilli(b.scaleUp.tolerance) / 1000;
  }
  return minorOf(config.kubernetesVersion) < 33 ? { scaleUp, scaleDown, absolute: true } : { scaleUp, scaleDown };
}

/** Where one direction's tolerance came from, in words. */
export interface ToleranceSource {
  readonly direction: 'scaleUp' | 'scaleDown';
  readonly value: number;
  readonly text: string;
}

/**
 * The tolerance of each direction and the rule that chose it, for the explanation:
 * "tolerance 0.05 from behavior.scaleDown.tolerance (HPAConfigurableTolerance, GA in 1.37)".
 *
 * @example describeTolerances(hpa, config)[1].text // -> 'scale-down tolerance 0.1 from --horizontal-pod-autoscaler-tolerance'
 */
export function describeTolerances(hpa: HorizontalPodAutoscaler, config: ControllerConfig): readonly ToleranceSource[] {
  const t = tolerancesForHpa(hpa, config);
  const gate = config.featureGates.HPAConfigurableTolerance;
  const gateText = describeGate('HPAConfigurableTolerance', config.kubernetesVersion, gate);
  const out: ToleranceSource[] = [];
  for (const direction of ['scaleUp', 'scaleDown'] as const) {
    const field = hpa.spec.behavior?.[direction]?.tolerance;
    const value = t[direction];
    const label = direction === 'scaleUp' ? 'scale-up' : 'scale-down';
    let text: string;
    if (field != null && gate) text = `${label} tolerance ${value} from behavior.${direction}.tolerance (${gateText})`;
    else if (field != null) text = `${label} tolerance ${value} from --horizontal-pod-autoscaler-tolerance; behavior.${direction}.tolerance is dropped (${gateText})`;
    else text = `${label} tolerance ${value} from --horizontal-pod-autoscaler-tolerance`;
    out.push({ direction, value, text });
  }
  return out;
}
