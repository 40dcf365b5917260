// Turns rendered 附件 sheets into an .xlsx file in the government template's layout. Used by the server
// (consolidated tables as .xlsx) and by the browser page (downloads for WPS users), so ExcelJS is imported
// lazily: the Excel task pane never pays for it.

import type { Workbook, Worksheet, Borders, Style } from 'exceljs';
import { cellAddress, parseAddress } from './address';
import { DEFAULT_ROW_POINTS, rowPoints, wrappedLines } from './row-height';
import type { DropDown } from './render';
import { xmlSafeText } from './xml-text';

type Value = string | number | null;

/**
 * What writeXlsx needs from a rendered sheet — a structural subset of forms' `RenderedSheet`, so anything
 * laid out the same way (status board, statistics) can be written too.
 */
export interface SheetLayout {
  sheetName: string;
  /** Cell values from A1, rows then columns. */
  values: Value[][];
  /** Merged ranges, e.g. `A2:H2`. */
  merges: string[];
  /** Excel column widths (characters), one per column. */
  columnWidths: number[];
  /** 1-based sheet rows of the column header. */
  header: { firstRow: number; lastRow: number };
  /** 1-based sheet rows of the data (including blank rows left for filling in and a 合计 row, when rendered). */
  data: { firstRow: number; lastRow: number };
  /** 0-based columns whose data cells hold text: written as text and formatted `@` so typing keeps them text. */
  textColumns: number[];
  /** Per column, the number format of its data cells (`0`, `0.0000`, …), or null for General. */
  numberFormats?: (string | null)[];
  /** Data columns that get a drop-down list (是否办结). */
  dropDowns?: DropDown[];
  /** 1-based sheet rows of the notes under the table. */
  notes?: { firstRow: number; lastRow: number };
  /** Rows repeated on every printed page, e.g. `4:5`. */
  printTitleRows?: string;
  /** Frozen panes: rows above and columns left of the scrolling area. */
  freeze?: { rows: number; columns: number };
  /**
   * 0-based columns whose data cells stay locked (a pulled 附件1: columns 1–6 are not to be changed); when given,
   * the sheet is protected without a password and every other data cell is left editable.
   */
  lockedColumns?: number[];
  /** 1-based sheet row of the big merged title (defaults to the row above the line 填报单位…, i.e. header.firstRow - 2). */
  titleRow?: number;
}

const FONT_NAME = '宋体';
const THIN: Borders = {
  top: { style: 'thin' },
  left: { style: 'thin' },
  bottom: { style: 'thin' },
  right: { style: 'thin' },
  diagonal: {},
} as Borders;

