import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runK8sHpaCase } from '../../src/conformance/k8s-hpa.js';

const dir = join(import.meta.dirname, 'k8s-hpa');
const files = readdirSync(dir).filter((f) => f.endsWith('.json'));

describe('Kubernetes HPA conformance vectors (upstream unit tests)', () => {
  it('finds the vector files', () => {
    expect(files.sort()).toEqual(['behavior.json', 'reconcile.json', 'replica-calculator.json', 'versions.json']);
  });
  for (const file of files) {
    const doc = JSON.parse(readFileSync(join(dir, file), 'utf8')) as { cases: { id: string; source: string }[] };
    describe(file, () => {
      it.each(doc.cases.map((c) => ({ name: `${c.id} (${c.source.split(':').pop() ?? ''})`, c })))('$name', ({ c }) => {
        const r = runK8sHpaCase(c, doc);
        expect(r.message ?? 'ok').toBe('ok');
      });
    });
  }
});
