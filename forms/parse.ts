// A worksheet's values → the 附件 table in it: where its header is, the meta lines, typed rows and issues.
import { cellAddress, columnLetter, parseAddress, rangeAddress } from './address';
import { cellScalar, cellText, labelKey, trimText } from './cells';
import type { ColumnDefinition, FormDefinition } from './spec';
import { expectedLabels, findHeader, type HeaderMatch } from './header';
import { isNoteLine, readMetaLine } from './meta';
import {
  checkCell,
  checkRowRules,
  checkTotals,
  checkUniqueSeq,
  isTotalLabel,
  type RowPlace,
  type RowValues,
} from './rules';
import type { FormId, FormRow, Grid, Issue, SheetMeta, ValidationContext } from './types';

/** The forms a sheet may hold (a campaign's, or one form to read the sheet as that form only). */
export type FormChoice = FormDefinition | readonly FormDefinition[];

const candidates = (forms: FormChoice): readonly FormDefinition[] => ('columns' in forms ? [forms] : forms);

export interface ParseOptions {
  /** Address of grid[0][0] in the sheet (Office.js used ranges rarely start at A1). Default `A1`. */
  origin?: string;
  context?: ValidationContext;
  /**
   * Merged areas of the sheet (`B6:B9`). Office.js reports a merged area's value in its first cell only;
   * given the merges, every cell of the area reads as that value (a 市/州 merged down many rows).
   */
  merges?: string[];
}

export interface ParsedRow {
  sheetRow: number;
  values: FormRow;
}

export interface ParsedSheet {
  form: FormId | null;
  /** Sheet row of the header (the first of two for 附件2); null when no header was found. */
  headerRow: number | null;
  /** Sheet row of the header's last row (equals headerRow for a one-row header). */
  headerLastRow: number | null;
  meta: SheetMeta;
  rows: ParsedRow[];
  total?: { sheetRow: number };
  /** Sheet column (1-based) of each column key found. */
  columns: Record<string, number>;
  issues: Issue[];
}

/** Which of the forms a sheet holds, judged by its header labels. */
export function detectForm(grid: Grid, forms: FormChoice): FormId | null {
  return findHeader(grid, candidates(forms))?.form.id ?? null;
}

/** Reads the table of whichever of `forms` the sheet holds (found by its header labels). */
export function parseSheet(grid: Grid, forms: FormChoice, opts: ParseOptions = {}): ParsedSheet {
  const origin = parseAddress(opts.origin ?? 'A1');
  const { cells, continued } = opts.merges?.length
    ? fillMerges(grid, origin, opts.merges)
    : { cells: grid, continued: undefined };
  const header = findHeader(cells, candidates(forms));
  const meta: SheetMeta = {};
  if (!header) {
    for (const row of cells) readMetaLine(rowTexts(row), meta);
    return {
      form: null,
      headerRow: null,
      headerLastRow: null,
      meta,
      rows: [],
      columns: {},
      issues: [headerNotFound(candidates(forms))],
    };
  }
  const form = header.form;
  for (let r = 0; r < header.firstRow; r++) readMetaLine(rowTexts(cells[r]), meta);
  return readTable(cells, origin, form, header, meta, opts.context ?? {}, continued);
}

function headerNotFound(forms: readonly FormDefinition[]): Issue {
  const wanted = forms.map((f) => `${f.tag}的表头应有${expectedLabels(f)}`).join(';');
  return {
    code: 'header.not_found',
    severity: 'error',
    message: `未找到${forms.map((f) => f.tag).join('或')}的表头:${wanted}。请使用模板的表头(标签可换行、可用全角括号),或插入空白模板后把数据粘贴进去`,
  };
}

interface Located {
  column: ColumnDefinition;
  /** 0-based grid column. */
  at: number;
  letters: string;
}

