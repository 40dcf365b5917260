// Pure planning for the Excel adapter: how work is cut into Office.js requests that each fit Excel's limits.
// Excel on the web rejects a request or response over 5 MB, and a read of more than 5,000,000 cells fails
// (learn.microsoft.com, "Resource limits and performance optimization for Office Add-ins" § Excel add-ins), so
// every batch is sized by its estimated bytes, not by a fixed count.
import { columnIndex, columnLetter } from '../../forms/address';
import type { LayoutValue, SheetLayout } from '../workbook/types';

export const MAX_BLOCK_ROWS = 5000;
/** Payload budget per request and per response: below Excel on the web's 5 MB with room for what we cannot see. */
export const MAX_BLOCK_BYTES = 4_000_000;
/** Rows of the first read request at most; its bytes per row size the following requests. */
export const READ_PROBE_ROWS = 200;
/** Response budget per read request, below the 5 MB cap with room for rows heavier than the average so far. */
export const READ_BUDGET_BYTES = 3_000_000;
/** Cells per read request, below the 5,000,000 cells a read may return. */
export const READ_CELL_BUDGET = 4_000_000;
/** The least a cell costs in a `values` response: `"",`. */
const MIN_CELL_BYTES = 3;
/** Excel's "total number of characters that a cell can contain" (Excel specifications and limits); notes too. */
export const CELL_CHARACTERS = 32_767;
/** Worksheet.getRange / getRanges take an address of at most 8,192 characters (@types/office-js). */
export const ADDRESS_CHARACTERS = 8_000;

/**
 * Rows per read request: what fits the response budget at the bytes per row measured so far (`null` before the
 * first request: then as if every cell were empty, which already limits a sheet with a stray value in column XFD),
 * and never more cells than a read may return.
 */
export function readBlockRows(columns: number, bytesPerRow: number | null): number {
  const perRow = Math.max(bytesPerRow ?? 0, columns * MIN_CELL_BYTES, 1);
  const cap = bytesPerRow === null ? READ_PROBE_ROWS : MAX_BLOCK_ROWS;
  const byBytes = Math.floor(READ_BUDGET_BYTES / perRow);
  const byCells = Math.floor(READ_CELL_BUDGET / Math.max(1, columns));
  return Math.max(1, Math.min(cap, byBytes, byCells));
}

// --- Request sizes as Office.js builds them ---------------------------------------------------------------------
// A request is `{"Actions": [...], "ObjectPaths": {...}}` (OfficeExtension's ClientRequest). Every proxy object —
// each getRange(), each `.format` and `.fill`, each note — is an object path plus an Instantiate action; every
// property set, method call and load is an action. Argument values come on top. Ids run to 7 digits in a long
// session, so these are upper bounds of what @microsoft/office-js serialises.

/** `"1234567":{"Id":1234567,"ObjectPathType":3,"Name":"","ParentObjectPathId":1234567,"ArgumentInfo":{"Arguments":[]}},` + its Instantiate action. */
const PROXY_BYTES = 200;
/** `{"Id":1234567,"ActionType":3,"Name":"","ObjectPathId":1234567,"ArgumentInfo":{"Arguments":[]}},` */
const ACTION_BYTES = 110;
/** One result per action in the response, `{"ActionId":1234567,"Value":…}`. */
const RESULT_BYTES = 40;

export const proxyBytes = (name: string, args: unknown[] = []) => PROXY_BYTES + name.length + jsonBytes(args);
export const actionBytes = (name: string, args: unknown[] = []) => ACTION_BYTES + name.length + jsonBytes(args);

/** The fill properties read before a cell is marked, so clearing the mark gives the cell its own fill back. */
export const FILL_PROPERTIES = { format: { fill: { color: true, pattern: true } } };
/** Response bytes of one cell's fill in getCellProperties: `{"format":{"fill":{"color":"#FFFFFF","pattern":"None"}}},`. */
const FILL_RESULT_BYTES = 60;

