/**
 * The server's version (`/version`) and the single place where it becomes the engine's input
 * (`kubernetesVersion`, whose release defaults the engine's feature gates follow).
 */
import { NEWEST_KUBERNETES_MINOR, OLDEST_KUBERNETES_MINOR, type ControllerConfigInput } from '../../engine/index.js';
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
 * The engine input for the server's release: its `kubernetesVersion` (the engine applies that
 * release's default feature gates), clamped to the versions the engine knows.
 */
export function engineConfigForVersion(version: ServerVersion | undefined): ControllerConfigInput {
  if (!version || version.major !== 1) return {};
  const minor = Math.min(NEWEST_KUBERNETES_MINOR, Math.max(OLDEST_KUBERNETES_MINOR, version.minor));
  return { kubernetesVersion: `1.${minor}` };
}
