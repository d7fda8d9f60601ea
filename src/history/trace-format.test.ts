import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadScenarioFile } from '../input/files/index.js';
import { captureSimulation } from './sim-capture.js';
import { frameToTraceSync, simulatedTraceHeader } from './sim-trace.js';

interface ObjectSchema {
  readonly required: readonly string[];
  readonly properties: Readonly<Record<string, unknown>>;
}
const schema = JSON.parse(readFileSync(new URL('../../schemas/trace.schema.json', import.meta.url), 'utf8')) as { $defs: Record<string, ObjectSchema> };

function expectShape(value: object, def: ObjectSchema): void {
  for (const key of def.required) expect(value).toHaveProperty(key);
  for (const key of Object.keys(value)) expect(Object.keys(def.properties)).toContain(key);
}

describe('schemas/trace.schema.json', () => {
  it('describes the header and sync lines this build writes, field by field', async () => {
    const loaded = await loadScenarioFile(new URL('../../examples/scenarios/traffic-spike.yaml', import.meta.url).pathname);
    const { result, frames } = captureSimulation({ ...loaded.scenario, durationSeconds: 600 }, { seed: 1 });
    const header = simulatedTraceHeader(result.hpas, { startEpochMs: 0, durationSeconds: 600, stepSeconds: 15, scenario: 'spike', kubernetesVersion: '1.31' });
    expectShape(header, schema.$defs['header']!);
    expectShape(header.hpas[0]!, schema.$defs['hpa']!);
    for (const f of frames) {
      const sync = frameToTraceSync(f, 0);
      expectShape(sync, schema.$defs['sync']!);
      const pod = (schema.$defs['sync']!.properties['pods'] as { items: ObjectSchema }).items;
      for (const p of sync.pods) expectShape(p, pod);
    }
  });
});
