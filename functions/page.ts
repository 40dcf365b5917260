// Pages of stored rows. Rows travel from the store to the client as the bytes they were stored as: a whole stored
// chunk goes out as its compressed bytes (gzip-join.ts), never decompressed or decoded on the way (a 50,000-row
// consolidated 附件1 is ~50 MB of mostly Chinese text: decompressing, decoding and recompressing it cost more than
// reading it from DynamoDB). Rows from part of a chunk travel as their JSON bytes.
import { chunkBytes } from './store/codec';
import { deflated, inflated, joinGzip, pieceOfMember, type Deflated } from './gzip-join';
import { utf8Text } from './utf8';

const NEWLINE = 0x0a;
const COMMA = 0x2c;

/** How large a page may grow: bytes of row JSON, or (pages sent gzip-compressed) bytes of compressed rows. */
export type PageLimit = number | { compressed: number };

/** Row JSON compresses at least this much (附件1 text: 3.2× at level 1); the answer's own check catches the rest. */
const ASSUMED_RATIO = 2.5;

/** Rows in order: runs of row JSON (`,` between them) and compressed runs of whole stored chunks. */
type Run = { rows: Buffer[] } | { piece: Deflated };

/**
 * The rows of one page: the inside of its `rows` array. At most `limit` bytes, and at least one row whatever its
 * size.
 */
export class PageRows {
  readonly runs: Run[] = [];
  count = 0;
  /** What counts against the limit so far (bytes of JSON, or of compressed JSON). */
  weight = 0;
  /** Sent gzip-compressed: the limit counts compressed bytes. */
  readonly compressed: boolean;
  private readonly limit: number;

  constructor(limit: PageLimit = Infinity) {
    this.compressed = typeof limit === 'object';
    this.limit = typeof limit === 'object' ? limit.compressed : limit;
  }

  private fitsWeight(weight: number): boolean {
    return this.count === 0 || this.weight + weight <= this.limit;
  }

  /** Whether a row of `size` bytes of JSON still fits the page. */
  fits(size: number): boolean {
    return this.fitsWeight(this.rowWeight(size));
  }

  private rowWeight(size: number): number {
    return this.compressed ? Math.ceil((size + 1) / ASSUMED_RATIO) : size + 1;
  }

  /** Appends one row's JSON. */
  push(row: Buffer): void {
    const last = this.runs.at(-1);
    if (last && 'rows' in last) last.rows.push(row);
    else this.runs.push({ rows: [row] });
    this.count++;
    this.weight += this.rowWeight(row.length);
  }

  /**
   * Whether a compressed run still fits the page. A page counted in JSON bytes splits a chunk too large for it
   * (its rows go in one by one); one counted compressed takes at least one whole chunk.
   */
  fitsPiece(piece: Deflated): boolean {
    if (this.compressed) return this.fitsWeight(piece.data.length);
    return this.weight + piece.size + 1 <= this.limit;
  }

  /** Appends `rows` whole rows given as a compressed run (a stored chunk's text). */
  pushPiece(piece: Deflated, rows: number): void {
    this.runs.push({ piece });
    this.count += rows;
    this.weight += this.compressed ? piece.data.length : piece.size + 1;
  }

  /** A page of rows given as values (a few, computed rows: a summary form's per-unit sums). */
  static of(values: readonly unknown[]): PageRows {
    const page = new PageRows();
    for (const v of values) page.push(Buffer.from(JSON.stringify(v), 'utf8'));
    return page;
  }

  /** The rows' JSON, `,` between them. */
  async text(): Promise<Buffer[]> {
    const parts: Buffer[] = [];
    for (const run of this.runs) {
      if (parts.length > 0) parts.push(SEPARATOR);
      if ('piece' in run) parts.push(await inflated(run.piece));
      else for (const part of joined(run.rows)) parts.push(part);
    }
    return parts;
  }

  /** The rows as compressed runs, `,` between them: text runs are compressed here (on the thread pool). */
  async pieces(level: number): Promise<Deflated[]> {
    const parts = await Promise.all(
      this.runs.map(async (run) => ('piece' in run ? run.piece : deflated(Buffer.concat(joined(run.rows)), level))),
    );
    const separator = await separatorPiece;
    return parts.flatMap((p, i) => (i > 0 ? [separator, p] : [p]));
  }

  /** The rows as values (in-process callers, tests). */
  async values(): Promise<unknown[]> {
    return JSON.parse(`[${utf8Text(Buffer.concat(await this.text()))}]`) as unknown[];
  }
}

