import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ColumnBuffer } from './column-buffer.js';

describe('ColumnBuffer', () => {
  it('writes every committed row to its columns, in order, across blocks and past the expected rows', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.double(), fc.integer(), fc.constantFrom(Number.NaN, -0, 1e308)), { maxLength: 40 }), fc.integer({ min: 1, max: 7 }), fc.integer({ min: 0, max: 60 }), (rows, block, expectedRows) => {
        const a: number[] = [];
        const b: number[] = [];
        const c: number[] = [];
        const buffer = new ColumnBuffer([a, b, c], { rows: block, expectedRows });
        for (const row of rows) {
          const o = buffer.next();
          row.forEach((v, i) => (buffer.data[o + i] = v));
          buffer.commit();
        }
        buffer.finish();
        expect(a).toEqual(rows.map((r) => r[0]));
        expect(b).toEqual(rows.map((r) => r[1]));
        expect(c).toEqual(rows.map((r) => r[2]));
      }),
    );
  });

  it('leaves the columns empty when no row was committed', () => {
    const a: number[] = [];
    new ColumnBuffer([a], { expectedRows: 100 }).finish();
    expect(a).toEqual([]);
  });

  it('refuses a column that is not empty', () => {
    expect(() => new ColumnBuffer([[1]])).toThrow(RangeError);
  });
});
