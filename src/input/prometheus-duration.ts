/**
 * Prometheus' duration syntax (`model.ParseDuration`): units from years to milliseconds, each at
 * most once, largest first: `30s`, `1m30s`, `15d`, `0`.
 *
 * @see https://github.com/prometheus/common/blob/main/model/time.go (ParseDuration)
 */
const DURATION_RE = /^(?:(\d+)y)?(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?(?:(\d+)ms)?$/;
const UNIT_SECONDS = [365 * 86_400, 7 * 86_400, 86_400, 3_600, 60, 1, 0.001] as const;

/**
 * Seconds in a Prometheus duration, or undefined when `text` is not one.
 *
 * @example parsePrometheusDurationSeconds('1m30s') // -> 90
 * @example parsePrometheusDurationSeconds('30 s') // -> undefined
 */
export function parsePrometheusDurationSeconds(text: string): number | undefined {
  if (text === '0') return 0;
  const m = DURATION_RE.exec(text);
  if (!m || text === '') return undefined;
  let seconds = 0;
  UNIT_SECONDS.forEach((unit, i) => {
    const n = m[i + 1];
    if (n !== undefined) seconds += Number(n) * unit;
  });
  return seconds;
}
