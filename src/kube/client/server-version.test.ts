import { describe, expect, it } from 'vitest';
import { engineConfigForVersion } from './server-version.js';

describe('engineConfigForVersion', () => {
  it.each([
    { v: undefined, want: {} },
    { v: { major: 1, minor: 33, gitVersion: 'v1.33.2' }, want: { featureGates: { HPAConfigurableTolerance: false, PodLevelResources: false } } },
    { v: { major: 1, minor: 34, gitVersion: 'v1.34.0' }, want: { featureGates: { HPAConfigurableTolerance: false, PodLevelResources: true } } },
    { v: { major: 1, minor: 35, gitVersion: 'v1.35.0-gke.1' }, want: { featureGates: { HPAConfigurableTolerance: true, PodLevelResources: true } } },
  ])('$v.gitVersion', ({ v, want }) => {
    expect(engineConfigForVersion(v)).toEqual(want);
  });
});
