/**
 * The kinds the small API server serves: one row each, with what discovery, the printers and
 * the routes need to know about them.
 */

/** One served resource (a kind at one group/version). */
export interface ResourceDef {
  /** `''` for the core group. */
  readonly group: string;
  readonly version: string;
  /** The resource name in paths: `horizontalpodautoscalers`. */
  readonly plural: string;
  readonly singular: string;
  readonly kind: string;
  readonly namespaced: boolean;
  readonly shortNames: readonly string[];
  readonly verbs: readonly string[];
  /** Subresources served: `status`, `scale`. */
  readonly subresources: readonly string[];
  readonly categories?: readonly string[];
}

const ALL_VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'] as const;

/** Every resource served, in discovery order. */
export const RESOURCES: readonly ResourceDef[] = [
  { group: '', version: 'v1', plural: 'namespaces', singular: 'namespace', kind: 'Namespace', namespaced: false, shortNames: ['ns'], verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'], subresources: [] },
  { group: '', version: 'v1', plural: 'pods', singular: 'pod', kind: 'Pod', namespaced: true, shortNames: ['po'], verbs: ALL_VERBS, subresources: ['status'], categories: ['all'] },
  { group: '', version: 'v1', plural: 'events', singular: 'event', kind: 'Event', namespaced: true, shortNames: ['ev'], verbs: ALL_VERBS, subresources: [] },
  { group: 'apps', version: 'v1', plural: 'deployments', singular: 'deployment', kind: 'Deployment', namespaced: true, shortNames: ['deploy'], verbs: ALL_VERBS, subresources: ['status', 'scale'], categories: ['all'] },
  { group: 'autoscaling', version: 'v2', plural: 'horizontalpodautoscalers', singular: 'horizontalpodautoscaler', kind: 'HorizontalPodAutoscaler', namespaced: true, shortNames: ['hpa'], verbs: ALL_VERBS, subresources: ['status'], categories: ['all'] },
  { group: 'apiregistration.k8s.io', version: 'v1', plural: 'apiservices', singular: 'apiservice', kind: 'APIService', namespaced: false, shortNames: [], verbs: ALL_VERBS, subresources: ['status'], categories: ['api-extensions'] },
];

/** `apiVersion` of a resource: `v1`, `apps/v1`. */
export const apiVersionOf = (r: Pick<ResourceDef, 'group' | 'version'>): string => (r.group === '' ? r.version : `${r.group}/${r.version}`);

/** The resource served at group/version/plural, if any. */
export function findResource(group: string, version: string, plural: string): ResourceDef | undefined {
  return RESOURCES.find((r) => r.group === group && r.version === version && r.plural === plural);
}

/** The resource of a kind at an apiVersion, if served. */
export function resourceOfKind(apiVersion: string, kind: string): ResourceDef | undefined {
  return RESOURCES.find((r) => apiVersionOf(r) === apiVersion && r.kind === kind);
}

/** The group/version pairs served, in discovery order (core `v1` first). */
export function groupVersions(): readonly { readonly group: string; readonly version: string }[] {
  const seen = new Map<string, { group: string; version: string }>();
  for (const r of RESOURCES) seen.set(`${r.group}/${r.version}`, { group: r.group, version: r.version });
  return [...seen.values()];
}

/** Shorthands for the resources the world writes. */
export const HPA = RESOURCES.find((r) => r.kind === 'HorizontalPodAutoscaler') as ResourceDef;
export const DEPLOYMENT = RESOURCES.find((r) => r.kind === 'Deployment') as ResourceDef;
export const POD = RESOURCES.find((r) => r.kind === 'Pod') as ResourceDef;
export const EVENT = RESOURCES.find((r) => r.kind === 'Event') as ResourceDef;
export const NAMESPACE = RESOURCES.find((r) => r.kind === 'Namespace') as ResourceDef;
export const API_SERVICE = RESOURCES.find((r) => r.kind === 'APIService') as ResourceDef;
