import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Checks `Authorization: Token <key>` in constant time: both keys are hashed to 32 bytes first,
 * so `timingSafeEqual` compares equal-length buffers and neither the content nor the length of
 * the expected key leaks through timing. The scheme word is case-insensitive.
 *
 * @example
 * isValidToken('Token abc', 'abc'); // -> true
 * isValidToken('Bearer abc', 'abc'); // -> false
 */
export function isValidToken(authorization: string | null, key: string): boolean {
  const match = /^Token\s+(\S+)\s*$/i.exec(authorization?.trim() ?? '');
  const given = createHash('sha256').update(match?.[1] ?? '').digest();
  const expected = createHash('sha256').update(key).digest();
  return timingSafeEqual(given, expected) && match !== null && key !== '';
}
