// The Excel implementation of WorkbookHost — the only module that touches Office.js. Every operation queues whole
// 2-D blocks and calls context.sync() a fixed number of times per block, never per cell or per row.
import { detectForm } from '../../forms/parse';
import { CLOSURE_VALUES, type Issue } from '../../forms/types';
import { columnLetter } from '../../forms/address';
import type {
  FormSheet,
  HostCapabilities,
  SheetData,
  SheetLayout,
  WorkbookHost,
  WriteSheetOptions,
} from '../workbook/types';
import { MARK_COLORS } from '../workbook/types';
import {
  freeSheetName,
  layoutHeight,
  layoutWidth,
  planWriteBlocks,
  READ_PROBE_ROWS,
  readBlockRows,
  topLeftOf,
  unlockedRuns,
  widthToPoints,
} from './plan';

/** What the adapter needs from the Office runtime; tests pass a fake that counts syncs. */
export interface ExcelEnv {
  run<T>(batch: (context: Excel.RequestContext) => Promise<T>): Promise<T>;
  isSetSupported(name: string, version: string): boolean;
  /** Settings saved inside the workbook, so marks made before the pane was closed can still be taken back. */
  documentSettings?: {
    get(key: string): unknown;
    set(key: string, value: unknown): Promise<void>;
  };
}

export function officeEnv(): ExcelEnv {
  const settings = () => (typeof Office === 'undefined' ? undefined : Office.context?.document?.settings);
  return {
    run: (batch) => Excel.run(batch),
    isSetSupported: (name, version) => Office.context.requirements.isSetSupported(name, version),
    documentSettings: {
      get: (key) => settings()?.get(key),
      set: (key, value) =>
        new Promise<void>((done) => {
          const s = settings();
          if (!s) return done();
          if (value === null) s.remove(key);
          else s.set(key, value);
          // A failed save only means old marks may need clearing by hand; never block 校验 on it.
          s.saveAsync(() => done());
        }),
    },
  };
}

/** The ExcelApi version each optional feature needs. */
export const FEATURE_SETS: Record<Exclude<keyof HostCapabilities, 'download'>, string> = {
  protection: '1.2',
  freeze: '1.7',
  dataValidation: '1.8',
  pageLayout: '1.9',
  notes: '1.18',
};

const MERGED_AREAS_SET = '1.13';
/** Top rows inspected when looking for a 附件 header; templates put it within the first dozen rows. */
const PROBE_ROWS = 40;
const PROBE_COLUMNS = 30;
/** Marked cells per request: a fill command plus a note each (~100 bytes) stays well under 5 MB. */
const MARK_CHUNK = 5000;
const FONT_NAME = '宋体';
const HEADER_FILL = '#F2F2F2';
const BORDER_EDGES = ['EdgeTop', 'EdgeBottom', 'EdgeLeft', 'EdgeRight', 'InsideVertical', 'InsideHorizontal'] as const;

type Marks = Map<string, { severity: Issue['severity']; note: boolean }>;

export class ExcelWorkbookHost implements WorkbookHost {
  readonly kind = 'excel' as const;
  /** Cells this pane marked, per sheet, so clearMarks takes back exactly those and not the user's own colours. */
  private readonly marks = new Map<string, Marks>();

  constructor(private readonly env: ExcelEnv = officeEnv()) {}

  async capabilities(): Promise<HostCapabilities> {
    const has = (v: string) => this.env.isSetSupported('ExcelApi', v);
    return {
      protection: has(FEATURE_SETS.protection),
      freeze: has(FEATURE_SETS.freeze),
      dataValidation: has(FEATURE_SETS.dataValidation),
      pageLayout: has(FEATURE_SETS.pageLayout),
      notes: has(FEATURE_SETS.notes),
      download: false,
    };
  }

  listSheets(): Promise<string[]> {
    return this.env.run(async (context) => {
      const sheets = context.workbook.worksheets;
      sheets.load('items/name');
      await context.sync();
      return sheets.items.map((s) => s.name);
    });
  }

  activeSheet(): Promise<string | null> {
    return this.env.run(async (context) => {
      const sheet = context.workbook.worksheets.getActiveWorksheet();
      sheet.load('name');
      await context.sync();
      return sheet.name;
    });
  }

