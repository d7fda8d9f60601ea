/**
 * `hpa-lab describe NAME`: `kubectl describe hpa NAME` of the stack `hpa-lab up` runs from this
 * folder: metrics (current / target), behavior, conditions and events.
 */
import { resolve } from 'node:path';
import { fetchStackStatus, formatStackDescribe, readRunFile, RUN_FILE } from '../../stack/index.js';
import { UsageError, type CommandDef } from '../command.js';

export const describeCommand: CommandDef = {
  name: 'describe',
  summary: "Describe one of the running stack's HPAs as `kubectl describe hpa` does (Metrics, Conditions, Events)",
  usage: '[hpa] NAME [--json] [--run FILE]',
  options: [
    { name: 'json', type: 'boolean', description: 'print the HPA, its status, events and last decision as JSON' },
    { name: 'run', type: 'string', arg: 'FILE', default: RUN_FILE, description: "the run file 'hpa-lab up' wrote" },
  ],
  examples: ['hpa-lab describe lightning-asr', 'hpa-lab describe hpa api-server'],
  async run({ positionals, values }, io) {
    const args = positionals[0] === 'hpa' || positionals[0] === 'horizontalpodautoscaler' ? positionals.slice(1) : positionals;
    const [name, ...extra] = args;
    if (name === undefined) throw new UsageError('missing NAME: the HPA to describe (see hpa-lab status)');
    if (extra.length) throw new UsageError(`unexpected arguments: ${extra.join(' ')}`);
    const info = await readRunFile(resolve(io.cwd ?? process.cwd(), String(values['run'])));
    const status = await fetchStackStatus(info.statusUrl);
    const text = formatStackDescribe(status, name);
    if (text === undefined) {
      io.stderr.write(`hpa-lab describe: no HPA named '${name}' in the running stack: found ${status.hpas.map((h) => h.name).join(', ')}\n`);
      return 1;
    }
    if (values['json']) {
      io.stdout.write(`${JSON.stringify(status.hpas.find((h) => h.name === name), null, 2)}\n`);
      return 0;
    }
    io.stdout.write(`${text}\n`);
    return 0;
  },
};
