// The browser implementation of WorkbookHost: the "workbook" is an uploaded .xlsx held in memory, shown on the
// page as a table; sheets the pane writes (consolidated tables, status board, statistics) are added as tabs and
// handed to the user as .xlsx downloads in the template layout. ExcelJS is only loaded when a file is opened or
// written, so the Excel pane never carries it.
import type { FormId, Grid, Issue } from '../../forms/types';
import { detectForm } from '../../forms/parse';
import type { FormDefinition } from '../../forms/spec';
import type { XlsxSheet } from '../../forms/xlsx-read';
import type {
  FormSheet,
  HostCapabilities,
  SheetData,
  SheetLayout,
  WorkbookHost,
  WriteSheetOptions,
} from '../workbook/types';
import { parseAddress } from '../../forms/address';
import { cellText, cellsOf, mergeMark, type CellMark } from './cells';

export interface BrowserSheet {
  name: string;
  /** Address of grid[0][0]. */
  origin: string;
  grid: Grid;
  /** Merged areas (`A2:H2`), shown as one cell on the page and handed to the sheet reader. */
  merges: string[];
  /** Set for sheets the pane wrote: what the download contains. */
  layout?: SheetLayout;
  /** Cell address → mark, from markIssues. */
  marks: Map<string, CellMark>;
  /** The issues marked, counted as the pane's list counts them (one per issue, not per cell). */
  issueCounts: { errors: number; warnings: number };
}

export interface BrowserWorkbookState {
  fileName: string | null;
  /** Counts uploads, so the page starts each uploaded file at its top-left even when the name repeats. */
  opened: number;
  sheets: BrowserSheet[];
  active: string | null;
  /** The cell the pane asked to show (selectCell), with a counter so selecting the same cell again still scrolls. */
  selected: { sheet: string; address: string; seq: number } | null;
}

/** Saves bytes as a file on the user's machine; the page passes a DOM implementation, tests a recorder. */
export type SaveFile = (bytes: Uint8Array, fileName: string) => void | Promise<void>;

