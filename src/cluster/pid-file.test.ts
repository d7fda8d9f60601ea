import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { forgetPid, processStartTicks, reapOrphans, recordPid } from './pid-file.js';

const HAS_PROC = processStartTicks(process.pid) !== undefined;
if (!HAS_PROC) console.warn('skipping pid-file tests: no /proc (start times come from /proc/PID/stat)');

const alive = (pid: number): boolean => processStartTicks(pid) !== undefined;

describe.skipIf(!HAS_PROC)('pid files', () => {
  let dir = '';
  const started: number[] = [];
  const sleeper = (): number => {
    const child = spawn('sleep', ['30'], { detached: true, stdio: 'ignore' });
    child.unref();
    started.push(child.pid ?? -1);
    return child.pid ?? -1;
  };
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hpa-lab-pids-'));
  });
  afterAll(async () => {
    for (const pid of started) if (alive(pid)) process.kill(pid, 'SIGKILL');
    await rm(dir, { recursive: true, force: true });
  });

  it('processStartTicks() reads a number for a live process and undefined for none', () => {
    expect(processStartTicks(process.pid)).toMatch(/^\d+$/);
    expect(processStartTicks(2 ** 22 + 1)).toBeUndefined();
  });

  it('recordPid() writes the process and its owner with their start times; forgetPid() removes it', async () => {
    const pid = sleeper();
    const path = recordPid(join(dir, 'a'), { pid, what: 'sleep' });
    expect(path).toBe(join(dir, 'a', `${pid}.json`));
    expect(JSON.parse(await (await import('node:fs/promises')).readFile(path ?? '', 'utf8'))).toEqual({
      kind: 'hpa-lab/pid',
      pid,
      startTicks: processStartTicks(pid),
      what: 'sleep',
      ownerPid: process.pid,
      ownerStartTicks: processStartTicks(process.pid),
    });
    forgetPid(path);
    expect(existsSync(path ?? '')).toBe(false);
  });

  it('reapOrphans() kills a process whose owner is gone, keeps those of a live owner, and spares a reused pid', async () => {
    const d = join(dir, 'b');
    const orphan = sleeper();
    const owned = sleeper();
    const reused = sleeper();
    recordPid(d, { pid: orphan, what: 'orphan' });
    recordPid(d, { pid: owned, what: 'owned' });
    const write = (pid: number, over: Record<string, unknown>) =>
      writeFile(join(d, `${pid}.json`), JSON.stringify({ kind: 'hpa-lab/pid', pid, startTicks: processStartTicks(pid), what: 'x', ownerPid: process.pid, ownerStartTicks: processStartTicks(process.pid), ...over }));
    await write(orphan, { what: 'orphan', ownerStartTicks: '1' }); // the owner's pid now names another process: gone
    await write(reused, { what: 'reused', ownerStartTicks: '1', startTicks: '1' }); // this pid is another process now
    await writeFile(join(d, '999999999.json'), '{not json');
    const reaped = await reapOrphans(d);
    expect(reaped).toEqual([{ pid: orphan, what: 'orphan', ownerPid: process.pid }]);
    expect(alive(orphan)).toBe(false);
    expect(alive(owned)).toBe(true);
    expect(alive(reused)).toBe(true);
    expect((await readdir(d)).sort()).toEqual([`${owned}.json`]);
  });

  it('reapOrphans() of a folder that does not exist finds nothing', async () => {
    expect(await reapOrphans(join(dir, 'none'))).toEqual([]);
  });
});
