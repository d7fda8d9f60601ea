/**
 * The diagnosis as a terminal checklist: one ✓ / ✗ / ⚠ / – line per link with its evidence, the
 * fix under every ✗ and ⚠, and the first broken link of each metric.
 */
import type { Check, Diagnosis } from './types.js';

const MARKS: Record<Check['status'], string> = { pass: '✓', fail: '✗', warn: '⚠', skip: '–' };
const TITLE_WIDTH = 32;

function line(check: Check, indent: string): string[] {
  const out = [`${indent}${MARKS[check.status]} ${check.title.padEnd(TITLE_WIDTH)} ${check.evidence}`];
  if (check.fix !== undefined && (check.status === 'fail' || check.status === 'warn')) out.push(`${indent}    fix: ${check.fix}`);
  return out;
}

/**
 * Formats a diagnosis.
 *
 * @example formatDiagnosis(d).split('\n')[0] // -> 'Prometheus http://127.0.0.1:9090 · adapter: in-process adapter · rules: rules.yaml'
 */
export function formatDiagnosis(d: Diagnosis): string {
  const head = [
    d.prometheusUrl ? `Prometheus ${d.prometheusUrl}` : 'no Prometheus',
    d.adapter ? `adapter: ${d.adapter}` : 'no adapter',
    d.rulesFile ? `rules: ${d.rulesFile}` : 'no rules',
  ].join(' · ');
  const lines = [head, ''];
  for (const h of d.hpas) {
    lines.push(`HPA ${h.namespace}/${h.name}`);
    for (const m of h.metrics) {
      lines.push(`  ${m.label}`);
      for (const c of m.checks) lines.push(...line(c, '    '));
      lines.push(`    first broken link: ${m.firstBroken ?? 'none'}`);
    }
    lines.push(...line(h.decision, '  '));
    lines.push('');
  }
  lines.push(d.ok ? 'No broken link found.' : 'Broken links found (✗): fix the first one of each metric, then run diagnose again.');
  return `${lines.join('\n')}\n`;
}