function readTable(
  cells: Grid,
  origin: { row: number; column: number },
  form: FormDefinition,
  header: HeaderMatch,
  meta: SheetMeta,
  ctx: ValidationContext,
  continued?: Map<number, Set<number>>,
): ParsedSheet {
  const issues: Issue[] = [];
  const sheetRowOf = (r: number) => origin.row + r;
  const located: Located[] = [];
  const columns: Record<string, number> = {};
  for (const column of form.columns) {
    const at = header.columns.get(column.key);
    if (at === undefined) continue;
    located.push({ column, at, letters: columnLetter(origin.column + at) });
    columns[column.key] = origin.column + at;
  }
  const byKey = new Map(located.map((l) => [l.column.key, l]));
  const inSheetOrder = [...located].sort((a, b) => a.at - b.at);
  // Each form column once, with where it is in the sheet (-1: missing), looked up here and not once per cell.
  const reading = form.columns.map((column) => ({ column, at: byKey.get(column.key)?.at ?? -1 }));
  const table = new TableColumns(byKey, origin.column);

  for (const column of header.missing) {
    issues.push({
      code: 'header.missing_column',
      severity: 'error',
      message: `第${sheetRowOf(header.firstRow)}行表头缺少「${column.title}」列:请按模板补上该列并填写`,
      cell: table.rowRange(sheetRowOf(header.firstRow)),
      row: sheetRowOf(header.firstRow),
      column: column.title,
      key: column.key,
    });
  }

  let start = header.lastRow + 1;
  if (isColumnNumberRow(cells[start], inSheetOrder)) start++;

  const rows: { sheetRow: number; values: RowValues; place: RowPlace }[] = [];
  let total: { r: number; place: RowPlace } | undefined;
  let notes = false;
  for (let r = start; r < cells.length; r++) {
    const row = cells[r];
    if (!row) continue;
    const sheetRow = sheetRowOf(r);
    // Cells that only continue a merged area from above do not make a row data (a blank row inside a merge).
    const first = firstFilled(row, inSheetOrder, continued?.get(r));
    if (notes) {
      readMetaLine(rowTexts(row), meta);
      if (first && distinctFilled(row, inSheetOrder) >= 3)
        issues.push({
          code: 'row.after_notes',
          severity: 'warning',
          message: `第${sheetRow}行在表格下方的备注之后,未作为数据读取:如是数据,请移到备注上方`,
          cell: table.rowRange(sheetRow),
          row: sheetRow,
        });
      continue;
    }
    if (first === null) {
      // Notes may start outside the table's columns (a table moved right, notes left in column A).
      const texts = rowTexts(row);
      if (texts.length > 0 && isNoteLine(texts[0])) {
        notes = true;
        readMetaLine(texts, meta);
      }
      continue;
    }
    if (isNoteLine(first.text)) {
      notes = true;
      readMetaLine(rowTexts(row), meta);
      continue;
    }
    if (first.index === 0 && looksLikeNote(row, inSheetOrder, first.text, form)) {
      readMetaLine(rowTexts(row), meta);
      continue;
    }
    // The header again (a second copy of the template pasted below, or print titles typed in): not data.
    if (repeatsHeader(inSheetOrder[first.index].column, first.text)) continue;
    // Templates often come with 序号 numbered down rows nobody filled in: those rows are blank.
    if (onlyNumbered(row, inSheetOrder, continued?.get(r))) continue;
    const place = new SheetRowPlace(sheetRow, table);
    if (isTotalLabel(first.text)) {
      total = { r, place };
      continue;
    }
    const values: RowValues = {};
    for (const { column, at } of reading) {
      values[column.key] =
        at >= 0 ? checkCell(column, row[at], place, ctx, issues) : column.type === 'text' ? '' : null;
    }
    checkRowRules(form, values, place, issues);
    rows.push({ sheetRow, values, place });
  }

  checkUniqueSeq(form, rows, issues, (p) => `第${p.row}行`);
  // A ledger's 合计 line (a count a clerk added) is skipped; a summary's must equal the column sums.
  if (total && form.kind === 'summary') {
    const totalRow = cells[total.r];
    const rawOf = (row: unknown[] | undefined, column: ColumnDefinition) =>
      byKey.has(column.key) ? row?.[byKey.get(column.key)!.at] : null;
    // Excel's SUM skips numbers typed as text: worth saying when a clerk's SUM disagrees with ours.
    const textNumbers = new Set(
      form.columns
        .filter((c) => rows.some((r) => typeof cellScalar(rawOf(cells[r.sheetRow - origin.row], c)) === 'string'))
        .map((c) => c.key),
    );
    checkTotals(
      form,
      (column) => rawOf(totalRow, column),
      total.place,
      rows.map((r) => r.values),
      issues,
      textNumbers,
    );
  }
  if (rows.length === 0 && header.missing.length === 0) {
    issues.push({
      code: 'rows.empty',
      severity: 'warning',
      message: `表格中没有数据:请从第${sheetRowOf(start)}行起逐行填写`,
      cell: table.rowRange(sheetRowOf(start)),
      row: sheetRowOf(start),
    });
  }
  sortIssues(issues);
  return {
    form: form.id,
    headerRow: sheetRowOf(header.firstRow),
    headerLastRow: sheetRowOf(header.lastRow),
    meta,
    rows: rows.map((r) => ({ sheetRow: r.sheetRow, values: r.values })),
    ...(total ? { total: { sheetRow: sheetRowOf(total.r) } } : {}),
    columns,
    issues,
  };
}

