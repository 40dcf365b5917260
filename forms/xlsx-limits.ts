// What an uploaded .xlsx may hold before ExcelJS is allowed to see it (DESIGN §11). ExcelJS inflates every
// entry and builds every row and cell in memory: a 1 MB file whose sheet inflates to 300 MB ran Node out of memory,
// and a million empty rows held the event loop for seconds. So the zip is inspected first — entry count from
// the end-of-central-directory record, the sizes each entry declares, then the bytes it really inflates to
// (counted while streaming, stopped at the limit: a declared size may lie) — and the XML is scanned on the way
// for rows, cells and merged areas. Works the same in Node and in the browser page.
//
// Measured (bench/forms.bench.ts writes the same file): a 20,000-row 附件1 of real Chinese text is a 5.5 MB
// file holding 25 MB of XML (sharedStrings 17.5 MB, sheet 7.4 MB), 20,008 rows and 160,064 cells; ExcelJS
// reads it in ~4 s at ~320 MB. The limits leave it room (about twice its size) and nothing more.

/** The limits. Each refusal names the one that was passed. */
export const XLSX_LIMITS = {
  /** Entries in the zip: a workbook from Excel/WPS has 10–30 (a few sheets, styles, theme, properties). */
  entries: 1000,
  /** Bytes of all entries together once inflated. */
  inflatedBytes: 48 * 1024 * 1024,
  /** `<row>` elements over all sheets, empty ones included: 20,000 data rows plus header, notes and slack. */
  rows: 30_000,
  /** `<c>` elements plus the cells covered by merged areas, over all sheets. */
  cells: 600_000,
  /** Columns a cell may sit in (the forms have 8 and 14): ExcelJS spends minutes on cells in column XFD. */
  columns: 256,
} as const;

/** The most data rows one submission may hold (DESIGN §11); the reader stops there, the server answers 413. */
export const MAX_DATA_ROWS = 20_000;

export type XlsxLimit = 'entries' | 'inflatedBytes' | 'rows' | 'cells' | 'columns' | 'dataRows';

/** The file passes a limit. `message` is Chinese, names the limit and says what to do. */
export class XlsxTooLarge extends Error {
  constructor(
    readonly limit: XlsxLimit,
    message: string,
  ) {
    super(message);
    this.name = 'XlsxTooLarge';
  }
}

const MB = 1024 * 1024;
const thousands = (n: number): string => n.toLocaleString('en-US');

export function tooLarge(limit: XlsxLimit, found?: number): XlsxTooLarge {
  const seen = found === undefined ? '' : `(本文件至少 ${thousands(found)})`;
  switch (limit) {
    case 'entries':
      return new XlsxTooLarge(
        limit,
        `文件内部的组成部分过多${seen},上限为 ${thousands(XLSX_LIMITS.entries)} 个。这不像是 Excel 或 WPS 保存的工作簿:请打开后「另存为」.xlsx 再上传。`,
      );
    case 'inflatedBytes':
      return new XlsxTooLarge(
        limit,
        `文件解压后超过 ${XLSX_LIMITS.inflatedBytes / MB} MB 的上限(2 万行的附件1约 25 MB)。请删去多余的工作表、图片和空行,或把表格拆成几次提交。`,
      );
    case 'rows':
      return new XlsxTooLarge(
        limit,
        `工作表的行数${seen}超过 ${thousands(XLSX_LIMITS.rows)} 行的上限(含空行与格式行)。请删除表格下方多余的空行后重新上传;数据行最多 ${thousands(MAX_DATA_ROWS)} 行。`,
      );
    case 'cells':
      return new XlsxTooLarge(
        limit,
        `工作表的单元格数${seen}超过 ${thousands(XLSX_LIMITS.cells)} 个的上限(含合并单元格覆盖的区域)。请删除多余的列、空行和大面积合并单元格后重新上传。`,
      );
    case 'columns':
      return new XlsxTooLarge(
        limit,
        `工作表在第 ${found === undefined ? '' : thousands(found) + ' '}列有内容,超过 ${XLSX_LIMITS.columns} 列的上限。请删除表格右侧多余的列(包括只设置了格式的单元格)后重新上传。`,
      );
    case 'dataRows':
      return new XlsxTooLarge(
        limit,
        `表格有 ${found === undefined ? '' : thousands(found) + ' '}行数据,超过每次最多 ${thousands(MAX_DATA_ROWS)} 行的上限。请把表格拆成几次提交。`,
      );
  }
}

