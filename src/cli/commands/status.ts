/**
 * `hpa-lab status`: `kubectl get hpa` of the stack `hpa-lab up` runs from this folder (found
 * through its run file), optionally with its pods, then (after a blank line, on stdout as in
 * `describe`) the metrics pipeline with what each HPA read last.
 */
import { resolve } from 'node:path';
import { fetchStackStatus, formatMetricsPipeline, formatPodsTable, formatStatusTable, readRunFile, RUN_FILE } from '../../stack/index.js';
import { UsageError, type CommandDef } from '../command.js';

export const statusCommand: CommandDef = {
  name: 'status',
  summary: "Show the running stack's HPAs as `kubectl get hpa` does (NAME REFERENCE TARGETS MINPODS MAXPODS REPLICAS AGE)",
  usage: '[--pods] [--json] [--run FILE]',
  options: [
    { name: 'pods', type: 'boolean', description: "also list the targets' pods (kubectl get pods), with pids and in-flight requests" },
    { name: 'json', type: 'boolean', description: 'print the status endpoint\'s JSON' },
    { name: 'run', type: 'string', arg: 'FILE', default: RUN_FILE, description: "the run file 'hpa-lab up' wrote" },
  ],
  examples: ['hpa-lab status', 'hpa-lab status --pods'],
  async run({ positionals, values }, io) {
    if (positionals.length) throw new UsageError(`unexpected arguments: ${positionals.join(' ')}`);
    const info = await readRunFile(resolve(io.cwd ?? process.cwd(), String(values['run'])));
    const status = await fetchStackStatus(info.statusUrl);
    if (values['json']) {
      io.stdout.write(`${JSON.stringify(status, null, 2)}\n`);
      return 0;
    }
    io.stdout.write(`${formatStatusTable(status)}\n`);
    if (values['pods']) io.stdout.write(`\n${formatPodsTable(status)}\n`);
    // The footer goes where describe's goes: stdout, after a blank line (scripts read --json).
    const pipeline = formatMetricsPipeline(status);
    if (pipeline !== undefined) io.stdout.write(`\n${pipeline}\n`);
    return 0;
  },
};
