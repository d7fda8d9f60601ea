/**
 * The stack's inputs as an API client meets them: the seeds' `{"url"}` load test against the
 * stack's own sample, `{"url"}` outside what the operator allowed, a WAV whose header lies, a
 * worker port called without the key, and the seeds' custom-metrics query in namespace
 * `smallest` (through Prometheus and the adapter when Prometheus is installed, through the
 * built-in scraper otherwise).
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { main } from '../../src/cli/main.js';
import { findExecutable } from '../../src/metrics/prometheus/promtool.js';
import { RUN_FILE, SAMPLE_AUDIO_SECONDS, writeRunFile, type Stack } from '../../src/stack/index.js';
import { makeWav } from '../../src/workload/audio/make-wav.js';
import { GET_TEXT_PATH } from '../../src/workload/worker/worker-app.js';
import { fakeIo, startTestStack, testHpa, TOKEN, waitFor } from './stack-fixture.js';

const HAS_PROMETHEUS = findExecutable('prometheus') !== undefined;
const SEED_QUERY = '/apis/custom.metrics.k8s.io/v1beta1/namespaces/smallest/pods/*/asr_active_requests';

describe('the stack refuses what is not audio, and serves the seeds in their namespace', () => {
  let dir = '';
  let audioDir = '';
  let stack: Stack | undefined;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hpa-lab-stack-input-'));
    audioDir = join(dir, 'audio');
    await mkdir(audioDir);
    await writeFile(join(audioDir, 'two.wav'), makeWav(2));
    await writeFile(join(dir, 'outside.wav'), makeWav(1));
    const hpa = testHpa();
    stack = await startTestStack({
      hpas: [{ ...hpa, metadata: { ...hpa.metadata, namespace: 'smallest' } }],
      kubeApi: { port: 0 },
      audioDir,
      runDir: join(dir, '.hpa-lab'),
      ...(HAS_PROMETHEUS ? { prometheus: { runDir: join(dir, '.hpa-lab'), scrapeInterval: '1s', evaluationInterval: '1s', relistIntervalMs: 1_000 } } : {}),
    });
    await waitFor(async () => (await stack?.pool.listPods())?.some((p) => p.ready?.status === 'True') ?? false, 'the first worker to be ready');
  }, 40_000);
  afterAll(async () => {
    await stack?.stop({ graceMs: 2_000 });
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const listen = (body: BodyInit, contentType: string): Promise<Response> =>
    fetch(`${stack?.api.url}/v1/listen`, { method: 'POST', headers: { authorization: `Token ${TOKEN}`, 'content-type': contentType }, body });
  const listenUrl = (url: string): Promise<Response> => listen(JSON.stringify({ url }), 'application/json');
  const json = async (res: Response): Promise<{ duration?: number; code?: string; error?: string }> => (await res.json()) as { duration?: number; code?: string; error?: string };

  it("answers the seeds' {url} request against the stack's own sample", async () => {
    const res = await listenUrl(stack?.sampleAudioUrl ?? '');
    expect(res.status).toBe(200);
    expect((await json(res)).duration).toBe(SAMPLE_AUDIO_SECONDS);
  }, 20_000);

  it.each([
    { name: "the seeds' remote URL", url: () => 'https://example.com/test-audio.wav', message: 'Cannot read "https://example.com/test-audio.wav": this worker reads only files under' },
    { name: 'a path outside the allowed directory', url: () => join(dir, 'outside.wav'), message: 'this worker reads only' },
    { name: 'a dot-dot path out of the allowed directory', url: () => join(audioDir, '..', 'outside.wav'), message: 'this worker reads only' },
    { name: '/etc/shadow', url: () => '/etc/shadow', message: 'Cannot read "/etc/shadow": this worker reads only' },
    { name: 'another loopback URL', url: () => `${stack?.api.url}/metrics`, message: 'this worker reads only' },
  ])('refuses {url} naming $name with 400 INVALID_REQUEST', async ({ url, message }) => {
    const res = await listenUrl(url());
    expect(res.status).toBe(400);
    const body = await json(res);
    expect(body.code).toBe('INVALID_REQUEST');
    expect(body.error).toContain(message);
  });

  it('reads a file the operator allowed with --audio-dir', async () => {
    const res = await listenUrl(join(audioDir, 'two.wav'));
    expect(res.status).toBe(200);
    expect((await json(res)).duration).toBe(2);
  });

  it('refuses a WAV whose header lies (byteRate 1 would hold a slot for 1,600 s) with 400', async () => {
    const lying = makeWav(0.05);
    new DataView(lying.buffer).setUint32(28, 1, true);
    const res = await listen(lying, 'audio/wav');
    expect(res.status).toBe(400);
    expect((await json(res)).error).toBe('Cannot read the WAV header: byteRate 1 contradicts sampleRate × blockAlign = 16000 × 2 = 32000');
    expect(stack?.api.app.stats().inFlight).toBe(0);
  });

  it("refuses a call to a worker's port without the key (401)", async () => {
    const url = stack?.pool.workers().find((w) => w.url !== undefined)?.url;
    const res = await fetch(`${url}${GET_TEXT_PATH}`, { method: 'POST', body: makeWav(1) });
    expect(res.status).toBe(401);
  });

  it(`answers the seeds' query ${SEED_QUERY} through the Kubernetes API${HAS_PROMETHEUS ? ', Prometheus and the adapter' : ''}`, async () => {
    const get = async (path: string): Promise<Response> => fetch(`${stack?.kube?.url}${path}`, { headers: { authorization: `Bearer ${TOKEN}` } });
    await waitFor(async () => (await get(SEED_QUERY)).status === 200, 'the seed query to answer 200', 20_000);
    const list = (await (await get(SEED_QUERY)).json()) as { kind: string; items: { describedObject: { namespace: string; name: string }; metricName: string }[] };
    expect(list.kind).toBe('MetricValueList');
    expect(list.items.length).toBeGreaterThan(0);
    expect(list.items[0]).toMatchObject({ metricName: 'asr_active_requests', describedObject: { namespace: 'smallest', name: expect.stringMatching(/^lightning-asr-/) as unknown } });
    const elsewhere = await get('/apis/custom.metrics.k8s.io/v1beta1/namespaces/default/pods/*/asr_active_requests');
    if (elsewhere.status === 200) expect(((await elsewhere.json()) as { items: unknown[] }).items).toEqual([]);
    else expect(elsewhere.status).toBe(404);
  }, 30_000);

  it.skipIf(!HAS_PROMETHEUS)('diagnose finds no fault on the healthy stack in namespace smallest', async () => {
    const hpa = testHpa();
    await writeFile(join(dir, 'hpa.yaml'), stringify({ ...hpa, metadata: { ...hpa.metadata, namespace: 'smallest' } }));
    const url = stack?.prometheus?.prometheus.url ?? '';
    let last = fakeIo(dir);
    await waitFor(async () => {
      last = fakeIo(dir);
      return (await main(['diagnose', 'hpa.yaml', '--prometheus', url, '--selector', 'app=lightning-asr'], last.io)) === 0;
    }, 'diagnose to pass', 20_000).catch(() => undefined);
    expect(last.out()).not.toMatch(/✗/);
    expect(await main(['diagnose', 'hpa.yaml', '--prometheus', url, '--selector', 'app=lightning-asr'], fakeIo(dir).io)).toBe(0);
  }, 30_000);

  it('describes the HPA in its namespace, with the metrics footer on stdout', async () => {
    if (!stack) throw new Error('no stack');
    await writeRunFile(join(dir, RUN_FILE), { kind: 'hpa-lab/run', pid: process.pid, startedMs: stack.startedMs, statusUrl: stack.statusUrl, apiUrl: stack.api.url, token: TOKEN });
    const status = fakeIo(dir);
    expect(await main(['status'], status.io)).toBe(0);
    expect(status.out()).toMatch(/\nmetrics: /);
    expect(status.err()).toBe('');
    const describe = fakeIo(dir);
    expect(await main(['describe', 'lightning-asr'], describe.io)).toBe(0);
    expect(describe.out()).toMatch(/Namespace:\s+smallest/);
    expect(describe.out()).toMatch(/\nmetrics: /);
  });
});