/** Where the table's columns are in the sheet. */
class TableColumns {
  constructor(
    private readonly byKey: Map<string, Located>,
    private readonly firstColumn: number,
  ) {}

  letters(column: ColumnDefinition): string {
    return this.byKey.get(column.key)!.letters;
  }

  /** The table's width on one sheet row, `A4:H4`. */
  rowRange(sheetRow: number): string {
    const ats = [...this.byKey.values()].map((l) => l.at);
    if (ats.length === 0) return cellAddress(sheetRow, this.firstColumn);
    return rangeAddress(sheetRow, this.firstColumn + Math.min(...ats), sheetRow, this.firstColumn + Math.max(...ats));
  }

  span(cols: ColumnDefinition[], sheetRow: number): string | undefined {
    const ats = cols.map((c) => this.byKey.get(c.key)?.at).filter((a): a is number => a !== undefined);
    if (ats.length === 0) return undefined;
    const first = cellAddress(sheetRow, this.firstColumn + Math.min(...ats));
    const last = cellAddress(sheetRow, this.firstColumn + Math.max(...ats));
    return first === last ? first : `${first}:${last}`;
  }
}

/** A data row of the sheet: its cells are named by address. A class, not closures: one is made per row. */
class SheetRowPlace implements RowPlace {
  constructor(
    readonly row: number,
    private readonly table: TableColumns,
  ) {}

  at(column: ColumnDefinition): string {
    return this.table.letters(column) + this.row;
  }

  cell(column: ColumnDefinition): string {
    return this.table.letters(column) + this.row;
  }

  span(cols: ColumnDefinition[]): string | undefined {
    return this.table.span(cols, this.row);
  }

  atSpan(cols: ColumnDefinition[]): string {
    return this.table.span(cols, this.row) ?? `第${this.row}行`;
  }
}

/** Issues in reading order: by row, then left to right. */
export function sortIssues(issues: Issue[]): void {
  const col = (i: Issue) => (i.cell ? parseAddress(i.cell.split(':')[0]).column : 0);
  issues.sort((a, b) => (a.row ?? 0) - (b.row ?? 0) || col(a) - col(b));
}

/** The first filled table cell of a row (its text, and its place among the table's columns), or null when blank. */
function firstFilled(
  row: unknown[],
  inSheetOrder: Located[],
  skip?: Set<number>,
): { text: string; index: number } | null {
  for (let i = 0; i < inSheetOrder.length; i++) {
    if (skip?.has(inSheetOrder[i].at)) continue;
    const v = row[inSheetOrder[i].at];
    if (v === null || v === undefined || v === '') continue;
    const text = trimText(cellText(v));
    if (text !== '') return { text, index: i };
  }
  return null;
}

function onlyNumbered(row: unknown[], inSheetOrder: Located[], skip?: Set<number>): boolean {
  let numbered = false;
  for (const { at, column } of inSheetOrder) {
    if (skip?.has(at)) continue;
    const s = cellScalar(row[at]);
    if (s === null || (typeof s === 'string' && trimText(s) === '')) continue;
    if (column.type !== 'serial' || typeof s !== 'number') return false;
    numbered = true;
  }
  return numbered;
}

