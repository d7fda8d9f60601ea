import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatFindingsJson, formatFindingsSarif, formatFindingsText, LINT_RULES, lintFiles } from '../../src/lint/index.js';

const DIR = new URL('./fixtures/', import.meta.url).pathname;
const findings = lintFiles(['hpa301-service.yaml', 'servicemonitor.yaml', 'hpa101-seed-advanced-behavior.yaml'].map((file) => ({ file, text: readFileSync(`${DIR}${file}`, 'utf8') })));

describe('formatFindings*()', () => {
  it('text names file:line, severity, ID, path, why and fix, then counts', () => {
    const text = formatFindingsText(findings);
    expect(text).toContain("hpa101-seed-advanced-behavior.yaml:15: warning HPA101 at 'scaling.auto.lightningAsr.hpa.behavior.scaleUp.stabilizationWindowSeconds': ");
    expect(text).toMatch(/\n {4}why: .+\n {4}fix: .+\n/);
    expect(text.trimEnd().split('\n').at(-1)).toBe('1 error(s), 2 warning(s), 0 note(s)');
  });

  it('JSON round-trips the findings', () => {
    expect(JSON.parse(formatFindingsJson(findings))).toEqual({ findings: JSON.parse(JSON.stringify(findings)) as unknown });
  });

  it('SARIF is 2.1.0 with the rule table, levels, regions and logical locations', () => {
    const sarif = JSON.parse(formatFindingsSarif(findings)) as {
      version: string;
      runs: { tool: { driver: { rules: { id: string }[] } }; results: { ruleId: string; ruleIndex: number; level: string; locations: { physicalLocation: { artifactLocation: { uri: string }; region?: { startLine: number } }; logicalLocations?: { fullyQualifiedName: string }[] }[] }[] }[];
    };
    expect(sarif.version).toBe('2.1.0');
    const run = sarif.runs[0]!;
    expect(run.tool.driver.rules.map((r) => r.id)).toEqual(LINT_RULES.map((r) => r.id));
    expect(run.results).toHaveLength(findings.length);
    for (const r of run.results) {
      expect(run.tool.driver.rules[r.ruleIndex]?.id).toBe(r.ruleId);
      expect(['error', 'warning', 'note']).toContain(r.level);
    }
    const hpa101 = run.results.find((r) => r.ruleId === 'HPA101')!;
    expect(hpa101.locations[0]).toMatchObject({
      physicalLocation: { artifactLocation: { uri: 'hpa101-seed-advanced-behavior.yaml' }, region: { startLine: 15 } },
      logicalLocations: [{ fullyQualifiedName: 'scaling.auto.lightningAsr.hpa.behavior.scaleUp.stabilizationWindowSeconds' }],
    });
  });

  it('every rule has a unique ID', () => {
    expect(new Set(LINT_RULES.map((r) => r.id)).size).toBe(LINT_RULES.length);
  });
});
