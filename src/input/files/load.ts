import { readFile } from 'node:fs/promises';
import type { HorizontalPodAutoscaler } from '../../engine/index.js';
import { InputError } from '../../core/index.js';
import { type HelmPrometheusSettings, parseHelmValues } from '../helm-values.js';
import { parseManifestFile } from '../hpa-manifest.js';
import type { WorkloadResources } from '../workload-resources.js';
import { parseYamlDocuments } from '../yaml-source.js';

/** What an HPA input file held. */
export interface LoadedHpaFile {
  readonly kind: 'manifest' | 'helm-values';
  readonly hpas: readonly HorizontalPodAutoscaler[];
  readonly warnings: readonly string[];
  /** Workload requests keyed by name (manifests only; empty for Helm values). */
  readonly deployments: Readonly<Record<string, WorkloadResources>>;
  /** Prometheus settings (Helm values only). */
  readonly prometheus?: HelmPrometheusSettings;
}

/**
 * Which kind of HPA input `text` is: Kubernetes manifests (a document with a `kind`, such as
 * `kind: HorizontalPodAutoscaler`) or the seeds' Helm values (a `scaling:` key).
 *
 * @throws {InputError} `syntax` for bad YAML, `schema` when it is neither.
 * @example detectHpaInputKind('scaling:\n  auto: {}\n', 'values.yaml') // -> 'helm-values'
 */
export function detectHpaInputKind(text: string, file: string): 'manifest' | 'helm-values' {
  const docs = parseYamlDocuments(text, file)
    .map((d) => d.value)
    .filter((v): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v));
  if (docs.some((d) => typeof d['kind'] === 'string')) return 'manifest';
  if (docs.some((d) => 'scaling' in d)) return 'helm-values';
  if (docs.some((d) => typeof d['apiVersion'] === 'string')) return 'manifest';
  const empty = text.trim() === '';
  throw new InputError(
    'schema',
    file,
    '',
    `${empty ? 'file is empty: ' : ''}expected an autoscaling/v2 manifest ('kind: HorizontalPodAutoscaler') or Helm values with a 'scaling' key`,
  );
}

/**
 * Reads an HPA input file, a manifest (`kubectl apply -f` style, see `parseManifestFile()`) or
 * the seeds' Helm values (see `parseHelmValues()`), telling them apart by content. This is the
 * one function in `src/spec` that does I/O.
 *
 * @throws {InputError} `unreadable` when the file cannot be read, `schema` when a manifest has no
 *   HorizontalPodAutoscaler, and the parsers' errors.
 * @example (await loadHpaFile('examples/blog/hpa.yaml')).hpas[0].metadata.name // -> 'autoscaler-name'
 */
export async function loadHpaFile(path: string): Promise<LoadedHpaFile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message;
    throw new InputError('unreadable', path, '', `cannot read the file: ${reason}`, { cause: error });
  }
  const kind = detectHpaInputKind(text, path);
  if (kind === 'helm-values') {
    const { hpas, warnings, prometheus } = parseHelmValues(text, path);
    return { kind, hpas, warnings, deployments: {}, ...(prometheus ? { prometheus } : {}) };
  }
  const { hpas, warnings, deployments } = parseManifestFile(text, path);
  if (hpas.length === 0) {
    throw new InputError('schema', path, '', "expected at least one document with 'kind: HorizontalPodAutoscaler', found none");
  }
  return { kind, hpas, warnings, deployments };
}
