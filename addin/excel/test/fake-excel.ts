// An in-memory stand-in for the part of Excel's object model the adapter uses, for tests and the benchmark. It must
// never be kinder than real Excel: office-addin-mock cannot model collections or Excel's behaviour, so this fake does,
// where it matters, after Microsoft's documentation (each rule cites what it relies on):
//  - commands are queued and only take effect on context.sync(), in order; the first failing command fails the sync
//    and nothing after it runs, while what ran before stays applied (Office.js batches are not transactions);
//    unloaded properties throw;
//  - a string written into a cell that is not formatted '@' is coerced as Excel does: `=…`, `+…`, `-…`, `@…`
//    become formulas and numeric text becomes a number (the CSV-injection hazard the adapter must avoid);
//  - protection: a protected sheet refuses values in locked cells, any cell formatting unless `allowFormatCells`,
//    column widths unless `allowFormatColumns`, row heights unless `allowFormatRows`, notes unless
//    `allowEditObjects`, merging, locking and data validation; protecting a protected sheet throws
//    (WorksheetProtection.protect: "Fails if the worksheet has already been protected", @types/office-js; the
//    options as in Excel's Protect Sheet dialog, support.microsoft.com "Protect a worksheet": Format cells = any
//    option of the Format Cells dialog, Edit objects = graphic objects and notes);
//  - request size: every request is measured the way Office.js serialises it (OfficeExtension's
//    ClientRequest: `{Actions: [...], ObjectPaths: {...}}`): every proxy object — each getRange(), each `.format`,
//    `.fill`, each note — adds an object path and an Instantiate action, every property set, method call and load
//    adds an action, besides the argument values. Excel on the web rejects a request or response over 5 MB
//    (RequestPayloadSizeLimitExceeded / ResponsePayloadSizeLimitExceeded; learn.microsoft.com "Resource limits and
//    performance optimization for Office Add-ins" § Excel add-ins); the fake applies that limit on every platform;
//  - reading `values` of more than 5,000,000 cells fails (same page: "A range is limited to 5,000,000 cells for read
//    operations");
//  - getMergedAreasOrNullObject fails when the range holds more than 512 merged areas (@types/office-js: "if the
//    merged areas count in this range is more than 512, then this method will fail to return the result");
//  - a cell or note holds at most 32,767 characters (Excel specifications and limits: "Total number of characters
//    that a cell can contain: 32,767");
//  - getRange / getRanges addresses are limited to 8,192 characters (@types/office-js, Worksheet.getRange);
//  - charts (ExcelApi 1.1; @types/office-js ChartCollection.add, Chart, ChartAxis): the type must be one of
//    Excel.ChartType and seriesBy one of Excel.ChartSeriesBy, the source one rectangular range (not RangeAreas) on an
//    existing sheet, a protected sheet refuses them unless `allowEditObjects`; setPosition takes cell addresses;
//    ChartAxis.numberFormat needs ExcelApi 1.8 and a build below fails the request with ApiNotFound; legend
//    positions are Excel.ChartLegendPosition values. Series: with seriesBy Columns, one per column after the first
//    (the categories), named by the source's first row.
import { columnIndex, columnLetter } from '../../../forms/address';

export interface FakeCell {
  value: string | number | boolean;
  formula?: string;
  format: string;
  fill?: string;
  locked: boolean;
}

export interface ProtectionOptions {
  allowFormatCells?: boolean;
  allowFormatColumns?: boolean;
  allowFormatRows?: boolean;
  allowEditObjects?: boolean;
  [option: string]: boolean | string | undefined;
}

export interface FakeSheet {
  name: string;
  cells: Map<string, FakeCell>;
  merges: string[];
  columnWidths: Map<number, number>;
  validations: { address: string; rule: unknown; errorAlert?: unknown }[];
  frozenRows: number;
  page: { orientation?: string; paperSize?: string; printTitleRows?: string };
  protection: { protected: boolean; options?: ProtectionOptions };
  notes: Map<string, string>;
  /** Formatting applied to ranges: `A4:H4 font.bold=true`. */
  styles: string[];
  charts: FakeChartState[];
}

/** A chart on a sheet, as the tests inspect it. */
export interface FakeChartState {
  type: string;
  source: string;
  seriesBy: string;
  /** Series names (the source's first row after the category column). */
  series: string[];
  name?: string;
  title?: string;
  legend?: string;
  position?: { start: string; end?: string };
  valueAxisFormat?: string;
}

