import { parseArgs } from 'node:util';
import { InputError } from '../core/index.js';
import { type CommandDef, type ParsedValues, UsageError } from './command.js';
import { COMMANDS } from './commands/index.js';
import type { Io } from './io.js';

/** Help text for one command, generated from its OPTIONS table. */
export function commandHelp(cmd: CommandDef): string {
  const lines = [`Usage: hpa-lab ${cmd.name} ${cmd.usage}`, '', cmd.summary, ''];
  if (cmd.options.length > 0) {
    lines.push('Options:');
    for (const o of cmd.options) {
      const flag = `${o.short ? `-${o.short}, ` : '    '}--${o.name}${o.type === 'string' ? ` ${o.arg ?? 'VALUE'}` : ''}`;
      const def = o.default === undefined || o.default === false ? '' : ` (default: ${String(o.default)})`;
      lines.push(`  ${flag.padEnd(30)} ${o.description}${def}`);
    }
    lines.push('');
  }
  if (cmd.examples?.length) {
    lines.push('Examples:', ...cmd.examples.map((e) => `  ${e}`), '');
  }
  return lines.join('\n');
}

/** Top-level usage: every command with its summary. */
export function usage(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    'Usage: hpa-lab COMMAND [options]',
    '',
    'Kubernetes HPA, exactly: simulate it, see it, run it.',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    "Run 'hpa-lab COMMAND --help' for a command's options.",
    '',
  ].join('\n');
}

/**
 * The CLI: argv in, exit code out. 0 ok, 1 the run failed, 2 usage or input error.
 * Nothing here calls process.exit; errors become one clear line on stderr.
 */
export async function main(argv: readonly string[], io: Io): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(usage());
    return name === undefined ? 2 : 0;
  }
  if (name === '--version' || name === '-V') {
    io.stdout.write('hpa-lab 0.1.0\n');
    return 0;
  }
  const entry = COMMANDS.find((c) => c.name === name);
  if (!entry) {
    io.stderr.write(`hpa-lab: unknown command '${name}'\n\n${usage()}`);
    return 2;
  }
  // Only the command asked for is imported (with what it needs): `--help` and the others stay cheap.
  const cmd = await entry.load();
  let parsed: { positionals: string[]; values: ParsedValues };
  try {
    const options: Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }> = {
      help: { type: 'boolean', short: 'h' },
    };
    for (const o of cmd.options) {
      options[o.name] = {
        type: o.type,
        ...(o.short ? { short: o.short } : {}),
        ...(o.multiple ? { multiple: true } : {}),
      };
    }
    const r = parseArgs({ args: [...rest], options, allowPositionals: true, strict: true });
    const values: ParsedValues = {};
    for (const o of cmd.options) {
      const v = r.values[o.name];
      values[o.name] = v === undefined ? o.default : v;
    }
    values['help'] = r.values['help'];
    parsed = { positionals: r.positionals, values };
  } catch (error) {
    io.stderr.write(`hpa-lab ${cmd.name}: ${(error as Error).message}\n\n${commandHelp(cmd)}`);
    return 2;
  }
  if (parsed.values['help']) {
    io.stdout.write(commandHelp(cmd));
    return 0;
  }
  try {
    return await cmd.run(parsed, io);
  } catch (error) {
    if (error instanceof InputError) {
      io.stderr.write(`hpa-lab ${cmd.name}: ${error.message}\n`);
      return 2;
    }
    if (error instanceof UsageError) {
      io.stderr.write(`hpa-lab ${cmd.name}: ${error.message}\n\n${commandHelp(cmd)}`);
      return 2;
    }
    const e = error as Error;
    io.stderr.write(`hpa-lab ${cmd.name}: ${e.message ?? String(error)}\n`);
    if (process.env['HPA_LAB_DEBUG']) io.stderr.write(`${e.stack ?? ''}\n`);
    return 1;
  }
}
