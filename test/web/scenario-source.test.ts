import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenarioFile } from '../../src/input/files/scenario-loader.js';
import { InputError } from '../../src/core/errors.js';
import { pageStateForFile } from '../../src/web-server/index.js';
import { builtinScenarios, EXAMPLE_FILES } from '../../web/src/builtin-scenarios.js';
import { loadSource, normalizePath, resolveRef } from '../../web/src/scenario-source.js';

const REPO = join(import.meta.dirname, '..', '..');
const read = (p: string): string => readFileSync(join(REPO, p), 'utf8');

describe('normalizePath() / resolveRef()', () => {
  it.each([
    { from: 'examples/scenarios/spike.yaml', ref: '../lightning-asr/hpa.yaml', want: 'examples/lightning-asr/hpa.yaml' },
    { from: 'spike.yaml', ref: '../lightning-asr/hpa.yaml', want: '../lightning-asr/hpa.yaml' },
    { from: 'spike.yaml', ref: './hpa.yaml', want: 'hpa.yaml' },
    { from: 'a/b/c.yaml', ref: '../../../x.yaml', want: '../x.yaml' },
  ])('resolves $ref from $from to $want', ({ from, ref, want }) => {
    expect(resolveRef(from, ref)).toBe(want);
    expect(normalizePath(want)).toBe(want);
  });
});

describe('loadSource()', () => {
  it('loads every built-in scenario with the bundled example files', () => {
    const all = builtinScenarios();
    expect(all.length).toBeGreaterThanOrEqual(5);
    for (const b of all) {
      const loaded = loadSource(b.name, b.text, { files: EXAMPLE_FILES });
      expect(loaded.scenario.hpas.length, b.id).toBeGreaterThan(0);
    }
  });

  it.each(Object.keys(EXAMPLE_FILES).filter((k) => /^examples\/scenarios\/[^/]+\.ya?ml$/.test(k)))('builds %s as the CLI loader does', async (path) => {
    const page = loadSource(path, EXAMPLE_FILES[path]!, { files: EXAMPLE_FILES });
    const cli = await loadScenarioFile(join(REPO, path));
    expect(page.scenario).toEqual(cli.scenario);
    expect(page.variants.map((v) => v.scenario)).toEqual(cli.variants.map((v) => v.scenario));
  });

  it('runs an HPA manifest on the built-in traffic spike, with its Deployment requests', () => {
    const loaded = loadSource('hpa.yaml', read('examples/blog/hpa.yaml'));
    expect(loaded.kind).toBe('manifest');
    expect(loaded.scenario.traffic.type).toBe('traffic-spike');
    expect(loaded.scenario.services['autoscaler-name']?.requests.cpuMillicores).toBe(500);
  });

  it("loads the seeds' Helm values with both HPAs and the chart's scrape interval", () => {
    const loaded = loadSource('values.yaml', read('examples/lightning-asr/values.yaml'), { traffic: 'diurnal' });
    expect(loaded.kind).toBe('helm-values');
    expect(loaded.scenario.hpas.map((h) => h.metadata.name)).toEqual(['lightning-asr', 'api-server']);
    expect(loaded.scenario.pipeline.scrapeIntervalSeconds).toBe(30);
    expect(loaded.scenario.durationSeconds).toBe(86_400);
  });

  it('reads what `hpa-lab serve FILE` sends: the scenario and the files it references', async () => {
    const state = await pageStateForFile(join(REPO, 'examples/scenarios/compare-stabilization.yaml'));
    const src = state.scenario.source;
    const loaded = loadSource(src.name, src.text, { files: src.files ?? {} });
    expect(loaded.variants.map((v) => v.name)).toContain('window-120s');
  });

  it.each([
    { name: 'a referenced file the page has no copy of', text: 'duration: 1h\nhpas:\n  - file: missing.yaml\ntraffic: { type: ramp }\n', path: 'hpas[0].file', message: "the page has no copy of 'missing.yaml'" },
    { name: 'Prometheus traffic', text: `duration: 1h\nhpas:\n  - file: hpa.yaml\ntraffic: { type: prometheus, url: 'http://127.0.0.1:9090', query: up }\n`, path: 'traffic', message: 'the page cannot query Prometheus' },
    { name: 'a file that is neither', text: 'hello: world\n', path: '', message: "expected a scenario (with 'hpas' and 'traffic')" },
  ])('throws an InputError for $name', ({ text, path, message }) => {
    const files = { 'hpa.yaml': read('examples/lightning-asr/hpa.yaml') };
    let error: unknown;
    try {
      loadSource('s.yaml', text, { files });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).path).toBe(path);
    expect((error as InputError).message).toContain(message);
  });
});
