import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { main } from '../../src/cli/main.js';
import { fetchStackStatus, readRunFile, RUN_FILE } from '../../src/stack/index.js';
import { alive, fakeIo, testHpa, waitFor } from './stack-fixture.js';

// The sources through tsx (like the other tests): the compiled CLI is tested by test/package/pack.test.ts.
const BIN = fileURLToPath(new URL('../../src/cli/bin.ts', import.meta.url));
/** tsx's loader by URL: the process runs in a temporary folder, where `--import tsx` would not resolve. */
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

describe('hpa-lab up (a real process)', () => {
  let child: ChildProcess | undefined;
  let dir = '';
  const workerPids: number[] = [];
  afterAll(async () => {
    if (child && child.exitCode === null) {
      child.kill('SIGTERM');
      await new Promise((r) => setTimeout(r, 5_000));
      if (child.exitCode === null) child.kill('SIGKILL');
    }
    for (const pid of workerPids) if (alive(pid)) process.kill(pid, 'SIGKILL');
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('runs the stack, answers status and load from another process, and stops cleanly on SIGTERM', async () => {
    dir = await mkdtemp(join(tmpdir(), 'hpa-lab-up-'));
    await writeFile(join(dir, 'hpa.yaml'), stringify(testHpa()));
    child = spawn(process.execPath, ['--import', TSX, BIN, 'up', 'hpa.yaml', '--fast', '--port', '0', '--api-port', '0', '--token', 'up-test', '--model-load', '200ms', '--grace', '5s'], {
      cwd: dir,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr?.on('data', (c: Buffer) => (stderr += c.toString()));
    const exited = new Promise<number | null>((r) => child?.once('exit', (code) => r(code)));

    await waitFor(() => existsSync(join(dir, RUN_FILE)), `the run file (stderr: ${stderr})`, 30_000);
    const info = await readRunFile(join(dir, RUN_FILE));
    expect(info).toMatchObject({ kind: 'hpa-lab/run', pid: child.pid, token: 'up-test' });
    await waitFor(async () => (await fetchStackStatus(info.statusUrl)).targets[0]?.pods.some((p) => p.ready?.status === 'True') ?? false, 'a ready worker', 30_000);
    await waitFor(async () => (await fetchStackStatus(info.statusUrl)).hpas[0]?.status?.currentMetrics?.[0] != null, 'a first metric value', 30_000);
    for (const w of (await fetchStackStatus(info.statusUrl)).targets[0]?.workers ?? []) if (w.pid !== undefined) workerPids.push(w.pid);

    const status = fakeIo(dir);
    expect(await main(['status'], status.io)).toBe(0);
    expect(status.out()).toMatch(/^NAME\s+REFERENCE\s+TARGETS\s+MINPODS\s+MAXPODS\s+REPLICAS\s+AGE\nlightning-asr\s+Deployment\/lightning-asr\s+\d+\/5\s+1\s+4\s+1\s+\d+s\n$/);

    const load = fakeIo(dir); // URL and token from the run file
    expect(await main(['load', '-z', '1s', '-c', '2', '--audio-seconds', '0.1', '--quiet'], load.io)).toBe(0);
    expect(load.out()).toMatch(/Status code distribution:\n {2}\[200\] \d+ responses/);

    expect(stdout).toContain('  token        up-test');
    expect(stdout).toContain(`export KUBECONFIG=${join(dir, '.hpa-lab/kubeconfig')}`);
    expect(existsSync(join(dir, '.hpa-lab/kubeconfig'))).toBe(true);
    expect(stdout).toMatch(/NAME\s+REFERENCE\s+TARGETS\s+MINPODS\s+MAXPODS\s+REPLICAS\s+AGE/);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(stderr).toContain('hpa-lab up: SIGTERM: stopping');
    expect(stderr).toContain('hpa-lab up: stopped');
    expect(existsSync(join(dir, RUN_FILE))).toBe(false);
    expect(existsSync(join(dir, '.hpa-lab/state.json'))).toBe(true);
    expect(workerPids.length).toBe(1);
    expect(workerPids.filter(alive)).toEqual([]);
  });
});
