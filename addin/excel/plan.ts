// Pure planning for the Excel adapter: how a sheet layout is cut into blocks that each fit one Office.js request.
// Excel on the web rejects a request or response over 5 MB, so a block is capped by rows AND by payload size.
import { columnLetter } from '../../forms/address';
import type { LayoutValue, SheetLayout } from '../workbook/types';

export const MAX_BLOCK_ROWS = 5000;
/** Payload budget per request: below Excel on the web's 5 MB with room for the request's own framing. */
export const MAX_BLOCK_BYTES = 4_000_000;
/** Rows of the first read request; its size per row decides how many rows the following requests ask for. */
export const READ_PROBE_ROWS = 500;
/** Response budget per read request, below the 5 MB cap with room for long cells further down. */
export const READ_BUDGET_BYTES = 3_000_000;

/** Rows per read request after the first, from the bytes per row the first one cost. */
export function readBlockRows(probeRows: number, probeBytes: number): number {
  const perRow = Math.max(1, probeBytes / Math.max(1, probeRows));
  return Math.max(READ_PROBE_ROWS, Math.min(MAX_BLOCK_ROWS, Math.floor(READ_BUDGET_BYTES / perRow)));
}

export const TEXT_FORMAT = '@';
const GENERAL = 'General';

export interface WriteBlock {
  /** 0-based sheet row of the block's first row. */
  firstRow: number;
  /** A1 address of the block, from column A. */
  address: string;
  values: (string | number)[][];
  /** Set BEFORE values in the same batch, so text that looks like a formula or a number stays text. */
  numberFormats: string[][];
  /** JSON size in bytes of values + numberFormats: what the block costs on the wire. */
  bytes: number;
}

/**
 * Number format of every cell: text columns of data rows are '@'; any other cell holding a string is '@' too, so
 * no text from a submission (a unit name like `=HYPERLINK(…)`, a note starting with `-`) can become a formula.
 */
export function cellFormat(layout: SheetLayout, row: number, column: number, value: LayoutValue): string {
  if (typeof value === 'string' && value !== '') return TEXT_FORMAT;
  const sheetRow = row + 1;
  if (sheetRow >= layout.data.firstRow && sheetRow <= layout.data.lastRow) {
    if (layout.textColumns.includes(column)) return TEXT_FORMAT;
    return layout.numberFormats[column] ?? GENERAL;
  }
  return GENERAL;
}

export function layoutWidth(layout: SheetLayout): number {
  return Math.max(layout.columnWidths.length, ...layout.values.map((r) => r.length), 1);
}

/** Rows of the sheet: the values, extended to the data range (blank rows left for filling in). */
export function layoutHeight(layout: SheetLayout): number {
  return Math.max(layout.values.length, layout.data.lastRow);
}

const encoder = new TextEncoder();
const jsonBytes = (v: unknown) => encoder.encode(JSON.stringify(v)).byteLength;

export function planWriteBlocks(
  layout: SheetLayout,
  limits = { maxRows: MAX_BLOCK_ROWS, maxBytes: MAX_BLOCK_BYTES },
): WriteBlock[] {
  const width = layoutWidth(layout);
  const height = layoutHeight(layout);
  const lastColumn = columnLetter(width);
  const blocks: WriteBlock[] = [];
  let current: WriteBlock | null = null;
  for (let r = 0; r < height; r++) {
    const source = layout.values[r] ?? [];
    const values: (string | number)[] = [];
    const formats: string[] = [];
    for (let c = 0; c < width; c++) {
      // '' rather than null: Office.js reads null as "leave this cell as it is".
      const v = source[c] ?? null;
      values.push(v ?? '');
      formats.push(cellFormat(layout, r, c, v));
    }
    const rowBytes = jsonBytes(values) + jsonBytes(formats) + 2;
    if (!current || current.values.length >= limits.maxRows || current.bytes + rowBytes > limits.maxBytes) {
      current = { firstRow: r, address: '', values: [], numberFormats: [], bytes: 4 };
      blocks.push(current);
    }
    current.values.push(values);
    current.numberFormats.push(formats);
    current.bytes += rowBytes;
  }
  for (const b of blocks) b.address = `A${b.firstRow + 1}:${lastColumn}${b.firstRow + b.values.length}`;
  return blocks;
}

/** Excel's column width in characters → points (what Office.js `format.columnWidth` takes). */
export function widthToPoints(characters: number): number {
  return Math.round((characters * 7 + 5) * 0.75 * 100) / 100;
}

/** Excel forbids these in sheet names and caps them at 31 characters. */
export function sheetNameSafe(name: string): string {
  const clean = name
    .replace(/[\\/?*[\]:]/g, '_')
    .replace(/^'+|'+$/g, '')
    .trim();
  return (clean || '工作表').slice(0, 31);
}

/** `附件1`, then `附件1 (2)`, `附件1 (3)`… never colliding with an existing sheet (case-insensitive, as Excel does). */
export function freeSheetName(wanted: string, taken: string[]): string {
  const base = sheetNameSafe(wanted);
  const lower = new Set(taken.map((t) => t.toLowerCase()));
  let name = base;
  for (let n = 2; lower.has(name.toLowerCase()); n++) {
    const suffix = ` (${n})`;
    name = base.slice(0, 31 - suffix.length) + suffix;
  }
  return name;
}

/** Contiguous runs of the columns not in `locked`, as 0-based [first, last] pairs. */
export function unlockedRuns(width: number, locked: number[]): [number, number][] {
  const runs: [number, number][] = [];
  for (let c = 0; c < width; c++) {
    if (locked.includes(c)) continue;
    const last = runs[runs.length - 1];
    if (last && last[1] === c - 1) last[1] = c;
    else runs.push([c, c]);
  }
  return runs;
}

/** `Sheet1!B3:I20` or `'My sheet'!B3` → `B3`. */
export function topLeftOf(address: string): string {
  const local = address.includes('!') ? address.slice(address.lastIndexOf('!') + 1) : address;
  return local.split(':')[0].replace(/\$/g, '');
}