/** Excel.ChartType values (@types/office-js). */
const CHART_TYPES = new Set([
  'Invalid',
  'ColumnClustered',
  'ColumnStacked',
  'ColumnStacked100',
  '3DColumnClustered',
  '3DColumnStacked',
  '3DColumnStacked100',
  'BarClustered',
  'BarStacked',
  'BarStacked100',
  '3DBarClustered',
  '3DBarStacked',
  '3DBarStacked100',
  'LineStacked',
  'LineStacked100',
  'LineMarkers',
  'LineMarkersStacked',
  'LineMarkersStacked100',
  'PieOfPie',
  'PieExploded',
  '3DPieExploded',
  'BarOfPie',
  'XYScatterSmooth',
  'XYScatterSmoothNoMarkers',
  'XYScatterLines',
  'XYScatterLinesNoMarkers',
  'AreaStacked',
  'AreaStacked100',
  '3DAreaStacked',
  '3DAreaStacked100',
  'DoughnutExploded',
  'RadarMarkers',
  'RadarFilled',
  'Surface',
  'SurfaceWireframe',
  'SurfaceTopView',
  'SurfaceTopViewWireframe',
  'Bubble',
  'Bubble3DEffect',
  'StockHLC',
  'StockOHLC',
  'StockVHLC',
  'StockVOHLC',
  'CylinderColClustered',
  'CylinderColStacked',
  'CylinderColStacked100',
  'CylinderBarClustered',
  'CylinderBarStacked',
  'CylinderBarStacked100',
  'CylinderCol',
  'ConeColClustered',
  'ConeColStacked',
  'ConeColStacked100',
  'ConeBarClustered',
  'ConeBarStacked',
  'ConeBarStacked100',
  'ConeCol',
  'PyramidColClustered',
  'PyramidColStacked',
  'PyramidColStacked100',
  'PyramidBarClustered',
  'PyramidBarStacked',
  'PyramidBarStacked100',
  'PyramidCol',
  '3DColumn',
  'Line',
  '3DLine',
  '3DPie',
  'Pie',
  'XYScatter',
  '3DArea',
  'Area',
  'Doughnut',
  'Radar',
  'Histogram',
  'Boxwhisker',
  'Pareto',
  'RegionMap',
  'Treemap',
  'Waterfall',
  'Sunburst',
  'Funnel',
]);
const SERIES_BY = new Set(['Auto', 'Columns', 'Rows']);
const LEGEND_POSITIONS = new Set(['Invalid', 'Top', 'Bottom', 'Left', 'Right', 'Corner', 'Custom']);

export interface SyncRecord {
  /** Bytes of the request as Office.js serialises it: object paths, actions and their arguments. */
  requestBytes: number;
  /** Bytes of the response: one result per action plus the loaded properties. */
  responseBytes: number;
  /** Proxy objects created for this request. */
  proxies: number;
}

interface Bounds {
  row: number;
  col: number;
  rows: number;
  cols: number;
}

/** Excel on the web's cap on one request and one response: "5MB" (decimal, the stricter reading). */
export const PAYLOAD_LIMIT = 5_000_000;
export const READ_CELL_LIMIT = 5_000_000;
export const MERGED_AREAS_LIMIT = 512;
export const CELL_CHARACTERS = 32_767;
export const ADDRESS_CHARACTERS = 8_192;

const MAX_ROWS = 1_048_576;
const MAX_COLUMNS = 16_384;
const encoder = new TextEncoder();
const sizeOf = (v: unknown) => encoder.encode(JSON.stringify(v)).byteLength;
const key = (r: number, c: number) => `${r},${c}`;
/** `{"AutoKeepReference":false,"Actions":[],"ObjectPaths":{}}` and the root objects every request names again. */
const REQUEST_FRAME = 300;
/** `{"ActionId":123456,"Value":…}` per action in the response. */
const RESULT_OVERHEAD = 28;

export class OfficeError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(`${code}: ${message}`);
    this.name = 'RichApi.Error';
  }
}

export function parseRange(address: string): Bounds {
  const local = address.includes('!') ? address.slice(address.lastIndexOf('!') + 1) : address;
  const [a, b = a] = local.replace(/\$/g, '').trim().split(':');
  const colOnly = /^[A-Z]+$/i;
  if (colOnly.test(a) && colOnly.test(b)) {
    const c0 = columnIndex(a) - 1;
    return { row: 0, col: c0, rows: MAX_ROWS, cols: columnIndex(b) - c0 };
  }
  const rowOnly = /^\d+$/;
  if (rowOnly.test(a) && rowOnly.test(b))
    return { row: Number(a) - 1, col: 0, rows: Number(b) - Number(a) + 1, cols: MAX_COLUMNS };
  const p = (s: string) => {
    const m = /^([A-Z]+)(\d+)$/i.exec(s);
    if (!m) throw new OfficeError('InvalidArgument', `bad address ${address}`);
    return { row: Number(m[2]) - 1, col: columnIndex(m[1]) - 1 };
  };
  const s = p(a);
  const e = p(b);
  return { row: s.row, col: s.col, rows: e.row - s.row + 1, cols: e.col - s.col + 1 };
}

export function addressOf(b: Bounds): string {
  const first = `${columnLetter(b.col + 1)}${b.row + 1}`;
  const last = `${columnLetter(b.col + b.cols)}${b.row + b.rows}`;
  return first === last ? first : `${first}:${last}`;
}

/** What Excel makes of a value typed or written into a cell with the given number format. */
export function coerce(value: unknown, format: string): Pick<FakeCell, 'value' | 'formula'> {
  if (typeof value !== 'string') return { value: value as number | boolean };
  if (format === '@' || value === '') return { value };
  if (/^\s*[+-]?\d+(\.\d+)?\s*$/.test(value)) return { value: Number(value) };
  if (/^[=+\-@]/.test(value)) return { value: '#NAME?', formula: value };
  return { value };
}

type Op = () => void;

export class FakeExcel {
  readonly sheets: FakeSheet[] = [];
  active: string | null = null;
  selected: { sheet: string; address: string } | null = null;
  readonly syncs: SyncRecord[] = [];
  private ops: Op[] = [];
  private loads: (() => unknown)[] = [];
  private requestBytes = REQUEST_FRAME;
  private actions = 0;
  private proxies = 0;
  private nextId = 1;
  private readonly supported: string;

  /** `apiVersion`: the highest ExcelApi requirement set this "Excel" supports, e.g. '1.18' or '1.4'. */
  constructor(apiVersion = '1.18') {
    this.supported = apiVersion;
  }

  get apiVersion(): string {
    return this.supported;
  }

  /** Office.context.document.settings: saved with the workbook. */
  readonly documentSettings = new Map<string, unknown>();

