import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { expectInputError } from '../../test/spec/expect-input-error.js';
import type { InputErrorCode } from '../core/index.js';
import { parseHpaManifests, parseManifestFile } from './hpa-manifest.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** A valid HPA with one metric of each source type. */
function baseHpa(): Json {
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: 'web', namespace: 'prod' },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
      minReplicas: 1,
      maxReplicas: 10,
      metrics: [
        { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } },
        { type: 'Pods', pods: { metric: { name: 'asr_active_requests' }, target: { type: 'AverageValue', averageValue: '5' } } },
        {
          type: 'Object',
          object: {
            describedObject: { apiVersion: 'v1', kind: 'Service', name: 'rmq' },
            metric: { name: 'queue_messages' },
            target: { type: 'Value', value: '42' },
          },
        },
        {
          type: 'External',
          external: {
            metric: { name: 'mymetric', selector: { matchLabels: { queue: 'a' } } },
            target: { type: 'Value', value: 10 },
          },
        },
        {
          type: 'ContainerResource',
          containerResource: { name: 'memory', container: 'app', target: { type: 'AverageValue', averageValue: '1Gi' } },
        },
      ],
      behavior: {
        scaleUp: {
          stabilizationWindowSeconds: 0,
          selectPolicy: 'Max',
          policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }],
        },
        scaleDown: { stabilizationWindowSeconds: 300, policies: [{ type: 'Pods', value: 1, periodSeconds: 60 }], tolerance: '0.05' },
      },
    },
  };
}

const FILE = 'hpa.yaml';

interface ErrorCase {
  readonly name: string;
  readonly patch: (h: Json) => void;
  readonly code: InputErrorCode;
  readonly path: string;
  readonly detail: string;
}

