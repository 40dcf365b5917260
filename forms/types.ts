// The shared vocabulary of 报送: both the add-in and the functions speak in these types.

export type { FormId, FormRow, CellData } from './spec';

export type Severity = 'error' | 'warning';

/** One problem found in a sheet or in submitted rows. Messages are Chinese and say what to type instead. */
export interface Issue {
  /** Stable machine code, e.g. `closure.invalid`, `seq.duplicate`, `fujian2.sum_mismatch` (see forms/README.md). */
  code: string;
  severity: Severity;
  /** Chinese, names the cell when there is one: `H6「是否办结」应填写:已办结、阶段办结、正在办理`. */
  message: string;
  /** A1 address (`H6`), or a range (`B6:D6`) for a rule that spans several cells of a row. Absent for rows submitted as JSON. */
  cell?: string;
  /** Sheet row (1-based) when read from a sheet; position in `rows` (1-based) when validating submitted rows. */
  row?: number;
  /** The column's label as in the template, e.g. `是否办结`. */
  column?: string;
  /** The column's key, e.g. `closure`. */
  key?: string;
}

/** What a cell can hold, as Office.js (`range.values`) or ExcelJS (`cell.value`) hands it over. */
export type CellValue =
  | string
  | number
  | boolean
  | Date
  | null
  | undefined
  | { richText: { text: string }[] }
  | { text: string; hyperlink?: string }
  | { formula?: string; sharedFormula?: string; result?: unknown }
  | { error: string };

/** A rectangular block of cell values, rows then columns. */
export type Grid = CellValue[][];

/** The free-text lines around the table. Dates are ISO `YYYY-MM-DD` when they could be read. */
export interface SheetMeta {
  /** 填报单位(公章):… */
  unitName?: string;
  /** 填报日期: 年 月 日 */
  fillDate?: string;
  /** 注:数据截至…(附件2) */
  asOf?: string;
  /** 填报人/联系人 under the table, when the clerk wrote one. */
  contactName?: string;
  /** 联系电话 under the table, when the clerk wrote one. */
  contactPhone?: string;
}

/** Context the rules need beyond the sheet itself. */
export interface ValidationContext {
  /**
   * True when this is not the unit's first submission of the form: columns required `fromSecondSubmission`
   * (附件1 主题教育期间整改进展) may no longer be blank.
   */
  requireProgress?: boolean;
}
