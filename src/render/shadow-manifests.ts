/**
 * What `hpa-lab shadow --cluster` needs in a cluster: a ServiceAccount, a read-only ClusterRole
 * (HPAs, scale targets, pods, events and the three metrics APIs; no write verb anywhere) bound to
 * it, and a Deployment running the shadow with that account.
 */
import type { KubeObject } from './kube-object.js';

const NAME = 'hpa-lab-shadow';
const READ = ['get', 'list', 'watch'];

/** The read-only rules: what the HPA controller reads, nothing it writes. */
export const SHADOW_RULES: readonly { apiGroups: string[]; resources: string[]; verbs: string[] }[] = [
  { apiGroups: ['autoscaling'], resources: ['horizontalpodautoscalers'], verbs: READ },
  { apiGroups: ['apps'], resources: ['deployments', 'deployments/scale', 'statefulsets', 'statefulsets/scale', 'replicasets', 'replicasets/scale'], verbs: READ },
  { apiGroups: [''], resources: ['pods', 'events'], verbs: READ },
  { apiGroups: ['metrics.k8s.io'], resources: ['pods'], verbs: ['get', 'list'] },
  { apiGroups: ['custom.metrics.k8s.io', 'external.metrics.k8s.io'], resources: ['*'], verbs: ['get', 'list'] },
];

/**
 * The shadow's four objects in `namespace` (it watches the HPAs of `watchNamespace`).
 *
 * @example shadowManifests({ namespace: 'smallest' }).map((o) => o.kind)
 * // -> ['ServiceAccount', 'ClusterRole', 'ClusterRoleBinding', 'Deployment']
 */
export function shadowManifests(input: { readonly namespace: string; readonly watchNamespace?: string; readonly image?: string }): KubeObject[] {
  const labels = { 'app.kubernetes.io/name': NAME };
  return [
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: NAME, namespace: input.namespace, labels } },
    { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: `${NAME}-read`, labels }, rules: SHADOW_RULES.map((r) => ({ ...r })) },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: `${NAME}-read`, labels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: `${NAME}-read` },
      subjects: [{ kind: 'ServiceAccount', name: NAME, namespace: input.namespace }],
    },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: NAME, namespace: input.namespace, labels },
      spec: {
        replicas: 1,
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: {
            serviceAccountName: NAME,
            automountServiceAccountToken: true,
            containers: [
              {
                name: 'shadow',
                image: input.image ?? 'node:20-slim',
                command: ['npx', 'hpa-lab', 'shadow', '--cluster', '--namespace', input.watchNamespace ?? input.namespace],
                resources: { requests: { cpu: '50m', memory: '128Mi' }, limits: { memory: '256Mi' } },
                securityContext: { readOnlyRootFilesystem: false, allowPrivilegeEscalation: false, runAsNonRoot: true, runAsUser: 1000 },
              },
            ],
          },
        },
      },
    },
  ];
}
