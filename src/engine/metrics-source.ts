/**
 * Where the controller's readings come from: the built-in scraper (reads the workers' /metrics),
 * the adapter's custom/external metrics API (as the HPA does in Kubernetes), or Prometheus.
 */
import type { HorizontalPodAutoscaler, MetricReading, PodInfo } from './types.js';

export interface MetricsReadInput {
  readonly hpa: HorizontalPodAutoscaler;
  /** The target's pods as the cluster target lists them (names match the metrics' pod labels). */
  readonly pods: readonly PodInfo[];
  readonly namespace: string;
  /** Label selector of the target's scale subresource. */
  readonly selector: string;
  readonly nowMs: number;
}

export interface MetricsSource {
  /** One reading per `hpa.spec.metrics` entry, same order; failures are `{ error }` readings, never throws. */
  read(input: MetricsReadInput): Promise<MetricReading[]>;
  close?(): Promise<void>;
}
