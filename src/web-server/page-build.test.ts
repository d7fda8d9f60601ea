import { relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot, pageCacheDir } from './page-build.js';

describe('pageCacheDir', () => {
  it('is outside the package, so serving from a checkout never writes into it', () => {
    expect(relative(packageRoot(), pageCacheDir())).toMatch(/^\.\./);
  });

  it('is one folder per checkout', () => {
    expect(pageCacheDir('/a/hpa-lab')).toBe(pageCacheDir('/a/hpa-lab'));
    expect(pageCacheDir('/a/hpa-lab')).not.toBe(pageCacheDir('/b/hpa-lab'));
  });
});