function distinctFilled(row: unknown[], inSheetOrder: Located[]): number {
  const seen = new Set<string>();
  for (const { at } of inSheetOrder) {
    const text = trimText(cellText(row[at]));
    if (text !== '') seen.add(text);
  }
  return seen.size;
}

/**
 * A line of notes rather than data: one text alone on the row, in the table's first column (perhaps repeated
 * across a merge), long or numbered like `2、除第一次填报外…`. Data rows fill several cells. Such a line is
 * skipped but does not end the table, so a half-filled data row further down is still read.
 */
/** A 序号 or any all-digit text: never a note or a header label, so not worth folding. */
const ALL_DIGITS = /^\d+$/;

function looksLikeNote(row: unknown[], inSheetOrder: Located[], first: string, form: FormDefinition): boolean {
  // The text is tested first: it rules out almost every data row (a 序号) before the row's other cells are read.
  if (ALL_DIGITS.test(first)) return false;
  const noteLike =
    first.length >= 12 ||
    /^\d+\s*[、.．]\s*\D/.test(first) ||
    /^附件\s*[0-9０-９]+$/.test(first) ||
    (first.length <= 40 && labelKey(first) === labelKeyOf(form.tag)) ||
    /填报(单位|日期)/.test(first);
  if (!noteLike) return false;
  for (const { at } of inSheetOrder) {
    const v = row[at];
    if (v === null || v === undefined) continue;
    const text = trimText(cellText(v));
    if (text !== '' && text !== first) return false;
  }
  return true;
}

/** Label keys of the spec's own labels, computed once: the parser compares every row's first cell with them. */
const labelKeys = new Map<string, string>();
function labelKeyOf(label: string): string {
  let key = labelKeys.get(label);
  if (key === undefined) {
    key = labelKey(label);
    if (labelKeys.size < 10_000) labelKeys.set(label, key);
  }
  return key;
}

function repeatsHeader(column: ColumnDefinition, text: string): boolean {
  if (text.length > 40 || ALL_DIGITS.test(text)) return false;
  const key = labelKey(text);
  return key === labelKeyOf(column.label) || (column.subLabel !== undefined && key === labelKeyOf(column.subLabel));
}

/** The row of column numbers (1 2 3 … 8) some templates put under the header. */
function isColumnNumberRow(row: unknown[] | undefined, inSheetOrder: Located[]): boolean {
  if (!row) return false;
  return inSheetOrder.every(({ at }, i) => {
    const s = cellScalar(row[at]);
    return s !== null && trimText(String(s)) === String(i + 1);
  });
}

/** The texts of a row's filled cells, left to right, each merged-repeat counted once. */
function rowTexts(row: unknown[] | undefined): string[] {
  const texts: string[] = [];
  if (!row) return texts;
  for (const v of row) {
    const text = trimText(cellText(v));
    if (text !== '' && texts[texts.length - 1] !== text) texts.push(text);
  }
  return texts;
}

/**
 * A copy of the grid in which every cell of a merged area holds the area's first value, and for each grid
 * row the columns whose value only continues a merged area from a row above.
 */
function fillMerges(
  grid: Grid,
  origin: { row: number; column: number },
  merges: string[],
): { cells: Grid; continued: Map<number, Set<number>> } {
  const cells = grid.map((row) => row.slice());
  const continued = new Map<number, Set<number>>();
  for (const range of merges) {
    const [a, b = a] = range.split(':');
    const from = parseAddress(a);
    const to = parseAddress(b);
    const r0 = from.row - origin.row;
    const c0 = from.column - origin.column;
    const master = cells[r0]?.[c0];
    for (let r = Math.max(r0, 0); r <= to.row - origin.row && r < cells.length; r++) {
      if (!cells[r]) cells[r] = [];
      for (let c = Math.max(c0, 0); c <= to.column - origin.column; c++) {
        if (r > r0) {
          if (!continued.has(r)) continued.set(r, new Set());
          continued.get(r)!.add(c);
        }
        if (r === r0 && c === c0) continue;
        const v = cells[r][c];
        if (master !== null && master !== undefined && (v === null || v === undefined || v === ''))
          cells[r][c] = master;
      }
    }
  }
  return { cells, continued };
}
