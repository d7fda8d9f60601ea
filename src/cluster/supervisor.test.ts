import { spawn } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processStartTicks } from './pid-file.js';
import { supervisedCommand, SUPERVISOR_ENTRY } from './supervisor.js';

const HAS_PROC = processStartTicks(process.pid) !== undefined;
const alive = (pid: number): boolean => processStartTicks(pid) !== undefined;

async function until(check: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('supervisedCommand()', () => {
  it('runs the binary under node and the supervisor entry, with the pid folder', () => {
    const c = supervisedCommand('prometheus', ['--a=1'], { pidDir: '/run/pids' });
    expect(c.command).toBe(process.execPath);
    expect(c.args.slice(-6)).toEqual([SUPERVISOR_ENTRY, '--pid-dir', '/run/pids', '--', 'prometheus', '--a=1']);
  });
});

describe.skipIf(!HAS_PROC)('the supervisor (a real process)', () => {
  let dir = '';
  const pids: number[] = [];
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hpa-lab-supervise-'));
  });
  afterAll(async () => {
    for (const pid of pids) if (alive(pid)) process.kill(pid, 'SIGKILL');
    await rm(dir, { recursive: true, force: true });
  });

  const start = () => {
    const c = supervisedCommand('sleep', ['30'], { pidDir: dir });
    const child = spawn(c.command, c.args, { stdio: ['ignore', 'ignore', 'pipe', 'ipc'], detached: true });
    pids.push(child.pid ?? -1);
    let childPid = 0;
    child.on('message', (m: { event?: string; pid?: number }) => {
      if (m.event === 'spawned' && typeof m.pid === 'number') {
        childPid = m.pid;
        pids.push(m.pid);
      }
    });
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) => child.once('exit', (code, signal) => r({ code, signal })));
    return { child, exited, childPid: () => childPid };
  };

  it('ends its child when the lifeline (IPC channel) closes, and removes the pid file', async () => {
    const s = start();
    await until(() => s.childPid() > 0, 'the spawned message');
    await until(() => alive(s.childPid()), 'the child');
    s.child.disconnect(); // what the stack's death does to the channel
    await until(() => !alive(s.childPid()), 'the child to end');
    await s.exited;
    expect(await readdir(dir)).toEqual([]);
  }, 20_000);

  it('relays SIGTERM, and ends as its child ended (killed by the same signal)', async () => {
    const s = start();
    await until(() => s.childPid() > 0 && alive(s.childPid()), 'the child');
    s.child.kill('SIGTERM');
    expect(await s.exited).toEqual({ code: null, signal: 'SIGTERM' });
    expect(alive(s.childPid())).toBe(false);
  }, 20_000);
});
