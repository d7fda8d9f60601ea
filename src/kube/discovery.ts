/**
 * Discovery documents: `/api`, `/apis`, the APIResourceLists of each group version, the
 * aggregated discovery (`apidiscovery.k8s.io/v2` APIGroupDiscoveryList) kubectl 1.30+ asks for
 * first, `/version`, and a minimal `/openapi/v3`.
 *
 * @see https://github.com/kubernetes/apiserver/blob/master/pkg/endpoints/discovery/aggregated/handler.go
 */
import { groupVersions, RESOURCES, type ResourceDef } from './resources.js';

/** A group served by another handler (the metrics APIs), listed in `/apis`. */
export interface DelegatedGroup {
  readonly group: string;
  /** Preferred first. */
  readonly versions: readonly string[];
}

const resourceEntry = (r: ResourceDef) => ({
  name: r.plural,
  singularName: r.singular,
  namespaced: r.namespaced,
  kind: r.kind,
  verbs: r.verbs,
  ...(r.shortNames.length > 0 ? { shortNames: r.shortNames } : {}),
  ...(r.categories ? { categories: r.categories } : {}),
});

const subresourceEntry = (r: ResourceDef, sub: string) =>
  sub === 'scale'
    ? { name: `${r.plural}/scale`, singularName: '', namespaced: r.namespaced, group: 'autoscaling', version: 'v1', kind: 'Scale', verbs: ['get', 'patch', 'update'] }
    : { name: `${r.plural}/${sub}`, singularName: '', namespaced: r.namespaced, kind: r.kind, verbs: ['get', 'patch', 'update'] };

/** `/api/v1` or `/apis/G/V`: the APIResourceList, or undefined when the group version is not served. */
export function apiResourceList(group: string, version: string): unknown {
  const list = RESOURCES.filter((r) => r.group === group && r.version === version);
  if (list.length === 0) return undefined;
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: group === '' ? version : `${group}/${version}`,
    resources: list.flatMap((r) => [resourceEntry(r), ...r.subresources.map((s) => subresourceEntry(r, s))]),
  };
}

/** `/api`: the core versions. */
export const apiVersionsDocument = (serverAddress: string) => ({
  kind: 'APIVersions',
  versions: ['v1'],
  serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
});

function groupsOf(delegated: readonly DelegatedGroup[]): DelegatedGroup[] {
  const own = new Map<string, string[]>();
  for (const gv of groupVersions()) if (gv.group !== '') own.set(gv.group, [...(own.get(gv.group) ?? []), gv.version]);
  return [...[...own].map(([group, versions]) => ({ group, versions })), ...delegated];
}

const groupDoc = (g: DelegatedGroup) => ({
  name: g.group,
  versions: g.versions.map((v) => ({ groupVersion: `${g.group}/${v}`, version: v })),
  preferredVersion: { groupVersion: `${g.group}/${g.versions[0] ?? ''}`, version: g.versions[0] ?? '' },
});

/** `/apis`: the APIGroupList. */
export const apiGroupListDocument = (delegated: readonly DelegatedGroup[]) => ({ kind: 'APIGroupList', apiVersion: 'v1', groups: groupsOf(delegated).map(groupDoc) });

/** `/apis/G`: one APIGroup, or undefined. */
export function apiGroupDocument(group: string, delegated: readonly DelegatedGroup[]): unknown {
  const g = groupsOf(delegated).find((x) => x.group === group);
  return g ? { kind: 'APIGroup', apiVersion: 'v1', ...groupDoc(g) } : undefined;
}

/** The media type of aggregated discovery, as the client asks for it. */
export const AGGREGATED_DISCOVERY_TYPE = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList';

/** True when the Accept header asks for aggregated discovery v2. */
export const wantsAggregated = (accept: string | undefined): boolean =>
  accept !== undefined && accept.split(',').some((t) => /as=APIGroupDiscoveryList/.test(t) && /v=v2(;|$)/.test(t.replace(/\s/g, '')));

function discoveryResource(r: ResourceDef) {
  return {
    resource: r.plural,
    responseKind: { group: r.group, version: r.version, kind: r.kind },
    scope: r.namespaced ? 'Namespaced' : 'Cluster',
    singularResource: r.singular,
    verbs: r.verbs,
    ...(r.shortNames.length > 0 ? { shortNames: r.shortNames } : {}),
    ...(r.categories ? { categories: r.categories } : {}),
    subresources: r.subresources.map((s) => ({
      subresource: s,
      responseKind: s === 'scale' ? { group: 'autoscaling', version: 'v1', kind: 'Scale' } : { group: r.group, version: r.version, kind: r.kind },
      verbs: ['get', 'patch', 'update'],
    })),
  };
}

/**
 * Aggregated discovery of `/api` (core) or `/apis` (groups). Delegated groups are listed with
 * their versions (and `metrics.k8s.io` with its pods, for `kubectl top`); custom and external
 * metrics are discovered from their own per-version documents.
 */
export function aggregatedDiscovery(core: boolean, delegated: readonly DelegatedGroup[]): unknown {
  const groups = core ? [{ group: '', versions: ['v1'] }] : groupsOf([]);
  const items = groups.map((g) => ({
    metadata: { name: g.group, creationTimestamp: null },
    versions: g.versions.map((v) => ({
      version: v,
      resources: RESOURCES.filter((r) => r.group === g.group && r.version === v).map(discoveryResource),
      freshness: 'Current',
    })),
  }));
  if (!core) {
    for (const g of delegated) {
      const resources = g.group === 'metrics.k8s.io' ? [{ resource: 'pods', responseKind: { group: g.group, version: 'v1beta1', kind: 'PodMetrics' }, scope: 'Namespaced', singularResource: 'pods', verbs: ['get', 'list'], subresources: [] }] : [];
      items.push({ metadata: { name: g.group, creationTimestamp: null }, versions: g.versions.map((v) => ({ version: v, resources: resources as never[], freshness: 'Current' })) });
    }
  }
  return { kind: 'APIGroupDiscoveryList', apiVersion: 'apidiscovery.k8s.io/v2', metadata: {}, items };
}

/** `/version` for a Kubernetes version such as `v1.34.0`. */
export function versionDocument(gitVersion: string): unknown {
  const m = /^v?(\d+)\.(\d+)/.exec(gitVersion);
  return {
    major: m?.[1] ?? '1',
    minor: m?.[2] ?? '0',
    gitVersion: gitVersion.startsWith('v') ? gitVersion : `v${gitVersion}`,
    gitCommit: 'hpa-lab',
    gitTreeState: 'clean',
    buildDate: '2026-01-01T00:00:00Z',
    goVersion: 'go1.24.0',
    compiler: 'gc',
    platform: 'linux/amd64',
  };
}
