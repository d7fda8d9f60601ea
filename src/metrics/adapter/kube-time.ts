/**
 * Kubernetes time texts: `metav1.Time` (RFC 3339, second precision, UTC). Durations are in
 * `src/core/duration.ts`.
 */

/**
 * `metav1.Time` JSON.
 *
 * @example formatKubeTime(1714557600123) // -> '2024-05-01T10:00:00Z'
 */
export function formatKubeTime(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
