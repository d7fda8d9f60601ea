/**
 * Fuzz: every flag of `explain`, `render` and `simulate` (from each command's OPTIONS table)
 * given nasty values, repeated, unknown or dropped, through `main([...], io)`. The invariant is
 * the suite's: exit 0 with finite output, or exit 2 with one line naming the flag or file.
 * Commands that bind ports (`up`, `serve`, `load`, `adapter`) are left out.
 */
import { EXPLAIN_CLUSTER_OPTIONS } from '../../src/cli/commands/cluster-options.js';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, it } from 'vitest';
import type { CommandDef } from '../../src/cli/command.js';
import { COMMANDS } from '../../src/cli/commands/index.js';
import { main } from '../../src/cli/main.js';
import { copyExamples, expectCleanOutcome, fakeIo, runs } from './fuzz-kit.js';

/** Flag values that broke commands before, and their near misses. */
const NASTY_FLAG_VALUES = [
  '', ' ', '-1', '0', '1', '2', '1.5', '1e308', '-1e308', '99999999999999999999', '2147483648', 'NaN', 'Infinity', '-Infinity', 'ü', '𝟘', 'a b',
  '%', '=', 'cpu=', '=5', 'cpu=1e308%', 'cpu=%', 'cpu=-5', 'cpu=5', 'cpu=50%', 'memory=1e9999999', 'gpu=5', 'cpu=1,2,3', 'cpu=,', 'asr_active_requests=12',
  '0s', '1e-9', '100y', '15s', '1h', '127.0.0.1:99999999', '127.0.0.1:0', 'host:8080', ':80', 'x.svg', 'x.png', 'x.pdf', 'out.json', 'out.csv', 'out.html',
] as const;

const flagValue = fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...NASTY_FLAG_VALUES) }, { weight: 1, arbitrary: fc.string({ maxLength: 8, unit: 'grapheme' }) });

let root = '';
let counter = 0;

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

beforeAll(async () => {
  root = await copyExamples();
  // A short scenario: each simulate case stays a fraction of a second.
  const spike = await readFile('examples/scenarios/traffic-spike.yaml', 'utf8');
  await writeFile(join(root, 'examples/scenarios/short.yaml'), spike.replace(/^duration: .*$/m, 'duration: 5m'));
});

/** A valid command line of each fuzzed command, and where its outputs go. */
function baseArgv(name: string): string[] {
  switch (name) {
    case 'explain':
      return ['explain', 'examples/blog/hpa.yaml', '--readings', 'examples/blog/readings.yaml'];
    case 'render':
      return ['render', 'examples/lightning-asr/values.yaml', '--out', `render-${counter++}`, '--no-check'];
    case 'simulate':
      return ['simulate', 'examples/scenarios/short.yaml', '--quiet'];
    default:
      throw new Error(`no base command line for ${name}`);
  }
}

type FlagEdit =
  | { readonly op: 'set'; readonly pick: number; readonly value: string }
  | { readonly op: 'twice'; readonly pick: number; readonly value: string }
  | { readonly op: 'unknown'; readonly value: string }
  | { readonly op: 'drop-positional' }
  | { readonly op: 'extra-positional'; readonly value: string };

const flagEdit: fc.Arbitrary<FlagEdit> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ op: fc.constant('set' as const), pick: fc.nat(), value: flagValue }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('twice' as const), pick: fc.nat(), value: flagValue }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('unknown' as const), value: flagValue }) },
  { weight: 1, arbitrary: fc.constant({ op: 'drop-positional' as const }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('extra-positional' as const), value: flagValue }) },
);

/**
 * The --cluster mode's flags are left out: it reads a real cluster over the network (whichever
 * KUBECONFIG the machine has), which an in-process fuzz cannot bound; test/kube covers its flags
 * and exit codes against an API server on loopback.
 */
const CLUSTER_FLAGS = new Set(EXPLAIN_CLUSTER_OPTIONS.map((o) => o.name));

/** Applies edits to a command line; values that would write outside the temporary folder stay inside it. */
function edit(cmd: CommandDef, argv: string[], edits: readonly FlagEdit[]): string[] {
  let out = [...argv];
  for (const e of edits) {
    const options = cmd.options.filter((o) => !CLUSTER_FLAGS.has(o.name));
    const option = options[('pick' in e ? e.pick : 0) % options.length]!;
    const flag = `--${option.name}`;
    switch (e.op) {
      case 'set':
      case 'twice': {
        const value = option.type === 'boolean' ? [] : [e.value];
        if (e.op === 'set') {
          const i = out.indexOf(flag);
          if (i >= 0) out.splice(i, option.type === 'boolean' ? 1 : 2);
        }
        out.push(flag, ...value);
        break;
      }
      case 'unknown':
        out.push(`--no-such-flag${e.value ? `=${e.value}` : ''}`);
        break;
      case 'drop-positional':
        out = [out[0]!, ...out.slice(2)];
        break;
      case 'extra-positional':
        out.push(e.value || 'x');
        break;
    }
  }
  return out;
}

describe('fuzz: flags', () => {
  for (const name of ['explain', 'render', 'simulate']) {
    it(`${name}: every flag with nasty values exits 0 or 2`, async () => {
      const cmd = await COMMANDS.find((c) => c.name === name)!.load();
      await fc.assert(
        fc.asyncProperty(fc.array(flagEdit, { minLength: 1, maxLength: 3 }), async (edits) => {
          const argv = edit(cmd, baseArgv(name), edits);
          const f = fakeIo(root);
          const code = await main(argv, f.io);
          expectCleanOutcome(name, code, f.out(), f.err(), JSON.stringify(argv));
        }),
        { numRuns: runs(name === 'simulate' ? 150 : 300) },
      );
    });
  }
});
