// An in-memory stand-in for the part of Excel's object model the adapter uses, for tests and the benchmark.
// office-addin-mock cannot model collections or Excel's behaviour, so this fake does, where it matters:
//  - commands are queued and only take effect on context.sync(), in order; unloaded properties throw;
//  - a string written into a cell that is not formatted '@' is coerced as Excel does: `=…`, `+…`, `-…`, `@…`
//    become formulas and numeric text becomes a number (the CSV-injection hazard the adapter must avoid);
//  - a protected sheet refuses edits of locked cells;
//  - every sync records the JSON size of what was sent and received (Excel on the web caps each at 5 MB).
import { columnIndex, columnLetter } from '../../forms/address';

export interface FakeCell {
  value: string | number | boolean;
  formula?: string;
  format: string;
  fill?: string;
  locked: boolean;
}

export interface FakeSheet {
  name: string;
  cells: Map<string, FakeCell>;
  merges: string[];
  columnWidths: Map<number, number>;
  validations: { address: string; rule: unknown; errorAlert?: unknown }[];
  frozenRows: number;
  page: { orientation?: string; paperSize?: string; printTitleRows?: string };
  protection: { protected: boolean; options?: Record<string, boolean> };
  notes: Map<string, string>;
  /** Formatting applied to ranges: `A4:H4 font.bold=true`. */
  styles: string[];
}

export interface SyncRecord {
  /** JSON bytes of the values, formats and other arguments sent in this request. */
  requestBytes: number;
  /** JSON bytes of the loaded properties returned. */
  responseBytes: number;
}

interface Bounds {
  row: number;
  col: number;
  rows: number;
  cols: number;
}

const MAX_ROWS = 1_048_576;
const encoder = new TextEncoder();
const sizeOf = (v: unknown) => encoder.encode(JSON.stringify(v)).byteLength;
const key = (r: number, c: number) => `${r},${c}`;

