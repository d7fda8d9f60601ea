import { expect } from 'vitest';
import { InputError, type InputErrorCode } from '../../src/core/errors.js';

/** What an InputError is expected to say. `detail` is matched as a substring (or a RegExp). */
export interface ExpectedInputError {
  readonly code: InputErrorCode;
  readonly file: string;
  readonly path: string;
  readonly detail: string | RegExp;
  readonly line?: number;
}

/** Runs `fn`, asserts it throws an `InputError` of that code, file, path and detail, returns it. */
export function expectInputError(fn: () => unknown, want: ExpectedInputError): InputError {
  let caught: unknown;
  try {
    fn();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(InputError);
  const error = caught as InputError;
  expect({ code: error.code, file: error.file, path: error.path }).toEqual({
    code: want.code,
    file: want.file,
    path: want.path,
  });
  if (typeof want.detail === 'string') expect(error.detail).toContain(want.detail);
  else expect(error.detail).toMatch(want.detail);
  if (want.line !== undefined) expect(error.line).toBe(want.line);
  const where = error.line === undefined ? want.file : `${want.file}:line ${error.line}`;
  expect(error.message).toBe(`Cannot load '${where}'${want.path ? ` at '${want.path}'` : ''}: ${error.detail}`);
  return error;
}
