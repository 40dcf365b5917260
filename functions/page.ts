// Pages of stored rows. Rows travel from the store to the client as the JSON bytes they were stored as: never
// decoded into strings or objects on the way (a 50,000-row consolidated 附件1 is ~50 MB of mostly Chinese text;
// decoding and re-encoding it as UTF-8 cost about as much as reading it from DynamoDB).

const COMMA = Buffer.from(',');
const NEWLINE = 0x0a;

/**
 * The rows of one page: the bytes between `[` and `]` of its `rows` array, in pieces. At most `limit` bytes
 * (counting one separator per row), and at least one row whatever its size.
 */
export class PageRows {
  readonly pieces: Buffer[] = [];
  count = 0;
  bytes = 0;

  constructor(readonly limit = Infinity) {}

  /** Whether a row of `size` bytes still fits the page. */
  fits(size: number): boolean {
    return this.count === 0 || this.bytes + size + 1 <= this.limit;
  }

  /** Appends one row's JSON. */
  push(row: Buffer): void {
    if (this.count > 0) this.pieces.push(COMMA);
    this.pieces.push(row);
    this.count++;
    this.bytes += row.length + 1;
  }

  /** A page of rows given as values (a few, computed rows: a summary form's per-unit sums). */
  static of(values: readonly unknown[]): PageRows {
    const page = new PageRows();
    for (const v of values) page.push(Buffer.from(JSON.stringify(v), 'utf8'));
    return page;
  }

  /** The rows as values (in-process callers, tests). */
  values(): unknown[] {
    return JSON.parse(`[${Buffer.concat(this.pieces).toString('utf8')}]`) as unknown[];
  }
}

/** One page of a large answer: its fields, and its rows as bytes, spliced into the body as they are. */
export interface Page<T extends { rows: unknown[] }> {
  fields: Omit<T, 'rows'>;
  rows: PageRows;
}

/** The page's JSON body: the fields serialized once, the row bytes copied in between. */
export function pageBytes<T extends { rows: unknown[] }>(page: Page<T>): Buffer {
  const marker = '"__rows__"';
  const text = JSON.stringify({ ...page.fields, rows: '__rows__' });
  const at = text.indexOf(marker);
  return Buffer.concat([
    Buffer.from(text.slice(0, at) + '[', 'utf8'),
    ...page.rows.pieces,
    Buffer.from(']' + text.slice(at + marker.length), 'utf8'),
  ]);
}

/** The page as a plain object (callers that need the rows themselves, e.g. the .xlsx export). */
export const pageValue = <T extends { rows: unknown[] }>(page: Page<T>): T =>
  ({ ...page.fields, rows: page.rows.values() }) as T;

/**
 * The rows (JSON lines) of stored chunks from row `skip` on, each as a view of the chunk's bytes. JSON text has no
 * raw newline, and no byte of a multi-byte UTF-8 character is 0x0a, so a newline byte always ends a row.
 */
export function* storedLines(chunks: readonly Buffer[], skip = 0): Generator<Buffer> {
  let toSkip = skip;
  for (const chunk of chunks) {
    for (let start = 0; start < chunk.length;) {
      let end = chunk.indexOf(NEWLINE, start);
      if (end < 0) end = chunk.length;
      if (toSkip > 0) toSkip--;
      else yield chunk.subarray(start, end);
      start = end + 1;
    }
  }
}

/** Appends stored rows to the page while they fit; returns how many were taken. */
export function fillPage(page: PageRows, lines: Iterable<Buffer>): number {
  let taken = 0;
  for (const line of lines) {
    if (!page.fits(line.length)) break;
    page.push(line);
    taken++;
  }
  return taken;
}
