// A1-style addresses. Rows and columns are 1-based here, as Excel shows them (A = 1, H6 = row 6, column 8).

/** 1 → `A`, 8 → `H`, 27 → `AA`. */
export function columnLetter(column: number): string {
  if (!Number.isInteger(column) || column < 1) throw new RangeError(`column must be a positive integer, got ${column}`);
  let letters = '';
  for (let n = column; n > 0; n = Math.floor((n - 1) / 26))
    letters = String.fromCharCode(65 + ((n - 1) % 26)) + letters;
  return letters;
}

/** `A` → 1, `h` → 8, `AA` → 27. */
export function columnIndex(letters: string): number {
  if (!/^[A-Za-z]{1,3}$/.test(letters)) throw new RangeError(`not a column name: ${letters}`);
  let n = 0;
  for (const ch of letters.toUpperCase()) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n;
}

/** (6, 8) → `H6`. */
export function cellAddress(row: number, column: number): string {
  if (!Number.isInteger(row) || row < 1) throw new RangeError(`row must be a positive integer, got ${row}`);
  return `${columnLetter(column)}${row}`;
}

/** `H6` (also `$H$6`, `h6`) → { row: 6, column: 8 }. */
export function parseAddress(address: string): { row: number; column: number } {
  const m = /^\$?([A-Za-z]{1,3})\$?(\d+)$/.exec(address.trim());
  if (!m || Number(m[2]) < 1) throw new RangeError(`not a cell address: ${address}`);
  return { row: Number(m[2]), column: columnIndex(m[1]) };
}

/** (6, 2, 6, 4) → `B6:D6`; a single cell collapses to `B6`. */
export function rangeAddress(firstRow: number, firstColumn: number, lastRow: number, lastColumn: number): string {
  const first = cellAddress(firstRow, firstColumn);
  const last = cellAddress(lastRow, lastColumn);
  return first === last ? first : `${first}:${last}`;
}
