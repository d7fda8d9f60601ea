/**
 * `hpa-lab lint VALUES|MANIFESTS... [--adapter-config FILE]`: cross-object checks (src/lint) with
 * an ID, severity, file and field path, why and fix; text, JSON or SARIF 2.1.0. Exit 1 when an
 * error is found, 0 otherwise, 2 for input that cannot be read.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { InputError } from '../../core/index.js';
import { formatFindingsJson, formatFindingsSarif, formatFindingsText, LINT_RULES, lintFiles, type LintInput } from '../../lint/index.js';
import { UsageError, type CommandDef } from '../command.js';

const FORMATS = ['text', 'json', 'sarif'] as const;

async function readInput(cwd: string, file: string): Promise<LintInput> {
  try {
    return { file, text: await readFile(resolve(cwd, file), 'utf8') };
  } catch (error) {
    throw new InputError('unreadable', file, '', `cannot read the file: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
}

export const lintCommand: CommandDef = {
  name: 'lint',
  summary: 'Check Helm values, manifests and adapter config together for what no schema catches (IDs, field paths, fixes; text, JSON, SARIF)',
  usage: 'VALUES|MANIFESTS|READINGS... [--adapter-config FILE] [-o text|json|sarif]',
  options: [
    { name: 'adapter-config', type: 'string', short: 'a', arg: 'FILE', description: "prometheus-adapter rules (config file or Helm values); default: the values' prometheus-adapter.rules or a ConfigMap among the manifests" },
    { name: 'output', type: 'string', short: 'o', arg: 'FORMAT', default: 'text', description: 'text, json or sarif (SARIF 2.1.0 for code-scanning UIs)' },
    { name: 'rules', type: 'boolean', description: 'list the rules (ID, severity, what it checks) and exit' },
  ],
  examples: [
    'hpa-lab lint examples/lightning-asr/values.yaml',
    'hpa-lab lint hpa.yaml deployment.yaml service.yaml servicemonitor.yaml --adapter-config adapter.yaml',
    'hpa-lab lint values.yaml -o sarif > hpa-lab.sarif',
  ],
  async run({ positionals, values }, io) {
    const format = String(values['output'] ?? 'text');
    if (!(FORMATS as readonly string[]).includes(format)) throw new UsageError(`'-o/--output' must be one of ${FORMATS.join(', ')}: got '${format}'`);
    if (values['rules']) {
      for (const r of LINT_RULES) io.stdout.write(`${r.id}  ${r.severity.padEnd(7)}  ${r.name}: ${r.summary}\n`);
      return 0;
    }
    if (positionals.length === 0) throw new UsageError('missing VALUES or MANIFESTS: give at least one file');
    const cwd = io.cwd ?? process.cwd();
    const inputs = await Promise.all(positionals.map((f) => readInput(cwd, f)));
    const adapterFile = values['adapter-config'] as string | undefined;
    const adapterConfig = adapterFile === undefined ? undefined : await readInput(cwd, adapterFile);
    const findings = lintFiles(inputs, adapterConfig ? { adapterConfig } : {});
    io.stdout.write(format === 'json' ? formatFindingsJson(findings) : format === 'sarif' ? formatFindingsSarif(findings) : formatFindingsText(findings));
    return findings.some((f) => f.severity === 'error') ? 1 : 0;
  },
};