  env() {
    return {
      documentSettings: {
        get: (key: string) => this.documentSettings.get(key),
        set: async (key: string, value: unknown) =>
          void (value === null
            ? this.documentSettings.delete(key)
            : this.documentSettings.set(key, JSON.parse(JSON.stringify(value)))),
      },
      run: <T>(batch: (context: Excel.RequestContext) => Promise<T>) =>
        batch(new FakeContext(this) as unknown as Excel.RequestContext),
      isSetSupported: (name: string, version: string) => name === 'ExcelApi' && versionAtLeast(this.supported, version),
    };
  }

  addSheet(name: string, grid: (string | number | null)[][] = [], origin = 'A1'): FakeSheet {
    const sheet = newSheet(name);
    const o = parseRange(origin);
    grid.forEach((row, r) =>
      row.forEach((v, c) => {
        if (v !== null && v !== '')
          sheet.cells.set(key(o.row + r, o.col + c), { value: v, format: 'General', locked: true });
      }),
    );
    this.sheets.push(sheet);
    this.active ??= name;
    return sheet;
  }

  sheet(name: string): FakeSheet {
    const s = this.sheets.find((x) => x.name === name);
    if (!s) throw new OfficeError('ItemNotFound', `worksheet ${name}`);
    return s;
  }

  cell(sheet: string, address: string): FakeCell | undefined {
    const b = parseRange(address);
    return this.sheet(sheet).cells.get(key(b.row, b.col));
  }

  /** A user typing into a cell: Excel's coercion, and refusal on a locked cell of a protected sheet. */
  userEdit(sheet: string, address: string, text: string): void {
    const s = this.sheet(sheet);
    const b = parseRange(address);
    const cell = s.cells.get(key(b.row, b.col)) ?? { value: '', format: 'General', locked: true };
    if (s.protection.protected && cell.locked)
      throw new Error(`您试图更改的单元格或图表位于受保护的工作表中。(${address})`);
    s.cells.set(key(b.row, b.col), { ...cell, ...coerce(text, cell.format) });
  }

  /** A user filling cells with a colour of their own (Home → Fill Color). */
  userFill(sheet: string, address: string, color: string): void {
    const s = this.sheet(sheet);
    const b = parseRange(address);
    for (let r = b.row; r < b.row + b.rows; r++)
      for (let c = b.col; c < b.col + b.cols; c++) {
        const cell = s.cells.get(key(r, c)) ?? { value: '', format: 'General', locked: true };
        s.cells.set(key(r, c), { ...cell, fill: color });
      }
  }

  private interruption: number | null = null;

  /**
   * The next request carrying more than `afterOps` commands stops after that many, as when the connection drops or
   * a command fails halfway: what ran stays applied, the rest never runs, and the sync rejects.
   */
  interruptSync(afterOps: number): void {
    this.interruption = afterOps;
  }

  get syncCount(): number {
    return this.syncs.length;
  }

  // --- the request model, used by the fake object model ---

  /** A new proxy object: its object path and the Instantiate action Office.js adds for it. Returns its id. */
  path(type: 'method' | 'property' | 'root', name: string, parent: number, args?: unknown[]): number {
    const id = this.nextId++;
    const info = {
      Id: id,
      ObjectPathType: type === 'method' ? 3 : type === 'property' ? 4 : 2,
      Name: name,
      ParentObjectPathId: parent,
      ...(args ? { ArgumentInfo: { Arguments: args } } : {}),
    };
    const bytes = sizeOf(String(id)) + 1 + sizeOf(info) + 1;
    this.pathBytes.set(id, bytes);
    this.requestBytes += bytes;
    this.included.add(id);
    this.proxies++;
    this.action(1, '', id);
    return id;
  }

  /** Object paths sent in the current request; one made earlier is sent again by each request that uses it. */
  private included = new Set<number>();
  private readonly pathBytes = new Map<number, number>();

  /** An action: 1 Instantiate, 2 Query, 3 Method, 4 SetProperty. */
  action(type: number, name: string, pathId: number, args?: unknown[], query?: string[]): void {
    if (!this.included.has(pathId)) {
      this.included.add(pathId);
      this.requestBytes += this.pathBytes.get(pathId) ?? 0;
    }
    const info = {
      Id: this.nextId++,
      ActionType: type,
      Name: name,
      ObjectPathId: pathId,
      ...(args ? { ArgumentInfo: { Arguments: args } } : {}),
      ...(query ? { QueryInfo: { Select: query, Expand: [] } } : {}),
    };
    this.requestBytes += sizeOf(info) + 1;
    this.actions++;
  }

  queue(op: Op): void {
    this.ops.push(op);
  }

  queueLoad(load: () => unknown): void {
    this.loads.push(load);
  }

  /** A new Excel.run: what an earlier run queued but never synced (its batch threw) is gone with its context. */
  discardPending(): void {
    this.ops = [];
    this.loads = [];
    this.requestBytes = REQUEST_FRAME;
    this.included = new Set();
    this.actions = 0;
    this.proxies = 0;
  }

  async sync(): Promise<void> {
    const { ops, loads, requestBytes, actions, proxies } = this;
    this.discardPending();
    const record: SyncRecord = { requestBytes, responseBytes: 0, proxies };
    this.syncs.push(record);
    if (requestBytes > PAYLOAD_LIMIT)
      throw new OfficeError('RequestPayloadSizeLimitExceeded', 'The request payload size has exceeded the limit.');
    const cut = this.interruption;
    if (cut !== null && ops.length > cut) {
      this.interruption = null;
      for (const op of ops.slice(0, cut)) op();
      throw new OfficeError('GeneralException', 'the request was interrupted');
    }
    for (const op of ops) op();
    let responseBytes = actions * RESULT_OVERHEAD;
    for (const load of loads) responseBytes += sizeOf(load() ?? null);
    record.responseBytes = responseBytes;
    if (responseBytes > PAYLOAD_LIMIT)
      throw new OfficeError('ResponsePayloadSizeLimitExceeded', 'The response payload size has exceeded the limit.');
  }

