/**
 * Reads Deckhouse's metric objects from YAML (one or more documents, as `kubectl apply -f` takes
 * them): `ServiceMetric` and its siblings, `CustomPrometheusRules` / `PrometheusRule` recording
 * `kube_adapter_metric_<name>`, and the HPAs of the same file. Each object is validated against the
 * CRD schema kept in `metric-kinds.ts` (zod); errors name the file, line and field path.
 */
import { z } from 'zod';
import { InputError, joinPath } from '../../core/index.js';
import type { HorizontalPodAutoscaler } from '../../engine/index.js';
import { parseManifestFile, parseYamlDocuments } from '../../input/index.js';
import {
  DECKHOUSE_GROUP,
  DECKHOUSE_KIND_ALIASES,
  DECKHOUSE_METRIC_KINDS,
  DECKHOUSE_METRIC_VERSIONS,
  EXTERNAL_METRIC_PREFIX,
  REQUIRED_QUERY_KEYS,
  RULE_KINDS,
  type DeckhouseMetricKind,
} from './metric-kinds.js';

/** One `ServiceMetric`-style object. */
export interface DeckhouseMetric {
  readonly kind: DeckhouseMetricKind;
  /** The metric name the HPA uses (`metadata.name`). */
  readonly name: string;
  /** `null` for the Cluster kinds. */
  readonly namespace: string | null;
  /** `spec.query`, a PromQL template. */
  readonly query: string;
  /** Where it was read: `file` and document index. */
  readonly source: { readonly file: string; readonly document: number };
}

/** A `kube_adapter_metric_<name>` recording rule: the External metric `<name>`. */
export interface DeckhouseExternalMetric {
  /** `<name>`: what the HPA names. */
  readonly name: string;
  /** `kube_adapter_metric_<name>`. */
  readonly record: string;
  readonly expr: string;
  /** `CustomPrometheusRules/name` or `PrometheusRule/namespace/name`. */
  readonly from: string;
}

/** Everything a Deckhouse file holds. */
export interface DeckhouseObjects {
  readonly metrics: readonly DeckhouseMetric[];
  readonly externalMetrics: readonly DeckhouseExternalMetric[];
  readonly hpas: readonly HorizontalPodAutoscaler[];
  readonly warnings: readonly string[];
}

const ruleSchema = z.object({
  record: z.string({ error: 'expected a metric name' }).optional(),
  alert: z.string({ error: 'expected an alert name' }).optional(),
  expr: z.union([z.string(), z.number()], { error: 'expected a PromQL expression' }).transform(String),
});
const groupsSchema = z.array(
  z.object({ name: z.string({ error: 'expected a group name' }), rules: z.array(ruleSchema, { error: 'expected a list of rules' }) }),
  { error: 'expected a list of rule groups' },
);

/** The metric object schema of `DECKHOUSE_METRIC_SCHEMA`, in zod, with the docs' template rule. */
const metricObjectSchema = z.object({
  apiVersion: z.string(),
  kind: z.string(),
  metadata: z.object(
    {
      name: z
        .string({ error: 'expected the metric name' })
        .regex(/^[a-z0-9]([-a-z0-9_.]*[a-z0-9])?$/, { error: 'expected a metric name of lower-case letters, digits, "-", "_" and "."' }),
      namespace: z.string({ error: 'expected a namespace name' }).optional(),
    },
    { error: 'expected metadata with a name' },
  ),
  spec: z.strictObject(
    {
      query: z
        .string({ error: 'expected a PromQL query (a string)' })
        .min(1, { error: 'expected a PromQL query' })
        .superRefine((query, ctx) => {
          for (const key of REQUIRED_QUERY_KEYS) {
            if (!query.includes(key)) ctx.addIssue({ code: 'custom', message: `expected the query to use ${key} (Deckhouse requires it: the adapter substitutes the described object's labels there)` });
          }
        }),
    },
    { error: (issue) => (issue.code === 'unrecognized_keys' ? `unknown field '${String(issue.keys[0])}': the CRD's spec has only 'query'` : "expected spec with a 'query'") },
  ),
});

/**
 * Parses a YAML stream of Deckhouse objects and HPAs. Documents of other kinds are skipped.
 *
 * @throws {InputError} `syntax` for YAML, `schema` with the field path for an object that does not
 *   match its CRD (unknown version, missing `spec.query`, a query without `<<.LabelMatchers>>`)
 * @example parseDeckhouseObjects(text, 'rmq.yaml').metrics[0].kind.kind // -> 'ServiceMetric'
 */
