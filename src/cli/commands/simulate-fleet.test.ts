import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../main.js';

function fakeIo(cwd?: string) {
  let stdout = '';
  let stderr = '';
  return {
    io: { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) }, ...(cwd ? { cwd } : {}) },
    out: () => stdout,
    err: () => stderr,
  };
}

const values = resolve('examples/lightning-asr/values.yaml');
const scenario = (extra = '') => `name: small-fleet
duration: 1h
hpas:
  - file: ${values}
    only: [lightning-asr]
traffic: { type: diurnal, minRps: 5, maxRps: 45 }
${extra}`;

describe('hpa-lab simulate --fleet', () => {
  it('runs N HPAs on worker threads, streams a line each and prints totals; --patch reports the change', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hpa-lab-fleet-'));
    await writeFile(join(dir, 's.yaml'), scenario());
    await writeFile(join(dir, 'patch.yaml'), 'spec:\n  behavior:\n    scaleDown:\n      stabilizationWindowSeconds: 600\n');
    const f = fakeIo(dir);
    const code = await main(['simulate', 's.yaml', '--fleet', '3', '--workers', '2', '--patch', 'patch.yaml', '--json', 'out.json'], f.io);
    expect(f.err()).toContain('wrote out.json');
    expect(code).toBe(0);
    const out = f.out();
    expect(out).toContain('Fleet of 3 HPAs from small-fleet (seed 1');
    for (const i of [0, 1, 2]) expect(out).toMatch(new RegExp(`^lightning-asr-${i} .*pod-hours .*→ pod-hours`, 'm'));
    expect(out).toMatch(/^TOTAL +BASE +WHAT-IF +CHANGE$/m);
    expect(out).toMatch(/simulated HPA-seconds per second/);
    const json = JSON.parse(await readFile(join(dir, 'out.json'), 'utf8')) as { members: { base: { index: number } }[]; report: { members: number } };
    expect(json.report.members).toBe(3);
    expect(json.members.map((m) => m.base.index)).toEqual([0, 1, 2]);
  });

  it("takes the size from the scenario's fleet field, and the same seed gives the same totals", async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hpa-lab-fleet-'));
    await writeFile(join(dir, 's.yaml'), scenario('fleet: { size: 2, trafficScale: { min: 1, max: 2 } }\n'));
    const a = fakeIo(dir);
    const b = fakeIo(dir);
    expect(await main(['simulate', 's.yaml', '-q', '--workers', '1'], a.io)).toBe(0);
    expect(await main(['simulate', 's.yaml', '-q', '--workers', '2'], b.io)).toBe(0);
    const totals = (s: string) => s.slice(s.indexOf('Fleet of 2 HPAs, 60m each'), s.lastIndexOf('\n2 ×'));
    expect(totals(a.out())).toContain('pod-hours');
    expect(totals(a.out())).toBe(totals(b.out()));
  });

  it('rejects bad fleet flags with exit 2', async () => {
    const f = fakeIo();
    expect(await main(['simulate', 'examples/scenarios/blog.yaml', '--fleet', '0'], f.io)).toBe(2);
    expect(f.err()).toContain("--fleet must be an integer ≥ 1: got '0'");
    const g = fakeIo();
    expect(await main(['simulate', 'examples/scenarios/blog.yaml', '--patch', 'x.yaml'], g.io)).toBe(2);
    expect(g.err()).toContain('--patch and --workers apply to a fleet');
  });
});