  usedBounds(sheet: FakeSheet): Bounds | null {
    let r0 = Infinity,
      c0 = Infinity,
      r1 = -1,
      c1 = -1;
    for (const [k, cell] of sheet.cells) {
      if (cell.value === '' && !cell.formula) continue;
      const [r, c] = k.split(',').map(Number);
      r0 = Math.min(r0, r);
      c0 = Math.min(c0, c);
      r1 = Math.max(r1, r);
      c1 = Math.max(c1, c);
    }
    return r1 < 0 ? null : { row: r0, col: c0, rows: r1 - r0 + 1, cols: c1 - c0 + 1 };
  }
}

function versionAtLeast(have: string, want: string): boolean {
  const [a, b] = have.split('.').map(Number);
  const [c, d] = want.split('.').map(Number);
  return a > c || (a === c && b >= d);
}

function newSheet(name: string): FakeSheet {
  return {
    name,
    cells: new Map(),
    merges: [],
    columnWidths: new Map(),
    validations: [],
    frozenRows: 0,
    page: {},
    protection: { protected: false },
    notes: new Map(),
    styles: [],
    charts: [],
  };
}

type Protected = 'values' | 'formatCells' | 'formatColumns' | 'formatRows' | 'objects' | 'structure';

/** Refuses what a protected sheet refuses; `lockedOnly` cells are those a value write would touch. */
function guard(sheet: FakeSheet, what: Protected): void {
  const { protected: on, options = {} } = sheet.protection;
  if (!on) return;
  const allowed =
    (what === 'formatCells' && options.allowFormatCells) ||
    (what === 'formatColumns' && options.allowFormatColumns) ||
    (what === 'formatRows' && options.allowFormatRows) ||
    (what === 'objects' && options.allowEditObjects);
  if (!allowed) throw new OfficeError('AccessDenied', `the worksheet ${sheet.name} is protected (${what})`);
}

/** A proxy object: its own object path in every request it is used in; properties throw until loaded. */
class Proxy {
  private readonly loaded = new Map<string, unknown>();
  constructor(
    protected readonly xl: FakeExcel,
    readonly pid: number,
  ) {}
  protected deliver(props: string, compute: (prop: string) => unknown): void {
    const names = props
      .split(',')
      .map((p) => p.trim())
      .filter(Boolean);
    this.xl.action(2, '', this.pid, undefined, names);
    this.xl.queueLoad(() => {
      const out: Record<string, unknown> = {};
      for (const n of names) this.loaded.set(n, (out[n] = compute(n)));
      return out;
    });
  }
  protected got<T>(prop: string): T {
    if (!this.loaded.has(prop)) throw new Error(`PropertyNotLoaded: ${prop} (call load("${prop}") and sync first)`);
    return this.loaded.get(prop) as T;
  }
  protected set(name: string, value: unknown, op: Op): void {
    this.xl.action(4, name, this.pid, [value]);
    this.xl.queue(op);
  }
  protected call(name: string, args: unknown[], op: Op): void {
    this.xl.action(3, name, this.pid, args);
    this.xl.queue(op);
  }
  /** A value returned by a method (OfficeExtension.ClientResult): readable after the sync. */
  protected result<T>(name: string, args: unknown[], compute: () => T): { readonly value: T } {
    this.xl.action(3, name, this.pid, args);
    let value: { v: T } | null = null;
    this.xl.queueLoad(() => (value = { v: compute() }).v);
    return {
      get value(): T {
        if (!value) throw new Error(`PropertyNotLoaded: ${name}() result (sync first)`);
        return value.v;
      },
    };
  }
}

class FakeContext {
  readonly workbook: { worksheets: FakeWorksheets };
  constructor(private readonly xl: FakeExcel) {
    xl.discardPending();
    const workbook = xl.path('root', 'Workbook', 0);
    this.workbook = { worksheets: new FakeWorksheets(xl, xl.path('property', 'worksheets', workbook)) };
  }
  sync(): Promise<void> {
    return this.xl.sync();
  }
}

class FakeWorksheets extends Proxy {
  load(props: string) {
    if (props !== 'items/name') throw new Error(`fake: unsupported load ${props}`);
    this.deliver('items', () =>
      this.xl.sheets.map((s) => new FakeWorksheet(this.xl, this.xl.path('method', 'getItem', this.pid), s.name, true)),
    );
  }
  get items(): FakeWorksheet[] {
    return this.got('items');
  }
  getItem(name: string) {
    return new FakeWorksheet(this.xl, this.xl.path('method', 'getItem', this.pid, [name]), name, false);
  }
  getActiveWorksheet() {
    return new FakeWorksheet(
      this.xl,
      this.xl.path('method', 'getActiveWorksheet', this.pid),
      this.xl.active ?? '',
      false,
    );
  }
  add(name: string) {
    const id = this.xl.path('method', 'add', this.pid, [name]);
    this.xl.queue(() => {
      if (this.xl.sheets.some((s) => s.name.toLowerCase() === name.toLowerCase()))
        throw new OfficeError('ItemAlreadyExists', name);
      if (name.length > 31 || /[\\/?*[\]:]/.test(name) || !name.trim())
        throw new OfficeError('InvalidArgument', `sheet name ${name}`);
      this.xl.sheets.push(newSheet(name));
    });
    return new FakeWorksheet(this.xl, id, name, false);
  }
}