  readSheet(name: string): Promise<SheetData> {
    return this.env.run(async (context) => {
      const sheet = context.workbook.worksheets.getItem(name);
      const used = sheet.getUsedRangeOrNullObject(true);
      used.load('address,rowCount,columnCount');
      await context.sync();
      if (used.isNullObject) return { name, origin: 'A1', grid: [] };
      const origin = topLeftOf(used.address);
      // Office.js reports a merged area's value in its first cell only; parseSheet spreads it given the areas.
      const merged = this.env.isSetSupported('ExcelApi', MERGED_AREAS_SET) ? used.getMergedAreasOrNullObject() : null;
      merged?.load('address');
      const grid: SheetData['grid'] = [];
      // The first block measures how heavy the rows are; later blocks are sized to stay under the 5 MB cap.
      let blockRows = READ_PROBE_ROWS;
      for (let r = 0; r < used.rowCount; r += blockRows) {
        if (r > 0 && r === READ_PROBE_ROWS) blockRows = readBlockRows(READ_PROBE_ROWS, jsonBytes(grid));
        const rows = Math.min(blockRows, used.rowCount - r);
        const block = used.getCell(r, 0).getResizedRange(rows - 1, used.columnCount - 1);
        block.load('values');
        // eslint-disable-next-line office-addins/no-context-sync-in-loop -- one sync per block of bounded size: one request for all would pass Excel's 5 MB payload cap
        await context.sync();
        for (const row of block.values) grid.push(row);
      }
      const merges = merged && !merged.isNullObject ? merged.address.split(',').map(topLeftOrRange) : [];
      return { name, origin, grid, merges };
    });
  }

  findFormSheets(): Promise<FormSheet[]> {
    return this.env.run(async (context) => {
      const sheets = context.workbook.worksheets;
      sheets.load('items/name');
      await context.sync();
      const used = sheets.items.map((s) => {
        const range = s.getUsedRangeOrNullObject(true);
        range.load('rowCount,columnCount');
        return { name: s.name, range };
      });
      await context.sync();
      const probes = used
        .filter((u) => !u.range.isNullObject)
        .map((u) => {
          const top = u.range
            .getCell(0, 0)
            .getResizedRange(
              Math.min(PROBE_ROWS, u.range.rowCount) - 1,
              Math.min(PROBE_COLUMNS, u.range.columnCount) - 1,
            );
          top.load('values');
          return { name: u.name, top };
        });
      await context.sync();
      const found: FormSheet[] = [];
      for (const p of probes) {
        const form = detectForm(p.top.values);
        if (form) found.push({ name: p.name, form });
      }
      return found;
    });
  }

  async writeSheet(layout: SheetLayout, opts: WriteSheetOptions = {}): Promise<string> {
    const caps = await this.capabilities();
    return this.env.run(async (context) => {
      const sheets = context.workbook.worksheets;
      sheets.load('items/name');
      await context.sync();
      const name = freeSheetName(
        opts.name ?? layout.sheetName,
        sheets.items.map((s) => s.name),
      );
      const sheet = sheets.add(name);
      const width = layoutWidth(layout);
      layout.columnWidths.forEach((w, c) => {
        sheet.getRange(`${columnLetter(c + 1)}:${columnLetter(c + 1)}`).format.columnWidth = widthToPoints(w);
      });
      // One sync per block; the sheet creation and widths ride along with the first.
      for (const block of planWriteBlocks(layout)) {
        const range = sheet.getRange(block.address);
        range.numberFormat = block.numberFormats;
        range.values = block.values;
        // eslint-disable-next-line office-addins/no-context-sync-in-loop -- one sync per block of bounded size: one request for all would pass Excel's 5 MB payload cap
        await context.sync();
      }
      this.queueTemplateFormat(sheet, layout, width, caps);
      if (opts.lockColumns?.length && caps.protection) this.queueProtection(sheet, layout, width, opts.lockColumns);
      if (opts.activate !== false) {
        sheet.activate();
        sheet.getRange(`A${layout.data.firstRow}`).select();
      }
      await context.sync();
      return name;
    });
  }

