/**
 * `hpa-lab scan --cluster [-A]`: every HPA ranked by trouble (see src/kube/client/scan-cluster.ts),
 * as a kubectl-style table or `-o json|yaml`.
 */
import { stringify as toYaml } from 'yaml';
import { connectCluster, scanCluster, formatScanTable } from '../../kube/client/index.js';
import { UsageError, type CommandDef } from '../command.js';
import { ALL_NAMESPACES_OPTION, CLUSTER_OPTIONS, NAMESPACE_OPTION, clusterOptionsFrom } from './cluster-options.js';

export const scanCommand: CommandDef = {
  name: 'scan',
  summary: 'Rank every HPA of a cluster by trouble: <unknown> metrics, pinned at max, ScalingLimited, flapping, fixed points, decisions we disagree with',
  usage: '--cluster [-n NS | -A] [-o json|yaml]',
  options: [
    ...CLUSTER_OPTIONS,
    NAMESPACE_OPTION,
    ALL_NAMESPACES_OPTION,
    { name: 'output', type: 'string', short: 'o', arg: 'FORMAT', description: 'table (default), json or yaml' },
  ],
  examples: ['hpa-lab scan --cluster -A', 'hpa-lab scan --cluster -n smallest -o json'],
  async run({ positionals, values }, io) {
    if (!values['cluster']) throw new UsageError("scan reads a cluster: pass --cluster (and -n NS or -A)");
    if (positionals.length) throw new UsageError(`unexpected arguments: ${positionals.join(' ')}`);
    const output = (values['output'] as string | undefined) ?? 'table';
    if (!['table', 'json', 'yaml'].includes(output)) throw new UsageError(`'-o' must be json or yaml: got '${output}'`);
    const all = Boolean(values['all-namespaces']);
    if (all && values['namespace']) throw new UsageError("'-A' and '-n' exclude each other");
    const client = connectCluster(clusterOptionsFrom(values));
    try {
      const rows = await scanCluster(client, { namespace: all ? undefined : client.namespace, nowMs: Date.now() });
      if (output === 'table') io.stdout.write(formatScanTable(rows, { allNamespaces: all }));
      else {
        const doc = { apiVersion: 'hpa-lab/v1', kind: 'ScanList', context: client.context, items: rows };
        io.stdout.write(output === 'json' ? `${JSON.stringify(doc, null, 2)}\n` : toYaml(doc));
      }
      return 0;
    } finally {
      client.close();
    }
  },
};
