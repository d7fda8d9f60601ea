import { type ChildProcessByStdio, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { makeWav } from '../../src/workload/audio/make-wav.js';
import { startApiServer } from '../../src/workload/api-server/api-server.js';
import { GET_TEXT_PATH } from '../../src/workload/worker/worker-app.js';
import { startWorker } from '../../src/workload/worker/worker-server.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

interface Spawned {
  readonly child: ChildProcessByStdio<null, Readable, Readable>;
  readonly lines: Record<string, unknown>[];
  /** Resolves with the first event line named `event` (bounded by `timeoutMs`). */
  waitFor(event: string, timeoutMs?: number): Promise<Record<string, unknown>>;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function spawnWorker(args: readonly string[]): Spawned {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/workload/worker/main.ts', ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, HPA_LAB_WORKER_TOKEN: 't' },
  });
  const lines: Record<string, unknown>[] = [];
  const listeners: (() => void)[] = [];
  let buffer = '';
  child.stdout.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    let i: number;
    while ((i = buffer.indexOf('\n')) >= 0) {
      lines.push(JSON.parse(buffer.slice(0, i)) as Record<string, unknown>);
      buffer = buffer.slice(i + 1);
      for (const l of listeners) l();
    }
  });
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return {
    child,
    lines,
    exited,
    waitFor: (event, timeoutMs = 20_000) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`No '${event}' line within ${timeoutMs} ms; stderr: ${stderr}`)), timeoutMs);
        const check = (): void => {
          const found = lines.find((l) => l['event'] === event);
          if (found) {
            clearTimeout(timer);
            resolve(found);
          }
        };
        listeners.push(check);
        check();
        void exited.then(() => {
          clearTimeout(timer);
          if (!lines.some((l) => l['event'] === event)) reject(new Error(`Exited before '${event}'; stderr: ${stderr}`));
        });
      }),
  };
}

describe('worker process (src/workload/worker/main.ts)', () => {
  let spawned: Spawned | undefined;
  afterEach(() => {
    if (spawned && spawned.child.exitCode === null) spawned.child.kill('SIGKILL');
    spawned = undefined;
  });

  it('prints its listening line, finishes an in-flight request on SIGTERM, and exits 0', async () => {
    spawned = spawnWorker(['--port', '0', '--metrics-port', '0', '--model-load-ms', '100', '--rtf', '1', '--overhead-ms', '0', '--grace-ms', '20000']);
    const listening = await spawned.waitFor('listening');
    expect(listening).toEqual({ event: 'listening', port: expect.any(Number), metricsPort: expect.any(Number), pid: spawned.child.pid });
    expect(spawned.lines[0]).toBe(listening); // the first line, as a process pool reads it
    await spawned.waitFor('ready');
    const base = `http://127.0.0.1:${listening['port'] as number}`;
    expect((await fetch(`${base}/health`)).status).toBe(200);
    expect((await fetch(`http://127.0.0.1:${listening['metricsPort'] as number}/metrics`)).status).toBe(200);

    // A 1.5 s request (rtf 1) is in flight when SIGTERM arrives; it must still be answered 200.
    expect((await fetch(`${base}${GET_TEXT_PATH}`, { method: 'POST', body: makeWav(1.5) })).status).toBe(401);
    const inFlight = fetch(`${base}${GET_TEXT_PATH}`, { method: 'POST', headers: { authorization: 'Token t' }, body: makeWav(1.5) });
    for (let i = 0; i < 100; i++) {
      const metrics = await (await fetch(`http://127.0.0.1:${listening['metricsPort'] as number}/metrics`)).text();
      if (/^asr_active_requests 1$/m.test(metrics)) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    spawned.child.kill('SIGTERM');
    const res = await inFlight;
    expect(res.status).toBe(200);
    expect((await res.json()).metadata.duration).toBe(1.5);
    expect(await spawned.exited).toEqual({ code: 0, signal: null });
    expect(spawned.lines.at(-1)).toMatchObject({ event: 'stopped', signal: 'SIGTERM', drained: true, abandoned: 0 });
  });

  it('a request whose worker process is killed mid-request is retried on another worker and answered 200', async () => {
    spawned = spawnWorker(['--port', '0', '--metrics-port', '0', '--model-load-ms', '0', '--rtf', '100']);
    const listening = await spawned.waitFor('listening');
    await spawned.waitFor('ready');
    const api = await startApiServer({ port: 0, token: 't', defaultMetrics: false });
    const healthy = await startWorker({ port: 0, metricsPort: 0, modelLoadMs: 0, rtf: 0, defaultMetrics: false });
    try {
      api.app.workers.addWorker({ id: 'doomed', url: `http://127.0.0.1:${listening['port'] as number}` });
      const answer = fetch(`${api.url}/v1/listen`, { method: 'POST', headers: { authorization: 'Token t' }, body: makeWav(1) });
      for (let i = 0; i < 400 && api.app.workers.get('doomed')?.inFlight !== 1; i++) await new Promise((r) => setTimeout(r, 5));
      expect(api.app.workers.get('doomed')?.inFlight).toBe(1);
      api.app.workers.addWorker({ id: 'healthy', url: healthy.url });
      spawned.child.kill('SIGKILL'); // the worker dies before answering
      const res = await answer;
      expect(res.status).toBe(200);
      expect((await res.json()).duration).toBe(1);
      expect(api.app.stats().retries).toBe(1);
      expect(api.app.workers.get('healthy')?.routedTotal).toBe(1);
    } finally {
      await api.stop({ graceMs: 0 });
      await healthy.stop({ graceMs: 0 });
    }
  });
});
