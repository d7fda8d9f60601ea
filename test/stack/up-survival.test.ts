/**
 * `hpa-lab up` killed with SIGKILL (a real process): its workers and Prometheus end with it (their
 * lifelines), a new `up` reaps what was left anyway (pid files with start times), starts the pool
 * at the replicas it had (not minReplicas) and honours the scale-down window from there, without
 * replaying the old run's events as new lines.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { processStartTicks } from '../../src/cluster/index.js';
import { findExecutable } from '../../src/metrics/prometheus/promtool.js';
import { fetchStackStatus, readRunFile, RUN_FILE, type StackStatus } from '../../src/stack/index.js';
import { alive, testHpa, waitFor } from './stack-fixture.js';

const BIN = fileURLToPath(new URL('../../src/cli/bin.ts', import.meta.url));
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const HAS_PROMETHEUS = findExecutable('prometheus') !== undefined;
const HAS_PROC = processStartTicks(process.pid) !== undefined;
if (!HAS_PROC) console.warn('skipping the SIGKILL survival test: no /proc (pid start times are read from /proc/PID/stat)');

interface Up {
  readonly child: ChildProcess;
  readonly out: () => string;
  readonly err: () => string;
  readonly exited: Promise<number | null>;
}

function startUp(dir: string): Up {
  const args = ['up', 'hpa.yaml', '--fast', '--port', '0', '--api-port', '0', '--token', 'survive', '--model-load', '200ms', '--grace', '2s', HAS_PROMETHEUS ? '--prometheus' : '--no-prometheus'];
  const child = spawn(process.execPath, ['--import', TSX, BIN, ...args], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout?.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (err += c.toString()));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  return { child, out: () => out, err: () => err, exited };
}

/** The run file of `up`'s process (the previous one's may still be there after a SIGKILL). */
async function statusOf(dir: string, up: Up): Promise<{ statusUrl: string; apiUrl: string }> {
  const path = join(dir, RUN_FILE);
  await waitFor(async () => existsSync(path) && (await readRunFile(path)).pid === up.child.pid, `the run file of pid ${up.child.pid} (stderr: ${up.err()})`, 40_000);
  return readRunFile(path);
}

const asrStatus = async (url: string): Promise<StackStatus> => fetchStackStatus(url);

