/**
 * The server's version (`/version`) and the single place where it becomes the engine's input.
 * The engine has no `kubernetesVersion` setting in this tree yet: the version selects the
 * feature-gate defaults of that release instead. When the engine's ControllerConfig gains
 * `kubernetesVersion` (branch h/versions: a "1.34"-style minor, with `featureGates` as overrides
 * over that version's defaults), `engineConfigForVersion` returns
 * `{ kubernetesVersion: `${major}.${minor}` }` (clamped to the supported versions) and drops the
 * gate table below; no other file changes.
 */
import type { ControllerConfig } from '../../engine/index.js';
import type { KubeClient } from './connect-cluster.js';
import type { Json } from './from-api.js';

export interface ServerVersion {
  readonly major: number;
  readonly minor: number;
  readonly gitVersion: string;
}

/** Reads `/version`; undefined when the server does not say (never fails a command). */
export async function readServerVersion(client: KubeClient): Promise<ServerVersion | undefined> {
  try {
    const v = await client.get<Json>('/version', { what: 'the server version (/version)', once: true });
    const major = Number.parseInt(String(v.major ?? ''), 10);
    const minor = Number.parseInt(String(v.minor ?? ''), 10);
    if (!Number.isFinite(major) || !Number.isFinite(minor)) return undefined;
    return { major, minor, gitVersion: String(v.gitVersion ?? `v${major}.${minor}`) };
  } catch {
    return undefined;
  }
}

/**
 * The controller settings a release runs with by default: HPAConfigurableTolerance is beta (on)
 * from 1.35 (alpha, off, in 1.33–1.34); PodLevelResources is beta (on) from 1.34.
 *
 * @see https://github.com/kubernetes/kubernetes/blob/master/pkg/features/kube_features.go
 */
export function engineConfigForVersion(version: ServerVersion | undefined): Partial<ControllerConfig> {
  if (!version || version.major !== 1) return {};
  return { featureGates: { HPAConfigurableTolerance: version.minor >= 35, PodLevelResources: version.minor >= 34 } };
}