const errorCases: ErrorCase[] = [
  {
    name: 'autoscaling/v1 is refused with how to rewrite it',
    patch: (h) => (h.apiVersion = 'autoscaling/v1'),
    code: 'schema',
    path: 'apiVersion',
    detail: "expected 'autoscaling/v2', got 'autoscaling/v1': autoscaling/v1 only has 'targetCPUUtilizationPercentage'",
  },
  {
    name: 'autoscaling/v2beta2 is refused as removed',
    patch: (h) => (h.apiVersion = 'autoscaling/v2beta2'),
    code: 'schema',
    path: 'apiVersion',
    detail: 'autoscaling/v2beta2 was removed in Kubernetes 1.26: its fields are the same as autoscaling/v2',
  },
  {
    name: 'autoscaling/v2beta1 is refused with its field renames',
    patch: (h) => (h.apiVersion = 'autoscaling/v2beta1'),
    code: 'schema',
    path: 'apiVersion',
    detail: "rewrite 'targetAverageUtilization'/'targetAverageValue'",
  },
  {
    name: 'a missing apiVersion',
    patch: (h) => delete h.apiVersion,
    code: 'schema',
    path: 'apiVersion',
    detail: "required field is missing: expected 'autoscaling/v2'",
  },
  {
    name: 'a missing kind with an autoscaling apiVersion',
    patch: (h) => delete h.kind,
    code: 'schema',
    path: 'kind',
    detail: "required field is missing: expected 'HorizontalPodAutoscaler'",
  },
  {
    name: 'a missing metadata.name',
    patch: (h) => delete h.metadata.name,
    code: 'schema',
    path: 'metadata.name',
    detail: 'required field is missing: expected a string',
  },
  {
    name: 'a metadata.name that is not a DNS subdomain',
    patch: (h) => (h.metadata.name = 'My_HPA'),
    code: 'schema',
    path: 'metadata.name',
    detail: "expected a DNS-1123 subdomain (lowercase letters, digits, '-' and '.', starting and ending with a letter or digit), got 'My_HPA'",
  },
  {
    name: 'a missing scaleTargetRef',
    patch: (h) => delete h.spec.scaleTargetRef,
    code: 'schema',
    path: 'spec.scaleTargetRef',
    detail: 'required field is missing: expected a mapping',
  },
  {
    name: 'a scaleTargetRef without name',
    patch: (h) => delete h.spec.scaleTargetRef.name,
    code: 'schema',
    path: 'spec.scaleTargetRef.name',
    detail: 'required field is missing: expected a string',
  },
  {
    name: "a scaleTargetRef name with '/'",
    patch: (h) => (h.spec.scaleTargetRef.name = 'a/b'),
    code: 'schema',
    path: 'spec.scaleTargetRef.name',
    detail: "expected a name that is not '.' or '..' and has no '/' or '%', got 'a/b'",
  },
  {
    name: 'maxReplicas 0',
    patch: (h) => (h.spec.maxReplicas = 0),
    code: 'schema',
    path: 'spec.maxReplicas',
    detail: 'expected an integer from 1 to 2147483647 (int32), got 0',
  },
  {
    name: 'a missing maxReplicas',
    patch: (h) => delete h.spec.maxReplicas,
    code: 'schema',
    path: 'spec.maxReplicas',
    detail: 'required field is missing: expected an integer from 1 to 2147483647 (int32)',
  },
  {
    name: 'maxReplicas as a string',
    patch: (h) => (h.spec.maxReplicas = '10'),
    code: 'schema',
    path: 'spec.maxReplicas',
    detail: "expected an integer from 1 to 2147483647 (int32), got '10'",
  },
  {
    name: 'a fractional maxReplicas',
    patch: (h) => (h.spec.maxReplicas = 2.5),
    code: 'schema',
    path: 'spec.maxReplicas',
    detail: 'expected an integer from 1 to 2147483647 (int32), got 2.5',
  },
  {
    name: 'a negative minReplicas',
    patch: (h) => (h.spec.minReplicas = -1),
    code: 'schema',
    path: 'spec.minReplicas',
    detail: 'expected an integer from 0 to 2147483647 (int32), got -1',
  },
  {
    name: 'minReplicas above maxReplicas',
    patch: (h) => (h.spec.minReplicas = 12),
    code: 'semantic',
    path: 'spec.maxReplicas',
    detail: "expected a value >= 'minReplicas' (12), got 10",
  },
  {
    name: 'minReplicas 0 without an Object or External metric',
    patch: (h) => {
      h.spec.minReplicas = 0;
      h.spec.metrics = h.spec.metrics.slice(0, 2);
    },
    code: 'semantic',
    path: 'spec.minReplicas',
    detail: 'scaling to zero replicas (HPAScaleToZero) needs at least one Object or External metric, got 0',
  },
  {
    name: 'an unknown metric source type',
    patch: (h) => (h.spec.metrics[0].type = 'Custom'),
    code: 'schema',
    path: 'spec.metrics[0].type',
    detail: "expected one of 'Resource', 'ContainerResource', 'Pods', 'Object', 'External', got 'Custom'",
  },
  {
    name: 'a metric type without its member',
    patch: (h) => (h.spec.metrics[1].type = 'External'),
    code: 'schema',
    path: 'spec.metrics[1].external',
    detail: "required field is missing: metric type 'External' needs a 'external' block",
  },
  {
    name: 'a metric with two members',
    patch: (h) => (h.spec.metrics[0].pods = h.spec.metrics[1].pods),
    code: 'schema',
    path: 'spec.metrics[0].pods',
    detail: "unexpected for metric type 'Resource': expected only 'resource'",
  },
  {
    name: 'a Pods metric with a Utilization target',
    patch: (h) => (h.spec.metrics[1].pods.target = { type: 'Utilization', averageUtilization: 50 }),
    code: 'schema',
    path: 'spec.metrics[1].pods.target.type',
    detail: "expected 'AverageValue' for a Pods metric, got 'Utilization'",
  },
  {
    name: 'a Resource metric with a Value target',
    patch: (h) => (h.spec.metrics[0].resource.target = { type: 'Value', value: '1' }),
    code: 'schema',
    path: 'spec.metrics[0].resource.target.type',
    detail: "expected 'Utilization' or 'AverageValue' for a Resource metric, got 'Value'",
  },
  {
    name: 'an Object metric with a Utilization target',
    patch: (h) => (h.spec.metrics[2].object.target = { type: 'Utilization', averageUtilization: 50 }),
    code: 'schema',
    path: 'spec.metrics[2].object.target.type',
    detail: "expected 'Value' or 'AverageValue' for a Object metric, got 'Utilization'",
  },
  {
    name: 'an External metric with a Utilization target',
    patch: (h) => (h.spec.metrics[3].external.target = { type: 'Utilization', averageUtilization: 50 }),
    code: 'schema',
    path: 'spec.metrics[3].external.target.type',
    detail: "expected 'Value' or 'AverageValue' for a External metric, got 'Utilization'",
  },
  {
    name: 'an unknown target type',
    patch: (h) => (h.spec.metrics[1].pods.target.type = 'Average'),
    code: 'schema',
    path: 'spec.metrics[1].pods.target.type',
    detail: "expected one of 'Utilization', 'Value', 'AverageValue', got 'Average'",
  },
  {
    name: 'averageUtilization 0',
    patch: (h) => (h.spec.metrics[0].resource.target.averageUtilization = 0),
    code: 'schema',
    path: 'spec.metrics[0].resource.target.averageUtilization',
    detail: 'expected an integer from 1 to 2147483647 (int32), got 0',
  },
  {
    name: 'a Utilization target without averageUtilization',
    patch: (h) => delete h.spec.metrics[0].resource.target.averageUtilization,
    code: 'schema',
    path: 'spec.metrics[0].resource.target.averageUtilization',
    detail: "required field is missing: target type 'Utilization' needs 'averageUtilization'",
  },
  {
    name: 'an AverageValue target without averageValue',
    patch: (h) => (h.spec.metrics[1].pods.target = { type: 'AverageValue', value: '5' }),
    code: 'schema',
    path: 'spec.metrics[1].pods.target.averageValue',
    detail: "required field is missing: target type 'AverageValue' needs 'averageValue'",
  },
  {
    name: 'an averageValue that is not a quantity',
    patch: (h) => (h.spec.metrics[1].pods.target.averageValue = 'five'),
    code: 'schema',
    path: 'spec.metrics[1].pods.target.averageValue',
    detail: "expected a Kubernetes quantity such as '500m', '5', '1.5', '1350Mi' or '2e3', got 'five'",
  },
  {
    name: 'a zero averageValue',
    patch: (h) => (h.spec.metrics[1].pods.target.averageValue = '0'),
    code: 'semantic',
    path: 'spec.metrics[1].pods.target.averageValue',
    detail: "expected a quantity > 0, got '0'",
  },
  {
    name: 'a negative value',
    patch: (h) => (h.spec.metrics[3].external.target.value = -1),
    code: 'semantic',
    path: 'spec.metrics[3].external.target.value',
    detail: 'expected a quantity > 0, got -1',
  },
  {
    name: 'a boolean quantity',
    patch: (h) => (h.spec.metrics[1].pods.target.averageValue = true),
    code: 'schema',
    path: 'spec.metrics[1].pods.target.averageValue',
    detail: "expected a quantity (a string such as '500m' or a number), got true",
  },
  {
    name: 'a Resource target with both averageUtilization and averageValue',
    patch: (h) => (h.spec.metrics[0].resource.target.averageValue = '500m'),
    code: 'schema',
    path: 'spec.metrics[0].resource.target.averageValue',
    detail: "may not be set together with 'averageUtilization'",
  },
  {
    name: 'an External target with both value and averageValue',
    patch: (h) => (h.spec.metrics[3].external.target.averageValue = '1'),
    code: 'schema',
    path: 'spec.metrics[3].external.target.value',
    detail: "may not be set together with 'averageValue'",
  },
  {
    name: 'a v2beta1 field in a v2 metric',
    patch: (h) => (h.spec.metrics[0].resource.targetAverageUtilization = 70),
    code: 'schema',
    path: 'spec.metrics[0].resource.targetAverageUtilization',
    detail: "unknown field: 'targetAverageUtilization' is autoscaling/v2beta1: use 'target: {type: Utilization, averageUtilization: N}'",
  },
  {
    name: 'a misspelt field',
    patch: (h) => (h.spec.behavior.scaleUp.stabilisationWindowSeconds = 10),
    code: 'schema',
    path: 'spec.behavior.scaleUp.stabilisationWindowSeconds',
    detail: "unknown field: did you mean 'stabilizationWindowSeconds'? expected one of 'stabilizationWindowSeconds', 'selectPolicy', 'policies', 'tolerance'",
  },
  {
    name: 'a lowercase selectPolicy',
    patch: (h) => (h.spec.behavior.scaleUp.selectPolicy = 'max'),
    code: 'schema',
    path: 'spec.behavior.scaleUp.selectPolicy',
    detail: "expected one of 'Max', 'Min', 'Disabled', got 'max'",
  },
  {
    name: 'an unknown policy type',
    patch: (h) => (h.spec.behavior.scaleDown.policies[0].type = 'Pod'),
    code: 'schema',
    path: 'spec.behavior.scaleDown.policies[0].type',
    detail: "expected one of 'Pods', 'Percent', got 'Pod'",
  },
  {
    name: 'a policy value of 0',
    patch: (h) => (h.spec.behavior.scaleDown.policies[0].value = 0),
    code: 'schema',
    path: 'spec.behavior.scaleDown.policies[0].value',
    detail: 'expected an integer from 1 to 2147483647 (int32), got 0',
  },
  {
    name: 'a policy period of 0',
    patch: (h) => (h.spec.behavior.scaleUp.policies[0].periodSeconds = 0),
    code: 'schema',
    path: 'spec.behavior.scaleUp.policies[0].periodSeconds',
    detail: 'expected an integer from 1 to 1800, got 0',
  },
  {
    name: 'a policy period above 1800',
    patch: (h) => (h.spec.behavior.scaleUp.policies[0].periodSeconds = 1801),
    code: 'schema',
    path: 'spec.behavior.scaleUp.policies[0].periodSeconds',
    detail: 'expected an integer from 1 to 1800, got 1801',
  },
  {
    name: 'a policy without periodSeconds',
    patch: (h) => delete h.spec.behavior.scaleUp.policies[0].periodSeconds,
    code: 'schema',
    path: 'spec.behavior.scaleUp.policies[0].periodSeconds',
    detail: 'required field is missing: expected an integer from 1 to 1800',
  },
  {
    name: 'a negative stabilization window',
    patch: (h) => (h.spec.behavior.scaleDown.stabilizationWindowSeconds = -1),
    code: 'schema',
    path: 'spec.behavior.scaleDown.stabilizationWindowSeconds',
    detail: 'expected an integer from 0 to 3600, got -1',
  },
  {
    name: 'a stabilization window above one hour',
    patch: (h) => (h.spec.behavior.scaleDown.stabilizationWindowSeconds = 3601),
    code: 'schema',
    path: 'spec.behavior.scaleDown.stabilizationWindowSeconds',
    detail: 'expected an integer from 0 to 3600, got 3601',
  },
  {
    name: 'an empty policy list',
    patch: (h) => (h.spec.behavior.scaleUp.policies = []),
    code: 'semantic',
    path: 'spec.behavior.scaleUp.policies',
    detail: "expected at least one policy, got an empty list (omit 'policies' to get the defaults)",
  },
  {
    name: 'a negative tolerance',
    patch: (h) => (h.spec.behavior.scaleDown.tolerance = '-0.1'),
    code: 'semantic',
    path: 'spec.behavior.scaleDown.tolerance',
    detail: "expected a quantity >= 0, got '-0.1'",
  },
  {
    name: 'a tolerance that is not a quantity',
    patch: (h) => (h.spec.behavior.scaleDown.tolerance = '5%'),
    code: 'schema',
    path: 'spec.behavior.scaleDown.tolerance',
    detail: "expected a Kubernetes quantity such as '500m', '5', '1.5', '1350Mi' or '2e3', got '5%'",
  },
  {
    name: 'a container name that is not a DNS label',
    patch: (h) => (h.spec.metrics[4].containerResource.container = 'My_App'),
    code: 'schema',
    path: 'spec.metrics[4].containerResource.container',
    detail: "expected a container name (a DNS-1123 label: lowercase letters, digits and '-'), got 'My_App'",
  },
  {
    name: "a metric name with '/'",
    patch: (h) => (h.spec.metrics[1].pods.metric.name = 'a/b'),
    code: 'schema',
    path: 'spec.metrics[1].pods.metric.name',
    detail: "has no '/' or '%', got 'a/b'",
  },
  {
    name: 'a selector operator in the wrong case',
    patch: (h) => (h.spec.metrics[3].external.metric.selector = { matchExpressions: [{ key: 'q', operator: 'in', values: ['a'] }] }),
    code: 'schema',
    path: 'spec.metrics[3].external.metric.selector.matchExpressions[0].operator',
    detail: "expected one of 'In', 'NotIn', 'Exists', 'DoesNotExist', got 'in'",
  },
  {
    name: 'metrics that are not a list',
    patch: (h) => (h.spec.metrics = { type: 'Resource' }),
    code: 'schema',
    path: 'spec.metrics',
    detail: 'expected a list, got a mapping',
  },
];