const SEPARATOR = Buffer.from(',');
const separatorPiece = deflated(SEPARATOR, 1);
const joined = (rows: Buffer[]): Buffer[] => rows.flatMap((row, i) => (i > 0 ? [SEPARATOR, row] : [row]));

/** One page of a large answer: its fields, and its rows as bytes, spliced into the body as they are. */
export interface Page<T extends { rows: unknown[] }> {
  fields: Omit<T, 'rows'>;
  rows: PageRows;
}

/** The JSON text before and after the rows of the page's body: the fields serialized once. */
function around<T extends { rows: unknown[] }>(page: Page<T>): [Buffer, Buffer] {
  const marker = '"__rows__"';
  const text = JSON.stringify({ ...page.fields, rows: '__rows__' });
  const at = text.indexOf(marker);
  return [Buffer.from(text.slice(0, at) + '[', 'utf8'), Buffer.from(']' + text.slice(at + marker.length), 'utf8')];
}

/** The page's JSON body. */
export async function pageBytes<T extends { rows: unknown[] }>(page: Page<T>): Promise<Buffer> {
  const [head, tail] = around(page);
  return Buffer.concat([head, ...(await page.rows.text()), tail]);
}

/** The page's JSON body gzip-compressed: stored chunks joined in as they are, the rest compressed at `level`. */
export async function pageGzip<T extends { rows: unknown[] }>(page: Page<T>, level: number): Promise<Buffer> {
  const [head, tail] = around(page);
  const [first, rows, last] = await Promise.all([
    deflated(head, level),
    page.rows.pieces(level),
    deflated(tail, level),
  ]);
  return joinGzip([first, ...rows, last]);
}

/** The page as a plain object (callers that need the rows themselves, e.g. the .xlsx export). */
export const pageValue = async <T extends { rows: unknown[] }>(page: Page<T>): Promise<T> =>
  ({ ...page.fields, rows: await page.rows.values() }) as T;

/** A submission's stored chunks from the one holding its row `skip` on, compressed as the store keeps them. */
export interface LoadedChunks {
  members: Uint8Array[];
  /** Rows in each of those chunks. */
  counts: number[];
  /** Rows of the first chunk that are not wanted. */
  skip: number;
  /** How many rows (from `skip` on) are wanted at most: the rest of those chunks belongs to another page. */
  rows?: number;
}

/**
 * Appends stored rows to the page while they fit; returns how many were taken. A whole chunk goes in compressed;
 * a page sent compressed stops at a chunk boundary rather than open a chunk, so the next page starts with a
 * whole one. Rows of a part of a chunk (and of chunks stored before they could be joined) go in as JSON.
 */
export async function fillPage(page: PageRows, stored: LoadedChunks): Promise<number> {
  const wanted = stored.rows ?? Infinity;
  let taken = 0;
  let skip = stored.skip;
  for (const [i, member] of stored.members.entries()) {
    if (taken >= wanted) break;
    const piece = skip === 0 && taken + stored.counts[i] <= wanted ? pieceOfMember(member) : null;
    if (piece && page.fitsPiece(piece)) {
      page.pushPiece(piece, stored.counts[i]);
      taken += stored.counts[i];
      continue;
    }
    if (piece && page.count > 0 && page.compressed) return taken;
    for (const line of storedLines([await chunkBytes(member)], skip)) {
      if (taken >= wanted || !page.fits(line.length)) return taken;
      page.push(line);
      taken++;
    }
    skip = 0;
  }
  return taken;
}

/**
 * The rows (JSON lines) of stored chunks from row `skip` on, each as a view of the chunk's bytes. JSON text has no
 * raw newline, and no byte of a multi-byte UTF-8 character is 0x0a, so a newline byte always ends a row (and the
 * `,` before it, in chunks that have one, joins rows).
 */
function* storedLines(chunks: readonly Buffer[], skip = 0): Generator<Buffer> {
  let toSkip = skip;
  for (const chunk of chunks) {
    for (let start = 0; start < chunk.length;) {
      let end = chunk.indexOf(NEWLINE, start);
      if (end < 0) end = chunk.length;
      const rowEnd = end < chunk.length && chunk[end - 1] === COMMA ? end - 1 : end;
      if (toSkip > 0) toSkip--;
      else yield chunk.subarray(start, rowEnd);
      start = end + 1;
    }
  }
}
