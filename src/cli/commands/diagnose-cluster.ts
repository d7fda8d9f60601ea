/**
 * `hpa-lab diagnose --cluster [-n NS] [NAME ...] [--prometheus URL]`: the cluster path of
 * `diagnose` (see src/kube/client/diagnose-cluster.ts). Exit 1 when a link is broken.
 */
import { formatDiagnosis } from '../../diagnose/index.js';
import { connectCluster, diagnoseCluster } from '../../kube/client/index.js';
import { UsageError, type ParsedValues } from '../command.js';
import type { Io } from '../io.js';
import { clusterOptionsFrom } from './cluster-options.js';

/** Runs `diagnose --cluster`. */
export async function runDiagnoseCluster(args: { readonly positionals: readonly string[]; readonly values: ParsedValues }, io: Io): Promise<number> {
  const { values } = args;
  for (const f of ['adapter', 'rules', 'selector', 'replicas', 'hpa'] as const) {
    if (values[f] !== undefined) throw new UsageError(`'--${f}' is for HPA files: with --cluster name the HPAs as arguments and the rest is read from the cluster`);
  }
  const prometheusUrl = values['prometheus'] as string | undefined;
  if (prometheusUrl !== undefined && !/^https?:\/\//.test(prometheusUrl)) throw new UsageError(`'--prometheus' must be an http(s) URL: got '${prometheusUrl}'`);
  const client = connectCluster(clusterOptionsFrom(values));
  try {
    const d = await diagnoseCluster(client, { namespace: client.namespace, names: args.positionals, prometheusUrl, nowMs: Date.now() });
    if (d.hpas.length === 0) {
      io.stderr.write(`hpa-lab diagnose: context '${client.context}': no HorizontalPodAutoscaler in namespace ${client.namespace}\n`);
      return 1;
    }
    io.stdout.write(values['json'] ? `${JSON.stringify(d, null, 2)}\n` : formatDiagnosis(d));
    return d.ok ? 0 : 1;
  } finally {
    client.close();
  }
}
