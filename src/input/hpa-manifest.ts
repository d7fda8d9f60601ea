import type { HorizontalPodAutoscaler } from '../engine/index.js';
import { describeValue, formatWarning, InputError, joinPath } from '../core/index.js';
import { validateHpa } from './validate-hpa.js';
import { extractWorkloadResources, type WorkloadResources } from './workload-resources.js';
import { type FieldPath, parseYamlDocuments } from './yaml-source.js';

/** Everything a manifest file holds for the tools: its HPAs and its workloads' requests. */
export interface ManifestFile {
  readonly hpas: readonly HorizontalPodAutoscaler[];
  /** Requests of the Deployments (and StatefulSets, ReplicaSets) in the file, keyed by name. */
  readonly deployments: Readonly<Record<string, WorkloadResources>>;
  readonly warnings: readonly string[];
}

/**
 * Parses a Kubernetes manifest file: one or more YAML documents (empty ones skipped, `kind: List`
 * items read). Every `HorizontalPodAutoscaler` is validated against autoscaling/v2 (see
 * `checkHpa()`); Deployments, StatefulSets and ReplicaSets give their containers' requests;
 * other kinds are skipped. Paths in errors start with `documents[i]` when the file has more than
 * one document.
 *
 * @throws {InputError} `syntax` (with the line) for bad YAML, `schema`/`semantic` for a bad HPA.
 * @example parseManifestFile(text, 'examples/blog/hpa.yaml').deployments['autoscaler-name']
 * @see https://github.com/kubernetes/kubernetes/blob/master/pkg/apis/autoscaling/validation/validation.go
 */
export function parseManifestFile(text: string, file: string): ManifestFile {
  const docs = parseYamlDocuments(text, file).filter((d) => d.value !== null);
  const multi = docs.length > 1;
  const hpas: HorizontalPodAutoscaler[] = [];
  const deployments: Record<string, WorkloadResources> = {};
  const warnings: string[] = [];

  const visit = (value: unknown, path: FieldPath, lineOf: (p: FieldPath) => number | undefined): void => {
    const at = (p: FieldPath): number | undefined => lineOf([...path.slice(multi ? 2 : 0), ...p]);
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      const line = at([]);
      throw new InputError('schema', file, joinPath(path), `expected a mapping (a Kubernetes object), got ${describeValue(value)}`, {
        ...(line === undefined ? {} : { line }),
      });
    }
    const object = value as Record<string, unknown>;
    const { kind } = object;
    if (kind === 'HorizontalPodAutoscaler' || (kind === undefined && isAutoscalingApi(object['apiVersion']))) {
      const result = validateHpa(object, { file, pathPrefix: path, lineOf: at });
      hpas.push(result.hpa);
      warnings.push(...result.warnings);
      return;
    }
    if (typeof kind !== 'string') {
      const line = at(['kind']);
      throw new InputError(
        'schema',
        file,
        joinPath([...path, 'kind']),
        `${kind === undefined ? 'required field is missing: ' : ''}expected the object's kind, such as 'HorizontalPodAutoscaler' or 'Deployment'${kind === undefined ? '' : `, got ${describeValue(kind)}`}`,
        { ...(line === undefined ? {} : { line }) },
      );
    }
    if (kind.endsWith('List') && Array.isArray(object['items'])) {
      (object['items'] as unknown[]).forEach((item, j) => visit(item, [...path, 'items', j], lineOf));
      return;
    }
    const workload = extractWorkloadResources(object, { file, pathPrefix: path, lineOf: at });
    if (workload) {
      if (deployments[workload.name]) {
        warnings.push(formatWarning(file, joinPath([...path, 'metadata', 'name']), `duplicate workload name '${workload.name}': the later one is used`));
      }
      deployments[workload.name] = workload;
    }
  };

  for (const doc of docs) {
    visit(doc.value, multi ? ['documents', doc.index] : [], doc.lineOf);
  }
  warnings.push(...duplicateWarnings(hpas, file));
  return { hpas, deployments, warnings };
}

/**
 * The autoscaling/v2 HorizontalPodAutoscalers of a manifest file (see `parseManifestFile()`).
 *
 * @throws {InputError} `syntax` for bad YAML, `schema`/`semantic` for a bad HPA.
 * @example parseHpaManifests(text, 'hpa.yaml')[0].spec.maxReplicas // -> 3
 */
export function parseHpaManifests(text: string, file: string): HorizontalPodAutoscaler[] {
  return [...parseManifestFile(text, file).hpas];
}

function isAutoscalingApi(apiVersion: unknown): boolean {
  return typeof apiVersion === 'string' && apiVersion.startsWith('autoscaling/');
}

/** Two HPAs with one name, or on one target, conflict in a cluster (one HPA per controller). */
function duplicateWarnings(hpas: readonly HorizontalPodAutoscaler[], file: string): string[] {
  const warnings: string[] = [];
  const names = new Set<string>();
  const targets = new Map<string, string>();
  for (const hpa of hpas) {
    const ns = hpa.metadata.namespace ?? '';
    const key = `${ns}/${hpa.metadata.name}`;
    if (names.has(key)) warnings.push(formatWarning(file, '', `two HPAs are named '${hpa.metadata.name}': the later one replaces the earlier one when applied`));
    names.add(key);
    const ref = hpa.spec.scaleTargetRef;
    const target = `${ns}/${ref.kind}/${ref.name}`;
    const other = targets.get(target);
    if (other !== undefined && other !== hpa.metadata.name) {
      warnings.push(formatWarning(file, '', `HPAs '${other}' and '${hpa.metadata.name}' both scale ${ref.kind} '${ref.name}': they will fight over its replicas`));
    }
    targets.set(target, hpa.metadata.name);
  }
  return warnings;
}