/** Builds a child proxy object the first time a property is read, as Office.js caches `.format`, `.notes`… */
function lazy<T>(make: () => T): () => T {
  let made: T | undefined;
  return () => (made ??= make());
}

class FakeWorksheet extends Proxy {
  private readonly knownName?: string;
  private readonly freeze = lazy(
    () => new FakeFreezePanes(this.xl, this.xl.path('property', 'freezePanes', this.pid), this.state),
  );
  private readonly page = lazy(
    () => new FakePageLayout(this.xl, this.xl.path('property', 'pageLayout', this.pid), this.state),
  );
  private readonly guard = lazy(
    () => new FakeProtection(this.xl, this.xl.path('property', 'protection', this.pid), this.state),
  );
  private readonly noteList = lazy(
    () => new FakeNotes(this.xl, this.xl.path('property', 'notes', this.pid), this.state),
  );
  constructor(
    xl: FakeExcel,
    pid: number,
    private readonly sheetName: string,
    nameLoaded: boolean,
  ) {
    super(xl, pid);
    if (nameLoaded) this.knownName = sheetName;
  }
  private readonly state = () => this.xl.sheet(this.sheetName);
  get freezePanes() {
    return this.freeze();
  }
  get pageLayout() {
    return this.page();
  }
  get protection() {
    return this.guard();
  }
  get notes() {
    return this.noteList();
  }
  get charts() {
    if (!versionAtLeast(this.xl.apiVersion, '1.1')) throw new OfficeError('ApiNotFound', 'Worksheet.charts');
    return new FakeCharts(this.xl, this.xl.path('property', 'charts', this.pid), this.state);
  }
  get name(): string {
    return this.knownName ?? this.got<string>('name');
  }
  load(props: string) {
    this.deliver(props, (p) => {
      if (p !== 'name') throw new Error(`fake: unsupported worksheet load ${p}`);
      return this.sheetName;
    });
  }
  getRange(address: string) {
    if (address.length > ADDRESS_CHARACTERS) throw new OfficeError('InvalidArgument', 'address over 8192 characters');
    const b = parseRange(address);
    return new FakeRange(this.xl, this.xl.path('method', 'getRange', this.pid, [address]), this.state, () => [b]);
  }
  /** RangeAreas (ExcelApi 1.9): `H5, H7, B6:D6`. */
  getRanges(address: string) {
    if (address.length > ADDRESS_CHARACTERS) throw new OfficeError('InvalidArgument', 'address over 8192 characters');
    const areas = address.split(/[,;]/).map(parseRange);
    return new FakeRange(this.xl, this.xl.path('method', 'getRanges', this.pid, [address]), this.state, () => areas);
  }
  getUsedRangeOrNullObject(valuesOnly?: boolean) {
    if (!valuesOnly) throw new Error('fake: only valuesOnly used ranges are modelled');
    return new FakeRange(
      this.xl,
      this.xl.path('method', 'getUsedRangeOrNullObject', this.pid, [true]),
      this.state,
      () => {
        const b = this.xl.usedBounds(this.state());
        return b ? [b] : null;
      },
    );
  }
  activate() {
    this.call('activate', [], () => {
      this.state();
      this.xl.active = this.sheetName;
    });
  }
}

class FakeCharts extends Proxy {
  constructor(
    xl: FakeExcel,
    pid: number,
    private readonly state: () => FakeSheet,
  ) {
    super(xl, pid);
  }
  add(type: string, sourceData: unknown, seriesBy = 'Auto') {
    const id = this.xl.path('method', 'add', this.pid, [type, seriesBy]);
    const chart: FakeChartState = { type, source: '', seriesBy, series: [] };
    this.xl.queue(() => {
      const sheet = this.state();
      guard(sheet, 'objects');
      if (!CHART_TYPES.has(type) || type === 'Invalid') throw new OfficeError('InvalidArgument', `chart type ${type}`);
      if (!SERIES_BY.has(seriesBy)) throw new OfficeError('InvalidArgument', `seriesBy ${seriesBy}`);
      if (!(sourceData instanceof FakeRange)) throw new OfficeError('InvalidArgument', 'sourceData must be a Range');
      const [b] = sourceData.must();
      if (sourceData.must().length !== 1) throw new OfficeError('InvalidArgument', 'sourceData must be one range');
      chart.source = addressOf(b);
      const src = sourceData.state();
      chart.series = Array.from({ length: b.cols - 1 }, (_, i) =>
        String(src.cells.get(key(b.row, b.col + 1 + i))?.value ?? `系列${i + 1}`),
      );
      sheet.charts.push(chart);
    });
    return new FakeChart(this.xl, id, chart);
  }
}

