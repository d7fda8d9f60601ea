/**
 * The JSON a running stack answers on its status endpoint (plain data: what `hpa-lab status`
 * and `hpa-lab describe` in another process print from).
 */
import type { ClusterEvent, PoolWorker } from '../cluster/index.js';
import type { HpaView, ScrapeHealth } from '../controller/index.js';
import type { PodInfo } from '../engine/index.js';
import type { MetricRead } from './recorded-metrics-source.js';

/** One scale target of the stack. */
export interface TargetStatus {
  /** The Deployment name. */
  readonly name: string;
  /** `processes`: real worker processes; `recorded`: a replica count hpa-lab keeps but does not run. */
  readonly kind: 'processes' | 'recorded';
  /** Why a target is only recorded. */
  readonly note?: string;
  readonly specReplicas: number;
  readonly pods: readonly PodInfo[];
  /** Processes of a `processes` target, with pids, ports and restarts. */
  readonly workers?: readonly PoolWorker[];
  readonly events: readonly ClusterEvent[];
}

export interface StackStatus {
  readonly kind: 'hpa-lab/stack-status';
  /** The stack's clock when it answered (ages are computed against it). */
  readonly nowMs: number;
  readonly startedMs: number;
  readonly pid: number;
  readonly namespace: string;
  readonly apiUrl: string;
  readonly syncPeriodSeconds: number;
  readonly scrapeIntervalSeconds: number;
  readonly hpas: readonly HpaView[];
  readonly targets: readonly TargetStatus[];
  readonly scrape: readonly ScrapeHealth[];
  /** The metrics pipeline the controller reads through, and what each HPA read last. */
  readonly metrics?: MetricsPipelineStatus;
  /** Requests the API server is answering now, and its workers as it routes to them. */
  readonly apiServer: {
    readonly inFlight: number;
    readonly workers: readonly { readonly id: string; readonly ready: boolean; readonly draining: boolean; readonly inFlight: number; readonly routedTotal: number }[];
  };
}

/** The metrics pipeline of the stack. */
export interface MetricsPipelineStatus {
  /** `built-in`: the embedded scraper; `prometheus`: Prometheus -> adapter -> custom/external metrics API, as in Kubernetes. */
  readonly kind: 'built-in' | 'prometheus';
  readonly scrapeIntervalSeconds: number;
  readonly prometheus?: {
    /** `http://127.0.0.1:<port>` */
    readonly url: string;
    readonly pid: number;
    /** False after the process exited (until it is restarted). */
    readonly up: boolean;
    /** Config, rules, targets and data: `<run folder>/prometheus`. */
    readonly dir: string;
    readonly evaluationIntervalSeconds: number;
  };
  readonly adapter?: {
    readonly url: string;
    readonly relistIntervalSeconds: number;
    readonly configFile: string;
    readonly lastRelist?: { readonly ok: boolean; readonly atMs: number; readonly error?: string };
  };
  /** The stack exporter (kube-state-metrics stand-in) Prometheus scrapes. */
  readonly exporterUrl?: string;
  readonly reads: readonly MetricRead[];
}