/** What inspectXlsx saw (benchmarks and tests print it). */
export interface XlsxInspection {
  entries: number;
  inflatedBytes: number;
  rows: number;
  cells: number;
}

/** One entry as the zip's central directory describes it. */
interface ZipEntryRecord {
  name: string;
  method: number;
  compressedSize: number;
  declaredSize: number;
  localHeaderOffset: number;
}

/**
 * The central directory, read by hand (no zip library builds its index before the entry count is known).
 * null when there is none: not a zip, which ExcelJS reports in its own words.
 */
function centralDirectory(bytes: Uint8Array): ZipEntryRecord[] | null {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // The end record is 22 bytes plus a comment of at most 65,535 bytes, at the very end.
  let end = -1;
  for (let at = bytes.byteLength - 22, stop = Math.max(0, at - 0xffff); at >= stop; at--) {
    if (view.getUint32(at, true) === 0x06054b50) {
      end = at;
      break;
    }
  }
  if (end < 0) return null;
  const declared = view.getUint16(end + 10, true);
  if (declared > XLSX_LIMITS.entries) throw tooLarge('entries', declared);
  const entries: ZipEntryRecord[] = [];
  const names = new TextDecoder();
  let at = view.getUint32(end + 16, true);
  while (at + 46 <= bytes.byteLength && view.getUint32(at, true) === 0x02014b50) {
    if (entries.length === XLSX_LIMITS.entries) throw tooLarge('entries', entries.length + 1);
    const nameLength = view.getUint16(at + 28, true);
    entries.push({
      method: view.getUint16(at + 10, true),
      compressedSize: view.getUint32(at + 20, true),
      declaredSize: view.getUint32(at + 24, true),
      name: names.decode(bytes.subarray(at + 46, at + 46 + nameLength)),
      localHeaderOffset: view.getUint32(at + 42, true),
    });
    at += 46 + nameLength + view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
  }
  return entries;
}

/** The entry's bytes as stored (after its local header), as far as the file holds them. */
function storedBytes(bytes: Uint8Array, entry: ZipEntryRecord): Uint8Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const local = entry.localHeaderOffset;
  if (local + 30 > bytes.byteLength) return new Uint8Array(0);
  const start = local + 30 + view.getUint16(local + 26, true) + view.getUint16(local + 28, true);
  return bytes.subarray(Math.min(start, bytes.byteLength), Math.min(start + entry.compressedSize, bytes.byteLength));
}

/** Counts `<row>`, `<c>` and merged-area cells in XML that arrives in pieces; tags never contain `<`. */
class XmlCounter {
  rows = 0;
  cells = 0;
  /** The widest column a cell names (1-based). */
  widest = 0;
  private carry = '';
  private static readonly ROW = /<(?:[A-Za-z_][\w.-]*:)?row[\s/>]/g;
  private static readonly CELL = /<(?:[A-Za-z_][\w.-]*:)?c[\s/>]/g;
  /** Cell references with two or three letters (AA…XFD); a form's columns need one. */
  private static readonly WIDE_REF = /<(?:[A-Za-z_][\w.-]*:)?c\s[^>]*?\br="([A-Z]{2,3})\d/g;
  private static readonly MERGE =
    /<(?:[A-Za-z_][\w.-]*:)?mergeCell\s[^>]*?ref="([A-Za-z]{1,3})(\d{1,7})(?::([A-Za-z]{1,3})(\d{1,7}))?"/g;

  push(text: string): void {
    const all = this.carry + text;
    const cut = all.lastIndexOf('<');
    // A tag is short; a long tail without `<` is text content and can be dropped.
    this.carry = cut < 0 || all.length - cut > 4096 ? '' : all.slice(cut);
    this.count(cut < 0 ? all : all.slice(0, cut));
  }

  end(): void {
    this.count(this.carry);
    this.carry = '';
  }

