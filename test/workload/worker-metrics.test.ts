import { afterEach, describe, expect, it } from 'vitest';
import { makeWav } from '../../src/workload/audio/make-wav.js';
import { GET_TEXT_PATH } from '../../src/workload/worker/worker-app.js';
import { ASR_METRIC_NAMES } from '../../src/workload/worker/worker-metrics.js';
import { type WorkerHandle, startWorker } from '../../src/workload/worker/worker-server.js';
import { pause } from './stack-fixture.js';

const SEED_TYPES = {
  asr_active_requests: 'gauge',
  asr_total_requests: 'counter',
  asr_failed_requests: 'counter',
  asr_request_duration_seconds: 'histogram',
  asr_model_load_time_seconds: 'gauge',
  asr_gpu_utilization: 'gauge',
  asr_gpu_memory_used_bytes: 'gauge',
} as const;

function sample(text: string, name: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  return line === undefined ? undefined : Number(line.split(' ')[1]);
}

describe('worker /metrics over HTTP', () => {
  let worker: WorkerHandle | undefined;
  afterEach(async () => {
    await worker?.stop({ graceMs: 0 });
    worker = undefined;
  });

  it('serves the seven asr_* metrics with the seeds types plus default process metrics, on its own port', async () => {
    worker = await startWorker({ port: 0, metricsPort: 0, modelLoadMs: 0 });
    expect(worker.metricsPort).not.toBe(worker.port);
    const res = await fetch(worker.metricsUrl);
    expect(res.status).toBe(200);
    const text = await res.text();
    for (const name of ASR_METRIC_NAMES) expect(text).toContain(`# TYPE ${name} ${SEED_TYPES[name]}\n`);
    const asrTypes = [...text.matchAll(/^# TYPE (asr_\S+) /gm)].map((m) => m[1]);
    expect(asrTypes).toEqual([...ASR_METRIC_NAMES]);
    expect(text).toContain('# TYPE process_resident_memory_bytes gauge');
    expect(text).not.toMatch(/pod="/);
    expect((await fetch(`${worker.url}/metrics`)).status).toBe(404); // metrics live only on the metrics port
  });

  it('reports in-service plus queued requests as asr_active_requests while they run', async () => {
    worker = await startWorker({ port: 0, metricsPort: 0, modelLoadMs: 0, rtf: 100, maxConcurrency: 2, defaultMetrics: false });
    const url = `${worker.url}${GET_TEXT_PATH}`;
    const requests = [1, 2, 3].map(() => fetch(url, { method: 'POST', body: makeWav(1) }).then((r) => r.status).catch(() => 0));
    let text = '';
    for (let i = 0; i < 200 && sample(text, 'asr_active_requests') !== 3; i++) {
      await pause(25);
      text = await (await fetch(worker.metricsUrl)).text();
    }
    expect(sample(text, 'asr_active_requests')).toBe(3);
    expect(sample(text, 'asr_gpu_utilization')).toBe(100);
    expect(sample(text, 'asr_gpu_memory_used_bytes')).toBe(4_000_000_000 + 2 * 500_000_000);
    await worker.stop({ graceMs: 0 }); // cut them off: answered 503
    expect(await Promise.all(requests)).toEqual([503, 503, 503]);
  });
});