export function parseRange(address: string): Bounds {
  const local = address.includes('!') ? address.slice(address.lastIndexOf('!') + 1) : address;
  const [a, b = a] = local.replace(/\$/g, '').split(':');
  const colOnly = /^[A-Z]+$/i;
  if (colOnly.test(a) && colOnly.test(b)) {
    const c0 = columnIndex(a) - 1;
    return { row: 0, col: c0, rows: MAX_ROWS, cols: columnIndex(b) - c0 };
  }
  const rowOnly = /^\d+$/;
  if (rowOnly.test(a) && rowOnly.test(b))
    return { row: Number(a) - 1, col: 0, rows: Number(b) - Number(a) + 1, cols: 16384 };
  const p = (s: string) => {
    const m = /^([A-Z]+)(\d+)$/i.exec(s);
    if (!m) throw new Error(`InvalidArgument: bad address ${address}`);
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

export class FakeExcel {
  readonly sheets: FakeSheet[] = [];
  active: string | null = null;
  selected: { sheet: string; address: string } | null = null;
  readonly syncs: SyncRecord[] = [];
  private ops: (() => void)[] = [];
  private loads: (() => unknown)[] = [];
  private pendingBytes = 0;
  private readonly supported: string;

  /** `apiVersion`: the highest ExcelApi requirement set this "Excel" supports, e.g. '1.18' or '1.4'. */
  constructor(apiVersion = '1.18') {
    this.supported = apiVersion;
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
    if (!s) throw new Error(`ItemNotFound: worksheet ${name}`);
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

  get syncCount(): number {
    return this.syncs.length;
  }

  // --- used by the fake object model ---
  queue(op: () => void, payload?: unknown): void {
    this.ops.push(op);
    if (payload !== undefined) this.pendingBytes += sizeOf(payload);
  }

  queueLoad(load: () => unknown): void {
    this.loads.push(load);
  }

  async sync(): Promise<void> {
    const ops = this.ops;
    const loads = this.loads;
    const requestBytes = this.pendingBytes;
    this.ops = [];
    this.loads = [];
    this.pendingBytes = 0;
    for (const op of ops) op();
    let responseBytes = 0;
    for (const load of loads) responseBytes += sizeOf(load() ?? null);
    this.syncs.push({ requestBytes, responseBytes });
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
  };
}

/** Object whose properties throw until a sync has delivered them, as in Office.js. */
class Loadable {
  private readonly loaded = new Map<string, unknown>();
  protected constructor(protected readonly xl: FakeExcel) {}
  protected deliver(props: string, compute: (prop: string) => unknown): void {
    const names = props
      .split(',')
      .map((p) => p.trim())
      .filter(Boolean);
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
}

class FakeContext {
  readonly workbook: { worksheets: FakeWorksheets };
  constructor(private readonly xl: FakeExcel) {
    this.workbook = { worksheets: new FakeWorksheets(xl) };
  }
  sync(): Promise<void> {
    return this.xl.sync();
  }
}

class FakeWorksheets extends Loadable {
  constructor(xl: FakeExcel) {
    super(xl);
  }
  load(props: string) {
    if (props !== 'items/name') throw new Error(`fake: unsupported load ${props}`);
    this.deliver('items', () => this.xl.sheets.map((s) => new FakeWorksheet(this.xl, s.name, true)));
  }
  get items(): FakeWorksheet[] {
    return this.got('items');
  }
  getItem(name: string) {
    return new FakeWorksheet(this.xl, name, false);
  }
  getActiveWorksheet() {
    return new FakeWorksheet(this.xl, this.xl.active ?? '', false);
  }
  add(name: string) {
    this.xl.queue(() => {
      if (this.xl.sheets.some((s) => s.name.toLowerCase() === name.toLowerCase()))
        throw new Error(`ItemAlreadyExists: ${name}`);
      if (name.length > 31 || /[\\/?*[\]:]/.test(name) || !name.trim())
        throw new Error(`InvalidArgument: sheet name ${name}`);
      this.xl.sheets.push(newSheet(name));
    }, name);
    return new FakeWorksheet(this.xl, name, false);
  }
}

class FakeWorksheet extends Loadable {
  readonly freezePanes;
  readonly pageLayout;
  readonly protection;
  readonly notes;
  constructor(
    xl: FakeExcel,
    private readonly sheetName: string,
    nameLoaded: boolean,
  ) {
    super(xl);
    if (nameLoaded) this.knownName = sheetName;
    const state = () => this.xl.sheet(this.sheetName);
    this.freezePanes = {
      freezeRows: (n: number) => this.xl.queue(() => void (state().frozenRows = n), n),
      freezeAt: (r: FakeRange) => this.xl.queue(() => void (state().frozenRows = r.bounds()!.rows), 1),
    };
    const page = (k: 'orientation' | 'paperSize') => ({
      set: (v: string) => this.xl.queue(() => void (state().page[k] = v), v),
      get: () => state().page[k],
    });
    this.pageLayout = Object.defineProperties(
      { setPrintTitleRows: (rows: string) => this.xl.queue(() => void (state().page.printTitleRows = rows), rows) },
      { orientation: page('orientation'), paperSize: page('paperSize') },
    );
    this.protection = {
      protect: (options?: Record<string, boolean>) =>
        this.xl.queue(() => void (state().protection = { protected: true, options }), options ?? {}),
    };
    this.notes = {
      add: (cell: string, text: string) =>
        this.xl.queue(() => {
          const s = state();
          if (s.notes.has(cell)) throw new Error(`InvalidArgument: a note already exists at ${cell}`);
          s.notes.set(cell, text);
        }, [cell, text]),
      getItemOrNullObject: (cell: string) => new FakeNote(this.xl, state, cell),
    };
  }
  private knownName?: string;
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
    const b = parseRange(address);
    return new FakeRange(
      this.xl,
      () => this.xl.sheet(this.sheetName),
      () => b,
    );
  }
  getUsedRangeOrNullObject(valuesOnly?: boolean) {
    if (!valuesOnly) throw new Error('fake: only valuesOnly used ranges are modelled');
    return new FakeRange(
      this.xl,
      () => this.xl.sheet(this.sheetName),
      () => this.xl.usedBounds(this.xl.sheet(this.sheetName)),
    );
  }
  activate() {
    this.xl.queue(() => {
      this.xl.sheet(this.sheetName);
      this.xl.active = this.sheetName;
    }, this.sheetName);
  }
}

class FakeNote extends Loadable {
  constructor(
    xl: FakeExcel,
    private readonly state: () => FakeSheet,
    private readonly cell: string,
  ) {
    super(xl);
  }
  load(props: string) {
    this.deliver(props, () => !this.state().notes.has(this.cell));
  }
  get isNullObject(): boolean {
    return this.got('isNullObject');
  }
  delete() {
    this.xl.queue(() => void this.state().notes.delete(this.cell), this.cell);
  }
}

class FakeAreas extends Loadable {
  resolve: () => string[] = () => [];
  private found: string[] | null = null;
  constructor(xl: FakeExcel) {
    super(xl);
  }
  load(props: string) {
    this.deliver(props, () => {
      this.found = this.resolve();
      return this.found.join(',');
    });
  }
  get isNullObject(): boolean {
    this.got('address');
    return !this.found?.length;
  }
  get address(): string {
    return this.got('address');
  }
}

class FakeRange extends Loadable {
  readonly format;
  readonly dataValidation;
  constructor(
    xl: FakeExcel,
    private readonly state: () => FakeSheet,
    readonly bounds: () => Bounds | null,
  ) {
    super(xl);
    const style = (prop: string) => ({
      set: (v: unknown) => this.xl.queue(() => this.styled(prop, v), v),
    });
    const fill = Object.defineProperties(
      { clear: () => this.xl.queue(() => this.eachCell((c) => void delete c.fill), 'clear') },
      { color: { set: (v: string) => this.xl.queue(() => this.eachCell((c) => void (c.fill = v)), v) } },
    );
    const protection = Object.defineProperties(
      {},
      {
        locked: { set: (v: boolean) => this.xl.queue(() => this.eachCell((c) => void (c.locked = v)), v) },
      },
    );
    const font = Object.defineProperties(
      {},
      { bold: style('font.bold'), name: style('font.name'), size: style('font.size') },
    );
    const borders = { getItem: (edge: string) => Object.defineProperties({}, { style: style(`border.${edge}`) }) };
    this.format = Object.defineProperties(
      {
        fill,
        protection,
        font,
        borders,
        autofitRows: () => this.xl.queue(() => this.styled('autofitRows', true), 'autofit'),
      },
      {
        columnWidth: {
          set: (w: number) =>
            this.xl.queue(() => {
              const b = this.must();
              for (let c = b.col; c < b.col + b.cols; c++) this.state().columnWidths.set(c, w);
            }, w),
        },
        wrapText: style('wrapText'),
        horizontalAlignment: style('horizontalAlignment'),
        verticalAlignment: style('verticalAlignment'),
      },
    );
    const validation = { rule: undefined as unknown, errorAlert: undefined as unknown };
    this.dataValidation = Object.defineProperties(
      {
        clear: () =>
          this.xl.queue(
            () =>
              void (this.state().validations = this.state().validations.filter(
                (v) => v.address !== addressOf(this.must()),
              )),
            'clear',
          ),
      },
      {
        rule: {
          set: (rule: unknown) =>
            this.xl.queue(() => {
              validation.rule = rule;
              this.state().validations.push({
                address: addressOf(this.must()),
                rule,
                errorAlert: validation.errorAlert,
              });
            }, rule),
        },
        errorAlert: {
          set: (alert: unknown) =>
            this.xl.queue(() => {
              const v = this.state().validations.find((x) => x.address === addressOf(this.must()));
              if (v) v.errorAlert = alert;
              else validation.errorAlert = alert;
            }, alert),
        },
      },
    );
  }

  private must(): Bounds {
    const b = this.bounds();
    if (!b) throw new Error('InvalidObjectPath: the range is a null object');
    return b;
  }

  private styled(prop: string, v: unknown) {
    this.state().styles.push(`${addressOf(this.must())} ${prop}=${JSON.stringify(v)}`);
  }

  private eachCell(f: (cell: FakeCell, r: number, c: number) => void, createMissing = true) {
    const b = this.must();
    const s = this.state();
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

  private guardProtected() {
    const s = this.state();
    if (!s.protection.protected) return;
    this.eachCell((cell) => {
      if (cell.locked) throw new Error('AccessDenied: the cell is on a protected sheet');
    }, false);
  }

  load(props: string) {
    this.deliver(props, (p) => {
      const b = this.bounds();
      if (!b) return null;
      switch (p) {
        case 'address':
          return `${this.state().name}!${addressOf(b)}`;
        case 'rowCount':
          return b.rows;
        case 'columnCount':
          return b.cols;
        case 'values': {
          const s = this.state();
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
    return this.bounds() === null;
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
    this.xl.queue(() => {
      this.guardProtected();
      this.checkShape(grid);
      this.eachCell((cell, r, c) =>
        Object.assign(
          cell,
          { formula: undefined },
          coerce(grid[r - this.must().row][c - this.must().col], cell.format),
        ),
      );
    }, grid);
  }
  set numberFormat(grid: string[][]) {
    this.xl.queue(() => {
      this.checkShape(grid);
      this.eachCell((cell, r, c) => void (cell.format = grid[r - this.must().row][c - this.must().col]));
    }, grid);
  }

  private checkShape(grid: unknown[][]) {
    const b = this.must();
    if (grid.length !== b.rows || grid.some((row) => row.length !== b.cols))
      throw new Error(`InvalidArgument: ${grid.length}×${grid[0]?.length} array for range ${addressOf(b)}`);
  }

  getMergedAreasOrNullObject() {
    const areas = new FakeAreas(this.xl);
    const within = () => {
      const b = this.must();
      return this.state().merges.filter((m) => {
        const a = parseRange(m);
        return a.row >= b.row && a.col >= b.col && a.row + a.rows <= b.row + b.rows && a.col + a.cols <= b.col + b.cols;
      });
    };
    areas.resolve = () => within().map((m) => `${this.state().name}!${m}`);
    return areas;
  }
  getCell(r: number, c: number) {
    const b = this.must();
    const cell = { row: b.row + r, col: b.col + c, rows: 1, cols: 1 };
    return new FakeRange(this.xl, this.state, () => cell);
  }
  getResizedRange(dr: number, dc: number) {
    const b = this.must();
    const resized = { ...b, rows: b.rows + dr, cols: b.cols + dc };
    return new FakeRange(this.xl, this.state, () => resized);
  }
  merge(across?: boolean) {
    this.xl.queue(() => void this.state().merges.push(addressOf(this.must())), across ?? false);
  }
  select() {
    this.xl.queue(
      () => void (this.xl.selected = { sheet: this.state().name, address: addressOf(this.must()) }),
      'select',
    );
  }
}