  private count(text: string): void {
    if (text.length === 0) return;
    this.rows += countMatches(XmlCounter.ROW, text);
    this.cells += countMatches(XmlCounter.CELL, text);
    for (const m of text.matchAll(XmlCounter.WIDE_REF)) this.widest = Math.max(this.widest, columnNumber(m[1]));
    for (const m of text.matchAll(XmlCounter.MERGE)) {
      const rows = m[4] === undefined ? 1 : Math.abs(Number(m[4]) - Number(m[2])) + 1;
      const cols = m[3] === undefined ? 1 : Math.abs(columnNumber(m[3]) - columnNumber(m[1])) + 1;
      this.cells += rows * cols;
    }
  }
}

function countMatches(pattern: RegExp, text: string): number {
  pattern.lastIndex = 0;
  let n = 0;
  while (pattern.exec(text) !== null) n++;
  return n;
}

function columnNumber(letters: string): number {
  let n = 0;
  for (const ch of letters.toUpperCase()) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n;
}

const DEFLATE = 8;
/** `deflate-raw` streams: Node 18+, Chrome 103+, Safari 16.4+, Firefox 113+. */
const canInflate = (): boolean => typeof DecompressionStream === 'function';
const STORED = 0;

/**
 * Refuses (XlsxTooLarge) a file past any limit, before ExcelJS reads it; other damage is left to ExcelJS to
 * report. Entries are inflated by the platform's DecompressionStream (native code, Node and browsers alike) a
 * piece at a time and dropped as they are counted, so the event loop keeps turning and memory holds one piece.
 */
export async function inspectXlsx(bytes: Uint8Array): Promise<XlsxInspection> {
  const entries = centralDirectory(bytes);
  if (entries === null) return { entries: 0, inflatedBytes: 0, rows: 0, cells: 0 };
  let declaredBytes = 0;
  for (const entry of entries) declaredBytes += entry.declaredSize;
  if (declaredBytes > XLSX_LIMITS.inflatedBytes) throw tooLarge('inflatedBytes');

  const counter = new XmlCounter();
  const decoder = new TextDecoder('latin1');
  let inflated = 0;
  const check = (): void => {
    if (inflated > XLSX_LIMITS.inflatedBytes) throw tooLarge('inflatedBytes');
    if (counter.rows > XLSX_LIMITS.rows) throw tooLarge('rows', counter.rows);
    if (counter.cells > XLSX_LIMITS.cells) throw tooLarge('cells', counter.cells);
    if (counter.widest > XLSX_LIMITS.columns) throw tooLarge('columns', counter.widest);
  };
  for (const entry of entries) {
    if (entry.name.endsWith('/')) continue;
    // Rows and cells live in worksheets: ExcelJS reads any entry named like `…xl/worksheets/sheetN.xml`.
    const xml = /worksheets\//i.test(entry.name);
    const stored = storedBytes(bytes, entry);
    if (entry.method === STORED) {
      inflated += stored.byteLength;
      if (xml) counter.push(decoder.decode(stored));
    } else if (entry.method === DEFLATE && !canInflate()) {
      // Browsers before 2023 (Office's old EdgeHTML webview) have no DecompressionStream: the declared sizes and the
      // entry count above are all they check; the server checks every inflated byte before it reads anything.
      inflated += entry.declaredSize;
    } else if (entry.method === DEFLATE) {
      // A ReadableStream of the bytes (not Blob.stream(): jsdom's Blob has none).
      const reader = new ReadableStream<BufferSource>({
        start(controller) {
          controller.enqueue(stored as Uint8Array<ArrayBuffer>);
          controller.close();
        },
      })
        .pipeThrough(new DecompressionStream('deflate-raw'))
        .getReader();
      try {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          inflated += value.byteLength;
          if (xml) counter.push(decoder.decode(value, { stream: true }));
          check();
        }
      } catch (err) {
        if (err instanceof XlsxTooLarge) throw err;
        // A corrupt entry: ExcelJS will refuse the file; only the limits matter here.
      } finally {
        reader.cancel().catch(() => {});
      }
    }
    // Other methods: the zip reader ExcelJS uses cannot read them and refuses the file.
    if (xml) counter.end();
    check();
  }
  return { entries: entries.length, inflatedBytes: inflated, rows: counter.rows, cells: counter.cells };
}