class FakeChart extends Proxy {
  readonly title: { text: string };
  readonly legend: { position: string };
  readonly axes: { valueAxis: { numberFormat: string } };
  constructor(
    xl: FakeExcel,
    pid: number,
    private readonly chart: FakeChartState,
  ) {
    super(xl, pid);
    const child = (name: string, set: (prop: string, v: string) => void) => {
      const cid = xl.path('property', name, pid);
      return (prop: string, v: string) => {
        xl.action(4, prop, cid, [v]);
        xl.queue(() => set(prop, v));
      };
    };
    const title = child('title', (_p, v) => (chart.title = v));
    const legend = child('legend', (_p, v) => {
      if (!LEGEND_POSITIONS.has(v)) throw new OfficeError('InvalidArgument', `legend position ${v}`);
      chart.legend = v;
    });
    const axis = child('axes/valueAxis', (_p, v) => {
      if (!versionAtLeast(xl.apiVersion, '1.8')) throw new OfficeError('ApiNotFound', 'ChartAxis.numberFormat');
      chart.valueAxisFormat = v;
    });
    this.title = {
      set text(v: string) {
        title('text', v);
      },
      get text() {
        return chart.title ?? '';
      },
    };
    this.legend = {
      set position(v: string) {
        legend('position', v);
      },
      get position() {
        return chart.legend ?? '';
      },
    };
    this.axes = {
      valueAxis: {
        set numberFormat(v: string) {
          axis('numberFormat', v);
        },
        get numberFormat() {
          return chart.valueAxisFormat ?? '';
        },
      },
    };
  }
  set name(v: string) {
    this.set('name', v, () => {
      if (!v || v.length > 255) throw new OfficeError('InvalidArgument', `chart name ${v}`);
      this.chart.name = v;
    });
  }
  setPosition(startCell: string, endCell?: string) {
    this.call('setPosition', [startCell, endCell], () => {
      parseRange(startCell);
      if (endCell !== undefined) parseRange(endCell);
      this.chart.position = { start: startCell, ...(endCell ? { end: endCell } : {}) };
    });
  }
}

class FakeFreezePanes extends Proxy {
  constructor(
    xl: FakeExcel,
    pid: number,
    private readonly state: () => FakeSheet,
  ) {
    super(xl, pid);
  }
  freezeRows(n: number) {
    this.call('freezeRows', [n], () => void (this.state().frozenRows = n));
  }
  freezeAt(r: FakeRange) {
    this.call('freezeAt', [{ _ObjectPathId: r.pid }], () => void (this.state().frozenRows = r.single().rows));
  }
}

class FakePageLayout extends Proxy {
  constructor(
    xl: FakeExcel,
    pid: number,
    private readonly state: () => FakeSheet,
  ) {
    super(xl, pid);
  }
  set orientation(v: string) {
    this.set('orientation', v, () => void (this.state().page.orientation = v));
  }
  set paperSize(v: string) {
    this.set('paperSize', v, () => void (this.state().page.paperSize = v));
  }
  setPrintTitleRows(rows: string) {
    this.call('setPrintTitleRows', [rows], () => void (this.state().page.printTitleRows = rows));
  }
}

class FakeProtection extends Proxy {
  constructor(
    xl: FakeExcel,
    pid: number,
    private readonly state: () => FakeSheet,
  ) {
    super(xl, pid);
  }
  protect(options?: ProtectionOptions) {
    this.call('protect', options ? [options] : [], () => {
      const s = this.state();
      if (s.protection.protected) throw new OfficeError('InvalidOperation', `${s.name} is already protected`);
      s.protection = { protected: true, options: { ...options } };
    });
  }
  load(props: string) {
    this.deliver(props, (p) => {
      const { protected: on, options } = this.state().protection;
      if (p === 'protected') return on;
      if (p === 'options') return { ...options };
      throw new Error(`fake: unsupported protection load ${p}`);
    });
  }
  get protected(): boolean {
    return this.got('protected');
  }
  get options(): ProtectionOptions {
    return this.got('options');
  }
}

class FakeNotes extends Proxy {
  constructor(
    xl: FakeExcel,
    pid: number,
    private readonly state: () => FakeSheet,
  ) {
    super(xl, pid);
  }
  add(cell: string, text: string) {
    const id = this.xl.path('method', 'add', this.pid, [cell, text]);
    this.xl.queue(() => {
      const s = this.state();
      guard(s, 'objects');
      if (text.length > CELL_CHARACTERS)
        throw new OfficeError('InvalidArgument', `note over ${CELL_CHARACTERS} characters`);
      if (s.notes.has(cell)) throw new OfficeError('InvalidArgument', `a note already exists at ${cell}`);
      s.notes.set(cell, text);
    });
    return new FakeNote(this.xl, id, this.state, cell);
  }
  getItemOrNullObject(cell: string) {
    return new FakeNote(this.xl, this.xl.path('method', 'getItemOrNullObject', this.pid, [cell]), this.state, cell);
  }
  getCount() {
    return this.result('getCount', [], () => this.state().notes.size);
  }
}

class FakeNote extends Proxy {
  constructor(
    xl: FakeExcel,
    pid: number,
    private readonly state: () => FakeSheet,
    private readonly cell: string,
  ) {
    super(xl, pid);
  }
  load(props: string) {
    this.deliver(props, () => !this.state().notes.has(this.cell));
  }
  get isNullObject(): boolean {
    return this.got('isNullObject');
  }
  delete() {
    this.call('delete', [], () => {
      const s = this.state();
      guard(s, 'objects');
      if (!s.notes.has(this.cell)) throw new OfficeError('InvalidObjectPath', `no note at ${this.cell}`);
      s.notes.delete(this.cell);
    });
  }
}

/** A Range, or RangeAreas when it has several areas (getRanges, getMergedAreasOrNullObject). */
class FakeRange extends Proxy {
  private readonly formatObject = lazy(
    () => new FakeFormat(this.xl, this.xl.path('property', 'format', this.pid), this),
  );
  private readonly validation = lazy(
    () => new FakeDataValidation(this.xl, this.xl.path('property', 'dataValidation', this.pid), this),
  );
  constructor(
    xl: FakeExcel,
    pid: number,
    readonly state: () => FakeSheet,
    readonly areas: () => Bounds[] | null,
  ) {
    super(xl, pid);
  }
  get format() {
    return this.formatObject();
  }
  get dataValidation() {
    return this.validation();
  }

