/** Findings as text (one block each), JSON, and SARIF 2.1.0 for code-scanning UIs. */
import type { Finding, Severity } from './finding.js';
import { LINT_RULES } from './lint.js';

/**
 * Text: `file:line: severity ID path: message` then indented why and fix; a summary line last.
 *
 * @example formatFindingsText([]) // -> 'no findings\n'
 */
export function formatFindingsText(findings: readonly Finding[]): string {
  if (findings.length === 0) return 'no findings\n';
  const lines = findings.map((f) => {
    const where = `${f.location.file}${f.location.line === undefined ? '' : `:${f.location.line}`}`;
    return `${where}: ${f.severity} ${f.id}${f.location.path ? ` at '${f.location.path}'` : ''}: ${f.message}\n    why: ${f.why}\n    fix: ${f.fix}\n`;
  });
  const count = (s: Severity): number => findings.filter((f) => f.severity === s).length;
  return `${lines.join('')}${count('error')} error(s), ${count('warning')} warning(s), ${count('note')} note(s)\n`;
}

/** JSON: `{ findings: [...] }`. */
export function formatFindingsJson(findings: readonly Finding[]): string {
  return `${JSON.stringify({ findings }, null, 2)}\n`;
}

/**
 * SARIF 2.1.0: one run, the rule table in `tool.driver.rules`, one result per finding with the
 * file as artifact location, the line as region and the field path as a logical location.
 *
 * @see https://docs.oasis-open.org/sarif/sarif/v2.1.0/sarif-v2.1.0.html
 */
export function formatFindingsSarif(findings: readonly Finding[], options: { readonly version?: string } = {}): string {
  const index = new Map(LINT_RULES.map((r, i) => [r.id, i]));
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'hpa-lab',
            ...(options.version ? { version: options.version } : {}),
            informationUri: 'https://github.com/hpa-lab/hpa-lab#hpa-lab-lint',
            rules: LINT_RULES.map((r) => ({
              id: r.id,
              name: r.name,
              shortDescription: { text: r.summary },
              defaultConfiguration: { level: r.severity },
            })),
          },
        },
        results: findings.map((f) => ({
          ruleId: f.id,
          ...(index.has(f.id) ? { ruleIndex: index.get(f.id) } : {}),
          level: f.severity,
          message: { text: `${f.message}. Why: ${f.why}. Fix: ${f.fix}` },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: f.location.file },
                ...(f.location.line === undefined ? {} : { region: { startLine: f.location.line } }),
              },
              ...(f.location.path ? { logicalLocations: [{ fullyQualifiedName: f.location.path, kind: 'member' }] } : {}),
            },
          ],
        })),
      },
    ],
  };
  return `${JSON.stringify(sarif, null, 2)}\n`;
}
