/**
 * The shapes of a diagnosis: per HPA metric, the links of the metrics chain in order (rules,
 * Prometheus, targets, series, rule discovery, label mapping, API answer, freshness), each with
 * its status, evidence and fix; per HPA, what the engine decides with the readings.
 */

/** `pass` ✓, `fail` ✗, `warn` ⚠ (works, but explains a hold), `skip` – (an earlier link is broken or the input is missing). */
export type CheckStatus = 'pass' | 'fail' | 'warn' | 'skip';

/** Which link a check is about. */
export type CheckId = 'rules' | 'prometheus' | 'targets' | 'series' | 'rule' | 'labels' | 'api' | 'fresh' | 'decision';

/** One line of the checklist. */
export interface Check {
  readonly id: CheckId;
  readonly title: string;
  readonly status: CheckStatus;
  /** What was found (counts, names, messages). */
  readonly evidence: string;
  /** What to do, for `fail` and `warn`. */
  readonly fix?: string;
}

/** The chain of one `spec.metrics` entry. */
export interface MetricDiagnosis {
  /** `pods metric asr_active_requests`, `external metric lightning_asr_replica_count`. */
  readonly label: string;
  readonly type: string;
  readonly metric: string;
  readonly checks: readonly Check[];
  /** The title of the first failing check, if any. */
  readonly firstBroken?: string;
}

/** One HPA. */
export interface HpaDiagnosis {
  readonly name: string;
  readonly namespace: string;
  readonly metrics: readonly MetricDiagnosis[];
  readonly decision: Check;
}

/** The whole diagnosis. */
export interface Diagnosis {
  readonly prometheusUrl?: string;
  /** The adapter's URL, or `in-process` when diagnose built one from the rules. */
  readonly adapter?: string;
  readonly rulesFile?: string;
  readonly hpas: readonly HpaDiagnosis[];
  /** No check failed. */
  readonly ok: boolean;
}