  must(): Bounds[] {
    const a = this.areas();
    if (!a) throw new OfficeError('InvalidObjectPath', 'the range is a null object');
    return a;
  }
  single(): Bounds {
    const a = this.must();
    if (a.length !== 1) throw new OfficeError('InvalidArgument', 'a single range is needed');
    return a[0];
  }

  styled(prop: string, v: unknown) {
    for (const b of this.must()) this.state().styles.push(`${addressOf(b)} ${prop}=${JSON.stringify(v)}`);
  }

  eachCell(f: (cell: FakeCell, r: number, c: number) => void, createMissing = true) {
    const s = this.state();
    for (const b of this.must()) {
      const rows = Math.min(b.rows, 20_000);
      for (let r = b.row; r < b.row + rows; r++)
        for (let c = b.col; c < b.col + b.cols; c++) {
          let cell = s.cells.get(key(r, c));
          if (!cell) {
            if (!createMissing) continue;
            cell = { value: '', format: 'General', locked: true };
            s.cells.set(key(r, c), cell);
          }
          f(cell, r, c);
        }
    }
  }

  load(props: string) {
    this.deliver(props, (p) => {
      const areas = this.areas();
      if (!areas) return null;
      const b = areas[0];
      const s = this.state();
      switch (p) {
        case 'address':
          return areas.map((a) => `${s.name}!${addressOf(a)}`).join(',');
        case 'rowCount':
          return b.rows;
        case 'columnCount':
          return b.cols;
        case 'values': {
          if (b.rows * b.cols > READ_CELL_LIMIT)
            throw new OfficeError('RangeExceedsLimit', `${b.rows * b.cols} cells: a read is limited to 5,000,000`);
          return Array.from({ length: b.rows }, (_, r) =>
            Array.from({ length: b.cols }, (_, c) => s.cells.get(key(b.row + r, b.col + c))?.value ?? ''),
          );
        }
        default:
          throw new Error(`fake: unsupported range load ${p}`);
      }
    });
  }
  get isNullObject(): boolean {
    return this.areas() === null;
  }
  get address(): string {
    return this.got('address');
  }
  get rowCount(): number {
    return this.got('rowCount');
  }
  get columnCount(): number {
    return this.got('columnCount');
  }
  get values(): (string | number | boolean)[][] {
    return this.got('values');
  }

  set values(grid: unknown[][]) {
    this.set('values', grid, () => {
      const b = this.single();
      this.checkShape(grid);
      const s = this.state();
      if (s.protection.protected)
        this.eachCell((cell) => {
          if (cell.locked) throw new OfficeError('AccessDenied', 'the cell is on a protected sheet');
        }, false);
      for (const row of grid)
        for (const v of row)
          if (typeof v === 'string' && v.length > CELL_CHARACTERS)
            throw new OfficeError('InvalidArgument', `a cell holds at most ${CELL_CHARACTERS} characters`);
      this.eachCell((cell, r, c) =>
        Object.assign(cell, { formula: undefined }, coerce(grid[r - b.row][c - b.col], cell.format)),
      );
    });
  }
  set numberFormat(grid: string[][]) {
    this.set('numberFormat', grid, () => {
      guard(this.state(), 'formatCells');
      const b = this.single();
      this.checkShape(grid);
      this.eachCell((cell, r, c) => void (cell.format = grid[r - b.row][c - b.col]));
    });
  }

  private checkShape(grid: unknown[][]) {
    const b = this.single();
    if (grid.length !== b.rows || grid.some((row) => row.length !== b.cols))
      throw new OfficeError('InvalidArgument', `${grid.length}×${grid[0]?.length} array for range ${addressOf(b)}`);
  }

  /** ExcelApi 1.9: the fill of every cell, `[[{format: {fill: {color, pattern}}}]]`. */
  getCellProperties(options: { format?: { fill?: { color?: boolean; pattern?: boolean } } }) {
    return this.result('getCellProperties', [options], () => {
      const b = this.single();
      const s = this.state();
      return Array.from({ length: b.rows }, (_, r) =>
        Array.from({ length: b.cols }, (_, c) => {
          const fill = s.cells.get(key(b.row + r, b.col + c))?.fill;
          return { format: { fill: fill ? { color: fill, pattern: 'Solid' } : { color: '#FFFFFF', pattern: 'None' } } };
        }),
      );
    });
  }

  getMergedAreasOrNullObject() {
    const id = this.xl.path('method', 'getMergedAreasOrNullObject', this.pid);
    let found: Bounds[] | null = null;
    const areas = new FakeRange(this.xl, id, this.state, () => found);
    // The areas are looked up when the request runs: more than 512 fail the request there.
    this.xl.queue(() => {
      const within = this.state()
        .merges.map(parseRange)
        .filter((a) =>
          this.must().some(
            (b) =>
              a.row >= b.row && a.col >= b.col && a.row + a.rows <= b.row + b.rows && a.col + a.cols <= b.col + b.cols,
          ),
        );
      if (within.length > MERGED_AREAS_LIMIT)
        throw new OfficeError('GeneralException', `${within.length} merged areas: more than ${MERGED_AREAS_LIMIT}`);
      found = within.length ? within : null;
    });
    return areas;
  }
  getCell(r: number, c: number) {
    const b = this.single();
    const cell = { row: b.row + r, col: b.col + c, rows: 1, cols: 1 };
    return new FakeRange(this.xl, this.xl.path('method', 'getCell', this.pid, [r, c]), this.state, () => [cell]);
  }
  getResizedRange(dr: number, dc: number) {
    const b = this.single();
    const resized = { ...b, rows: b.rows + dr, cols: b.cols + dc };
    return new FakeRange(this.xl, this.xl.path('method', 'getResizedRange', this.pid, [dr, dc]), this.state, () => [
      resized,
    ]);
  }
  merge(across?: boolean) {
    this.call('merge', [across ?? false], () => {
      guard(this.state(), 'structure');
      this.state().merges.push(addressOf(this.single()));
    });
  }
  select() {
    this.call(
      'select',
      [],
      () => void (this.xl.selected = { sheet: this.state().name, address: addressOf(this.single()) }),
    );
  }
}