/** A note probe: `notes.getItemOrNullObject(cell)` loaded for `isNullObject`. */
export const noteProbeBytes = (cell: string) =>
  proxyBytes('getItemOrNullObject', [cell]) + actionBytes('', ['isNullObject']);

export interface MarkEntry {
  /** `H6` or `B6:D6`. */
  address: string;
  /** The note's text, or null when no note is added. */
  note: string | null;
}

/** One getRange(…).getCellProperties over a column run of marked cells, read just before they are marked. */
export interface FillProbe {
  address: string;
  /** The marked cells of the run, each with its 0-based offset in the run. */
  cells: { cell: string; offset: number }[];
}

/** Rows of unmarked cells a fill probe may read across rather than starting another request object. */
const PROBE_GAP = 4;

/** Every single cell of `B6:D6`, row by row. */
export function cellsOf(address: string): string[] {
  const [a, b = a] = address.replace(/\$/g, '').split(':');
  const p = (s: string) => {
    const m = /^([A-Z]+)(\d+)$/i.exec(s);
    if (!m) throw new Error(`bad cell address ${address}`);
    return { col: columnIndex(m[1]), row: Number(m[2]) };
  };
  const s = p(a);
  const e = p(b);
  const out: string[] = [];
  for (let r = s.row; r <= e.row; r++) for (let c = s.col; c <= e.col; c++) out.push(`${columnLetter(c)}${r}`);
  return out;
}

function cellPosition(cell: string): { col: number; row: number } {
  const m = /^([A-Z]+)(\d+)$/i.exec(cell)!;
  return { col: columnIndex(m[1]), row: Number(m[2]) };
}

/** Column runs over the cells of `entries`: one probe reads a whole run of a column (`H5:H10004`). */
export function fillProbes(entries: MarkEntry[]): FillProbe[] {
  const cells = [...new Set(entries.flatMap((e) => cellsOf(e.address)))]
    .map((cell) => ({ cell, ...cellPosition(cell) }))
    .sort((x, y) => x.col - y.col || x.row - y.row);
  const probes: (FillProbe & { col: number; first: number; last: number })[] = [];
  for (const c of cells) {
    const run = probes[probes.length - 1];
    if (run && run.col === c.col && c.row - run.last <= PROBE_GAP) {
      run.last = c.row;
      run.cells.push({ cell: c.cell, offset: c.row - run.first });
    } else probes.push({ address: '', col: c.col, first: c.row, last: c.row, cells: [{ cell: c.cell, offset: 0 }] });
  }
  return probes.map(({ col, first, last, cells }) => ({
    address:
      first === last ? `${columnLetter(col)}${first}` : `${columnLetter(col)}${first}:${columnLetter(col)}${last}`,
    cells,
  }));
}

/** Estimated request and response bytes of probing the fills of `entries`. */
export function fillProbeCost(entries: MarkEntry[]): { request: number; response: number } {
  let request = 0;
  let response = 0;
  for (const p of fillProbes(entries)) {
    request += proxyBytes('getRange', [p.address]) + actionBytes('getCellProperties', [FILL_PROPERTIES]);
    const [first, last = first] = p.address.split(':').map((c) => cellPosition(c).row);
    response += RESULT_BYTES * 2 + (last - first + 1) * FILL_RESULT_BYTES;
  }
  return { request, response };
}

/**
 * Addresses joined for Worksheet.getRanges, each list within the 8,192 characters an address may have: one
 * RangeAreas proxy colours thousands of cells, where a getRange per cell costs three proxies each.
 */
export function addressLists(addresses: string[]): string[] {
  const lists: string[] = [];
  let current = '';
  for (const a of addresses) {
    if (current && current.length + 1 + a.length > ADDRESS_CHARACTERS) {
      lists.push(current);
      current = '';
    }
    current = current ? `${current},${a}` : a;
  }
  if (current) lists.push(current);
  return lists;
}

/** Request bytes of colouring `addresses` through getRanges: per list, getRanges + format + fill + the colour. */
export function fillBytes(addresses: string[]): number {
  return addressLists(addresses).reduce(
    (sum, list) => sum + proxyBytes('getRanges', [list]) + 2 * proxyBytes('format') + actionBytes('color', ['#FFFFFF']),
    0,
  );
}

