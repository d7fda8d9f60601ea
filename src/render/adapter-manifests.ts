/**
 * The prometheus-adapter objects of a cluster: the ConfigMap the chart mounts (`config.yaml` in
 * the config-file shape) and the APIService objects that route the aggregation layer's
 * custom.metrics.k8s.io and external.metrics.k8s.io to the adapter's Service. One builder serves
 * `render --kubernetes` (the chart's adapter) and `adapter --print-apiservice` (hpa-lab's own).
 */
import { type AdapterConfig, renderAdapterConfig } from '../metrics/adapter/index.js';
import type { KubeObject } from './kube-object.js';

/** Where the APIServices send requests. */
export interface AdapterServiceRef {
  readonly name: string;
  readonly namespace: string;
  /** Service port (443 for the chart and for hpa-lab's TLS sidecar). */
  readonly port?: number;
  /** Serve `external.metrics.k8s.io` too (the one-provider-per-cluster group). Default true. */
  readonly external?: boolean;
}

/**
 * The APIService objects for custom.metrics.k8s.io v1beta1 and v1beta2 and external.metrics.k8s.io
 * v1beta1 (as the prometheus-adapter chart renders them, with `insecureSkipTLSVerify`).
 *
 * @example adapterApiServices({ name: 'prometheus-adapter', namespace: 'kube-system' }).map((a) => a.metadata.name)
 * // -> ['v1beta1.custom.metrics.k8s.io', 'v1beta2.custom.metrics.k8s.io', 'v1beta1.external.metrics.k8s.io']
 * @see https://github.com/kubernetes-sigs/prometheus-adapter/blob/master/deploy/manifests/api-service.yaml
 */
export function adapterApiServices(service: AdapterServiceRef): KubeObject[] {
  const groups: [string, string, number][] = [
    ['custom.metrics.k8s.io', 'v1beta1', 100],
    ['custom.metrics.k8s.io', 'v1beta2', 200],
    ...(service.external === false ? [] : ([['external.metrics.k8s.io', 'v1beta1', 100]] as [string, string, number][])),
  ];
  return groups.map(([group, version, versionPriority]) => ({
    apiVersion: 'apiregistration.k8s.io/v1',
    kind: 'APIService',
    metadata: { name: `${version}.${group}`, labels: { 'app.kubernetes.io/name': service.name } },
    spec: {
      group,
      version,
      service: { name: service.name, namespace: service.namespace, port: service.port ?? 443 },
      groupPriorityMinimum: 100,
      versionPriority,
      insecureSkipTLSVerify: true,
    },
  }));
}

/**
 * The ConfigMap the prometheus-adapter chart mounts at `/etc/adapter/config.yaml`.
 *
 * @example adapterConfigMap(config, { name: 'prometheus-adapter', namespace: 'kube-system' }).data['config.yaml']
 */
export function adapterConfigMap(config: AdapterConfig, ref: { readonly name: string; readonly namespace: string }): KubeObject & { data: Record<string, string> } {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: ref.name, namespace: ref.namespace, labels: { 'app.kubernetes.io/name': 'prometheus-adapter' } },
    data: { 'config.yaml': renderAdapterConfig(config) },
  };
}

const HPA_LAB_ADAPTER = { name: 'hpa-lab-adapter', namespace: 'monitoring' } as const;

/**
 * `hpa-lab adapter --print-apiservice`: the APIServices plus the Service and Deployment that run
 * `hpa-lab adapter` (plain HTTP on 127.0.0.1:6443) behind a TLS-terminating sidecar on :8443.
 */
export function hpaLabAdapterManifests(): KubeObject[] {
  const { name, namespace } = HPA_LAB_ADAPTER;
  return [
    ...adapterApiServices({ name, namespace }),
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name, namespace },
      spec: { selector: { app: name }, ports: [{ name: 'https', port: 443, targetPort: 8443 }] },
    },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name, namespace },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: name } },
        template: {
          metadata: { labels: { app: name } },
          spec: {
            containers: [
              {
                name: 'adapter',
                image: 'node:20-slim',
                command: ['npx', 'hpa-lab', 'adapter', '--config', '/etc/adapter/config.yaml', '--prometheus', 'http://prometheus-operated.monitoring.svc:9090', '--port', '6443', '--metrics-relist-interval', '1m'],
                volumeMounts: [{ name: 'config', mountPath: '/etc/adapter' }],
                readinessProbe: { httpGet: { path: '/readyz', port: 8443, scheme: 'HTTPS' } },
              },
              {
                name: 'tls',
                image: 'ghostunnel/ghostunnel',
                args: ['server', '--listen=:8443', '--target=127.0.0.1:6443', '--cert=/tls/tls.crt', '--key=/tls/tls.key', '--disable-authentication'],
                volumeMounts: [{ name: 'tls', mountPath: '/tls' }],
              },
            ],
            volumes: [
              { name: 'config', configMap: { name } },
              { name: 'tls', secret: { secretName: `${name}-tls` } },
            ],
          },
        },
      },
    },
  ];
}
