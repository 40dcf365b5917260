// Rows + meta → the government template's layout (values from A1, merges, widths, formats), so the add-in
// and the .xlsx writer can insert a blank template or write consolidated sheets the way clerks know them.
import { cellAddress, columnLetter } from './address';
import { summedColumns, type ColumnDefinition, type FormDefinition } from './spec';
import type { FormId, FormRow, SheetMeta } from './types';

/** The 数据截至 placeholder of a blank template, as the government document prints it. */
export const BLANK_DATE = '    年  月  日';

export type LayoutValue = string | number | null;

export interface ExtraColumn {
  label: string;
  width?: number;
  /** One per row, in the order of `rows`. */
  values: LayoutValue[];
}

export interface RenderOptions {
  /** Columns appended right of the template's (e.g. 填报单位 or 报送状态 on consolidated sheets). */
  extraColumns?: ExtraColumn[];
  /** Append a 合计 line (a summary: column sums; a ledger: the count of cases, by status when it has one). */
  totalRow?: boolean;
  /** Empty bordered rows left for filling in after the data (a blank template). */
  blankRows?: number;
  sheetName?: string;
}

/**
 * A whole sheet to write from A1: what the add-in's hosts and the .xlsx writer take. Rows are 1-based sheet rows,
 * columns 0-based. The pane builds this shape itself for tables that are not a 附件 (status board, statistics).
 */
export interface SheetLayout {
  form?: FormId;
  sheetName: string;
  /** Cell values from A1, rows then columns; merged areas hold their value in the first cell only. */
  values: LayoutValue[][];
  /** Merged areas, `A2:H2`. */
  merges: string[];
  /** Excel character widths, one per column. */
  columnWidths: number[];
  header: { firstRow: number; lastRow: number };
  /** Data, blank rows to fill and the 合计 line; lastRow < firstRow when there are none. */
  data: { firstRow: number; lastRow: number };
  /** Columns whose data cells hold text: format them `@` before writing so nothing becomes a formula. */
  textColumns: number[];
  /** Per column, the number format of its data cells; null leaves the default. */
  numberFormats: (string | null)[];
  /** Data columns that get a drop-down list (choice columns such as 是否办结). */
  dropDowns?: DropDown[];
  notes?: { firstRow: number; lastRow: number };
  /** Rows repeated on every printed page: `4:4` or `4:5`. */
  printTitleRows?: string;
  freeze?: { rows: number; columns: number };
  /** Row of the big merged title. */
  titleRow?: number;
  /** Rows in bold (title, header). */
  boldRows?: number[];
  /** The bordered table: header, data, blank rows and 合计 (`A4:H20`). */
  borders?: string;
  /** Row of the 合计 line, when rendered. */
  totalRow?: number;
}

/** A choice column's drop-down: 0-based column, the label the error alert names, the values offered. */
export interface DropDown {
  column: number;
  title: string;
  values: readonly string[];
}

/** A 附件 laid out as the government template: every optional part of the layout is there. */
export interface RenderedSheet extends SheetLayout {
  form: FormId;
  notes: { firstRow: number; lastRow: number };
  printTitleRows: string;
  freeze: { rows: number; columns: number };
  titleRow: number;
  boldRows: number[];
  borders: string;
}

/** `2019-11-14` → `2019年11月14日`; nothing → the blank `年 月 日` of the template. */
export function chineseDate(iso?: string): string {
  const m = iso ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso) : null;
  return m ? `${m[1]}年${Number(m[2])}月${Number(m[3])}日` : BLANK_DATE;
}

const isText = (column: ColumnDefinition) => column.type === 'text' || column.type === 'choice';

function numberFormat(column: ColumnDefinition): string {
  if (isText(column)) return '@';
  if (column.decimals)
    return `0.${'0'.repeat(Math.min(2, column.decimals))}${'#'.repeat(Math.max(0, column.decimals - 2))}`;
  return '0';
}

