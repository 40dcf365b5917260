import { describe, expect, it } from 'vitest';
import { cellAddress, columnIndex, columnLetter, parseAddress, rangeAddress } from '../index';

describe('A1 addresses', () => {
  it('converts columns both ways, past Z', () => {
    for (const [n, s] of [
      [1, 'A'],
      [8, 'H'],
      [26, 'Z'],
      [27, 'AA'],
      [52, 'AZ'],
      [703, 'AAA'],
    ] as const) {
      expect(columnLetter(n)).toBe(s);
      expect(columnIndex(s)).toBe(n);
    }
  });

  it('builds and parses cell addresses', () => {
    expect(cellAddress(6, 8)).toBe('H6');
    expect(parseAddress('H6')).toEqual({ row: 6, column: 8 });
    expect(parseAddress('$AB$12')).toEqual({ row: 12, column: 28 });
    expect(rangeAddress(6, 2, 6, 4)).toBe('B6:D6');
    expect(rangeAddress(6, 2, 6, 2)).toBe('B6');
  });

  it('rejects what is not an address', () => {
    expect(() => parseAddress('6H')).toThrow();
    expect(() => columnLetter(0)).toThrow();
    expect(() => cellAddress(0, 1)).toThrow();
  });
});
