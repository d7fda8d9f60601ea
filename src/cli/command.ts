import type { Io } from './io.js';

/** One row of a command's OPTIONS table: feeds parsing, `--help` and the README. */
export interface OptionDef {
  readonly name: string;
  readonly type: 'string' | 'boolean';
  readonly short?: string;
  readonly multiple?: boolean;
  readonly default?: string | boolean;
  readonly description: string;
  /** Placeholder shown in help, e.g. FILE. */
  readonly arg?: string;
}

export type ParsedValues = Record<string, string | boolean | (string | boolean)[] | undefined>;

export interface CommandDef {
  readonly name: string;
  readonly summary: string;
  /** Usage line after `hpa-lab NAME`, e.g. `SCENARIO [options]`. */
  readonly usage: string;
  readonly options: readonly OptionDef[];
  /** Example invocations shown in help and README. */
  readonly examples?: readonly string[];
  /** Returns the exit code: 0 ok, 1 run failed, 2 usage or input error. */
  run(args: { readonly positionals: readonly string[]; readonly values: ParsedValues }, io: Io): Promise<number>;
}

/** A bad command line (missing positional, conflicting flags): printed with the command's help, exit 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}
