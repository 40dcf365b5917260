// The Excel implementation of WorkbookHost — the only module that touches Office.js. Every operation queues whole
// 2-D blocks and calls context.sync() a fixed number of times per block, never per cell or per row.
import { detectForm } from '../../forms/parse';
import type { FormDefinition } from '../../forms/spec';
import type { Issue } from '../../forms/types';
import { columnLetter } from '../../forms/address';
import type {
  ChartSpec,
  FormSheet,
  HostCapabilities,
  SheetData,
  SheetLayout,
  WorkbookHost,
  WriteSheetOptions,
} from '../workbook/types';
import { MARK_COLORS } from '../workbook/types';
import {
  actionBytes,
  addressLists,
  byColumn,
  chunksByBytes,
  FILL_PROPERTIES,
  fillProbes,
  freeSheetName,
  layoutHeight,
  layoutWidth,
  markChunks,
  type MarkEntry,
  noteProbeBytes,
  noteText,
  planWriteBlocks,
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
  // Charts exist since 1.1, but a percentage value axis (ChartAxis.numberFormat) needs 1.8: below it a rate chart
  // would read 0.8 for 80 %, so older builds get the table alone.
  charts: '1.8',
};

const MERGED_AREAS_SET = '1.13';
/** Top rows inspected when looking for a 附件 header; templates put it within the first dozen rows. */
const PROBE_ROWS = 40;
const PROBE_COLUMNS = 30;
const FONT_NAME = '宋体';
const HEADER_FILL = '#F2F2F2';
const BORDER_EDGES = ['EdgeTop', 'EdgeBottom', 'EdgeLeft', 'EdgeRight', 'InsideVertical', 'InsideHorizontal'] as const;

/**
 * What the pane put on a sheet, saved in the workbook so it can be taken back exactly: the marked addresses, the
 * cells that got one of its notes, and the fill each marked cell had of its own (cells without one are left out).
 */
interface Marks {
  addresses: string[];
  notes: string[];
  ownFills: Record<string, string>;
}

