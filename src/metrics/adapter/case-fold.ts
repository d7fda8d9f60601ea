/**
 * Unicode simple case-folding orbits, as Go's `unicode.SimpleFold` walks them, for `(?i)` in
 * {@link compileGoRegexp}: `k` -> `k K K` (Kelvin sign), `s` -> `s S ſ`. The table is built once, on
 * first use, from the engine's own case mappings.
 *
 * @see https://pkg.go.dev/unicode#SimpleFold
 */

let orbits: Map<number, number[]> | undefined;

function single(text: string): number | undefined {
  const cp = text.codePointAt(0);
  return cp !== undefined && String.fromCodePoint(cp).length === text.length ? cp : undefined;
}

function build(): Map<number, number[]> {
  const parent = new Map<number, number>();
  const find = (x: number): number => {
    let root = x;
    while (parent.get(root) !== undefined && parent.get(root) !== root) root = parent.get(root) ?? root;
    parent.set(x, root);
    return root;
  };
  const union = (a: number, b: number): void => {
    const ra = find(a);
    const rb = find(b);
    if (ra !== rb) parent.set(Math.max(ra, rb), Math.min(ra, rb));
  };
  for (let cp = 0; cp <= 0x1ffff; cp++) {
    if (cp >= 0xd800 && cp <= 0xdfff) continue;
    const ch = String.fromCodePoint(cp);
    for (const mapped of [ch.toLowerCase(), ch.toUpperCase()]) {
      const other = single(mapped);
      if (other !== undefined && other !== cp) union(cp, other);
    }
  }
  const groups = new Map<number, number[]>();
  for (const cp of parent.keys()) {
    const root = find(cp);
    const group = groups.get(root) ?? [];
    group.push(cp);
    groups.set(root, group);
  }
  const out = new Map<number, number[]>();
  for (const group of groups.values()) {
    const sorted = [...new Set(group)].sort((a, b) => a - b);
    if (sorted.length > 1) for (const cp of sorted) out.set(cp, sorted);
  }
  return out;
}

/**
 * All code points that match `codePoint` case-insensitively, including itself, ascending.
 *
 * @example caseFoldOrbit(0x6b) // -> [0x4b, 0x6b, 0x212a]
 */
export function caseFoldOrbit(codePoint: number): readonly number[] {
  orbits ??= build();
  return orbits.get(codePoint) ?? [codePoint];
}
