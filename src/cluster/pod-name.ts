/** Characters Kubernetes uses for generated name suffixes (no vowels, no look-alikes). */
export const POD_NAME_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/**
 * A pod name as a Deployment's ReplicaSet makes it: `<deployment>-<5 characters>`. `random`
 * returns a number in [0, 1) (Math.random's contract); names already in `taken` are skipped.
 *
 * @example makePodName('lightning-asr', new Set(), () => 0) // -> 'lightning-asr-bbbbb'
 */
export function makePodName(deployment: string, taken: ReadonlySet<string>, random: () => number): string {
  for (let attempt = 0; attempt < 1_000; attempt++) {
    let suffix = '';
    for (let i = 0; i < 5; i++) suffix += POD_NAME_ALPHABET[Math.floor(random() * POD_NAME_ALPHABET.length)] ?? 'b';
    const name = `${deployment}-${suffix}`;
    if (!taken.has(name)) return name;
  }
  // 27^5 names: only a broken random source gets here.
  let n = taken.size;
  while (taken.has(`${deployment}-${n}`)) n++;
  return `${deployment}-${n}`;
}
