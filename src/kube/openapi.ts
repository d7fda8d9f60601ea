/**
 * A minimal `/openapi/v3`: one document per served group version, with each kind's operations
 * and the query parameters kubectl looks for (`fieldValidation`, `dryRun`), so `kubectl apply`
 * and `kubectl create` send server-side field validation instead of needing `--validate=false`.
 * Schemas are open objects tagged with their group/version/kind (no field schemas: `kubectl
 * explain` shows no fields).
 *
 * @see https://github.com/kubernetes/cli-runtime/blob/master/pkg/resource/query_param_verifier_v3.go
 */
import { apiVersionOf, groupVersions, RESOURCES, type ResourceDef } from './resources.js';

const pathOf = (group: string, version: string): string => (group === '' ? `api/${version}` : `apis/${group}/${version}`);

/** `/openapi/v3`: where each group version's document is. */
export function openApiV3Root(): unknown {
  const paths: Record<string, { serverRelativeURL: string }> = {};
  for (const gv of groupVersions()) {
    const p = pathOf(gv.group, gv.version);
    paths[p] = { serverRelativeURL: `/openapi/v3/${p}?hash=hpa-lab-1` };
  }
  return { paths };
}

const QUERY = (name: string) => ({ name, in: 'query', schema: { type: 'string', uniqueItems: true } });
const WRITE_PARAMS = [QUERY('dryRun'), QUERY('fieldManager'), QUERY('fieldValidation')];

function schemaName(r: ResourceDef): string {
  const g = r.group === '' ? 'core' : r.group.split('.').reverse().join('.');
  return `io.k8s.api.${g}.${r.version}.${r.kind}`;
}

function operations(r: ResourceDef): Record<string, unknown> {
  const gvk = { group: r.group, version: r.version, kind: r.kind };
  const ref = { $ref: `#/components/schemas/${schemaName(r)}` };
  const op = (action: string, params: unknown[]) => ({
    'x-kubernetes-action': action,
    'x-kubernetes-group-version-kind': gvk,
    parameters: params,
    responses: { '200': { content: { 'application/json': { schema: ref } } } },
  });
  const base = `/${pathOf(r.group, r.version)}${r.namespaced ? '/namespaces/{namespace}' : ''}/${r.plural}`;
  return {
    [base]: { get: op('list', []), post: op('post', WRITE_PARAMS) },
    [`${base}/{name}`]: { get: op('get', []), put: op('put', WRITE_PARAMS), patch: op('patch', [...WRITE_PARAMS, QUERY('force')]), delete: op('delete', [QUERY('dryRun')]) },
  };
}

/** One group version's document (`api/v1`, `apis/autoscaling/v2`), or undefined when not served. */
export function openApiV3Document(groupVersionPath: string): unknown {
  const list = RESOURCES.filter((r) => pathOf(r.group, r.version) === groupVersionPath.replace(/\/+$/, ''));
  if (list.length === 0) return undefined;
  const schemas: Record<string, unknown> = {};
  let paths: Record<string, unknown> = {};
  for (const r of list) {
    paths = { ...paths, ...operations(r) };
    schemas[schemaName(r)] = {
      type: 'object',
      description: `${r.kind} (${apiVersionOf(r)}), as served by hpa-lab: fields are not described here`,
      'x-kubernetes-group-version-kind': [{ group: r.group, version: r.version, kind: r.kind }],
      'x-kubernetes-preserve-unknown-fields': true,
    };
  }
  return { openapi: '3.0.0', info: { title: 'hpa-lab', version: groupVersionPath }, paths, components: { schemas } };
}
