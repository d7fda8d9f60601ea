/**
 * Each example scenario does what its seed says should happen. The scenarios are the files under
 * examples/scenarios/, loaded as the CLI loads them and run with their own seed.
 */
import { describe, expect, it } from 'vitest';
import { runSimulation, type SimResult } from '../../src/sim/index.js';
import { loadScenarioFile } from '../../src/input/files/scenario-loader.js';

async function simulate(name: string): Promise<{ result: SimResult; variants: Record<string, SimResult> }> {
  const loaded = await loadScenarioFile(`examples/scenarios/${name}.yaml`);
  const seed = loaded.seed ?? 1;
  const variants: Record<string, SimResult> = {};
  for (const v of loaded.variants) variants[v.name] = runSimulation(v.scenario, { seed });
  return { result: runSimulation(loaded.scenario, { seed }), variants };
}

/** Rescales of one HPA as [t, from, to], from its SuccessfulRescale events. */
function rescales(result: SimResult, hpa: string): [number, number, number][] {
  const out: [number, number, number][] = [];
  const series = result.timeline.hpas.find((h) => h.hpa === hpa)!;
  let current = series.replicas[0]!;
  // The first point is after the t = 0 sync: recover the starting count from the first event.
  const first = result.events.find((e) => e.hpa === hpa && e.reason === 'SuccessfulRescale');
  if (first !== undefined && first.t === 0) current = result.watch.find((w) => w.hpa === hpa)!.status.currentReplicas;
  for (const e of result.events) {
    if (e.hpa !== hpa || e.reason !== 'SuccessfulRescale') continue;
    const to = Number(/New size: (\d+)/.exec(e.message)![1]);
    out.push([e.t, current, to]);
    current = to;
  }
  return out;
}

/** Replicas at time t (the kept sync at or before t). */
function replicasAt(result: SimResult, hpa: string, t: number): number {
  const series = result.timeline.hpas.find((h) => h.hpa === hpa)!;
  let i = 0;
  while (i + 1 < result.timeline.t.length && result.timeline.t[i + 1]! <= t) i++;
  return series.replicas[i]!;
}