/** A note's text, cut to what a note may hold. */
export function noteText(messages: string[]): string {
  const text = messages.join('\n');
  return text.length <= CELL_CHARACTERS ? text : `${text.slice(0, CELL_CHARACTERS - 1)}…`;
}

/**
 * Cuts the marks into chunks whose request — fills, notes, and the fill probe of the NEXT chunk, which rides along
 * so a cell's own fill is always read before it is marked — stays within MAX_BLOCK_BYTES each way.
 */
export function markChunks<T extends MarkEntry>(entries: T[], budget = MAX_BLOCK_BYTES): T[][] {
  const probeRequest =
    proxyBytes('getRange', ['XFD1048576:XFD1048576']) + actionBytes('getCellProperties', [FILL_PROPERTIES]);
  const fixed = 2 * fillBytes(['A1']) + 4 * PROXY_BYTES;
  const chunks: T[][] = [];
  let current: T[] = [];
  let request = fixed;
  let response = 0;
  let last: { col: number; row: number } | null = null;
  for (const e of entries) {
    const cells = cellsOf(e.address).map(cellPosition);
    let probes = 0;
    let probed = 0;
    for (const c of cells) {
      // Entries come sorted by column, then row (byColumn): a cell close below the last one extends its run.
      if (last && c.col === last.col && c.row > last.row && c.row - last.row <= PROBE_GAP) probed += c.row - last.row;
      else {
        probes++;
        probed++;
      }
      last = c;
    }
    const own = e.address.length + 1 + (e.note === null ? 0 : proxyBytes('add', [e.address, e.note]));
    const cost = own + probes * probeRequest;
    const answer = probed * FILL_RESULT_BYTES + (probes + 1) * RESULT_BYTES;
    if (current.length && (request + cost > budget || response + answer > budget)) {
      chunks.push(current);
      current = [];
      request = fixed + own + cells.length * probeRequest;
      response = cells.length * FILL_RESULT_BYTES;
      last = cells[cells.length - 1];
    } else {
      request += cost;
      response += answer;
    }
    current.push(e);
  }
  if (current.length) chunks.push(current);
  return chunks;
}

/** Cuts `items` into chunks of at most `budget` estimated bytes each. */
export function chunksByBytes<T>(items: T[], bytesOf: (item: T) => number, budget = MAX_BLOCK_BYTES): T[][] {
  const chunks: T[][] = [];
  let current: T[] = [];
  let bytes = 0;
  for (const item of items) {
    const b = bytesOf(item);
    if (current.length && bytes + b > budget) {
      chunks.push(current);
      current = [];
      bytes = 0;
    }
    current.push(item);
    bytes += b;
  }
  if (current.length) chunks.push(current);
  return chunks;
}

/** Marked cells sorted by column, then row, so a chunk's fill probes are few long column runs. */
export function byColumn<T extends { address: string }>(entries: T[]): T[] {
  const at = (e: T) => cellPosition(e.address.split(':')[0].replace(/\$/g, ''));
  return [...entries].sort((x, y) => at(x).col - at(y).col || at(x).row - at(y).row);
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
function jsonBytes(v: unknown): number {
  return encoder.encode(JSON.stringify(v)).byteLength;
}

/** A value Excel cannot hold in one cell; raised before anything is written, so no half sheet is left behind. */
export class CellTooLongError extends Error {
  constructor(
    readonly cell: string,
    readonly length: number,
  ) {
    super(
      `${cell} 的内容有 ${length} 个字符,超过 Excel 一个单元格最多能放的 ${CELL_CHARACTERS} 个字符,没有写入任何内容。` +
        '请改用网页版下载这张表,或请填报单位缩短这段文字。',
    );
  }
}

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
      if (typeof v === 'string' && v.length > CELL_CHARACTERS)
        throw new CellTooLongError(`${columnLetter(c + 1)}${r + 1}`, v.length);
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
