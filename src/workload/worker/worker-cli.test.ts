import { describe, expect, it } from 'vitest';
import { makeWav } from '../audio/make-wav.js';
import { GET_TEXT_PATH } from './worker-app.js';
import { runWorkerCli } from './worker-cli.js';
import type { WorkerHandle } from './worker-server.js';

function fakeIo() {
  const out = { stdout: '', stderr: '' };
  return {
    out,
    io: {
      stdout: { write: (t: string) => (out.stdout += t) },
      stderr: { write: (t: string) => (out.stderr += t) },
    },
  };
}

describe('runWorkerCli()', () => {
  it.each([
    { name: 'an unknown flag', args: ['--nope'], stderr: "worker: Unknown option '--nope'" },
    { name: 'a negative rtf', args: ['--rtf=-1'], stderr: "worker: option '--rtf' must be a number >= 0: got '-1'" },
    { name: 'a fractional port', args: ['--port', '1.5'], stderr: "worker: option '--port' must be an integer >= 0: got '1.5'" },
    { name: 'zero concurrency', args: ['--max-concurrency', '0'], stderr: "worker: option '--max-concurrency' must be an integer >= 1: got '0'" },
    { name: 'a positional argument', args: ['extra'], stderr: 'worker: Unexpected argument' },
    { name: 'a relative audio origin', args: ['--audio-origin', '/samples/'], stderr: "worker: option '--audio-origin': Cannot use 'audioOrigin' as it must be an http URL" },
    { name: 'a non-loopback audio origin', args: ['--audio-origin', 'https://example.com/'], stderr: "worker: option '--audio-origin': Cannot use 'audioOrigin' as it must be an http URL on 127.0.0.1" },
  ])('returns 2 for $name', async ({ args, stderr }) => {
    const { io, out } = fakeIo();
    expect(await runWorkerCli(args, io, { env: { HPA_LAB_WORKER_TOKEN: 'k' } })).toBe(2);
    expect(out.stderr).toContain(stderr);
  });

  it('returns 2 without a token in the environment', async () => {
    const { io, out } = fakeIo();
    expect(await runWorkerCli(['--port', '0'], io, { env: {} })).toBe(2);
    expect(out.stderr).toBe("worker: $HPA_LAB_WORKER_TOKEN must hold the key callers send as 'Authorization: Token <key>': it is not set\n");
  });

  it('prints help and returns 0 for --help', async () => {
    const { io, out } = fakeIo();
    expect(await runWorkerCli(['--help'], io)).toBe(0);
    expect(out.stdout).toContain('--metrics-port');
    expect(out.stdout).toContain('(default: 2269)');
    expect(out.stdout).toContain('(default: 30000)');
  });

  it('prints listening, then ready, and stops gracefully on the stop signal', async () => {
    const { io, out } = fakeIo();
    let stop: ((signal: string) => void) | undefined;
    let worker: WorkerHandle | undefined;
    const run = runWorkerCli(['--port', '0', '--metrics-port', '0', '--model-load-ms', '0', '--rtf', '0', '--overhead-ms', '0'], io, {
      onStopSignal: (onStop) => {
        stop = onStop;
        return () => undefined;
      },
      onStarted: (w) => (worker = w),
      env: { HPA_LAB_WORKER_TOKEN: 'cli-key' },
    });
    for (let i = 0; i < 500 && (stop === undefined || worker === undefined); i++) await new Promise((r) => setTimeout(r, 5));
    const denied = await fetch(`${worker?.url}${GET_TEXT_PATH}`, { method: 'POST', body: makeWav(1) });
    expect(denied.status).toBe(401);
    const res = await fetch(`${worker?.url}${GET_TEXT_PATH}`, { method: 'POST', headers: { authorization: 'Token cli-key' }, body: makeWav(1) });
    expect(res.status).toBe(200);
    stop?.('SIGTERM');
    expect(await run).toBe(0);
    const lines = out.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.map((l) => l['event'])).toEqual(['listening', 'ready', 'stopped']);
    expect(lines[0]).toEqual({ event: 'listening', port: worker?.port, metricsPort: worker?.metricsPort, pid: process.pid });
    expect(lines[2]).toMatchObject({ signal: 'SIGTERM', drained: true, abandoned: 0 });
  });
});
