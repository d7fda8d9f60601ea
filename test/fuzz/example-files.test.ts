/**
 * Fuzz: mutations of every example file (dropped fields, nasty values, misspelled keys,
 * duplicate keys, anchors and aliases, alias bombs) through the loaders and the commands' entry
 * `main([...], io)`. Each case either loads (and the command exits 0 with finite output) or fails
 * with an `InputError` / exit 2 naming the file and field. Simulations run only when the mutated
 * scenario is small (the examples' durations are shortened to 10 minutes first), so every case
 * is bounded in time by its input, not by a timer.
 */
import { readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { InputError } from '../../src/core/errors.js';
import { loadHpaFile } from '../../src/input/files/load.js';
import { loadScenarioFile } from '../../src/input/files/scenario-loader.js';
import { copyExamples, expectCleanOutcome, fakeIo, runs, mutateYaml, mutation } from './fuzz-kit.js';

/** Most traffic steps a fuzzed simulation may run: keeps each case to a fraction of a second. */
const MAX_FUZZ_STEPS = 20_000;

let root = '';
let counter = 0;

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

beforeAll(async () => {
  root = await copyExamples();
});

async function writeMutated(dir: string, text: string): Promise<string> {
  const file = join(root, 'examples', dir, `fuzz-${counter++}.yaml`);
  await writeFile(file, text);
  return file;
}

/** A loader either returns or throws an InputError whose message is one line naming the file. */
async function expectLoadsOrInputError(load: () => Promise<unknown>, file: string, text: string): Promise<unknown> {
  try {
    return await load();
  } catch (error) {
    const context = `${file}\n${text.slice(0, 1500)}`;
    expect(error, `${context}\n${(error as Error).stack ?? ''}`).toBeInstanceOf(InputError);
    const message = (error as InputError).message;
    expect(message, context).not.toContain('\n');
    expect(message, context).toMatch(/^Cannot load '/);
    return undefined;
  }
}

const HPA_FILES = ['blog/hpa.yaml', 'lightning-asr/hpa.yaml', 'lightning-asr/values.yaml'];
const READINGS = [
  { hpa: 'blog/hpa.yaml', readings: 'blog/readings.yaml' },
  { hpa: 'blog/hpa.yaml', readings: 'blog/readings-startup.yaml' },
  { hpa: 'lightning-asr/hpa.yaml', readings: 'lightning-asr/readings.yaml' },
];

describe('fuzz: HPA manifests and Helm values', () => {
  it.each(HPA_FILES)('%s mutated loads or fails with an InputError', async (name) => {
    const text = await readFile(join('examples', name), 'utf8');
    await fc.assert(
      fc.asyncProperty(mutation, async (m) => {
        const mutated = mutateYaml(text, m);
        const file = await writeMutated(name.split('/')[0]!, mutated);
        await expectLoadsOrInputError(() => loadHpaFile(file), file, mutated);
      }),
      { numRuns: runs(300) },
    );
  });

  it.each(HPA_FILES)('%s mutated through explain and render exits 0 or 2', async (name) => {
    const text = await readFile(join('examples', name), 'utf8');
    await fc.assert(
      fc.asyncProperty(mutation, async (m) => {
        const mutated = mutateYaml(text, m);
        const file = await writeMutated(name.split('/')[0]!, mutated);
        const f = fakeIo(root);
        const code = await main(['explain', file, '--replicas', '2'], f.io);
        expectCleanOutcome('explain', code, f.out(), f.err(), mutated);
        if (name.endsWith('values.yaml')) {
          const r = fakeIo(root);
          const rc = await main(['render', file, '--out', join(root, `render-${counter++}`), '--no-check'], r.io);
          expectCleanOutcome('render', rc, r.out(), r.err(), mutated);
        }
      }),
      { numRuns: runs(60) },
    );
  });
});

describe('fuzz: readings files', () => {
  it.each(READINGS)('$readings mutated through explain exits 0 or 2', async ({ hpa, readings }) => {
    const text = await readFile(join('examples', readings), 'utf8');
    await fc.assert(
      fc.asyncProperty(mutation, async (m) => {
        const mutated = mutateYaml(text, m);
        const file = await writeMutated(readings.split('/')[0]!, mutated);
        const f = fakeIo(root);
        const code = await main(['explain', join(root, 'examples', hpa), '--readings', file], f.io);
        expectCleanOutcome('explain', code, f.out(), f.err(), mutated);
      }),
      { numRuns: runs(100) },
    );
  });
});

describe('fuzz: scenario files', async () => {
  const scenarios = (await readdir('examples/scenarios')).filter((f) => f.endsWith('.yaml'));

  it.each(scenarios)('%s mutated loads or fails with an InputError, and small runs exit 0 or 2', async (name) => {
    const original = await readFile(join('examples/scenarios', name), 'utf8');
    const text = original.replace(/^duration: .*$/m, 'duration: 10m');
    let simulated = 0;
    await fc.assert(
      fc.asyncProperty(mutation, async (m) => {
        const mutated = mutateYaml(text, m);
        const file = await writeMutated('scenarios', mutated);
        const loaded = (await expectLoadsOrInputError(() => loadScenarioFile(file), file, mutated)) as Awaited<ReturnType<typeof loadScenarioFile>> | undefined;
        if (loaded === undefined) return;
        const all = [loaded.scenario, ...loaded.variants.map((v) => v.scenario)];
        if (simulated >= runs(25) || all.some((s) => s.durationSeconds / s.stepSeconds > MAX_FUZZ_STEPS)) return;
        simulated++;
        const f = fakeIo(root);
        const code = await main(['simulate', relative(root, file), '--quiet'], f.io);
        expectCleanOutcome('simulate', code, f.out(), f.err(), mutated);
      }),
      { numRuns: runs(150) },
    );
  });
});
