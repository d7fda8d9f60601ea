/** Tables as text: CSV files, kubectl-style terminal tables, and the number and age formats they use. */

/** One cell of a table; `null` is a missing value. */
export type Cell = string | number | null;

function csvField(value: Cell): string {
  if (value === null) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * Writes a header line and rows as CSV (RFC 4180): fields holding a comma, a double quote, CR or
 * LF are quoted with inner quotes doubled; `null` becomes an empty field; every line, the last
 * included, ends with CRLF unless `eol` says otherwise.
 *
 * @throws {RangeError} when a row has a different number of cells than `columns`
 * @example
 * toCsv(['name', 'note'], [['a', 'x, "y"']]); // -> 'name,note\r\na,"x, ""y"""\r\n'
 */
export function toCsv(columns: readonly string[], rows: readonly (readonly Cell[])[], options: { eol?: '\r\n' | '\n' } = {}): string {
  const eol = options.eol ?? '\r\n';
  const lines = [columns.map(csvField).join(',')];
  rows.forEach((row, i) => {
    if (row.length !== columns.length) {
      throw new RangeError(`Cannot write CSV as row ${i} has ${row.length} cells: expected ${columns.length}`);
    }
    lines.push(row.map(csvField).join(','));
  });
  return lines.join(eol) + eol;
}

const SI_PREFIXES = [
  { factor: 1e12, suffix: 'T' },
  { factor: 1e9, suffix: 'G' },
  { factor: 1e6, suffix: 'M' },
  { factor: 1e3, suffix: 'k' },
] as const;

function trimFraction(text: string): string {
  return text.includes('.') ? text.replace(/\.?0+$/, '') : text;
}

/**
 * Formats a number for people: at most `maxFractionDigits` decimals (default 3) with trailing
 * zeros dropped; with `compact`, values of 10 000 and more get an SI suffix and three significant
 * digits (`12.3k`, `1.5M`). `NaN` prints as `-`, infinities as `+Inf` / `-Inf` (Prometheus style).
 *
 * @example
 * formatNumber(2.50); // -> '2.5'
 * formatNumber(123456, { compact: true }); // -> '123k'
 */
export function formatNumber(value: number, options: { maxFractionDigits?: number; compact?: boolean } = {}): string {
  if (Number.isNaN(value)) return '-';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  const digits = options.maxFractionDigits ?? 3;
  if (options.compact === true && Math.abs(value) >= 10_000) {
    // Walk from kilo upwards so that 999 999 becomes '1M' rather than '1000k'.
    for (let i = SI_PREFIXES.length - 1; i >= 0; i--) {
      const { factor, suffix } = SI_PREFIXES[i] as (typeof SI_PREFIXES)[number];
      const scaled = value / factor;
      const decimals = Math.max(0, 2 - Math.floor(Math.log10(Math.abs(scaled))));
      const text = scaled.toFixed(decimals);
      if (Math.abs(Number(text)) < 1000 || i === 0) return `${trimFraction(text)}${suffix}`;
    }
  }
  const text = trimFraction(value.toFixed(digits));
  return text === '-0' ? '0' : text;
}

/**
 * Formats an age or duration the way kubectl prints the AGE column (apimachinery's
 * `duration.HumanDuration`): about two significant units, e.g. `45s`, `5m`, `7m30s`, `90m`,
 * `3h30m`, `10h`, `2d3h`, `30d`, `3y50d`. Fractions of a second are truncated.
 *
 * @see https://github.com/kubernetes/apimachinery/blob/master/pkg/util/duration/duration.go HumanDuration
 * @example
 * formatDuration(183600); // -> '2d3h'
 */
export function formatDuration(seconds: number): string {
  if (Number.isNaN(seconds)) return '<invalid>';
  const s = Math.trunc(seconds);
  if (s < -1) return '<invalid>';
  if (s < 0) return '0s';
  if (s < 120) return `${s}s`;
  const minutes = Math.floor(s / 60);
  if (minutes < 10) {
    const rest = s % 60;
    return rest === 0 ? `${minutes}m` : `${minutes}m${rest}s`;
  }
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.floor(s / 3600);
  if (hours < 8) {
    const rest = minutes % 60;
    return rest === 0 ? `${hours}h` : `${hours}h${rest}m`;
  }
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8) {
    const rest = hours % 24;
    return rest === 0 ? `${Math.floor(hours / 24)}d` : `${Math.floor(hours / 24)}d${rest}h`;
  }
  if (hours < 24 * 365 * 2) return `${Math.floor(hours / 24)}d`;
  const years = Math.floor(hours / 24 / 365);
  if (hours < 24 * 365 * 8) {
    const days = Math.floor(hours / 24) % 365;
    return days === 0 ? `${years}y` : `${years}y${days}d`;
  }
  return `${years}y`;
}

/** Column alignment in a terminal table. */
export type Align = 'left' | 'right';

/** Options of {@link formatTable}. */
export interface FormatTableOptions {
  /** Per-column alignment; by default a column is right-aligned when every non-null cell is a number. */
  align?: readonly Align[];
  /** Spaces between columns; default 3, as kubectl's tabwriter. */
  gap?: number;
  /** How a `null` cell prints; default `<none>`, as kubectl. */
  none?: string;
}

function displayWidth(text: string): number {
  return [...text].length;
}

/**
 * Lays out a table for a terminal like `kubectl get`: fixed-width columns separated by three
 * spaces, text left-aligned, numbers right-aligned (formatted with {@link formatNumber}), no
 * trailing spaces, one `\n` after every line.
 *
 * @example
 * formatTable(['NAME', 'REPLICAS'], [['asr', 3], ['api-server', 12]]);
 * // -> 'NAME         REPLICAS\nasr                 3\napi-server         12\n'
 */
export function formatTable(columns: readonly string[], rows: readonly (readonly Cell[])[], options: FormatTableOptions = {}): string {
  const gap = ' '.repeat(options.gap ?? 3);
  const none = options.none ?? '<none>';
  const text = rows.map((row) => columns.map((_, c) => {
    const cell = row[c];
    if (cell === null || cell === undefined) return none;
    return typeof cell === 'number' ? formatNumber(cell) : cell;
  }));
  const align = columns.map((_, c): Align => {
    const given = options.align?.[c];
    if (given) return given;
    const cells = rows.map((row) => row[c]).filter((cell) => cell !== null && cell !== undefined);
    return cells.length > 0 && cells.every((cell) => typeof cell === 'number') ? 'right' : 'left';
  });
  const widths = columns.map((header, c) => Math.max(displayWidth(header), ...text.map((row) => displayWidth(row[c] ?? ''))));
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, c) => {
        const pad = ' '.repeat(Math.max(0, (widths[c] ?? 0) - displayWidth(cell)));
        return align[c] === 'right' ? pad + cell : cell + pad;
      })
      .join(gap)
      .trimEnd();
  return [line(columns), ...text.map(line)].map((l) => `${l}\n`).join('');
}
