import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { lintFiles, type LintInput } from '../../src/lint/index.js';

const DIR = new URL('./fixtures/', import.meta.url).pathname;
const load = (name: string): LintInput => ({ file: name, text: readFileSync(`${DIR}${name}`, 'utf8') });
const ids = (files: readonly string[]): string[] => lintFiles(files.map(load)).map((f) => f.id);

/** Each rule class: a configuration that breaks it and one that does not. */
const CASES: { id: string; broken: string[]; clean: string[] }[] = [
  { id: 'HPA101', broken: ['hpa101-seed-advanced-behavior.yaml'], clean: ['hpa101-clean.yaml'] },
  { id: 'HPA102', broken: ['hpa102-window-over-max.yaml'], clean: ['hpa102-clean.yaml'] },
  { id: 'HPA103', broken: ['hpa103-period-over-max.yaml'], clean: ['hpa103-clean.yaml'] },
  { id: 'HPA104', broken: ['hpa104-policy-never-applies.yaml'], clean: ['hpa104-clean.yaml'] },
  { id: 'HPA105', broken: ['hpa105-scale-to-zero.yaml'], clean: ['hpa105-clean.yaml'] },
  { id: 'HPA106', broken: ['hpa106-flapping.yaml'], clean: ['values-clean.yaml'] },
  { id: 'HPA201', broken: ['hpa201-metric-not-served.yaml'], clean: ['values-clean.yaml'] },
  { id: 'HPA202', broken: ['hpa202-wrong-resource.yaml'], clean: ['values-clean.yaml'] },
  { id: 'HPA203', broken: ['hpa203-no-external-rules.yaml'], clean: ['values-clean.yaml'] },
  { id: 'HPA204', broken: ['hpa204-rate-window.yaml'], clean: ['values-clean.yaml'] },
  { id: 'HPA205', broken: ['hpa205-relist.yaml'], clean: ['hpa205-clean.yaml'] },
  { id: 'HPA301', broken: ['hpa301-service.yaml', 'servicemonitor.yaml'], clean: ['service.yaml', 'servicemonitor.yaml'] },
  { id: 'HPA302', broken: ['hpa302-service.yaml', 'servicemonitor.yaml'], clean: ['service.yaml', 'servicemonitor.yaml'] },
  { id: 'HPA303', broken: ['hpa303-release-label.yaml'], clean: ['values-clean.yaml'] },
  { id: 'HPA304', broken: ['hpa304-no-servicemonitor.yaml'], clean: ['values-clean.yaml'] },
  { id: 'HPA401', broken: ['hpa401-utilization-without-request.yaml'], clean: ['hpa401-clean.yaml'] },
  { id: 'HPA402', broken: ['hpa402-memory-fixed-point.yaml'], clean: ['hpa402-clean.yaml'] },
  { id: 'HPA501', broken: ['hpa501-values.yaml', 'hpa501-nodes.yaml'], clean: ['hpa501-clean-values.yaml', 'hpa501-nodes.yaml'] },
];

