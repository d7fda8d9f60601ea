/**
 * Checks a replica count given to `setReplicas`.
 *
 * @throws {RangeError} when `replicas` is not an integer from 0 to 2147483647
 * @example checkReplicas('lightning-asr', 3) // ok; checkReplicas('lightning-asr', -1) throws
 */
export function checkReplicas(target: string, replicas: number): void {
  if (!Number.isInteger(replicas) || replicas < 0 || replicas > 2_147_483_647) {
    throw new RangeError(`Cannot scale '${target}' as 'replicas' must be an integer >= 0: got ${replicas}`);
  }
}
