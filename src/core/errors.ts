/**
 * The error every loader in `src/spec` (and the CLI's file readers) throws for bad input: it names
 * the file, the field path inside it, and what was expected, so the CLI can print one clear line
 * and exit with code 2 instead of a stack trace.
 */
export type InputErrorCode =
  | 'unreadable' // the file cannot be read
  | 'syntax' // the text does not parse (YAML, JSON, CSV)
  | 'schema' // a field is missing, has the wrong type or an unknown value
  | 'semantic' // fields are individually valid but inconsistent (minReplicas > maxReplicas)
  | 'unreachable'; // a remote source (Prometheus) cannot be reached

export interface InputErrorOptions extends ErrorOptions {
  /** 1-based line in the file, when known. */
  readonly line?: number;
}

export class InputError extends Error {
  override name = 'InputError';
  readonly code: InputErrorCode;
  readonly file: string;
  /** Field path inside the file, dotted with [index] for arrays: `spec.metrics[0].pods.target`. */
  readonly path: string;
  readonly detail: string;
  readonly line: number | undefined;

  constructor(code: InputErrorCode, file: string, path: string, detail: string, options?: InputErrorOptions) {
    const where = [file, options?.line === undefined ? '' : `line ${options.line}`].filter(Boolean).join(':');
    super(`Cannot load '${where}'${path ? ` at '${path}'` : ''}: ${detail}`, options);
    this.code = code;
    this.file = file;
    this.path = path;
    this.detail = detail;
    this.line = options?.line;
  }
}

/** Joins path segments as `a.b[0].c`. */
export function joinPath(segments: readonly (string | number)[]): string {
  let out = '';
  for (const s of segments) {
    if (typeof s === 'number') out += `[${s}]`;
    else out += out ? `.${s}` : s;
  }
  return out;
}

/**
 * A value as an error message shows it: strings quoted, lists and mappings by kind.
 *
 * @example describeValue('max') // -> "'max'"
 * @example describeValue(undefined) // -> 'nothing'
 */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (typeof value === 'string') return `'${value}'`;
  if (typeof value === 'number' && !Number.isFinite(value)) return Number.isNaN(value) ? '.nan' : value > 0 ? '.inf' : '-.inf'; // as YAML writes them
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint' || typeof value === 'symbol') return String(value);
  return typeof value; // a function
}

/**
 * A warning line in the same shape as an `InputError` message: `'file' at 'path': detail`.
 *
 * @example formatWarning('values.yaml', 'scaling.auto.enabled', 'is false: no HPAs')
 * // -> "'values.yaml' at 'scaling.auto.enabled': is false: no HPAs"
 */
export function formatWarning(file: string, path: string, detail: string): string {
  return `'${file}'${path ? ` at '${path}'` : ''}: ${detail}`;
}
