/** What lint reports: one finding per problem, with where it is, why it matters and the fix. */

export type Severity = 'error' | 'warning' | 'note';

/** A place in an input file. */
export interface Location {
  readonly file: string;
  /** Field path inside the file's document, dotted: `scaling.auto.lightningAsr.hpa.maxReplicas`. */
  readonly path: string;
  /** 1-based line, when known. */
  readonly line?: number;
  /** Index of the document in a multi-document file. */
  readonly document?: number;
}

export interface Finding {
  /** Rule ID, e.g. `HPA101`. */
  readonly id: string;
  readonly severity: Severity;
  readonly location: Location;
  /** What is wrong, with the values involved. */
  readonly message: string;
  /** Why it matters (what the cluster does with it). */
  readonly why: string;
  /** What to change. */
  readonly fix: string;
}

/** A rule's fixed description, listed by `lint --rules` and in SARIF's `tool.driver.rules`. */
export interface RuleInfo {
  readonly id: string;
  readonly name: string;
  readonly severity: Severity;
  readonly summary: string;
}
