import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../core/index.js';
import { readRunFile, removeRunFile, writeRunFile, type RunInfo } from './run-file.js';

const info: RunInfo = { kind: 'hpa-lab/run', pid: 4242, startedMs: 1, statusUrl: 'http://127.0.0.1:1/status', apiUrl: 'http://127.0.0.1:7100', token: 't' };

describe('run file', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hpa-lab-run-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writeRunFile() writes what readRunFile() reads, readable by its owner only', async () => {
    const path = join(dir, '.hpa-lab', 'run.json');
    await writeRunFile(path, info);
    expect(await readRunFile(path)).toEqual(info);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
  });

  it('removeRunFile() removes only the file of the given pid', async () => {
    const path = join(dir, 'mine.json');
    await writeRunFile(path, info);
    await removeRunFile(path, 1);
    expect(await readRunFile(path)).toEqual(info);
    await removeRunFile(path, 4242);
    await expect(readRunFile(path)).rejects.toThrow('no stack is running from this folder');
  });

  it.each([
    { name: 'a missing file', text: undefined, message: "no stack is running from this folder: start one with 'hpa-lab up'" },
    { name: 'text that is not JSON', text: 'nope', message: 'not valid JSON' },
    { name: 'another kind of file', text: '{"kind":"x"}', message: "at 'kind': expected an 'hpa-lab/run' file written by 'hpa-lab up'" },
  ])('readRunFile() throws InputError for $name', async ({ text, message }) => {
    const path = join(dir, `bad-${String(text?.length)}.json`);
    if (text !== undefined) await writeFile(path, text);
    await expect(readRunFile(path)).rejects.toThrow(InputError);
    await expect(readRunFile(path)).rejects.toThrow(message);
  });
});
