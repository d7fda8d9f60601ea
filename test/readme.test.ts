import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../src/cli/commands/index.js';
import { applyHpaDefaults, createInitialState, formatExplanation, reconcile, syntheticObservation } from '../src/engine/index.js';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

describe('README', () => {
  it.each(COMMANDS.map((c) => ({ name: c.name })))('documents the $name command with an example', ({ name }) => {
    expect(readme).toContain(`| \`${name}\` |`);
    expect(readme).toMatch(new RegExp(`hpa-lab ${name}\\b`));
  });

  it('keeps the quick start to one install+run line and one test line', () => {
    expect(readme).toContain('npm install && npx hpa-lab simulate examples/scenarios/traffic-spike.yaml');
    expect(readme).toContain('npm test ');
  });

  it('shows engine results that the engine really gives', () => {
    const hpa = applyHpaDefaults({
      metadata: { name: 'lightning-asr' },
      spec: {
        scaleTargetRef: { kind: 'Deployment', name: 'lightning-asr' },
        minReplicas: 1,
        maxReplicas: 10,
        behavior: {},
        metrics: [{ type: 'Pods', pods: { metric: { name: 'asr_active_requests' }, target: { type: 'AverageValue', averageValue: '5' } } }],
      },
    });
    const observation = syntheticObservation({ hpa, replicas: 2, values: [12_000], nowMs: 0 });
    const { decision } = reconcile({ hpa, observation, state: createInitialState(), nowMs: 0 });
    expect(readme).toContain(`decision.desiredReplicas; // -> ${decision.desiredReplicas} `);
    expect(readme).toContain(`// -> '${decision.events[0]?.message ?? ''}'`);
    expect(readme).toContain(`// -> '${formatExplanation(decision.explanation).split('\n')[0] ?? ''}\\n`);
  });
});
