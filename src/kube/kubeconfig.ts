/**
 * The kubeconfig `hpa-lab up` writes for its API server: one cluster, user and context named
 * `hpa-lab`, plain HTTP on 127.0.0.1 (`insecure-skip-tls-verify: true`, which `@kubernetes/client-node`
 * needs to talk HTTP at all), the stack's token as bearer token.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { stringify } from 'yaml';

/** The context (and cluster and user) name. */
export const KUBE_CONTEXT = 'hpa-lab';

/** The kubeconfig text for a server URL, bearer token and default namespace. */
export function kubeconfigText(input: { readonly server: string; readonly token?: string; readonly namespace?: string }): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    // client-node 1.x refuses http:// unless the cluster skips TLS verification; kubectl accepts both.
    clusters: [{ name: KUBE_CONTEXT, cluster: { server: input.server, 'insecure-skip-tls-verify': true } }],
    users: [{ name: KUBE_CONTEXT, user: input.token === undefined ? {} : { token: input.token } }],
    contexts: [{ name: KUBE_CONTEXT, context: { cluster: KUBE_CONTEXT, user: KUBE_CONTEXT, namespace: input.namespace ?? 'default' } }],
    'current-context': KUBE_CONTEXT,
    preferences: {},
  });
}

/** Writes the kubeconfig (mode 0600: it holds the token), creating its folder. */
export async function writeKubeconfig(path: string, input: Parameters<typeof kubeconfigText>[0]): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, kubeconfigText(input), { mode: 0o600 });
}