  /** The template's look: merges, title and header styling, borders, drop-down, frozen header, A4 landscape. */
  private queueTemplateFormat(
    sheet: Excel.Worksheet,
    layout: SheetLayout,
    width: number,
    caps: HostCapabilities,
  ): void {
    const last = columnLetter(width);
    const height = layoutHeight(layout);
    sheet.getRange(`A1:${last}${height}`).format.font.name = FONT_NAME;
    for (const m of layout.merges) sheet.getRange(m).merge(false);
    const header = sheet.getRange(`A${layout.header.firstRow}:${last}${layout.header.lastRow}`);
    header.format.wrapText = true;
    header.format.horizontalAlignment = 'Center';
    header.format.verticalAlignment = 'Center';
    header.format.fill.color = HEADER_FILL;
    const boldRows = layout.boldRows ?? range(layout.header.firstRow, layout.header.lastRow);
    for (const row of boldRows) sheet.getRange(`A${row}:${last}${row}`).format.font.bold = true;
    const titleRow = layout.titleRow ?? layout.header.firstRow - 2;
    if (titleRow >= 1) {
      const title = sheet.getRange(`A${titleRow}`);
      title.format.font.size = 16;
      title.format.horizontalAlignment = 'Center';
    }
    const tableLast = Math.max(layout.data.lastRow, layout.header.lastRow);
    const table = sheet.getRange(layout.borders ?? `A${layout.header.firstRow}:${last}${tableLast}`);
    for (const edge of BORDER_EDGES) table.format.borders.getItem(edge).style = 'Continuous';
    if (layout.data.lastRow >= layout.data.firstRow) {
      const data = sheet.getRange(`A${layout.data.firstRow}:${last}${layout.data.lastRow}`);
      data.format.wrapText = true;
      data.format.verticalAlignment = 'Center';
      data.format.autofitRows();
      // The 合计 line is not a case (and may be merged across 是否办结): no drop-down there.
      const lastCase = layout.totalRow ? layout.totalRow - 1 : layout.data.lastRow;
      if (caps.dataValidation && layout.closureColumn !== undefined && lastCase >= layout.data.firstRow) {
        const col = columnLetter(layout.closureColumn + 1);
        const closure = sheet.getRange(`${col}${layout.data.firstRow}:${col}${lastCase}`);
        closure.dataValidation.clear();
        closure.dataValidation.rule = { list: { inCellDropDown: true, source: CLOSURE_VALUES.join(',') } };
        closure.dataValidation.errorAlert = {
          showAlert: true,
          style: 'Stop',
          title: '是否办结',
          message: `请从下拉列表中选择:${CLOSURE_VALUES.join('、')}`,
        };
      }
    }
    if (caps.freeze && layout.freeze && layout.freeze.rows > 0) {
      if (layout.freeze.columns > 0)
        sheet.freezePanes.freezeAt(sheet.getRange(`A1:${columnLetter(layout.freeze.columns)}${layout.freeze.rows}`));
      else sheet.freezePanes.freezeRows(layout.freeze.rows);
    }
    if (caps.pageLayout) {
      sheet.pageLayout.orientation = 'Landscape';
      sheet.pageLayout.paperSize = 'A4';
      if (layout.printTitleRows) sheet.pageLayout.setPrintTitleRows(`$${layout.printTitleRows.replace(':', ':$')}`);
    }
  }

  /** Only the data cells outside `locked` stay editable; formatting stays allowed so 校验 can still colour cells. */
  private queueProtection(sheet: Excel.Worksheet, layout: SheetLayout, width: number, locked: number[]): void {
    const { firstRow, lastRow } = layout.data;
    for (const [first, last] of unlockedRuns(width, locked)) {
      sheet.getRange(
        `${columnLetter(first + 1)}${firstRow}:${columnLetter(last + 1)}${lastRow}`,
      ).format.protection.locked = false;
    }
    sheet.protection.protect({ allowFormatCells: true, allowFormatColumns: true, allowFormatRows: true });
  }

