/**
 * "Did you mean" for a misspelled name: the closest candidate by edit distance, when it is close
 * enough to be a slip (at most a third of the name's length, at least 1, at most 3 edits).
 */

/** Edit distance between `a` and `b` (insertions, deletions, substitutions, adjacent swaps), case-insensitive. */
export function editDistance(a: string, b: string): number {
  const s = a.toLowerCase();
  const t = b.toLowerCase();
  const d: number[][] = Array.from({ length: s.length + 1 }, (_, i) => Array.from({ length: t.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= s.length; i++) {
    for (let j = 1; j <= t.length; j++) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && s[i - 1] === t[j - 2] && s[i - 2] === t[j - 1]) best = Math.min(best, d[i - 2]![j - 2]! + 1);
      d[i]![j] = best;
    }
  }
  return d[s.length]![t.length]!;
}

/**
 * The candidate closest to `name`, or undefined when none is close.
 *
 * @example closestName('stepz', ['steps', 'initialRps']) // -> 'steps'
 */
export function closestName(name: string, candidates: readonly string[]): string | undefined {
  if (name.length > 100) return undefined;
  const limit = Math.min(3, Math.max(1, Math.floor(name.length / 3)));
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = editDistance(name, c);
    if (d < bestDistance && d <= limit) {
      best = c;
      bestDistance = d;
    }
  }
  return best;
}

/**
 * `unknown field; did you mean steps? (expected one of ...)`: the message for an unknown key.
 *
 * @example unknownFieldMessage('stepz', ['type', 'steps']) // -> "unknown field; did you mean 'steps'? (expected one of 'type', 'steps')"
 */
export function unknownFieldMessage(name: string, allowed: readonly string[]): string {
  const near = closestName(name, allowed);
  const list = allowed.map((k) => `'${k}'`).join(', ');
  return near === undefined ? `unknown field: expected one of ${list}` : `unknown field; did you mean '${near}'? (expected one of ${list})`;
}