describe('parseHpaManifests()', () => {
  it('accepts a valid HPA with every metric source and keeps it as written (no defaults)', () => {
    const [hpa] = parseHpaManifests(stringify(baseHpa()), FILE);
    expect(hpa).toEqual(baseHpa());
  });

  it.each(errorCases)('rejects $name', ({ patch, code, path, detail }) => {
    const hpa = baseHpa();
    patch(hpa);
    const text = stringify(hpa);
    const error = expectInputError(() => parseHpaManifests(text, FILE), { code, file: FILE, path, detail });
    expect(error.line).toBeGreaterThan(0);
  });

  it('names the document in multi-document files', () => {
    const bad = baseHpa();
    bad.spec.metrics[1].pods.target.type = 'Utilization';
    const text = `${stringify(baseHpa())}---\n${stringify(bad)}`;
    expectInputError(() => parseHpaManifests(text, FILE), {
      code: 'schema',
      file: FILE,
      path: 'documents[1].spec.metrics[1].pods.target.type',
      detail: "expected 'AverageValue' for a Pods metric, got 'Utilization'",
    });
  });

  it('gives the line of the offending field', () => {
    const text = [
      'apiVersion: autoscaling/v2', // 1
      'kind: HorizontalPodAutoscaler', // 2
      'metadata:', // 3
      '  name: web', // 4
      'spec:', // 5
      '  scaleTargetRef: {kind: Deployment, name: web}', // 6
      '  maxReplicas: 3', // 7
      '  behavior:', // 8
      '    scaleUp:', // 9
      '      selectPolicy: Fastest', // 10
      '',
    ].join('\n');
    const error = expectInputError(() => parseHpaManifests(text, FILE), {
      code: 'schema',
      file: FILE,
      path: 'spec.behavior.scaleUp.selectPolicy',
      detail: "expected one of 'Max', 'Min', 'Disabled', got 'Fastest'",
      line: 10,
    });
    expect(error.message).toBe(
      "Cannot load 'hpa.yaml:line 10' at 'spec.behavior.scaleUp.selectPolicy': expected one of 'Max', 'Min', 'Disabled', got 'Fastest'",
    );
  });

  it('gives the nearest existing line for a missing field', () => {
    const text = 'apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: web\nspec:\n  maxReplicas: 3\n';
    expectInputError(() => parseHpaManifests(text, FILE), {
      code: 'schema',
      file: FILE,
      path: 'spec.scaleTargetRef',
      detail: 'required field is missing: expected a mapping',
      line: 5,
    });
  });

  it.each([
    { name: 'an unclosed flow sequence', text: 'spec:\n  metrics: [a\nkind: x\n', line: 3 },
    { name: 'a duplicate key', text: 'kind: HorizontalPodAutoscaler\nkind: Deployment\n', line: 2 },
    { name: 'a tab indent', text: 'spec:\n\tmaxReplicas: 3\n', line: 2 },
  ])('reports YAML syntax errors with their line: $name', ({ text, line }) => {
    const error = expectInputError(() => parseHpaManifests(text, FILE), { code: 'syntax', file: FILE, path: '', detail: 'invalid YAML: ', line });
    expect(error.message).toMatch(new RegExp(`^Cannot load 'hpa.yaml:line ${line}': invalid YAML: `));
  });

  it('rejects a document that is not a mapping', () => {
    expectInputError(() => parseHpaManifests('- a\n- b\n', FILE), {
      code: 'schema',
      file: FILE,
      path: '',
      detail: 'expected a mapping (a Kubernetes object), got a list',
    });
  });

  it('rejects a document without kind', () => {
    expectInputError(() => parseHpaManifests('metadata:\n  name: x\n', FILE), {
      code: 'schema',
      file: FILE,
      path: 'kind',
      detail: "required field is missing: expected the object's kind, such as 'HorizontalPodAutoscaler' or 'Deployment'",
    });
  });

  it('skips empty documents and other kinds', () => {
    const text = `---\n---\napiVersion: v1\nkind: Service\nmetadata: {name: web}\n---\n${stringify(baseHpa())}---\n`;
    expect(parseHpaManifests(text, FILE).map((h) => h.metadata.name)).toEqual(['web']);
  });

  it('reads the items of a List (kubectl get hpa -o yaml)', () => {
    const text = stringify({ apiVersion: 'v1', kind: 'List', items: [baseHpa(), { ...baseHpa(), metadata: { name: 'api' } }] });
    expect(parseHpaManifests(text, FILE).map((h) => h.metadata.name)).toEqual(['web', 'api']);
  });

  it('names the item of a List in errors', () => {
    const bad = baseHpa();
    bad.spec.maxReplicas = 0;
    const text = stringify({ apiVersion: 'v1', kind: 'List', items: [baseHpa(), bad] });
    const line = text.split('\n').findIndex((l) => l.trim() === 'maxReplicas: 0') + 1;
    expect(line).toBeGreaterThan(1);
    expectInputError(() => parseHpaManifests(text, FILE), {
      code: 'schema',
      file: FILE,
      path: 'items[1].spec.maxReplicas',
      detail: 'expected an integer from 1 to 2147483647 (int32), got 0',
      line,
    });
  });

  it('treats null fields as absent and drops status', () => {
    const hpa = baseHpa();
    hpa.spec.behavior = null;
    hpa.spec.minReplicas = null;
    hpa.status = { currentReplicas: 2, desiredReplicas: 2 };
    hpa.metadata.uid = 'abc';
    const [parsed] = parseHpaManifests(stringify(hpa), FILE);
    expect(parsed?.spec.behavior).toBeUndefined();
    expect(parsed?.spec.minReplicas).toBeUndefined();
    expect(parsed).not.toHaveProperty('status');
    expect(parsed?.metadata).toEqual({ name: 'web', namespace: 'prod' });
  });

  it('reads the blog example (seed 003): cpu and memory at 90%, 1..3 replicas', () => {
    const text = `apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: autoscaler-name
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: autoscaler-name
  minReplicas: 1
  maxReplicas: 3
  metrics:
  - type: Resource
    resource:
      name: cpu
      target:
        type: Utilization
        averageUtilization: 90
  - type: Resource
    resource:
      name: memory
      target:
        type: Utilization
        averageUtilization: 90
`;
    const [hpa] = parseHpaManifests(text, 'blog.yaml');
    expect(hpa?.spec.minReplicas).toBe(1);
    expect(hpa?.spec.maxReplicas).toBe(3);
    expect(hpa?.spec.metrics?.map((m) => [m.resource?.name, m.resource?.target?.averageUtilization])).toEqual([
      ['cpu', 90],
      ['memory', 90],
    ]);
  });

  it("reads seed 001's External metric with a numeric Value target", () => {
    const text = `kind: HorizontalPodAutoscaler
apiVersion: autoscaling/v2
metadata:
  name: myhpa
  namespace: mynamespace
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: myconsumer
  minReplicas: 1
  maxReplicas: 5
  metrics:
  - type: External
    external:
      metric:
        name: mymetric
        selector:
          matchLabels:
            namespace: mynamespace
            ingress: myingress
      target:
        type: Value
        value: 10
`;
    const [hpa] = parseHpaManifests(text, 'dkp.yaml');
    expect(hpa?.spec.metrics?.[0]?.external?.target).toEqual({ type: 'Value', value: 10 });
  });
});