describe('examples/scenarios', () => {
  it('traffic-spike: scales up at once, "2 pods or 100% every 15 s, whichever is higher", until the load is spread', async () => {
    const { result } = await simulate('traffic-spike');
    const ups = rescales(result, 'lightning-asr').filter(([t, from, to]) => t >= 300 && to > from);
    // The first scale-up comes within a scrape interval plus a sync of the spike (300 s).
    expect(ups[0]![0]).toBeLessThanOrEqual(300 + 30 + 15);
    // Each step adds at most max(2, 100 %) of the pods, at most once per 15 s.
    for (const [, from, to] of ups) expect(to - from).toBeLessThanOrEqual(Math.max(2, from));
    for (let i = 1; i < ups.length; i++) expect(ups[i]![0] - ups[i - 1]![0]).toBeGreaterThanOrEqual(15);
    // 12 pods serve the 60 rps peak at 5 active requests each: reached within 90 s of the spike.
    expect(replicasAt(result, 'lightning-asr', 390)).toBeGreaterThanOrEqual(12);
    // And scales back down after the spike.
    expect(result.summary.hpas[0]!.finalReplicas).toBeLessThanOrEqual(4);
  });

  it('gradual-decline: waits 300 s, then removes "1 pod or 50% every 60 s, whichever is lower"', async () => {
    const { result } = await simulate('gradual-decline');
    const downs = rescales(result, 'lightning-asr');
    expect(downs.length).toBeGreaterThanOrEqual(6);
    for (const [, from, to] of downs) expect(from - to).toBe(1);
    for (let i = 1; i < downs.length; i++) expect(downs[i]![0] - downs[i - 1]![0]).toBeGreaterThanOrEqual(60);
    // The load leaves the 10-pod band (45 rps, within 10 % of 5 per pod) at 500 s: nothing before 800 s.
    expect(downs[0]![0]).toBeGreaterThanOrEqual(800);
    expect(result.summary.hpas[0]!.scaleUps).toBe(0);
    expect(result.summary.hpas[0]!.finalReplicas).toBeLessThanOrEqual(2);
  });

  it('off-hours: both HPAs reach minReplicas 1 at night and come back in the morning; the API server follows ceil(ASR / 2)', async () => {
    const { result } = await simulate('off-hours');
    for (const hpa of ['lightning-asr', 'api-server']) {
      expect(replicasAt(result, hpa, 3 * 3600)).toBe(1); // 03:00
    }
    expect(replicasAt(result, 'lightning-asr', 12 * 3600)).toBeGreaterThanOrEqual(5); // noon, 30 rps
    expect(replicasAt(result, 'api-server', 12 * 3600)).toBeGreaterThanOrEqual(3);
    const [asr, api] = result.summary.hpas;
    expect(api!.peakReplicas).toBe(Math.ceil(asr!.peakReplicas / 2));
  });

  it('default-behavior: 1 -> 5 (+4 when fewer than 4), then doubling every 15 s; scale-down after 5 min, many pods at once', async () => {
    const { result, variants } = await simulate('default-behavior');
    const steps = rescales(result, 'lightning-asr');
    const ups = steps.filter(([, from, to]) => to > from);
    expect(ups[0]!.slice(1)).toEqual([1, 5]);
    for (const [, from, to] of ups) expect(to).toBeLessThanOrEqual(Math.max(2 * from, from + 4));
    // The load drops at 900 s; the 5-minute window holds the peak recommendation until 1200 s,
    // then one scale-down removes most pods at once (default scale-down policy: 100 % per 15 s).
    const bigDown = steps.find(([, from, to]) => to < from && from - to >= from / 2)!;
    expect(bigDown[0]).toBeGreaterThanOrEqual(900 + 300);
    expect(bigDown[2]).toBeLessThanOrEqual(3);
    // Without a behavior block the controller's older limit applies: max(2 × current, 4).
    const legacy = rescales(variants['no-behavior']!, 'lightning-asr').filter(([, from, to]) => to > from);
    expect(legacy[0]!.slice(1)).toEqual([1, 4]);
    for (const [, from, to] of legacy) expect(to).toBeLessThanOrEqual(Math.max(2 * from, 4));
  });

  it('blog: the CPU startup spike walks replicas up to maxReplicas 3, and memory at ~81 % of request keeps them there', async () => {
    const { result } = await simulate('blog');
    const s = result.timeline.hpas[0]!;
    const reached = result.timeline.t.findIndex((_, i) => s.replicas[i] === 3);
    expect(result.timeline.t[reached]).toBeLessThanOrEqual(180);
    expect(s.replicas.slice(reached).every((r) => r === 3)).toBe(true);
    const memory = s.metrics.find((m) => m.name === 'memory')!;
    expect(memory.current.at(-1)).toBe(81);
    // CPU back to idle: alone it would want 1 replica.
    expect(s.metrics.find((m) => m.name === 'cpu')!.proposal.at(-1)).toBe(1);
    expect(result.findings.map((f) => f.kind)).toEqual(expect.arrayContaining(['staircase', 'fixed-usage']));
    expect(result.findings.find((f) => f.kind === 'fixed-usage')!.fix).toContain('Remove memory from spec.metrics');
  });

  it('compare-stabilization: a 120 s window costs fewer pod-hours but flaps more; target 3 buys capacity that target 10 saves', async () => {
    const { result, variants } = await simulate('compare-stabilization');
    const hours = (r: SimResult) => r.summary.hpas[0]!.podHours;
    const w120 = variants['window-120s']!;
    expect(hours(w120)).toBeLessThan(hours(result));
    expect(w120.summary.hpas[0]!.flaps).toBeGreaterThan(result.summary.hpas[0]!.flaps);
    expect(hours(variants['target-3']!)).toBeGreaterThan(hours(result));
    expect(hours(variants['target-10']!)).toBeLessThan(hours(result));
    expect(variants['target-3']!.summary.services[0]!.dropped).toBeLessThan(variants['target-10']!.summary.services[0]!.dropped);
  });
  it('gpu-spike: pods wait for GPU nodes after the pool scaled to zero, and 10 of maxReplicas 20 can never run', async () => {
    const { result } = await simulate('gpu-spike');
    const nodes = result.summary.nodes!;
    expect(nodes.pool).toBe('gpu-a10');
    expect(nodes.peakNodes).toBe(10);
    expect(nodes.podPendingSeconds).toBeGreaterThan(3600); // 2 pods Pending for the whole hour at 12 replicas
    expect(nodes.droppedWhileWaiting).toBeGreaterThan(0);
    const s = result.timeline.hpas[0]!;
    const night = result.timeline.t.findIndex((t) => t === 3600);
    expect([s.replicas[night], s.pods[night]]).toEqual([0, 0]);
    const peak = result.timeline.t.findIndex((t) => t === 6000);
    expect([s.pods[peak], s.readyReplicas[peak]]).toEqual([12, 10]);
    const titles = result.findings.map((f) => f.title);
    expect(titles).toContain("maxReplicas 20 > the node pool's 10 GPUs: 10 pods can never run");
    expect(titles.some((t) => /^Time to capacity is .+, of which .+ waiting for nodes$/.test(t))).toBe(true);
    expect(titles.some((t) => t.startsWith('The pool scaled to zero nodes at '))).toBe(true);
  });
});
