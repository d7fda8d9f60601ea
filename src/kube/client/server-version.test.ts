import { describe, expect, it } from 'vitest';
import { resolveControllerConfig } from '../../engine/index.js';
import { engineConfigForVersion } from './server-version.js';

describe('engineConfigForVersion()', () => {
  it.each([
    { name: 'no version: the engine default', v: undefined, want: {} },
    { name: 'v1.33.2', v: { major: 1, minor: 33, gitVersion: 'v1.33.2' }, want: { kubernetesVersion: '1.33' } },
    { name: 'v1.35.0-gke.1', v: { major: 1, minor: 35, gitVersion: 'v1.35.0-gke.1' }, want: { kubernetesVersion: '1.35' } },
    { name: 'older than supported: clamped to 1.30', v: { major: 1, minor: 27, gitVersion: 'v1.27.9' }, want: { kubernetesVersion: '1.30' } },
    { name: 'newer than supported: clamped to 1.38', v: { major: 1, minor: 41, gitVersion: 'v1.41.0' }, want: { kubernetesVersion: '1.38' } },
  ])('$name', ({ v, want }) => {
    expect(engineConfigForVersion(v)).toEqual(want);
  });

  it.each([
    { minor: 33, tolerance: false, podLevel: false },
    { minor: 34, tolerance: false, podLevel: true },
    { minor: 35, tolerance: true, podLevel: true },
  ])('gives 1.$minor its release gates', ({ minor, tolerance, podLevel }) => {
    const config = resolveControllerConfig(engineConfigForVersion({ major: 1, minor, gitVersion: `v1.${minor}.0` }));
    expect(config.featureGates.HPAConfigurableTolerance).toBe(tolerance);
    expect(config.featureGates.PodLevelResources).toBe(podLevel);
  });
});