describe.skipIf(!HAS_PROC)('hpa-lab up survives its own death (SIGKILL, a real process)', () => {
  let dir = '';
  const ups: Up[] = [];
  const pids: number[] = [];
  afterAll(async () => {
    for (const up of ups) if (up.child.exitCode === null && up.child.signalCode === null) up.child.kill('SIGKILL');
    for (const pid of pids) if (alive(pid)) process.kill(pid, 'SIGKILL');
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('leaves no worker or Prometheus alive, and a restarted up resumes at the replicas it had and honours the window', async () => {
    dir = await mkdtemp(join(tmpdir(), 'hpa-lab-survive-'));
    await writeFile(join(dir, 'hpa.yaml'), stringify(testHpa({ scaleDownWindowSeconds: 60, maxReplicas: 3 })));
    const first = startUp(dir);
    ups.push(first);
    const run1 = await statusOf(dir, first);
    await waitFor(async () => (await asrStatus(run1.statusUrl)).targets[0]?.pods.some((p) => p.ready?.status === 'True') ?? false, 'a ready worker', 30_000);

    // The seeds' load test, against the stack's own sample: each request is 3 s of work.
    const sample = (await asrStatus(run1.statusUrl)).apiUrl;
    const stopLoad = new AbortController();
    const send = (): void => {
      if (stopLoad.signal.aborted) return;
      void fetch(`${sample}/v1/listen`, {
        method: 'POST',
        headers: { authorization: 'Token survive', 'content-type': 'application/json' },
        body: JSON.stringify({ url: `${sample}/samples/test-audio.wav` }),
        signal: stopLoad.signal,
      }).then((r) => r.arrayBuffer().then(send), () => undefined);
    };
    for (let i = 0; i < 20; i++) send();
    await waitFor(async () => (await asrStatus(run1.statusUrl)).targets[0]?.specReplicas === 3, 'a scale-up to 3 under the seed loop', 40_000);
    await waitFor(async () => (await asrStatus(run1.statusUrl)).targets[0]?.workers?.filter((w) => w.pid !== undefined).length === 3, 'three worker processes', 20_000);
    const status1 = await asrStatus(run1.statusUrl);
    const workerPids = (status1.targets[0]?.workers ?? []).flatMap((w) => (w.pid === undefined ? [] : [w.pid]));
    const prometheusPid = status1.metrics?.kind === 'prometheus' ? status1.metrics.prometheus?.pid : undefined;
    const children = [...workerPids, ...(prometheusPid === undefined ? [] : [prometheusPid])];
    pids.push(...children);
    expect(workerPids).toHaveLength(3);
    expect(children.every(alive)).toBe(true);

    // The scale and its saved state go together (the state is saved right after the sync that
    // scaled): kill once that save is on disk, as a SIGKILL in between loses that sync as a whole.
    const savedReplicas = async (): Promise<number | undefined> =>
      (JSON.parse(await readFile(join(dir, '.hpa-lab', 'state.json'), 'utf8')) as { hpas: Record<string, { replicas?: number }> }).hpas['default/lightning-asr']?.replicas;
    await waitFor(async () => (await savedReplicas()) === 3, 'the state file to hold 3 replicas', 10_000);
    first.child.kill('SIGKILL');
    await first.exited;
    stopLoad.abort();
    await waitFor(() => !children.some(alive), `every child of the killed up to end (alive: ${children.filter(alive).join(', ')})`, 15_000);

    // What a lifeline could not end (say, a stack killed together with its supervisor) is reaped
    // by the next up through its pid file: a stand-in process whose owner is gone.
    const orphan = spawn('sleep', ['60'], { detached: true, stdio: 'ignore' });
    pids.push(orphan.pid ?? -1);
    await mkdir(join(dir, '.hpa-lab', 'pids'), { recursive: true });
    await writeFile(join(dir, '.hpa-lab', 'pids', `${orphan.pid}.json`), JSON.stringify({ kind: 'hpa-lab/pid', pid: orphan.pid, startTicks: processStartTicks(orphan.pid ?? -1), what: 'sleep', ownerPid: first.child.pid, ownerStartTicks: 'gone' }));
    const orphanExited = new Promise((r) => orphan.once('exit', r));

    const second = startUp(dir);
    ups.push(second);
    const run2 = await statusOf(dir, second);
    await orphanExited;
    expect(second.err()).toContain(`hpa-lab up: killed sleep (pid ${orphan.pid}) left running by a previous stack (pid ${first.child.pid})`);
    expect(second.out()).toMatch(/restored {5}lightning-asr: 3 replica\(s\) from \S+state\.json/);
    const status2 = await asrStatus(run2.statusUrl);
    expect(status2.targets[0]?.specReplicas).toBe(3);
    // No load now: the 60 s scale-down window, carried over, holds the 3 replicas sync after sync.
    const firstSync = status2.hpas[0]?.lastSyncMs ?? 0;
    await waitFor(async () => ((await asrStatus(run2.statusUrl)).hpas[0]?.lastSyncMs ?? 0) >= firstSync + 3_000, 'three more syncs', 20_000);
    const later = await asrStatus(run2.statusUrl);
    expect(later.targets[0]?.specReplicas).toBe(3);
    expect(later.hpas[0]?.status?.desiredReplicas).toBe(3);
    expect(later.hpas[0]?.events.some((e) => e.reason === 'SuccessfulRescale' && e.message.startsWith('New size: 3'))).toBe(true); // kept for describe
    expect(second.out()).not.toMatch(/SuccessfulRescale/); // not replayed as new lines

    const secondWorkers = (later.targets[0]?.workers ?? []).flatMap((w) => (w.pid === undefined ? [] : [w.pid]));
    pids.push(...secondWorkers);
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
    expect(secondWorkers.filter(alive)).toEqual([]);
  }, 150_000);
});
