/**
 * Rows of numbers staged in one contiguous block, then written to their columns (`number[]`)
 * a block at a time. A timeline row touches one or two cache lines instead of the end of every
 * column (17 or more arrays), and the columns, sized up front for the rows expected, are filled
 * in place rather than grown by copying (fresh memory is what a long timeline costs most).
 */
export class ColumnBuffer {
  readonly #columns: number[][];
  readonly #width: number;
  readonly #rows: number;
  /** Staged rows, row-major: row r, column c at `r × width + c`. */
  readonly data: Float64Array;
  #staged = 0;
  /** Rows written to the columns. */
  #written = 0;

  /**
   * @param columns empty arrays the rows go to, in the order of a row's values
   * @param options.rows rows staged before they are written (default 256)
   * @param options.expectedRows rows the columns are sized for (more still fit; `finish` trims)
   * @throws {RangeError} when a column is not empty
   */
  constructor(columns: number[][], options: { rows?: number; expectedRows?: number } = {}) {
    this.#columns = columns;
    this.#width = columns.length;
    this.#rows = Math.max(1, options.rows ?? 256);
    this.data = new Float64Array(this.#rows * this.#width);
    const expected = Math.max(0, Math.floor(options.expectedRows ?? 0));
    for (const column of columns) {
      if (column.length !== 0) throw new RangeError(`Cannot buffer rows as every column must start empty: got one of length ${column.length}`);
      // Double elements for every column (a double in and out): the columns share one hidden
      // class, so `flush`'s store stays monomorphic; then room for the expected rows.
      column.push(0.5);
      column.pop();
      column.length = expected;
    }
  }

  /** Offset in `data` of the next row: write its values there, in column order, then `commit()`. */
  next(): number {
    return this.#staged * this.#width;
  }

  /** Ends the row written at `next()`. */
  commit(): void {
    if (++this.#staged === this.#rows) this.flush();
  }

  /** Writes the staged rows to the columns. */
  flush(): void {
    const n = this.#staged;
    const width = this.#width;
    const data = this.data;
    const at = this.#written;
    for (let c = 0; c < width; c++) {
      const column = this.#columns[c]!;
      for (let r = 0; r < n; r++) column[at + r] = data[r * width + c]!;
    }
    this.#written = at + n;
    this.#staged = 0;
  }

  /**
   * Writes the staged rows and trims the columns to the rows committed.
   *
   * @example
   * const t: number[] = [], v: number[] = [];
   * const b = new ColumnBuffer([t, v], { expectedRows: 10 });
   * const o = b.next(); b.data[o] = 0; b.data[o + 1] = 5; b.commit(); b.finish(); // t = [0], v = [5]
   */
  finish(): void {
    this.flush();
    for (const column of this.#columns) column.length = this.#written;
  }
}
