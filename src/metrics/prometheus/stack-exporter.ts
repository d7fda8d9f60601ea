/**
 * A stand-in for kube-state-metrics on the local stack: `kube_deployment_status_replicas{deployment,
 * namespace}` gauges that the stack sets as it scales, so the seed's external rule
 * (`sum(kube_deployment_status_replicas{deployment="lightning-asr"})` ->
 * `lightning_asr_replica_count`) works end to end. Scrape it with `honor_labels: true`, as
 * kube-prometheus-stack scrapes kube-state-metrics.
 *
 * @see https://github.com/kubernetes/kube-state-metrics/blob/main/docs/metrics/workload/deployment-metrics.md
 */
import { Gauge, Registry } from 'prom-client';
import { serveRegistry, type RegistryServer } from './registry-server.js';

/** The scrape job name of the exporter (as kube-prometheus-stack names it). */
export const STACK_EXPORTER_JOB = 'kube-state-metrics';

/** A deployment's identity. */
export interface DeploymentRef {
  readonly namespace: string;
  readonly deployment: string;
}

export interface StackExporter extends RegistryServer {
  readonly registry: Registry;
  /** Sets `kube_deployment_status_replicas{deployment, namespace}`. */
  setDeploymentReplicas(ref: DeploymentRef, replicas: number): void;
  /** Drops the deployment's series (it goes stale in Prometheus). */
  removeDeployment(ref: DeploymentRef): void;
}

/**
 * Starts the exporter on 127.0.0.1 (a free port unless told).
 *
 * @example
 * const ksm = await startStackExporter();
 * ksm.setDeploymentReplicas({ namespace: 'default', deployment: 'lightning-asr' }, 3);
 * // scrape ksm.address -> kube_deployment_status_replicas{deployment="lightning-asr",namespace="default"} 3
 */
export async function startStackExporter(options: { readonly port?: number } = {}): Promise<StackExporter> {
  const registry = new Registry();
  const replicas = new Gauge({
    name: 'kube_deployment_status_replicas',
    help: 'The number of replicas per deployment.',
    labelNames: ['namespace', 'deployment'] as const,
    registers: [registry],
  });
  const served = await serveRegistry(registry, options);
  return {
    ...served,
    registry,
    setDeploymentReplicas(ref, value) {
      if (!Number.isInteger(value) || value < 0) throw new RangeError(`Cannot set replicas of '${ref.namespace}/${ref.deployment}' as 'replicas' must be an integer ≥ 0: got ${value}`);
      replicas.set({ namespace: ref.namespace, deployment: ref.deployment }, value);
    },
    removeDeployment(ref) {
      replicas.remove({ namespace: ref.namespace, deployment: ref.deployment });
    },
  };
}