describe('lint fixtures', () => {
  it.each(CASES)('$id is found in $broken', ({ id, broken }) => {
    expect(ids(broken)).toContain(id);
  });
  it.each(CASES)('$id is not found in $clean', ({ id, clean }) => {
    expect(ids(clean)).not.toContain(id);
  });

  it("passes the seeds' example values with no finding", () => {
    const text = readFileSync(new URL('../../examples/lightning-asr/values.yaml', import.meta.url), 'utf8');
    expect(lintFiles([{ file: 'values.yaml', text }])).toEqual([]);
  });

  it("reports what the seeds' advanced behavior gets wrong, with the field, the line and the reason", () => {
    const findings = lintFiles([load('hpa101-seed-advanced-behavior.yaml')]);
    const window = findings.find((f) => f.id === 'HPA101');
    expect(window).toMatchObject({
      severity: 'warning',
      location: { file: 'hpa101-seed-advanced-behavior.yaml', path: 'scaling.auto.lightningAsr.hpa.behavior.scaleUp.stabilizationWindowSeconds', line: 15 },
    });
    expect(window?.message).toBe("HPA 'lightning-asr': scaleUp stabilizationWindowSeconds 5 is shorter than one sync period (15 s)");
    expect(window?.why).toContain('behaves exactly as 0');
    // "Remove up to 50% … OR 1 pod, whichever is lower": under Min, 1 pod is always lower above minReplicas.
    expect(findings.find((f) => f.id === 'HPA104')?.location.path).toBe('scaling.auto.lightningAsr.hpa.behavior.scaleDown.policies[0]');
  });

  it('keeps linting the rest of an HPA whose window the API would refuse', () => {
    const findings = lintFiles([load('hpa102-window-over-max.yaml')]);
    expect(findings.map((f) => f.id)).toEqual(['HPA102']);
    expect(findings[0]?.location).toMatchObject({ path: 'scaling.auto.lightningAsr.hpa.scaleDownStabilizationWindowSeconds', line: 14 });
  });

  it('reports an HPA the API refuses for another reason as HPA001 with its path', () => {
    const text = 'apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {name: x}\nspec:\n  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: x}\n  minReplicas: 5\n  maxReplicas: 2\n';
    const findings = lintFiles([{ file: 'bad.yaml', text }]);
    expect(findings.map((f) => [f.id, f.severity])).toEqual([['HPA001', 'error']]);
  });

  it('reads the adapter config from --adapter-config over the values', () => {
    const values = load('values-clean.yaml');
    const adapterConfig = { file: 'adapter.yaml', text: 'rules:\n- seriesQuery: asr_active_requests\n  resources: {overrides: {namespace: {resource: namespace}, pod: {resource: pod}}}\n  metricsQuery: sum(<<.Series>>{<<.LabelMatchers>>}) by (<<.GroupBy>>)\n' };
    const findings = lintFiles([values], { adapterConfig });
    expect(findings.map((f) => f.id)).toEqual(['HPA203']);
    expect(findings[0]?.message).toContain('the adapter has no externalRules at all');
  });
});

describe('lint input', () => {
  it.each([
    { name: 'an empty file', text: '', message: "Cannot load 'x.yaml': is empty" },
    { name: 'a list', text: '- a\n', message: 'expected Helm values, Kubernetes manifests or a prometheus-adapter config (a YAML mapping), got a list' },
  ])('refuses $name with an InputError', ({ text, message }) => {
    expect(() => lintFiles([{ file: 'x.yaml', text }])).toThrow(message);
  });

  it('checks the other kinds against their schemas (SCH001)', () => {
    const text = 'apiVersion: monitoring.coreos.com/v1\nkind: ServiceMonitor\nmetadata: {name: m}\nspec:\n  selector: {matchLabels: {app: a}}\n  endpoints: [{port: 2269}]\n';
    const findings = lintFiles([{ file: 'sm.yaml', text }]);
    expect(findings.map((f) => [f.id, f.location.path, f.location.line, f.message])).toEqual([['SCH001', 'spec.endpoints[0].port', 6, "ServiceMonitor 'm': must be string"]]);
  });
});

describe('HPA402 at given readings', () => {
  const blog = (name: string): LintInput => ({ file: `examples/blog/${name}`, text: readFileSync(new URL(`../../examples/blog/${name}`, import.meta.url), 'utf8') });
  it("is an error at the blog's 12:20 readings (cpu 80m, memory 1100Mi of 1350Mi requested)", () => {
    const findings = lintFiles([blog('hpa.yaml'), blog('readings.yaml')]);
    expect(findings.map((f) => [f.id, f.severity, f.location.path])).toEqual([['HPA402', 'error', 'spec.metrics[1]']]);
    expect(findings[0]?.message).toContain('fixed point');
    expect(findings[0]?.why).toContain("without it the same readings give 'converging'");
  });
  it('is silent at readings where memory does not pin the size', () => {
    const readings = { file: 'low.yaml', text: 'replicas: 3\nmetrics: {cpu: 80m, memory: 500Mi}\n' };
    expect(lintFiles([blog('hpa.yaml'), readings]).map((f) => f.id)).toEqual([]);
  });
});
