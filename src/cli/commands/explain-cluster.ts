/**
 * `hpa-lab explain --cluster [-n NS] NAME`: the cluster path of `explain` (see
 * src/kube/client/explain-cluster.ts). Exit 0 when the engine ran, 1 when the cluster answered
 * with an error or the target has no selector.
 */
import { clusterExplanationJson, connectCluster, explainCluster, formatClusterExplanation } from '../../kube/client/index.js';
import { UsageError, type ParsedValues } from '../command.js';
import type { Io } from '../io.js';
import { clusterOptionsFrom } from './cluster-options.js';

/** Runs `explain --cluster`. */
export async function runExplainCluster(args: { readonly positionals: readonly string[]; readonly values: ParsedValues }, io: Io): Promise<number> {
  const [name, ...extra] = args.positionals;
  if (!name) throw new UsageError('missing NAME: the HPA to explain (explain --cluster [-n NS] NAME)');
  if (extra.length) throw new UsageError(`unexpected arguments: ${extra.join(' ')}`);
  for (const f of ['readings', 'value', 'request', 'replicas', 'hpa'] as const) {
    const v = args.values[f];
    if (v !== undefined && !(Array.isArray(v) && v.length === 0)) throw new UsageError(`'--${f}' reads a file's readings: with --cluster the readings come from the cluster`);
  }
  const window = args.values['window'] as string | undefined;
  if (window !== undefined && window !== 'steady' && window !== 'restarted') throw new UsageError(`'--window' must be steady or restarted: got '${window}'`);
  const client = connectCluster(clusterOptionsFrom(args.values));
  try {
    const x = await explainCluster(client, { namespace: client.namespace, name, nowMs: Date.now(), window });
    io.stdout.write(args.values['json'] ? `${JSON.stringify(clusterExplanationJson(x), null, 2)}\n` : formatClusterExplanation(x));
    const selectorError = x.snapshot.errors.find((e) => e.code === 'noSelector');
    if (selectorError) {
      io.stderr.write(`hpa-lab explain: ${selectorError.message}\n`);
      return 1;
    }
    return 0;
  } finally {
    client.close();
  }
}