const HEADER_STYLE: Partial<Style> = {
  font: { name: FONT_NAME, size: 11, bold: true },
  alignment: { horizontal: 'center', vertical: 'middle', wrapText: true },
  border: THIN,
  fill: { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFF2F2F2' } },
};

/** Writes the sheets (in order) into one workbook and returns the .xlsx bytes. */
export async function writeXlsx(sheets: SheetLayout[]): Promise<Uint8Array> {
  const ExcelJS = await loadExcelJs();
  const workbook: Workbook = new ExcelJS.Workbook();
  workbook.creator = '报送';
  workbook.created = new Date();
  for (const sheet of sheets) await writeSheet(workbook, sheet);
  const buffer = await workbook.xlsx.writeBuffer();
  return new Uint8Array(buffer as ArrayBuffer);
}

async function loadExcelJs(): Promise<typeof import('exceljs')> {
  const mod = (await import('exceljs')) as unknown as { default?: typeof import('exceljs') } & typeof import('exceljs');
  // Node hands the CommonJS module over as `default`; browser bundles sometimes flatten it.
  return mod.default ?? mod;
}

async function writeSheet(workbook: Workbook, sheet: SheetLayout): Promise<void> {
  const columnCount = Math.max(sheet.columnWidths.length, ...sheet.values.map((row) => row.length));
  const ws = workbook.addWorksheet(uniqueSheetName(workbook, sheet.sheetName), {
    pageSetup: {
      paperSize: 9, // A4
      orientation: 'landscape',
      fitToPage: true,
      fitToWidth: 1,
      fitToHeight: 0,
      horizontalCentered: true,
      margins: { left: 0.4, right: 0.4, top: 0.6, bottom: 0.6, header: 0.3, footer: 0.3 },
      ...(sheet.printTitleRows ? { printTitlesRow: sheet.printTitleRows } : {}),
    },
    views: sheet.freeze
      ? [
          {
            state: 'frozen',
            xSplit: sheet.freeze.columns,
            ySplit: sheet.freeze.rows,
            topLeftCell: cellAddress(sheet.freeze.rows + 1, sheet.freeze.columns + 1),
          },
        ]
      : [],
  });

  ws.columns = Array.from({ length: columnCount }, (_, c) => ({ width: sheet.columnWidths[c] ?? 12 }));
  const textColumns = new Set(sheet.textColumns);

  sheet.values.forEach((rowValues, r) => {
    const rowNumber = r + 1;
    const inData = rowNumber >= sheet.data.firstRow && rowNumber <= sheet.data.lastRow;
    rowValues.forEach((value, c) => {
      if (value === null || value === undefined) return;
      const cell = ws.getCell(rowNumber, c + 1);
      // A string is only ever a string: never hand ExcelJS anything it could store as a formula. Text is made
      // XML-safe here too: whatever reached the data, one bad character must not make the whole file unreadable.
      const text = inData && textColumns.has(c) ? String(value) : value;
      cell.value = typeof text === 'string' ? cellText(text) : text;
    });
  });

  styleTitleAndLines(ws, sheet, columnCount);
  styleHeader(ws, sheet, columnCount);
  styleData(ws, sheet, columnCount, textColumns);
  addDropDowns(ws, sheet);
  setWrappedRowHeights(ws, sheet, columnCount, textColumns);
  if (sheet.lockedColumns) await lockColumns(ws, sheet, columnCount, new Set(sheet.lockedColumns));

  for (const range of sheet.merges) ws.mergeCells(range);
}

/**
 * A string as the file must hold it: XML-safe; a literal `_xHHHH_` written `_x005F_xHHHH_` (Excel, LibreOffice
 * and ExcelJS read `_xHHHH_` in cell text as an escaped character: `_x0041_` would come back `A`); a carriage
 * return written `_x000D_` as Excel does (XML parsers turn a raw one into a line feed).
 */
function cellText(text: string): string {
  return xmlSafeText(text)
    .replace(/_x([0-9A-Fa-f]{4})_/g, '_x005F_x$1_')
    .replace(/\r/g, '_x000D_');
}

async function lockColumns(ws: Worksheet, sheet: SheetLayout, columnCount: number, locked: Set<number>): Promise<void> {
  for (let r = sheet.data.firstRow; r <= sheet.data.lastRow; r++) {
    for (let c = 0; c < columnCount; c++) {
      if (!locked.has(c)) ws.getCell(r, c + 1).protection = { locked: false };
    }
  }
  // No password: the lock guards against slips, not against a determined user (who may legitimately need to fix a typo).
  await ws.protect('', { formatColumns: true, formatRows: true, selectLockedCells: true, selectUnlockedCells: true });
}

function styleTitleAndLines(ws: Worksheet, sheet: SheetLayout, columnCount: number): void {
  const titleRow = sheet.titleRow ?? sheet.header.firstRow - 2;
  for (let r = 1; r < sheet.header.firstRow; r++) {
    const isTitle = r === titleRow;
    for (let c = 1; c <= columnCount; c++) {
      ws.getCell(r, c).font = { name: FONT_NAME, size: isTitle ? 16 : 11, bold: isTitle };
      if (isTitle) ws.getCell(r, c).alignment = { horizontal: 'center', vertical: 'middle' };
    }
    if (isTitle) ws.getRow(r).height = 30;
  }
  if (sheet.notes) {
    for (let r = sheet.notes.firstRow; r <= sheet.notes.lastRow; r++) {
      ws.getCell(r, 1).font = { name: FONT_NAME, size: 10 };
    }
  }
}

function styleHeader(ws: Worksheet, sheet: SheetLayout, columnCount: number): void {
  for (let r = sheet.header.firstRow; r <= sheet.header.lastRow; r++) {
    for (let c = 1; c <= columnCount; c++) ws.getCell(r, c).style = { ...HEADER_STYLE };
  }
}

function styleData(ws: Worksheet, sheet: SheetLayout, columnCount: number, textColumns: Set<number>): void {
  for (let r = sheet.data.firstRow; r <= sheet.data.lastRow; r++) {
    for (let c = 0; c < columnCount; c++) {
      const cell = ws.getCell(r, c + 1);
      const isText = textColumns.has(c);
      cell.font = { name: FONT_NAME, size: 11 };
      cell.border = THIN;
      cell.alignment = { vertical: 'middle', horizontal: isText ? 'left' : 'center', wrapText: isText };
      const numFmt = isText ? '@' : sheet.numberFormats?.[c];
      if (numFmt) cell.numFmt = numFmt;
    }
  }
}

/**
 * Header and data rows as tall as their wrapped text needs (see row-height.ts): without it LibreOffice prints
 * every row at 15 pt with the lines of long cells running over each other.
 */
function setWrappedRowHeights(ws: Worksheet, sheet: SheetLayout, columnCount: number, textColumns: Set<number>): void {
  const widths = Array.from({ length: columnCount }, (_, c) => sheet.columnWidths[c] ?? 12);
  // A merged area's text wraps across all its columns; a cell it covers holds nothing of its own.
  const spans = new Map<string, number>();
  const covered = new Set<string>();
  for (const range of sheet.merges) {
    const [a, b = a] = range.split(':');
    const from = parseAddress(a);
    const to = parseAddress(b);
    if (from.row !== to.row) continue;
    let width = 0;
    for (let c = from.column; c <= to.column; c++) width += widths[c - 1] ?? 12;
    spans.set(`${from.row}:${from.column}`, width);
    for (let c = from.column + 1; c <= to.column; c++) covered.add(`${from.row}:${c}`);
  }
  const fit = (r: number, wraps: (c: number) => boolean) => {
    let lines = 1;
    (sheet.values[r - 1] ?? []).forEach((value, c) => {
      if (value === null || value === undefined || !wraps(c) || covered.has(`${r}:${c + 1}`)) return;
      lines = Math.max(lines, wrappedLines(String(value), spans.get(`${r}:${c + 1}`) ?? widths[c]));
    });
    const points = rowPoints(lines);
    if (points > DEFAULT_ROW_POINTS) ws.getRow(r).height = points;
  };
  for (let r = sheet.header.firstRow; r <= sheet.header.lastRow; r++) fit(r, () => true);
  for (let r = sheet.data.firstRow; r <= sheet.data.lastRow; r++) fit(r, (c) => textColumns.has(c));
}

function addDropDowns(ws: Worksheet, sheet: SheetLayout): void {
  if (sheet.data.lastRow < sheet.data.firstRow) return;
  for (const { column, title, values } of sheet.dropDowns ?? []) {
    const choices = values.join(',');
    for (let r = sheet.data.firstRow; r <= sheet.data.lastRow; r++) {
      ws.getCell(r, column + 1).dataValidation = {
        type: 'list',
        allowBlank: true,
        formulae: [`"${choices}"`],
        showErrorMessage: true,
        errorStyle: 'stop',
        errorTitle: title,
        error: `「${title}」应填写:${values.join('、')}`,
      };
    }
  }
}

/** Excel sheet names: at most 31 characters, none of []:*?/\, unique within the workbook. */
function uniqueSheetName(workbook: Workbook, wanted: string): string {
  const base = (
    xmlSafeText(wanted)
      .replace(/[[\]:*?/\\]/g, '_')
      .trim() || 'Sheet'
  ).slice(0, 31);
  let name = base;
  for (let n = 2; workbook.getWorksheet(name); n++) name = `${base.slice(0, 31 - String(n).length - 1)}_${n}`;
  return name;
}
