import { describe, expect, it } from 'vitest';
import { KubeError } from './kube-error.js';
import { jsonPatch, mergePatch, strategicMergePatch } from './patch.js';

const deployment = {
  spec: {
    replicas: 2,
    template: { spec: { containers: [{ name: 'worker', image: 'a:1', env: [{ name: 'X', value: '1' }] }, { name: 'sidecar', image: 's:1' }] } },
  },
};

describe('mergePatch (RFC 7386)', () => {
  it.each([
    [{ a: 1, b: { c: 2 } }, { b: { c: null, d: 3 } }, { a: 1, b: { d: 3 } }],
    [{ list: [1, 2] }, { list: [3] }, { list: [3] }],
    [{ a: 1 }, { a: null }, {}],
    [{ a: { b: 1 } }, { a: 'x' }, { a: 'x' }],
  ])('%j + %j = %j', (target, patch, expected) => {
    expect(mergePatch(target, patch)).toEqual(expected);
  });
});

describe('strategicMergePatch (approximation)', () => {
  it('merges containers by name and keeps the others', () => {
    const out = strategicMergePatch(deployment, { spec: { template: { spec: { containers: [{ name: 'worker', image: 'a:2' }] } } } }) as typeof deployment;
    expect(out.spec.template.spec.containers).toEqual([{ name: 'worker', image: 'a:2', env: [{ name: 'X', value: '1' }] }, { name: 'sidecar', image: 's:1' }]);
  });

  it('deletes a container with $patch: delete and drops $setElementOrder directives', () => {
    const patch = { spec: { template: { spec: { $setElementOrder: [{ name: 'worker' }], 'containers': [{ name: 'sidecar', $patch: 'delete' }] } } } };
    const out = strategicMergePatch(deployment, patch) as typeof deployment;
    expect(out.spec.template.spec.containers.map((c) => c.name)).toEqual(['worker']);
    expect(Object.keys(out.spec.template.spec)).toEqual(['containers']);
  });

  it('replaces lists without a merge key (HPA spec.metrics)', () => {
    const hpa = { spec: { metrics: [{ type: 'Pods' }, { type: 'External' }] } };
    expect(strategicMergePatch(hpa, { spec: { metrics: [{ type: 'Resource' }] } })).toEqual({ spec: { metrics: [{ type: 'Resource' }] } });
  });
});

describe('jsonPatch (RFC 6902)', () => {
  it('adds, replaces, removes, moves, copies and tests', () => {
    const out = jsonPatch({ spec: { maxReplicas: 5, metrics: [{ a: 1 }] } }, [
      { op: 'replace', path: '/spec/maxReplicas', value: 9 },
      { op: 'add', path: '/spec/metrics/-', value: { b: 2 } },
      { op: 'copy', from: '/spec/maxReplicas', path: '/spec/minReplicas' },
      { op: 'remove', path: '/spec/metrics/0' },
      { op: 'move', from: '/spec/minReplicas', path: '/spec/floor' },
      { op: 'test', path: '/spec/floor', value: 9 },
    ]);
    expect(out).toEqual({ spec: { maxReplicas: 9, metrics: [{ b: 2 }], floor: 9 } });
  });

  it('answers 400 on a failed test or a missing path', () => {
    for (const ops of [[{ op: 'test', path: '/a', value: 2 }], [{ op: 'replace', path: '/nope', value: 1 }], [{ op: 'bogus', path: '/a' }]]) {
      try {
        jsonPatch({ a: 1 }, ops);
        expect.unreachable();
      } catch (error) {
        expect((error as KubeError).code).toBe(400);
      }
    }
  });
});