export function renderSheet(
  form: FormDefinition,
  rows: readonly FormRow[],
  meta: SheetMeta = {},
  opts: RenderOptions = {},
): RenderedSheet {
  const extras = opts.extraColumns ?? [];
  const formWidth = form.columns.length;
  const width = formWidth + extras.length;
  const last = columnLetter(width);
  const blankRow = (): LayoutValue[] => new Array(width).fill(null);
  const values: LayoutValue[][] = [];
  const merges: string[] = [];
  const line = (cells: LayoutValue[]) => {
    const row = blankRow();
    cells.forEach((v, i) => (row[i] = v));
    values.push(row);
    return values.length;
  };

  line([form.tag]);
  const titleRow = line([form.title]);
  merges.push(`A${titleRow}:${last}${titleRow}`);
  const split = Math.floor(formWidth / 2);
  const metaRow = blankRow();
  metaRow[0] = `填报单位(公章):${meta.unitName ?? ''}`;
  metaRow[split] = `填报日期:${chineseDate(meta.fillDate)}`;
  values.push(metaRow);
  const metaLine = values.length;
  merges.push(
    `A${metaLine}:${columnLetter(split)}${metaLine}`,
    `${columnLetter(split + 1)}${metaLine}:${last}${metaLine}`,
  );

  const headerFirst = values.length + 1;
  form.headerRows.forEach((labels, i) => line([...labels, ...extras.map((e) => (i === 0 ? e.label : null))]));
  const headerLast = values.length;
  for (const m of form.headerMerges) merges.push(shiftRange(m, headerFirst - 1));
  if (headerLast > headerFirst)
    extras.forEach((_, i) =>
      merges.push(`${columnLetter(formWidth + i + 1)}${headerFirst}:${columnLetter(formWidth + i + 1)}${headerLast}`),
    );

  const dataFirst = headerLast + 1;
  rows.forEach((row, r) => {
    line([...form.columns.map((c) => cellValue(row[c.key])), ...extras.map((e) => e.values[r] ?? null)]);
  });
  for (let i = 0; i < (opts.blankRows ?? 0); i++) line([]);
  let totalRow: number | undefined;
  if (opts.totalRow) {
    totalRow = line(totalLine(form, rows));
    if (form.kind === 'ledger') merges.push(`B${totalRow}:${columnLetter(formWidth)}${totalRow}`);
  }
  const dataLast = values.length;

  values.push(blankRow());
  const notesFirst = values.length + 1;
  for (const note of form.notes) {
    const n = line([note.replace('{asOf}', chineseDate(meta.asOf))]);
    merges.push(`A${n}:${last}${n}`);
  }

  const textColumns: number[] = [];
  const numberFormats: (string | null)[] = [];
  form.columns.forEach((c, i) => {
    numberFormats.push(numberFormat(c));
    if (isText(c)) textColumns.push(i);
  });
  extras.forEach((e, i) => {
    const isText = e.values.some((v) => typeof v === 'string');
    numberFormats.push(isText ? '@' : null);
    if (isText) textColumns.push(formWidth + i);
  });
  const dropDowns = form.columns.flatMap((c, column): DropDown[] =>
    c.type === 'choice' ? [{ column, title: c.title, values: c.choices ?? [] }] : [],
  );

  return {
    form: form.id,
    sheetName: opts.sheetName ?? form.sheetName,
    values,
    merges,
    columnWidths: [...form.columns.map((c) => c.width), ...extras.map((e) => e.width ?? 14)],
    header: { firstRow: headerFirst, lastRow: headerLast },
    data: { firstRow: dataFirst, lastRow: dataLast },
    textColumns,
    numberFormats,
    ...(dropDowns.length > 0 ? { dropDowns } : {}),
    notes: { firstRow: notesFirst, lastRow: values.length },
    printTitleRows: `${headerFirst}:${headerLast}`,
    freeze: { rows: headerLast, columns: 0 },
    titleRow,
    boldRows: [titleRow, ...Array.from({ length: headerLast - headerFirst + 1 }, (_, i) => headerFirst + i)],
    borders: `A${headerFirst}:${cellAddress(dataLast, width)}`,
    ...(totalRow ? { totalRow } : {}),
  };
}

function cellValue(v: unknown): LayoutValue {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  return String(v);
}

function totalLine(form: FormDefinition, rows: readonly FormRow[]): LayoutValue[] {
  if (form.kind === 'ledger') {
    const status = form.status?.column;
    const count = (value: string) => rows.filter((r) => r[status!.key] === value).length;
    const byStatus = status ? `,其中${(status.choices ?? []).map((c) => `${c} ${count(c)} 件`).join('、')}` : '';
    return ['合计', `共 ${rows.length} 件${byStatus}`];
  }
  const sums = new Map(
    summedColumns(form).map((c) => {
      const scale = 10 ** (c.decimals ?? 0);
      const sum = rows.reduce((s, r) => s + (Number(r[c.key]) || 0), 0);
      return [c.key, Math.round(sum * scale) / scale];
    }),
  );
  return form.columns.map((c, i) => (i === 0 ? '合计' : (sums.get(c.key) ?? null)));
}

/** `B1:D1` moved down by `rows`. */
function shiftRange(range: string, rows: number): string {
  return range.replace(/([A-Z]+)(\d+)/g, (_, col: string, row: string) => `${col}${Number(row) + rows}`);
}
