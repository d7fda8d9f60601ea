/**
 * The trace file: what `hpa-lab record` read from Prometheus, as JSON Lines so it streams both
 * ways. Line 1 is the header (the HPAs' specs and the recording's metadata), then one `sync`
 * line per HPA per step in time order, then an `end` line. Documented in
 * `docs/trace-format.md`, schema `schemas/trace.schema.json`.
 */
import type { HorizontalPodAutoscaler } from '../engine/index.js';

/** The format name of line 1. */
export const TRACE_FORMAT = 'hpa-lab/trace';
/** The format version this build writes and reads. */
export const TRACE_VERSION = 1;

/** How one metric of an HPA was read. */
export interface TraceMetric {
  readonly name: string;
  /** `Pods`, `Object`, `External`, `Resource`, `ContainerResource`. */
  readonly type: string;
  /** The PromQL sent (`$NAMESPACE` stands for the HPA's namespace). */
  readonly query: string;
  /** What the query measures: `per-pod` values by `pod` label, or one `value`. */
  readonly shape: 'per-pod' | 'value';
}

/** One HPA of the trace. */
export interface TraceHpa {
  readonly namespace: string;
  readonly name: string;
  /** The scale target's name (a Deployment). */
  readonly deployment: string;
  /** The scale subresource's label selector (`app=lightning-asr`). */
  readonly selector: string;
  /** The HPA manifest (autoscaling/v2) its decisions are replayed with. */
  readonly spec: HorizontalPodAutoscaler;
  readonly metrics: readonly TraceMetric[];
}

/** Line 1 of a trace. */
export interface TraceHeader {
  readonly kind: 'header';
  readonly format: typeof TRACE_FORMAT;
  readonly version: number;
  /** ISO time the recording was made. */
  readonly recordedAt: string;
  readonly source: { readonly prometheus?: string; readonly simulated?: string };
  readonly fromMs: number;
  readonly toMs: number;
  readonly stepSeconds: number;
  /** Window of the `last_over_time` reads of kube-state-metrics series. */
  readonly lookbackSeconds: number;
  /** The cluster's Kubernetes version when known (`1.31`). */
  readonly kubernetesVersion?: string;
  readonly hpas: readonly TraceHpa[];
}

/** A pod of the scale target at a step. */
export interface TracePod {
  readonly name: string;
  readonly phase: string;
  /** The Ready condition's status (`True`, `False`, `Unknown`); absent: none recorded. */
  readonly ready?: string;
  readonly deleting?: boolean;
  readonly startTimeMs?: number;
  readonly readyTimeMs?: number;
  /** Container requests by container, in milli-units. */
  readonly requestsMilli?: Readonly<Record<string, Readonly<Record<string, number>>>>;
}

/** A metric's reading at a step. */
export type TraceReading =
  | { readonly podValues: Readonly<Record<string, number>> }
  | { readonly value: number }
  | { readonly error: string };

/** One step of one HPA. Counts are `null` when Prometheus had no sample. */
export interface TraceSync {
  readonly kind: 'sync';
  readonly tMs: number;
  /** `namespace/name`. */
  readonly hpa: string;
  readonly minReplicas: number | null;
  readonly maxReplicas: number | null;
  /** `kube_deployment_spec_replicas`: the scale target's size after the step. */
  readonly specReplicas: number | null;
  readonly statusReplicas: number | null;
  readonly currentReplicas: number | null;
  readonly desiredReplicas: number | null;
  /** HPA conditions by type: `True`, `False`, `Unknown`. */
  readonly conditions: Readonly<Record<string, string>>;
  readonly pods: readonly TracePod[];
  /** One per `TraceHpa.metrics`, same order. */
  readonly metrics: readonly TraceReading[];
}

/** The last line. */
export interface TraceEnd {
  readonly kind: 'end';
  readonly syncs: number;
}

export type TraceLine = TraceHeader | TraceSync | TraceEnd;

/** `namespace/name` of an HPA. */
export function hpaKey(h: { readonly namespace: string; readonly name: string }): string {
  return `${h.namespace}/${h.name}`;
}
