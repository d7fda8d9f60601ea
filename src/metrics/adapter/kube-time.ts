/**
 * Kubernetes time and duration texts: `metav1.Time` (RFC 3339, second precision, UTC) and
 * `metav1.Duration` (Go's `time.Duration.String()`, e.g. `5m0s`), plus Prometheus durations (`5m`).
 */

/**
 * `metav1.Time` JSON.
 *
 * @example formatKubeTime(1714557600123) // -> '2024-05-01T10:00:00Z'
 */
export function formatKubeTime(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

const PROM_UNITS_MS: Readonly<Record<string, number>> = { y: 31_536_000_000, w: 604_800_000, d: 86_400_000, h: 3_600_000, m: 60_000, s: 1000, ms: 1 };

/**
 * Parses a Prometheus duration (`1m`, `1h30m`, `90s`, `0`).
 *
 * @throws {SyntaxError} when the text is not one
 * @example parsePrometheusDurationMs('1m30s') // -> 90000
 */
export function parsePrometheusDurationMs(text: string): number {
  if (text === '0') return 0;
  const re = /(\d+)(ms|y|w|d|h|m|s)/gy;
  let total = 0;
  let consumed = 0;
  for (const m of text.matchAll(re)) {
    total += Number(m[1]) * (PROM_UNITS_MS[m[2] ?? ''] ?? 0);
    consumed += m[0].length;
  }
  if (text === '' || consumed !== text.length) throw new SyntaxError(`Cannot parse duration: ${JSON.stringify(text)} is not a Prometheus duration`);
  return total;
}

/**
 * Go's `time.Duration.String()` for whole milliseconds.
 *
 * @example formatGoDuration(300000) // -> '5m0s'
 * @example formatGoDuration(1500) // -> '1.5s'
 */
export function formatGoDuration(ms: number): string {
  if (ms === 0) return '0s';
  const sign = ms < 0 ? '-' : '';
  let rest = Math.abs(ms);
  if (rest < 1000) return `${sign}${rest}ms`;
  const h = Math.floor(rest / 3_600_000);
  rest -= h * 3_600_000;
  const m = Math.floor(rest / 60_000);
  rest -= m * 60_000;
  const secs = (rest / 1000).toString();
  return `${sign}${h > 0 ? `${h}h` : ''}${h > 0 || m > 0 ? `${m}m` : ''}${secs}s`;
}
