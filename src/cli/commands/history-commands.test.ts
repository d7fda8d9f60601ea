import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../main.js';

const ROOT = new URL('../../..', import.meta.url).pathname;
let dir = '';

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hpa-lab-history-cli-'));
  await writeFile(join(dir, 'not-a-trace.jsonl'), '{"kind":"sync"}\n');
  await writeFile(join(dir, 'broken.jsonl'), 'nope\n');
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(argv, { stdout: { write: (s: string) => (out += s) }, stderr: { write: (s: string) => (err += s) }, cwd: ROOT });
  return { code, out, err };
}

describe('history commands reject bad input with exit 2 and one line', () => {
  it.each([
    { name: 'record without --prometheus', argv: ['record', '--hpa', 'a/b', '--from', '1h', '-o', 'x'], want: /--prometheus/ },
    { name: 'record without an HPA', argv: ['record', '--prometheus', 'http://127.0.0.1:1', '--from', '1h', '-o', 'x'], want: /--hpa NS\/NAME' or '-A'/ },
    { name: 'record with a bad --hpa', argv: ['record', '--prometheus', 'http://127.0.0.1:1', '--hpa', 'ab', '--from', '1h', '-o', 'x'], want: /NAMESPACE\/NAME: got 'ab'/ },
    { name: 'record with --from after --to', argv: ['record', '--prometheus', 'http://127.0.0.1:1', '--hpa', 'a/b', '--from', '2000', '--to', '1000', '-o', 'x'], want: /'--from' must be before '--to'/ },
    { name: 'record with a bad --step', argv: ['record', '--prometheus', 'http://127.0.0.1:1', '--hpa', 'a/b', '--from', '1h', '--step', 'fast', '-o', 'x'], want: /'--step' must be a duration/ },
    { name: 'replay without TRACE', argv: ['replay'], want: /missing TRACE/ },
    { name: 'replay of a missing file', argv: ['replay', join('/nonexistent', 't.jsonl')], want: /no such file/ },
    { name: 'replay of a file that is not a trace', argv: ['replay', 'NOT'], want: /line 1 must be a trace header/ },
    { name: 'replay of a file that is not JSON', argv: ['replay', 'BROKEN'], want: /is not JSON/ },
    { name: 'tune with a bad budget', argv: ['tune', 'examples/scenarios/traffic-spike.yaml', '--budget', '0'], want: /'--budget' must be an integer ≥ 1/ },
    { name: 'tune with a bad objective', argv: ['tune', 'examples/scenarios/traffic-spike.yaml', '--max-slo-miss', '200%'], want: /'--max-slo-miss' must be a percentage/ },
    { name: 'backtest without TRACE', argv: ['backtest'], want: /missing TRACE/ },
  ])('$name', async ({ argv, want }) => {
    const fixed = argv.map((a) => (a === 'NOT' ? join(dir, 'not-a-trace.jsonl') : a === 'BROKEN' ? join(dir, 'broken.jsonl') : a));
    const r = await run(fixed);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(want);
  });
});

describe('tune on a scenario', () => {
  it('prints the front and writes the recommended manifest', async () => {
    const short = join(dir, 'short.yaml');
    const { readFile } = await import('node:fs/promises');
    await writeFile(short, (await readFile(join(ROOT, 'examples/scenarios/traffic-spike.yaml'), 'utf8')).replace(/^duration: .*$/m, 'duration: 10m').replace('../lightning-asr/hpa.yaml', join(ROOT, 'examples/lightning-asr/hpa.yaml')));
    const out = join(dir, 'tuned.yaml');
    const r = await run(['tune', short, '--budget', '8', '--workers', '1', '--max-slo-miss', '50%', '-o', out]);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/^Tune lightning-asr on scenario traffic-spike \(seed 1\): 8 configurations, \d+ on the Pareto front/);
    expect(r.out).toMatch(/^0 +default/m);
    expect(await readFile(out, 'utf8')).toMatch(/^kind: HorizontalPodAutoscaler$/m);
  }, 30_000);
});

describe('record --adapter-config', () => {
  it("reads each metric with its rule's metricsQuery", async () => {
    const { adapterMetricQueries } = await import('./record-adapter.js');
    const q = await adapterMetricQueries(join(ROOT, 'examples/lightning-asr/values.yaml'));
    expect(q('asr_active_requests', 'Pods')).toBe('sum(asr_active_requests{namespace="$NAMESPACE",pod=~".+"}) by (pod)');
    expect(q('lightning_asr_replica_count', 'External')).toBe('sum(kube_deployment_status_replicas{deployment="lightning-asr"})');
  });
});
