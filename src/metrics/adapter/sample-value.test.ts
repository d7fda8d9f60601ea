import { describe, expect, it } from 'vitest';
import { CUSTOM_METRIC_CONVERSION, EXTERNAL_METRIC_CONVERSION, RESOURCE_METRIC_CONVERSION, sampleToMilli } from './sample-value.js';

describe('sampleToMilli()', () => {
  it.each([
    { name: 'truncates toward zero in double arithmetic', v: 1.005, c: CUSTOM_METRIC_CONVERSION, want: 1004n },
    { name: 'custom: NaN is 0', v: NaN, c: CUSTOM_METRIC_CONVERSION, want: 0n },
    { name: 'custom: +Inf saturates', v: Infinity, c: CUSTOM_METRIC_CONVERSION, want: 2n ** 63n - 1n },
    { name: 'external: NaN is amd64\'s -2^63', v: NaN, c: EXTERNAL_METRIC_CONVERSION, want: -(2n ** 63n) },
    { name: 'resource: negative is 0', v: -3, c: RESOURCE_METRIC_CONVERSION, want: 0n },
  ])('$name', ({ v, c, want }) => {
    expect(sampleToMilli(v, c)).toBe(want);
  });
});