  async markIssues(sheetName: string, issues: Issue[]): Promise<void> {
    const wanted = new Map<string, { severity: Issue['severity']; messages: string[] }>();
    for (const issue of issues) {
      if (!issue.cell) continue;
      const cell = issue.cell.replace(/\$/g, '');
      const seen = wanted.get(cell);
      if (seen) {
        if (issue.severity === 'error') seen.severity = 'error';
        seen.messages.push(issue.message);
      } else wanted.set(cell, { severity: issue.severity, messages: [issue.message] });
    }
    await this.clearMarks(sheetName);
    const { notes } = await this.capabilities();
    const marks: Marks = new Map();
    const entries = [...wanted];
    await this.env.run(async (context) => {
      const sheet = context.workbook.worksheets.getItem(sheetName);
      // A note left by the user (or an earlier pane session) on a cell would make `add` fail: one probe for all.
      if (notes)
        await deleteNotes(
          context,
          sheet,
          entries.map(([cell]) => cell),
        );
      for (let i = 0; i < entries.length; i += MARK_CHUNK) {
        for (const [cell, mark] of entries.slice(i, i + MARK_CHUNK)) {
          sheet.getRange(cell).format.fill.color = MARK_COLORS[mark.severity];
          if (notes) sheet.notes.add(firstCellOf(cell), mark.messages.join('\n'));
          marks.set(cell, { severity: mark.severity, note: notes });
        }
        // eslint-disable-next-line office-addins/no-context-sync-in-loop -- one sync per block of bounded size: one request for all would pass Excel's 5 MB payload cap
        await context.sync();
      }
    });
    await this.rememberMarks(sheetName, marks);
  }

  async clearMarks(sheetName: string): Promise<void> {
    const marks = this.recalledMarks(sheetName);
    if (!marks?.size) return;
    const entries = [...marks];
    await this.env.run(async (context) => {
      const sheet = context.workbook.worksheets.getItem(sheetName);
      const noted = entries.filter(([, m]) => m.note).map(([cell]) => cell);
      if (noted.length) await deleteNotes(context, sheet, noted);
      for (let i = 0; i < entries.length; i += MARK_CHUNK) {
        for (const [cell] of entries.slice(i, i + MARK_CHUNK)) sheet.getRange(cell).format.fill.clear();
        // eslint-disable-next-line office-addins/no-context-sync-in-loop -- one sync per block of bounded size: one request for all would pass Excel's 5 MB payload cap
        await context.sync();
      }
    });
    await this.rememberMarks(sheetName, new Map());
  }

  private recalledMarks(sheetName: string): Marks | undefined {
    const known = this.marks.get(sheetName);
    if (known) return known;
    const saved = this.env.documentSettings?.get(marksKey(sheetName));
    return Array.isArray(saved)
      ? new Map(saved as [string, { severity: Issue['severity']; note: boolean }][])
      : undefined;
  }

  private async rememberMarks(sheetName: string, marks: Marks): Promise<void> {
    this.marks.set(sheetName, marks);
    await this.env.documentSettings?.set(marksKey(sheetName), marks.size ? [...marks] : null);
  }

  selectCell(sheetName: string, address: string): Promise<void> {
    return this.env.run(async (context) => {
      const sheet = context.workbook.worksheets.getItem(sheetName);
      sheet.activate();
      sheet.getRange(address).select();
      await context.sync();
    });
  }
}

const marksKey = (sheetName: string) => `baosong.marks.${sheetName}`;

function range(first: number, last: number): number[] {
  return Array.from({ length: Math.max(0, last - first + 1) }, (_, i) => first + i);
}

/** `Sheet1!B6:B9` → `B6:B9`. */
function topLeftOrRange(address: string): string {
  return address
    .slice(address.lastIndexOf('!') + 1)
    .replace(/\$/g, '')
    .trim();
}

function firstCellOf(address: string): string {
  return address.split(':')[0];
}

/** Queues the deletion of the notes on `cells` that exist; one sync to find them, whatever their number. */
async function deleteNotes(context: Excel.RequestContext, sheet: Excel.Worksheet, cells: string[]): Promise<void> {
  const probes = cells.map((cell) => {
    const note = sheet.notes.getItemOrNullObject(firstCellOf(cell));
    // eslint-disable-next-line office-addins/no-navigational-load -- isNullObject is a scalar flag, not a navigation property; the workbook fake requires it loaded
    note.load('isNullObject');
    return note;
  });
  await context.sync();
  for (const n of probes) if (!n.isNullObject) n.delete();
}

const encoder = new TextEncoder();
const jsonBytes = (v: unknown) => encoder.encode(JSON.stringify(v)).byteLength;
