/**
 * `hpa-lab replay TRACE`: the engine over a recorded history, sync by sync; prints the agreement
 * with what the HPA did and explains each disagreement.
 */
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { createReplayer, openTrace, type ReplayReport } from '../../history/index.js';
import { formatTable } from '../../report/index.js';
import { UsageError, type CommandDef } from '../command.js';

export const replayCommand: CommandDef = {
  name: 'replay',
  summary: 'Replay a recorded trace through the engine: agreement with what the HPA did, each disagreement explained',
  usage: 'TRACE [options]',
  options: [
    { name: 'kubernetes-version', type: 'string', arg: 'X.Y', description: "engine version (default: the trace's, else the latest)" },
    { name: 'json', type: 'string', arg: 'FILE', description: 'Write the report (agreement, disagreements with steps) as JSON' },
    { name: 'min-agreement', type: 'string', arg: 'PERCENT', description: 'Exit 1 when the agreement is below this (e.g. 99)' },
    { name: 'verbose', short: 'v', type: 'boolean', description: 'Print the explanation steps of each disagreement' },
  ],
  examples: ['hpa-lab replay asr.trace.jsonl', 'hpa-lab replay asr.trace.jsonl --min-agreement 99 --json replay.json'],
  async run({ positionals, values }, io) {
    const file = positionals[0];
    if (file === undefined) throw new UsageError('missing TRACE: give a trace file written by hpa-lab record');
    const minText = values['min-agreement'];
    const min = typeof minText === 'string' ? Number(minText.replace(/%$/, '')) : undefined;
    if (min !== undefined && !(min >= 0 && min <= 100)) throw new UsageError(`'--min-agreement' must be a percentage from 0 to 100: got '${String(minText)}'`);
    const cwd = io.cwd ?? process.cwd();
    const { header, syncs } = await openTrace(resolve(cwd, file));
    const version = values['kubernetes-version'];
    const replayer = createReplayer(header, typeof version === 'string' ? { kubernetesVersion: version } : {});
    for await (const s of syncs) replayer.push(s);
    const report = replayer.finish();
    if (header.stepSeconds > 15) {
      io.stderr.write(`warning: the trace steps every ${header.stepSeconds}s while the HPA controller syncs every 15s by default: stabilization and rate limits see fewer recommendations than the controller did (record with --step 15s)\n`);
    }
    io.stdout.write(formatReplayReport(report, { verbose: values['verbose'] === true }));
    const json = values['json'];
    if (typeof json === 'string') {
      await writeFile(resolve(cwd, json), `${JSON.stringify(report, null, 1)}\n`);
      io.stderr.write(`wrote ${json}\n`);
    }
    return min !== undefined && report.agreement * 100 < min ? 1 : 0;
  },
};

/** The report as text: a table per HPA, then the disagreements. */
export function formatReplayReport(report: ReplayReport, options: { readonly verbose?: boolean } = {}): string {
  const pct = (x: number): string => `${(x * 100).toFixed(2)}%`;
  const rows = report.hpas.map((h) => [h.hpa, String(h.syncs), String(h.compared), String(h.agreed), pct(h.agreement), Object.entries(h.causes).map(([k, v]) => `${k} ${v}`).join(', ') || '-']);
  let out = `Replay with Kubernetes ${report.kubernetesVersion}: ${pct(report.agreement)} agreement (${report.agreed} of ${report.compared} syncs after each HPA's stabilization window)\n\n`;
  out += `${formatTable(['HPA', 'SYNCS', 'COMPARED', 'AGREED', 'AGREEMENT', 'MISSES BY CAUSE'], rows, { align: ['left', 'right', 'right', 'right', 'right', 'left'] })}\n`;
  for (const h of report.hpas) {
    for (const d of h.disagreements) {
      out += `\n${new Date(d.tMs).toISOString()} ${d.hpa}: recorded ${d.recorded}, replayed ${d.replayed} — ${d.cause}: ${d.detail}\n`;
      if (options.verbose === true) {
        out += `  replayed:\n${indent(d.replayedSteps)}\n  recorded:\n${indent(d.recordedSteps)}\n`;
      }
    }
  }
  return out;
}

function indent(text: string): string {
  return text.split('\n').map((l) => `    ${l}`).join('\n');
}
