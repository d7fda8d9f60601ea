/**
 * The kubectl flags every `--cluster` command takes, and their parsing into client options.
 */
import type { ClusterOptions } from '../../kube/client/index.js';
import type { OptionDef, ParsedValues } from '../command.js';
import { UsageError } from '../command.js';

/** `--cluster`, `--kubeconfig`, `--context` (and `-n`, `-A` where the command lists them). */
export const CLUSTER_OPTIONS: readonly OptionDef[] = [
  { name: 'cluster', type: 'boolean', description: 'read a live cluster (kubeconfig and context as kubectl takes them; read-only)' },
  { name: 'kubeconfig', type: 'string', arg: 'FILE', description: 'kubeconfig file (default: KUBECONFIG, else ~/.kube/config)' },
  { name: 'context', type: 'string', arg: 'NAME', description: 'kubeconfig context (default: the current context)' },
  { name: 'request-timeout', type: 'string', arg: 'SECONDS', description: 'per-request timeout; requests retry twice with backoff (default: 10)' },
];

export const NAMESPACE_OPTION: OptionDef = { name: 'namespace', type: 'string', short: 'n', arg: 'NS', description: "namespace (default: the context's, else default)" };
export const ALL_NAMESPACES_OPTION: OptionDef = { name: 'all-namespaces', type: 'boolean', short: 'A', description: 'every namespace' };

/** The options `explain` adds for its `--cluster` path. */
export const EXPLAIN_CLUSTER_OPTIONS: readonly OptionDef[] = [
  ...CLUSTER_OPTIONS,
  NAMESPACE_OPTION,
  { name: 'window', type: 'string', arg: 'steady|restarted', description: 'with --cluster: what an empty stabilization window means (default: steady once a controller has synced the HPA)' },
];

/** Client options from the parsed flags; a bad value is a UsageError (exit 2). */
export function clusterOptionsFrom(values: ParsedValues): ClusterOptions {
  const t = values['request-timeout'] as string | undefined;
  let timeoutMs: number | undefined;
  if (t !== undefined) {
    const n = Number(t.replace(/s$/, ''));
    if (!(n > 0)) throw new UsageError(`'--request-timeout' must be a number of seconds > 0: got '${t}'`);
    timeoutMs = n * 1000;
  }
  return {
    kubeconfig: values['kubeconfig'] as string | undefined,
    context: values['context'] as string | undefined,
    namespace: values['namespace'] as string | undefined,
    ...(timeoutMs !== undefined ? { timeoutMs } : {}),
  };
}