export const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export class BrowserWorkbookHost implements WorkbookHost {
  readonly kind = 'browser' as const;
  private state: BrowserWorkbookState = { fileName: null, opened: 0, sheets: [], active: null, selected: null };
  private readonly listeners = new Set<() => void>();
  private readonly openedListeners = new Set<() => void>();
  private readonly activeListeners = new Set<(sheet: string) => void>();
  /** Per sheet, `cell|message` of every issue marked, so marking the same issue twice counts it once. */
  private readonly marked = new Map<string, Map<string, Issue['severity']>>();
  private selectSeq = 0;
  /** The forms the pane last looked for (its campaign's): an opened file shows the first sheet that is one. */
  private forms: readonly FormDefinition[] = [];

  /** The forms the pane last looked for, for the page to find an uploaded sheet's header rows. */
  formsLookedFor(): readonly FormDefinition[] {
    return this.forms;
  }

  constructor(private readonly saveFile: SaveFile) {}

  /** For React's useSyncExternalStore: the page re-renders whenever the workbook or its marks change. */
  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getState = (): BrowserWorkbookState => this.state;

  /** Replaces the workbook with an uploaded .xlsx. Throws an Error with a Chinese message when it cannot be read. */
  async open(data: ArrayBuffer | Uint8Array, fileName: string): Promise<void> {
    let read: XlsxSheet[];
    const { readXlsxSheets, XlsxTooLarge } = await import('../../forms/xlsx-read');
    try {
      read = await readXlsxSheets(data);
    } catch (err) {
      // Past a limit the file is refused before it is read, so a huge file cannot freeze the page.
      if (err instanceof XlsxTooLarge) throw new Error(`无法打开「${fileName}」:${err.message}`, { cause: err });
      throw new Error(
        `无法读取「${fileName}」:它不是有效的 .xlsx 工作簿。请在 WPS 或 Excel 中「另存为」Excel 工作簿(*.xlsx)后重新上传。`,
        { cause: err },
      );
    }
    if (read.length === 0) throw new Error(`「${fileName}」中没有工作表。请上传填好的附件表格。`);
    const sheets: BrowserSheet[] = read.map((s) => ({
      name: s.name,
      origin: s.origin,
      grid: s.grid,
      merges: s.merges,
      marks: new Map<string, CellMark>(),
      issueCounts: { errors: 0, warnings: 0 },
    }));
    this.marked.clear();
    const formSheet = sheets.find((s) => detectForm(s.grid, this.forms) !== null);
    this.update({
      fileName,
      opened: this.state.opened + 1,
      sheets,
      active: (formSheet ?? sheets[0]).name,
      selected: null,
    });
    for (const listener of this.openedListeners) listener();
    this.announceActive();
  }

  onActiveSheetChanged(listener: (sheet: string) => void): () => void {
    this.activeListeners.add(listener);
    return () => this.activeListeners.delete(listener);
  }

  private announceActive(): void {
    const active = this.state.active;
    if (active) for (const listener of this.activeListeners) listener(active);
  }

  onWorkbookOpened(listener: () => void): () => void {
    this.openedListeners.add(listener);
    return () => this.openedListeners.delete(listener);
  }

  /** Shows another sheet (the page's tabs). */
  activate(name: string): void {
    this.sheet(name);
    const changed = this.state.active !== name;
    this.update({ ...this.state, active: name });
    if (changed) this.announceActive();
  }

  /** Downloads a sheet: a written one in its layout, an uploaded one as its plain values. */
  async download(name: string): Promise<void> {
    const sheet = this.sheet(name);
    await this.saveFile(await this.toXlsx(sheet), `${sheet.name}.xlsx`);
  }

  async capabilities(): Promise<HostCapabilities> {
    // Everything a written sheet carries is in the downloaded file; marks and their messages are shown on the page.
    // ExcelJS writes no charts: the page draws them itself (ECharts).
    return {
      dataValidation: true,
      protection: true,
      notes: true,
      freeze: true,
      pageLayout: true,
      download: true,
      charts: false,
    };
  }

  async listSheets(): Promise<string[]> {
    return this.state.sheets.map((s) => s.name);
  }

  async activeSheet(): Promise<string | null> {
    return this.state.active;
  }

  async readSheet(name: string): Promise<SheetData> {
    const { origin, grid, merges } = this.sheet(name);
    return { name, origin, grid, merges };
  }

  async findFormSheets(forms: readonly FormDefinition[]): Promise<FormSheet[]> {
    this.forms = forms;
    const found: FormSheet[] = [];
    for (const sheet of this.state.sheets) {
      if (sheet.layout) continue; // our own downloads are outputs, not sheets to submit
      const form: FormId | null = detectForm(sheet.grid, forms);
      if (form) found.push({ name: sheet.name, form });
    }
    return found;
  }

  async writeSheet(layout: SheetLayout, opts: WriteSheetOptions = {}): Promise<string> {
    const name = this.freeName(opts.name ?? layout.sheetName);
    const written: SheetLayout = {
      ...layout,
      sheetName: name,
      ...(opts.lockColumns ? { lockedColumns: opts.lockColumns } : {}),
    };
    const sheet: BrowserSheet = {
      name,
      origin: 'A1',
      grid: layout.values.map((row) => [...row]),
      merges: layout.merges,
      layout: written,
      marks: new Map(),
      issueCounts: { errors: 0, warnings: 0 },
    };
    this.update({
      ...this.state,
      sheets: [...this.state.sheets, sheet],
      active: opts.activate === false ? this.state.active : name,
    });
    await this.saveFile(await this.toXlsx(sheet), `${name}.xlsx`);
    return name;
  }

  async markIssues(sheetName: string, issues: Issue[]): Promise<void> {
    const sheet = this.sheet(sheetName);
    const marks = new Map(sheet.marks);
    const seen = this.marked.get(sheetName) ?? new Map<string, Issue['severity']>();
    this.marked.set(sheetName, seen);
    for (const issue of issues) {
      if (!issue.cell) continue;
      seen.set(`${issue.cell}|${issue.message}`, issue.severity);
      for (const address of cellsOf(issue.cell))
        marks.set(address, mergeMark(marks.get(address), issue.severity, issue.message));
    }
    const severities = [...seen.values()];
    const issueCounts = {
      errors: severities.filter((s) => s === 'error').length,
      warnings: severities.filter((s) => s === 'warning').length,
    };
    this.replaceSheet({ ...sheet, marks, issueCounts });
  }

  async clearMarks(sheetName: string): Promise<void> {
    this.marked.delete(sheetName);
    this.replaceSheet({ ...this.sheet(sheetName), marks: new Map(), issueCounts: { errors: 0, warnings: 0 } });
  }

  async selectCell(sheetName: string, address: string): Promise<void> {
    this.sheet(sheetName);
    this.update({
      ...this.state,
      active: sheetName,
      selected: { sheet: sheetName, address: address.split(':')[0], seq: ++this.selectSeq },
    });
  }

  private async toXlsx(sheet: BrowserSheet): Promise<Uint8Array> {
    const { writeXlsx } = await import('../../forms/xlsx-write');
    return writeXlsx([sheet.layout ?? plainLayout(sheet)]);
  }

  private sheet(name: string): BrowserSheet {
    const sheet = this.state.sheets.find((s) => s.name === name);
    if (!sheet) throw new Error(`找不到工作表「${name}」。请重新上传文件后再试。`);
    return sheet;
  }

  private replaceSheet(sheet: BrowserSheet): void {
    this.update({ ...this.state, sheets: this.state.sheets.map((s) => (s.name === sheet.name ? sheet : s)) });
  }

  private freeName(wanted: string): string {
    const taken = new Set(this.state.sheets.map((s) => s.name));
    let name = wanted;
    for (let n = 2; taken.has(name); n++) name = `${wanted} (${n})`;
    return name;
  }

  private update(next: BrowserWorkbookState): void {
    this.state = next;
    for (const listener of this.listeners) listener();
  }
}

/** An uploaded sheet has no template layout: write its values where they were, rich text and dates as shown. */
function plainLayout(sheet: BrowserSheet): SheetLayout {
  const { row: top, column: left } = parseAddress(sheet.origin);
  const shown = sheet.grid.map((row) => [
    ...Array<null>(left - 1).fill(null),
    ...row.map((v) => (typeof v === 'number' ? v : cellText(v) || null)),
  ]);
  const values = [...Array.from({ length: top - 1 }, () => [] as (string | number | null)[]), ...shown];
  const columns = Math.max(0, ...values.map((r) => r.length));
  return {
    sheetName: sheet.name,
    values,
    merges: sheet.merges,
    columnWidths: Array(columns).fill(14),
    header: { firstRow: 1, lastRow: 0 },
    data: { firstRow: 1, lastRow: values.length },
    textColumns: [],
    numberFormats: [],
  };
}
