import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../src/cli/commands/index.js';
import { main } from '../src/cli/main.js';
import * as engine from '../src/engine/index.js';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

/** The text of the README section under `## title`, up to the next `## ` heading. */
function section(title: string): string {
  const start = readme.indexOf(`\n## ${title}\n`);
  if (start < 0) throw new Error(`README.md has no '## ${title}' section`);
  const end = readme.indexOf('\n## ', start + 1);
  return readme.slice(start, end < 0 ? undefined : end);
}

/** The commands of the README's command table (first column). */
function tableCommands(): string[] {
  // The table whose header starts with `| command |`, up to its first blank line (other tables of the
  // section, such as the tuning results, are not the command table).
  const text = section('Commands');
  const start = text.search(/^\| command \|/m);
  const table = start < 0 ? '' : text.slice(start).split(/\n\s*\n/)[0] ?? '';
  return [...table.matchAll(/^\| `([a-z-]+)` \|/gm)].map((m) => m[1] ?? '');
}

/** One `expression; // -> expected` line of a README code block. */
interface Claim {
  readonly expression: string;
  readonly expected: number | string;
  /** The README elides the rest of a long value with `...`: compare the prefix only. */
  readonly prefix: boolean;
}

/**
 * Turns the README's engine example into a runnable function body: the import line is dropped (the
 * engine's exports are passed in), and each `expr; // -> value` line becomes a recorded claim.
 */
function runnable(code: string): { body: string; claims: Claim[] } {
  const claims: Claim[] = [];
  const lines = code.split('\n').filter((l) => !l.startsWith('import '));
  const body = lines
    .map((line) => {
      const m = /^(.*?);\s*\/\/ -> (.*)$/.exec(line);
      if (!m) return line;
      const [, expression = '', raw = ''] = m;
      let expected: number | string;
      let prefix = false;
      if (raw.startsWith("'")) {
        const literal = raw.slice(0, raw.lastIndexOf("'") + 1);
        // eslint-disable-next-line @typescript-eslint/no-implied-eval -- evaluates the README's own string literal
        expected = new Function(`return ${literal};`)() as string;
        if (expected.endsWith('...')) {
          expected = expected.slice(0, -3);
          prefix = true;
        }
      } else {
        expected = Number(raw.split(/\s/)[0]);
      }
      claims.push({ expression, expected, prefix });
      return `__actual.push(${expression});`;
    })
    .join('\n');
  return { body, claims };
}

describe('README', () => {
  it.each(COMMANDS.map((c) => ({ name: c.name })))('documents the $name command with an example', ({ name }) => {
    expect(readme).toContain(`| \`${name}\` |`);
    expect(readme).toMatch(new RegExp(`hpa-lab ${name}\\b`));
  });

  it("lists in its command table only commands that 'hpa-lab --help' shows", async () => {
    let out = '';
    const code = await main(['--help'], { stdout: { write: (s: string) => (out += s) }, stderr: { write: () => true } });
    expect(code).toBe(0);
    const helpCommands = [...out.matchAll(/^ {2}([a-z-]+) {2,}/gm)].map((m) => m[1]);
    const table = tableCommands();
    expect(table.length).toBeGreaterThan(5);
    for (const name of table) expect(helpCommands, `README command '${name}'`).toContain(name);
    for (const name of helpCommands) expect(table, `command '${name}' of --help in the README's table`).toContain(name);
  });

  it('keeps the quick start to one install+run line and one test line', () => {
    expect(readme).toContain('npm install && npx hpa-lab simulate examples/scenarios/traffic-spike.yaml');
    expect(readme).toContain('npm test ');
  });

  it('runs the engine example and gets the results its comments show', () => {
    const block = /```ts\n([\s\S]*?)```/.exec(section('The engine in ten lines'))?.[1];
    expect(block, 'a ```ts block under "The engine in ten lines"').toBeDefined();
    const { body, claims } = runnable(block ?? '');
    expect(claims.length).toBeGreaterThanOrEqual(3);
    const names = Object.keys(engine).filter((k) => /^[A-Za-z_$][\w$]*$/.test(k));
    // eslint-disable-next-line @typescript-eslint/no-implied-eval -- running the README's code for real is the point
    const run = new Function('__engine', '__actual', `const { ${names.join(', ')} } = __engine;\n${body}`) as (e: typeof engine, actual: unknown[]) => void;
    const actual: unknown[] = [];
    run(engine, actual);
    expect(actual).toHaveLength(claims.length);
    claims.forEach((claim, i) => {
      const value = actual[i];
      if (claim.prefix) expect(String(value).startsWith(String(claim.expected)), `${claim.expression} starts with ${JSON.stringify(claim.expected)}; got ${JSON.stringify(value)}`).toBe(true);
      else expect(value, claim.expression).toBe(claim.expected);
    });
  });
});
