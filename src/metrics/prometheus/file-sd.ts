/**
 * File-based service discovery of the workers: the JSON file Prometheus watches (`file_sd_configs`),
 * one entry per worker with its metrics address and the labels a ServiceMonitor would attach in
 * Kubernetes: `pod`, `namespace`, and the pod's own labels (so the adapter can select pods by
 * `labelSelector` from the series alone). Written atomically (temp file + rename), as Prometheus'
 * documentation asks, so it never reads half a file.
 *
 * @see https://prometheus.io/docs/prometheus/2.42/configuration/configuration/#file_sd_config
 */
import { rename, writeFile } from 'node:fs/promises';

/** One scrape target: a worker's metrics endpoint. */
export interface FileSdTarget {
  /** `host:port` of the metrics endpoint, e.g. `127.0.0.1:2269`. */
  readonly address: string;
  readonly pod: string;
  readonly namespace: string;
  /** The pod's labels (`app: lightning-asr`); names are sanitised to Prometheus label names. */
  readonly labels?: Readonly<Record<string, string>>;
}

/**
 * A Kubernetes label name as a Prometheus label name: invalid characters become `_`, as
 * Prometheus' Kubernetes discovery does for `__meta_kubernetes_pod_label_<name>`.
 *
 * @example sanitizeLabelName('app.kubernetes.io/name') // -> 'app_kubernetes_io_name'
 */
export function sanitizeLabelName(name: string): string {
  const out = name.replace(/[^a-zA-Z0-9_]/g, '_');
  return /^[0-9]/.test(out) ? `_${out}` : out;
}

/**
 * The file's JSON text (targets in the given order; `pod` and `namespace` win over pod labels of
 * the same name).
 *
 * @example fileSdJson([{ address: '127.0.0.1:2269', pod: 'asr-0', namespace: 'default' }])
 * // -> '[{"targets":["127.0.0.1:2269"],"labels":{"pod":"asr-0","namespace":"default"}}]\n' (indented)
 */
export function fileSdJson(targets: readonly FileSdTarget[]): string {
  const groups = targets.map((t) => {
    const labels: Record<string, string> = {};
    for (const [k, v] of Object.entries(t.labels ?? {})) {
      const name = sanitizeLabelName(k);
      if (!name.startsWith('__')) labels[name] = v;
    }
    labels['pod'] = t.pod;
    labels['namespace'] = t.namespace;
    return { targets: [t.address], labels };
  });
  return `${JSON.stringify(groups, null, 2)}\n`;
}

let writeCounter = 0;

/**
 * Writes the targets to `path` atomically.
 *
 * @example await writeFileSd('/run/x/prometheus/targets/workers.json', [{ address: '127.0.0.1:41234', pod: 'asr-0', namespace: 'default' }]);
 */
export async function writeFileSd(path: string, targets: readonly FileSdTarget[]): Promise<void> {
  const tmp = `${path}.${process.pid}.${++writeCounter}.tmp`;
  await writeFile(tmp, fileSdJson(targets));
  await rename(tmp, path);
}
