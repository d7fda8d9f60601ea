/**
 * The shared time axis: run-relative seconds formatted as a clock, with tick intervals that are
 * whole clock units (15 s, 5 min, 1 h, 1 d) rather than powers of ten.
 */

const SECONDS_PER_DAY = 86_400;
/** Runs at least this long show days on the axis. */
const DAY_FORMAT_FROM_SECONDS = 2 * SECONDS_PER_DAY;

const TICK_INTERVALS_SECONDS = [
  1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10_800, 21_600, 43_200, 86_400, 172_800, 604_800,
] as const;

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/**
 * Formats run-relative seconds as a clock: `h:mm:ss` for runs shorter than two days, otherwise
 * `Nd hh:mm` (or just `Nd` on a whole day). Negative values get a leading minus; fractions of a
 * second are dropped.
 *
 * @example
 * formatClock(3725); // -> '1:02:05'
 * formatClock(3 * 86400 + 6 * 3600, { spanSeconds: 30 * 86400 }); // -> '3d 06:00'
 */
export function formatClock(seconds: number, options: { spanSeconds?: number } = {}): string {
  if (!Number.isFinite(seconds)) return String(seconds);
  const sign = seconds < 0 ? '-' : '';
  const total = Math.floor(Math.abs(seconds));
  const span = options.spanSeconds ?? total;
  if (span >= DAY_FORMAT_FROM_SECONDS) {
    const days = Math.floor(total / SECONDS_PER_DAY);
    const rest = total % SECONDS_PER_DAY;
    if (rest === 0) return `${sign}${days}d`;
    return `${sign}${days}d ${pad2(Math.floor(rest / 3600))}:${pad2(Math.floor((rest % 3600) / 60))}`;
  }
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  return `${sign}${h}:${pad2(m)}:${pad2(total % 60)}`;
}

/**
 * Picks the smallest clock-friendly tick interval that gives at most `maxTicks` intervals over
 * `spanSeconds`; beyond a week it uses whole weeks.
 *
 * @example
 * chooseTimeInterval(3600, 8); // -> 600
 */
export function chooseTimeInterval(spanSeconds: number, maxTicks: number): number {
  const ticks = Math.max(1, Math.floor(maxTicks));
  if (!(spanSeconds > 0)) return 1;
  for (const interval of TICK_INTERVALS_SECONDS) {
    if (spanSeconds / interval <= ticks) return interval;
  }
  const week = 604_800;
  return Math.ceil(spanSeconds / ticks / week) * week;
}
