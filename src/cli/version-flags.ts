/**
 * `--kubernetes-version` and `--feature-gates`, shared by the commands that run the engine
 * (explain, simulate, up): parsed and checked against the supported versions, turned into the
 * engine's controller settings.
 */
import {
  LATEST_KUBERNETES_VERSION,
  parseFeatureGates,
  parseKubernetesVersion,
  SUPPORTED_RANGE_TEXT,
  type ControllerConfigInput,
  type FeatureGateName,
} from '../engine/index.js';
import { UsageError, type OptionDef } from './command.js';

/** The two options, for a command's `options` list. */
export const VERSION_OPTIONS: readonly OptionDef[] = [
  {
    name: 'kubernetes-version',
    type: 'string',
    arg: 'VERSION',
    description: `Kubernetes version the controller behaves as, ${SUPPORTED_RANGE_TEXT} (default ${LATEST_KUBERNETES_VERSION})`,
  },
  {
    name: 'feature-gates',
    type: 'string',
    arg: 'A=true,B=false',
    description: "Override the version's default gates, as kube-controller-manager --feature-gates (HPAConfigurableTolerance, HPAScaleToZero, HPAGeneration, PodLevelResources)",
  },
];

/** A version given on the command line, checked: "1.37" (`flag` names the flag in errors). */
export function versionFromFlag(text: string, flag = '--kubernetes-version'): string {
  const v = parseKubernetesVersion(text);
  if (!v.ok) throw new UsageError(`'${flag} ${text}': ${v.error}`);
  return v.version;
}

/** Feature-gate overrides from the command line, checked against `version`. */
export function gatesFromFlag(text: string, version: string): Partial<Record<FeatureGateName, boolean>> {
  const g = parseFeatureGates(text, version);
  if (!g.ok) throw new UsageError(`'--feature-gates ${text}': ${g.error}`);
  return g.gates;
}

/**
 * The controller settings the flags ask for (empty when neither is given); `fallbackVersion`
 * (e.g. a scenario file's) applies when `--kubernetes-version` is absent.
 *
 * @example versionConfigFromFlags({ 'kubernetes-version': '1.33' }) // -> { kubernetesVersion: '1.33' }
 */
export function versionConfigFromFlags(values: Readonly<Record<string, unknown>>, fallbackVersion?: string): ControllerConfigInput {
  const vText = values['kubernetes-version'];
  const gText = values['feature-gates'];
  const out: { kubernetesVersion?: string; featureGates?: Partial<Record<FeatureGateName, boolean>> } = {};
  if (typeof vText === 'string') out.kubernetesVersion = versionFromFlag(vText);
  if (typeof gText === 'string') out.featureGates = gatesFromFlag(gText, out.kubernetesVersion ?? fallbackVersion ?? LATEST_KUBERNETES_VERSION);
  return out;
}