export function parseDeckhouseObjects(text: string, file: string): DeckhouseObjects {
  const metrics: DeckhouseMetric[] = [];
  const externalMetrics: DeckhouseExternalMetric[] = [];
  const warnings: string[] = [];
  const docs = parseYamlDocuments(text, file);
  const many = docs.filter((d) => d.value !== null).length > 1;
  for (const doc of docs) {
    const value = doc.value;
    if (value === null || typeof value !== 'object' || Array.isArray(value)) continue;
    const obj = value as Record<string, unknown>;
    const prefix: (string | number)[] = many ? [`documents[${doc.index}]`] : [];
    const fail = (path: (string | number)[], detail: string): never => {
      const line = doc.lineOf(path);
      throw new InputError('schema', file, joinPath([...prefix, ...path]), detail, line === undefined ? {} : { line });
    };
    const kind = typeof obj['kind'] === 'string' ? obj['kind'] : undefined;
    const apiVersion = typeof obj['apiVersion'] === 'string' ? obj['apiVersion'] : '';
    if (kind === undefined) continue;
    const alias = DECKHOUSE_KIND_ALIASES[kind];
    if (alias !== undefined && apiVersion.startsWith(`${DECKHOUSE_GROUP}/`)) fail(['kind'], `expected '${alias}' (the CRD's kind; kinds are case-sensitive), got '${kind}'`);
    const metricKind = DECKHOUSE_METRIC_KINDS.find((k) => k.kind === kind);
    if (metricKind !== undefined) {
      const versions = DECKHOUSE_METRIC_VERSIONS.map((v) => `${DECKHOUSE_GROUP}/${v}`);
      if (!versions.includes(apiVersion)) fail(['apiVersion'], `expected one of ${versions.map((v) => `'${v}'`).join(', ')} for ${kind}, got '${apiVersion}'`);
      const parsed = metricObjectSchema.safeParse(obj);
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        fail(issue.path as (string | number)[], issue.message);
        continue;
      }
      const { metadata, spec } = parsed.data;
      let namespace: string | null = null;
      if (metricKind.scope === 'Namespaced') {
        namespace = metadata.namespace ?? 'default';
        if (metadata.namespace === undefined) warnings.push(`${file}: ${kind} '${metadata.name}' has no metadata.namespace: read as 'default' (kubectl would use the context's namespace)`);
      } else if (metadata.namespace !== undefined) {
        warnings.push(`${file}: ${kind} '${metadata.name}' is cluster-scoped: metadata.namespace '${metadata.namespace}' is ignored`);
      }
      metrics.push({ kind: metricKind, name: metadata.name, namespace, query: spec.query, source: { file, document: doc.index } });
      continue;
    }
    const ruleKind = RULE_KINDS.find((r) => r.kind === kind && (r.apiVersions as readonly string[]).includes(apiVersion));
    if (ruleKind !== undefined) {
      const spec = obj['spec'] as Record<string, unknown> | undefined;
      const groups = groupsSchema.safeParse(spec?.['groups']);
      if (!groups.success) {
        const issue = groups.error.issues[0]!;
        fail(['spec', 'groups', ...(issue.path as (string | number)[])], issue.message);
        continue;
      }
      const meta = (obj['metadata'] ?? {}) as Record<string, unknown>;
      const from = [kind, meta['namespace'], meta['name']].filter((s) => typeof s === 'string').join('/');
      for (const group of groups.data) {
        for (const rule of group.rules) {
          if (rule.record?.startsWith(EXTERNAL_METRIC_PREFIX)) {
            externalMetrics.push({ name: rule.record.slice(EXTERNAL_METRIC_PREFIX.length), record: rule.record, expr: rule.expr, from });
          }
        }
      }
    }
  }
  const manifests = parseManifestFile(text, file);
  warnings.push(...manifests.warnings);
  return { metrics, externalMetrics, hpas: manifests.hpas, warnings };
}

/** Whether a YAML text holds any Deckhouse metric object or `CustomPrometheusRules` (a cheap check). */
export function looksLikeDeckhouse(text: string): boolean {
  return /^\s*apiVersion:\s*["']?deckhouse\.io\//m.test(text) && /^\s*kind:\s*["']?(\w*Metric|CustomPrometheusRules)\b/m.test(text);
}
