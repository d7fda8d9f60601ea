/**
 * Runs Prometheus' `promtool` (Debian's `prometheus` package ships it): `check config`,
 * `check rules` and `test rules`. Absent binaries are reported, not thrown, so callers can skip.
 */
import { execFile } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/** What one promtool run printed. */
export interface PromtoolResult {
  readonly ok: boolean;
  /** Exit code, `null` when killed. */
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Options of the promtool helpers. */
export interface PromtoolOptions {
  /** The promtool binary; default `promtool` on PATH. */
  readonly binary?: string;
  readonly cwd?: string;
  /** Default 30 s. */
  readonly timeoutMs?: number;
}

/**
 * The path of an executable on PATH (or `name` itself when it contains a `/` and is executable).
 *
 * @example findExecutable('promtool') // -> '/usr/bin/promtool' (or undefined)
 */
export function findExecutable(name: string, pathEnv: string = process.env['PATH'] ?? ''): string | undefined {
  const candidates = name.includes('/') ? [name] : pathEnv.split(delimiter).filter(Boolean).map((dir) => join(dir, name));
  for (const candidate of candidates) {
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/**
 * Runs promtool with `args`; never throws for a failing check (see `ok`).
 *
 * @throws {Error} when the binary cannot be started (ENOENT)
 * @example await runPromtool(['check', 'rules', 'rules/asr-rules.yaml']) // -> { ok: true, code: 0, ... }
 */
export function runPromtool(args: readonly string[], options: PromtoolOptions = {}): Promise<PromtoolResult> {
  return new Promise((resolve, reject) => {
    execFile(
      options.binary ?? 'promtool',
      [...args],
      { cwd: options.cwd, timeout: options.timeoutMs ?? 30_000, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : null;
        if (error !== null && typeof error.code === 'string') {
          reject(new Error(`Cannot run promtool '${options.binary ?? 'promtool'}': ${error.code}`, { cause: error }));
          return;
        }
        resolve({ ok: code === 0, code, stdout, stderr });
      },
    );
  });
}

/** `promtool check config FILE` (also checks the rule files it names). */
export function checkConfig(file: string, options: PromtoolOptions = {}): Promise<PromtoolResult> {
  return runPromtool(['check', 'config', file], options);
}

/** `promtool check rules FILE...` (duplicate-rule lint off: the seed's defaults may repeat a user's rule). */
export function checkRules(files: readonly string[], options: PromtoolOptions = {}): Promise<PromtoolResult> {
  return runPromtool(['check', 'rules', '--lint=none', ...files], options);
}

/** `promtool test rules FILE...` (rule unit tests). */
export function testRules(files: readonly string[], options: PromtoolOptions = {}): Promise<PromtoolResult> {
  return runPromtool(['test', 'rules', ...files], options);
}