class FakeFormat extends Proxy {
  private readonly fillObject = lazy(
    () => new FakeFill(this.xl, this.xl.path('property', 'fill', this.pid), this.range),
  );
  private readonly fontObject = lazy(
    () => new FakeStyle(this.xl, this.xl.path('property', 'font', this.pid), this.range, 'font.'),
  );
  private readonly lockObject = lazy(
    () => new FakeCellProtection(this.xl, this.xl.path('property', 'protection', this.pid), this.range),
  );
  private readonly borderList = lazy(
    () => new FakeBorders(this.xl, this.xl.path('property', 'borders', this.pid), this.range),
  );
  constructor(
    xl: FakeExcel,
    pid: number,
    private readonly range: FakeRange,
  ) {
    super(xl, pid);
  }
  get fill() {
    return this.fillObject();
  }
  get font() {
    return this.fontObject();
  }
  get protection() {
    return this.lockObject();
  }
  get borders() {
    return this.borderList();
  }
  private style(prop: string, v: unknown) {
    this.set(prop, v, () => {
      guard(this.range.state(), 'formatCells');
      this.range.styled(prop, v);
    });
  }
  set wrapText(v: boolean) {
    this.style('wrapText', v);
  }
  set horizontalAlignment(v: string) {
    this.style('horizontalAlignment', v);
  }
  set verticalAlignment(v: string) {
    this.style('verticalAlignment', v);
  }
  set columnWidth(w: number) {
    this.set('columnWidth', w, () => {
      guard(this.range.state(), 'formatColumns');
      for (const b of this.range.must())
        for (let c = b.col; c < b.col + b.cols; c++) this.range.state().columnWidths.set(c, w);
    });
  }
  autofitRows() {
    this.call('autofitRows', [], () => {
      guard(this.range.state(), 'formatRows');
      this.range.styled('autofitRows', true);
    });
  }
}

class FakeFill extends Proxy {
  constructor(
    xl: FakeExcel,
    pid: number,
    private readonly range: FakeRange,
  ) {
    super(xl, pid);
  }
  set color(v: string) {
    this.set('color', v, () => {
      guard(this.range.state(), 'formatCells');
      this.range.eachCell((c) => void (c.fill = v));
    });
  }
  clear() {
    this.call('clear', [], () => {
      guard(this.range.state(), 'formatCells');
      this.range.eachCell((c) => void delete c.fill, false);
    });
  }
}

/** font.bold / name / size and a border's style: recorded in `styles`, refused without allowFormatCells. */
class FakeStyle extends Proxy {
  constructor(
    xl: FakeExcel,
    pid: number,
    private readonly range: FakeRange,
    private readonly prefix: string,
  ) {
    super(xl, pid);
  }
  private apply(prop: string, v: unknown) {
    this.set(prop, v, () => {
      guard(this.range.state(), 'formatCells');
      this.range.styled(this.prefix + prop, v);
    });
  }
  set bold(v: boolean) {
    this.apply('bold', v);
  }
  set name(v: string) {
    this.apply('name', v);
  }
  set size(v: number) {
    this.apply('size', v);
  }
  set style(v: string) {
    this.apply('style', v);
  }
}

class FakeBorders extends Proxy {
  constructor(
    xl: FakeExcel,
    pid: number,
    private readonly range: FakeRange,
  ) {
    super(xl, pid);
  }
  getItem(edge: string) {
    return new FakeStyle(this.xl, this.xl.path('method', 'getItem', this.pid, [edge]), this.range, `border.${edge}.`);
  }
}

class FakeCellProtection extends Proxy {
  constructor(
    xl: FakeExcel,
    pid: number,
    private readonly range: FakeRange,
  ) {
    super(xl, pid);
  }
  set locked(v: boolean) {
    this.set('locked', v, () => {
      guard(this.range.state(), 'structure');
      this.range.eachCell((c) => void (c.locked = v));
    });
  }
}

class FakeDataValidation extends Proxy {
  private alert: unknown;
  constructor(
    xl: FakeExcel,
    pid: number,
    private readonly range: FakeRange,
  ) {
    super(xl, pid);
  }
  private get address() {
    return addressOf(this.range.single());
  }
  clear() {
    this.call('clear', [], () => {
      const s = this.range.state();
      guard(s, 'structure');
      s.validations = s.validations.filter((v) => v.address !== this.address);
    });
  }
  set rule(rule: unknown) {
    this.set('rule', rule, () => {
      guard(this.range.state(), 'structure');
      this.range.state().validations.push({ address: this.address, rule, errorAlert: this.alert });
    });
  }
  set errorAlert(alert: unknown) {
    this.set('errorAlert', alert, () => {
      const v = this.range.state().validations.find((x) => x.address === this.address);
      if (v) v.errorAlert = alert;
      else this.alert = alert;
    });
  }
}