const noMarks = (): Marks => ({ addresses: [], notes: [], ownFills: {} });

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
      charts: has(FEATURE_SETS.charts),
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
      const { rowCount, columnCount } = used;
      const block = (first: number, rows: number) => used.getCell(first, 0).getResizedRange(rows - 1, columnCount - 1);
      // Office.js reports a merged area's value in its first cell only; parseSheet spreads it given the areas.
      // They ride along with the first block; a sheet with more than 512 of them makes that fail, and then they are
      // read band by band on their own.
      let merged: Excel.RangeAreas | null = this.env.isSetSupported('ExcelApi', MERGED_AREAS_SET)
        ? used.getMergedAreasOrNullObject()
        : null;
      merged?.load('address');
      let merges: string[] | null = merged ? null : [];
      const grid: SheetData['grid'] = [];
      let bytes = 0;
      // Each block is sized from the bytes per row read so far; one that still does not fit is halved and read again.
      let rows = readBlockRows(columnCount, null);
      for (let r = 0; r < rowCount;) {
        const n = Math.min(rows, rowCount - r);
        const values = block(r, n);
        values.load('values');
        try {
          // eslint-disable-next-line office-addins/no-context-sync-in-loop -- one request per block: the blocks are what keeps each response under Excel's 5 MB
          await context.sync();
        } catch (err) {
          if (merged) {
            merged = null;
            continue;
          }
          if (n === 1)
            throw new Error(`无法读取工作表「${name}」第 ${r + 1} 行:${(err as Error).message}`, { cause: err });
          rows = Math.ceil(n / 2);
          continue;
        }
        if (merged) {
          merges = merged.isNullObject ? [] : merged.address.split(',').map(localAddress);
          merged = null;
        }
        for (const row of values.values) grid.push(row);
        const blockBytes = jsonBytes(values.values);
        bytes += blockBytes;
        r += n;
        // The heavier of the average so far and the last block: after heavy rows the next block stays small.
        rows = readBlockRows(columnCount, Math.max(bytes / grid.length, blockBytes / n));
      }
      merges ??= await mergedAreasByBand(context, block, 0, rowCount);
      return { name, origin, grid, merges };
    });
  }

  findFormSheets(forms: readonly FormDefinition[]): Promise<FormSheet[]> {
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
        const form = detectForm(p.top.values, forms);
        if (form) found.push({ name: p.name, form });
      }
      return found;
    });
  }

  async writeSheet(layout: SheetLayout, opts: WriteSheetOptions = {}): Promise<string> {
    const caps = await this.capabilities();
    // Planned before anything is sent: a value Excel cannot hold stops the write before the sheet exists.
    const blocks = planWriteBlocks(layout);
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
      for (const block of blocks) {
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
      if (caps.dataValidation && lastCase >= layout.data.firstRow) {
        for (const { column, title, values } of layout.dropDowns ?? []) {
          const col = columnLetter(column + 1);
          const cells = sheet.getRange(`${col}${layout.data.firstRow}:${col}${lastCase}`);
          cells.dataValidation.clear();
          cells.dataValidation.rule = { list: { inCellDropDown: true, source: values.join(',') } };
          cells.dataValidation.errorAlert = {
            showAlert: true,
            style: 'Stop',
            title,
            message: `请从下拉列表中选择:${values.join('、')}`,
          };
        }
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

  /**
   * Only the data cells outside `locked` stay editable. Formatting and objects stay allowed so 校验 can still colour
   * cells and add notes there: notes are objects, refused on a protected sheet without `allowEditObjects`.
   */
  private queueProtection(sheet: Excel.Worksheet, layout: SheetLayout, width: number, locked: number[]): void {
    const { firstRow, lastRow } = layout.data;
    for (const [first, last] of unlockedRuns(width, locked)) {
      sheet.getRange(
        `${columnLetter(first + 1)}${firstRow}:${columnLetter(last + 1)}${lastRow}`,
      ).format.protection.locked = false;
    }
    sheet.protection.protect({
      allowFormatCells: true,
      allowFormatColumns: true,
      allowFormatRows: true,
      allowEditObjects: true,
    });
  }

  /** Native charts over tables of a written sheet, all in one request; none (0) where the build lacks them. */
  async addCharts(sheetName: string, charts: readonly ChartSpec[]): Promise<number> {
    if (charts.length === 0 || !(await this.capabilities()).charts) return 0;
    return this.env.run(async (context) => {
      const sheet = context.workbook.worksheets.getItem(sheetName);
      for (const spec of charts) {
        const chart = sheet.charts.add(
          (spec.kind === 'line' ? 'LineMarkers' : 'ColumnClustered') as Excel.ChartType,
          sheet.getRange(spec.source),
          'Columns' as Excel.ChartSeriesBy,
        );
        chart.name = spec.title.slice(0, 31);
        chart.title.text = spec.title;
        chart.legend.position = 'Bottom' as Excel.ChartLegendPosition;
        chart.setPosition(spec.position[0], spec.position[1]);
        if (spec.percent) chart.axes.valueAxis.numberFormat = '0%';
      }
      await context.sync();
      return charts.length;
    });
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
    if (!wanted.size) return;
    const caps = await this.capabilities();
    const left = this.recalledMarks(sheetName);
    const marks: Marks = { addresses: [...left.addresses], notes: [...left.notes], ownFills: { ...left.ownFills } };
    const entries: (MarkEntry & { severity: Issue['severity'] })[] = byColumn(
      [...wanted].map(([address, m]) => ({
        address,
        severity: m.severity,
        note: caps.notes ? noteText(m.messages) : null,
      })),
    );
    const chunks = markChunks(entries);
    try {
      await this.env.run(async (context) => {
        const sheet = context.workbook.worksheets.getItem(sheetName);
        const allowed = queueAllowed(sheet, caps);
        const noteCount = caps.notes ? sheet.notes.getCount() : null;
        // Each chunk's own fills are read one request ahead, so they are known before the mark covers them.
        let fills = queueFillProbe(sheet, chunks[0]);
        await context.sync();
        const { format, objects } = allowed();
        if (!format) fills = null;
        // Notes already on marked cells (the user's own) are kept: the mark there is the colour only.
        const taken =
          objects && noteCount && noteCount.value > 0
            ? await existingNotes(
                context,
                sheet,
                entries.map((e) => firstCellOf(e.address)),
              )
            : new Set<string>();
        for (let i = 0; i < chunks.length; i++) {
          const chunk = chunks[i];
          if (fills) Object.assign(marks.ownFills, fills());
          for (const color of Object.keys(MARK_COLORS) as Issue['severity'][]) {
            const addresses = chunk.filter((e) => e.severity === color).map((e) => e.address);
            if (format)
              for (const list of addressLists(addresses)) sheet.getRanges(list).format.fill.color = MARK_COLORS[color];
          }
          for (const e of chunk) {
            const cell = firstCellOf(e.address);
            if (objects && e.note !== null && !taken.has(cell)) {
              sheet.notes.add(cell, e.note);
              marks.notes.push(cell);
            }
            if (format) marks.addresses.push(e.address);
          }
          fills = format && chunks[i + 1] ? queueFillProbe(sheet, chunks[i + 1]) : null;
          // eslint-disable-next-line office-addins/no-context-sync-in-loop -- chunks sized by estimated request bytes, each under Excel's 5 MB cap
          await context.sync();
        }
      });
    } finally {
      // Also after a failed request: what it applied before failing must stay known, or it could never be cleared.
      await this.rememberMarks(sheetName, marks);
    }
  }

  async clearMarks(sheetName: string): Promise<void> {
    const marks = this.recalledMarks(sheetName);
    if (!marks.addresses.length && !marks.notes.length) return;
    const caps = await this.capabilities();
    // What cannot be taken back now (the user protected the sheet since) stays remembered for a later try.
    let left = noMarks();
    await this.env.run(async (context) => {
      const sheet = context.workbook.worksheets.getItem(sheetName);
      const allowed = queueAllowed(sheet, caps);
      await context.sync();
      const { format, objects } = allowed();
      left = {
        addresses: format ? [] : marks.addresses,
        notes: objects && caps.notes ? [] : marks.notes,
        ownFills: format ? {} : marks.ownFills,
      };
      if (objects && caps.notes && marks.notes.length) {
        for (const note of await existingNotes(context, sheet, marks.notes, true)) note.delete();
      }
      if (format) {
        // Clear every mark, then give the cells that had a fill of their own that fill back (same request, in order).
        const own = new Map<string, string[]>();
        for (const [cell, color] of Object.entries(marks.ownFills)) own.set(color, [...(own.get(color) ?? []), cell]);
        const lists = addressLists(marks.addresses).map((list) => ({ list, color: null as string | null }));
        for (const [color, cells] of own) for (const list of addressLists(cells)) lists.push({ list, color });
        for (const chunk of chunksByBytes(lists, (l) => actionBytes('getRanges', [l.list]) * 4)) {
          for (const { list, color } of chunk) {
            if (color) sheet.getRanges(list).format.fill.color = color;
            else sheet.getRanges(list).format.fill.clear();
          }
          // eslint-disable-next-line office-addins/no-context-sync-in-loop -- chunks sized by estimated request bytes, each under Excel's 5 MB cap
          await context.sync();
        }
      }
    });
    await this.rememberMarks(sheetName, left);
  }

  private recalledMarks(sheetName: string): Marks {
    const known = this.marks.get(sheetName);
    if (known) return known;
    const saved = this.env.documentSettings?.get(marksKey(sheetName));
    // Workbooks marked by an earlier version hold [address, {severity, note}] pairs.
    if (Array.isArray(saved)) {
      const pairs = saved as [string, { note?: boolean }][];
      return {
        addresses: pairs.map(([a]) => a),
        notes: pairs.filter(([, m]) => m.note).map(([a]) => firstCellOf(a)),
        ownFills: {},
      };
    }
    if (saved && typeof saved === 'object') return { ...noMarks(), ...(saved as Partial<Marks>) };
    return noMarks();
  }

  private async rememberMarks(sheetName: string, marks: Marks): Promise<void> {
    this.marks.set(sheetName, marks);
    const any = marks.addresses.length || marks.notes.length;
    await this.env.documentSettings?.set(marksKey(sheetName), any ? marks : null);
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
function localAddress(address: string): string {
  return address
    .slice(address.lastIndexOf('!') + 1)
    .replace(/\$/g, '')
    .trim();
}

function firstCellOf(address: string): string {
  return address.split(':')[0];
}

/**
 * Merged areas of rows [first, first + rows), halving the band until each part holds no more than the 512 areas
 * getMergedAreasOrNullObject can return (@types/office-js). An area crossing a band's edge may be missed here;
 * only sheets with more than 512 merged areas come this way.
 */
async function mergedAreasByBand(
  context: Excel.RequestContext,
  block: (first: number, rows: number) => Excel.Range,
  first: number,
  rows: number,
): Promise<string[]> {
  const areas = block(first, rows).getMergedAreasOrNullObject();
  areas.load('address');
  try {
    await context.sync();
  } catch {
    if (rows === 1) return [];
    const half = Math.ceil(rows / 2);
    return [
      ...(await mergedAreasByBand(context, block, first, half)),
      ...(await mergedAreasByBand(context, block, first + half, rows - half)),
    ];
  }
  return areas.isNullObject ? [] : areas.address.split(',').map(localAddress);
}

/**
 * Queues the read of the sheet's protection; after the sync, what the pane may do there. A protected sheet refuses
 * fills without `allowFormatCells` and notes without `allowEditObjects` (notes are objects, as in Excel's Protect
 * Sheet dialog); the marks that cannot be made are left to the pane's issue list.
 */
function queueAllowed(sheet: Excel.Worksheet, caps: HostCapabilities): () => { format: boolean; objects: boolean } {
  if (!caps.protection) return () => ({ format: true, objects: true });
  const protection = sheet.protection;
  protection.load('protected,options');
  return () => ({
    format: !protection.protected || protection.options.allowFormatCells === true,
    objects: !protection.protected || protection.options.allowEditObjects === true,
  });
}

/** Queues the read of the fills of a chunk's cells; after the sync, the cells that have a fill of their own. */
function queueFillProbe(sheet: Excel.Worksheet, chunk: MarkEntry[] | undefined): (() => Record<string, string>) | null {
  if (!chunk?.length) return null;
  const probes = fillProbes(chunk).map((p) => ({
    p,
    result: sheet.getRange(p.address).getCellProperties(FILL_PROPERTIES),
  }));
  return () => {
    const own: Record<string, string> = {};
    for (const { p, result } of probes)
      for (const { cell, offset } of p.cells) {
        const fill = result.value[offset]?.[0]?.format?.fill;
        if (fill?.color && fill.pattern !== 'None') own[cell] = fill.color;
      }
    return own;
  };
}

/** Which of `cells` carry a note, probed in requests sized to fit. */
async function existingNotes(
  context: Excel.RequestContext,
  sheet: Excel.Worksheet,
  cells: string[],
): Promise<Set<string>>;
async function existingNotes(
  context: Excel.RequestContext,
  sheet: Excel.Worksheet,
  cells: string[],
  asNotes: true,
): Promise<Excel.Note[]>;
async function existingNotes(
  context: Excel.RequestContext,
  sheet: Excel.Worksheet,
  cells: string[],
  asNotes?: true,
): Promise<Set<string> | Excel.Note[]> {
  const found: { cell: string; note: Excel.Note }[] = [];
  for (const chunk of chunksByBytes(cells, noteProbeBytes)) {
    const probes = chunk.map((cell) => {
      const note = sheet.notes.getItemOrNullObject(cell);
      // eslint-disable-next-line office-addins/no-navigational-load -- isNullObject is a scalar flag, not a navigation property; the workbook fake requires it loaded
      note.load('isNullObject');
      return { cell, note };
    });
    // eslint-disable-next-line office-addins/no-context-sync-in-loop -- probes chunked by estimated request bytes, each under Excel's 5 MB cap
    await context.sync();
    for (const p of probes) if (!p.note.isNullObject) found.push(p);
  }
  return asNotes ? found.map((f) => f.note) : new Set(found.map((f) => f.cell));
}

const encoder = new TextEncoder();
const jsonBytes = (v: unknown) => encoder.encode(JSON.stringify(v)).byteLength;
