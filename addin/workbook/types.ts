// The workbook interface the task pane talks to. Two implementations: addin/excel/host.ts (Office.js, the
// only code that touches Excel) and addin/browser/ (ExcelJS over an uploaded .xlsx). Plain async functions and
// plain data only, so the pane and its tests never see an Office type.
import type { FormDefinition } from '../../forms/spec';
import type { FormId, Grid, Issue } from '../../forms/types';

/** What the host can do beyond values and fill colours; the pane degrades when a flag is false. */
export interface HostCapabilities {
  /** 是否办结 drop-down (Excel: ExcelApi 1.8). */
  dataValidation: boolean;
  /** Locking columns 1–6 of a pulled 附件1 (Excel: ExcelApi 1.2 sheet protection with per-range `locked`). */
  protection: boolean;
  /** A note on each marked cell holding the issue text (Excel: ExcelApi 1.18 notes). */
  notes: boolean;
  /** Frozen header rows (Excel: ExcelApi 1.7). */
  freeze: boolean;
  /** A4 landscape with repeated header rows (Excel: ExcelApi 1.9 page layout). */
  pageLayout: boolean;
  /** The host can hand the workbook back as a file (browser mode: download .xlsx). */
  download: boolean;
  /**
   * Native charts with percentage axes (Excel: ExcelApi 1.8 — Office 2019, Microsoft 365); elsewhere a statistics
   * sheet is the table alone (the browser page draws its charts on the page).
   */
  charts: boolean;
}

/** A native chart over a table already written to a sheet. */
export interface ChartSpec {
  /** Shown above the chart; also its name. */
  title: string;
  kind: 'column' | 'line';
  /** Header row and data rows (`A4:E9`): the first column is the categories, every other column a series. */
  source: string;
  /** The cells the chart covers, top-left and bottom-right (`O4`, `W20`). */
  position: [string, string];
  /** The values are shares 0..1: the value axis reads as percentages. */
  percent?: boolean;
}

/** The used range of one sheet: `grid[0][0]` is the cell at `origin` (e.g. `B3` when rows 1–2 are empty). */
export interface SheetData {
  name: string;
  origin: string;
  grid: Grid;
  /** Merged areas (`B6:B9`) where the host can tell; pass to forms.parseSheet, which spreads their value. */
  merges?: string[];
}

import type { SheetLayout } from '../../forms/render';

export type { LayoutValue, SheetLayout } from '../../forms/render';

export interface WriteSheetOptions {
  /** Sheet name to use instead of `layout.sheetName`; a free name is derived when taken. */
  name?: string;
  activate?: boolean;
  /** 0-based columns whose data cells are locked (sheet protected, other data cells editable). */
  lockColumns?: number[];
}

export interface FormSheet {
  name: string;
  form: FormId;
}

export interface WorkbookHost {
  kind: 'excel' | 'browser';
  capabilities(): Promise<HostCapabilities>;
  listSheets(): Promise<string[]>;
  /** The sheet the user is looking at, preferred when several sheets hold a 附件. */
  activeSheet(): Promise<string | null>;
  readSheet(name: string): Promise<SheetData>;
  /** Sheets whose labels make them one of `forms` (the campaign's), whatever their names (forms.detectForm on each). */
  findFormSheets(forms: readonly FormDefinition[]): Promise<FormSheet[]>;
  /** Writes a new sheet and returns its final name. Text columns are written so no value becomes a formula. */
  writeSheet(layout: SheetLayout, opts?: WriteSheetOptions): Promise<string>;
  /**
   * Fills the cells named by `issue.cell` (error red, warning yellow) and adds notes where supported and where the
   * sheet's protection allows; a cell's own note is kept. The pane's issue list shows every issue either way.
   */
  markIssues(sheet: string, issues: Issue[]): Promise<void>;
  /** Removes what markIssues added and gives marked cells their own fill back. */
  clearMarks(sheet: string): Promise<void>;
  selectCell(sheet: string, address: string): Promise<void>;
  /** Adds native charts to a sheet where `capabilities().charts`; returns how many were added (0 elsewhere). */
  addCharts?(sheet: string, charts: readonly ChartSpec[]): Promise<number>;
  /** Browser page only: calls back when the user uploads another file, so the pane looks for 附件 sheets again. */
  onWorkbookOpened?(listener: () => void): () => void;
  /**
   * Calls back with the sheet's name whenever the user switches to another sheet (Excel: the active worksheet;
   * browser page: the grid's tab), so the sheet the pane checks and sends is the one on screen. Optional: a host
   * without it leaves the choice to the pane's list.
   */
  onActiveSheetChanged?(listener: (sheet: string) => void): () => void;
}

/** Fill colours of marked cells; shared so Excel and the browser page look alike. */
export const MARK_COLORS = { error: '#FFC7CE', warning: '#FFEB9C' } as const;
