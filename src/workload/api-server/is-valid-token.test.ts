import { describe, expect, it } from 'vitest';
import { isValidToken } from './is-valid-token.js';

describe('isValidToken()', () => {
  it.each([
    { name: 'accepts the right key', header: 'Token s3cret', key: 's3cret', want: true },
    { name: 'accepts the scheme in any case', header: 'token s3cret', key: 's3cret', want: true },
    { name: 'accepts surrounding spaces', header: '  Token   s3cret  ', key: 's3cret', want: true },
    { name: 'refuses a wrong key', header: 'Token s3cret!', key: 's3cret', want: false },
    { name: 'refuses a prefix of the key', header: 'Token s3c', key: 's3cret', want: false },
    { name: 'refuses another scheme', header: 'Bearer s3cret', key: 's3cret', want: false },
    { name: 'refuses the bare key', header: 's3cret', key: 's3cret', want: false },
    { name: 'refuses a missing header', header: null, key: 's3cret', want: false },
    { name: 'refuses everything when the key is empty', header: 'Token ', key: '', want: false },
  ])('$name', ({ header, key, want }) => {
    expect(isValidToken(header, key)).toBe(want);
  });
});