describe('parseManifestFile()', () => {
  it('extracts container requests and limits from Deployments in milli-units', () => {
    const deployment = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: 'prod' },
      spec: {
        replicas: 3,
        selector: { matchLabels: { app: 'web' } },
        template: {
          spec: {
            initContainers: [{ name: 'proxy', restartPolicy: 'Always', resources: { requests: { cpu: '100m' } } }],
            containers: [
              { name: 'app', resources: { requests: { cpu: '500m', memory: '1350Mi' }, limits: { cpu: '1500m', memory: '2000Mi' } } },
              { name: 'sidecar', resources: { requests: { cpu: 0.25, 'nvidia.com/gpu': 1 } } },
              { name: 'bare' },
            ],
          },
        },
      },
    };
    const { deployments, hpas } = parseManifestFile(`${stringify(deployment)}---\n${stringify(baseHpa())}`, FILE);
    expect(hpas).toHaveLength(1);
    expect(deployments).toEqual({
      web: {
        kind: 'Deployment',
        name: 'web',
        namespace: 'prod',
        replicas: 3,
        matchLabels: { app: 'web' },
        containers: [
          { name: 'app', requestsMilli: { cpu: 500, memory: 1_415_577_600_000 }, limitsMilli: { cpu: 1500, memory: 2_097_152_000_000 } },
          { name: 'sidecar', requestsMilli: { cpu: 250, 'nvidia.com/gpu': 1000 } },
          { name: 'bare' },
        ],
        initContainers: [{ name: 'proxy', restartPolicy: 'Always', requestsMilli: { cpu: 100 } }],
      },
    });
  });

  it('reports a bad request quantity with its document, path and line', () => {
    const text = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  template:
    spec:
      containers:
        - name: app
          resources:
            requests:
              cpu: 500 millicores
---
${stringify(baseHpa())}`;
    expectInputError(() => parseManifestFile(text, FILE), {
      code: 'schema',
      file: FILE,
      path: 'documents[0].spec.template.spec.containers[0].resources.requests.cpu',
      detail: "got '500 millicores'",
      line: 11,
    });
  });

  it('warns about two HPAs on one Deployment and about scale to zero', () => {
    const a = baseHpa();
    a.spec.minReplicas = 0;
    const b = { ...baseHpa(), metadata: { name: 'web-2', namespace: 'prod' } };
    const { warnings } = parseManifestFile(`${stringify(a)}---\n${stringify(b)}`, FILE);
    expect(warnings).toEqual([
      "'hpa.yaml' at 'documents[0].spec.minReplicas': is 0: scaling to zero needs the HPAScaleToZero feature gate (alpha, off by default) on the cluster",
      "'hpa.yaml': HPAs 'web' and 'web-2' both scale Deployment 'web': they will fight over its replicas",
    ]);
  });

  it('warns about a target field its type does not use', () => {
    const hpa = baseHpa();
    hpa.spec.metrics[1].pods.target.value = '3';
    const { warnings } = parseManifestFile(stringify(hpa), FILE);
    expect(warnings).toEqual(["'hpa.yaml' at 'spec.metrics[1].pods.target.value': is ignored: target type 'AverageValue' uses 'averageValue'"]);
  });
});
