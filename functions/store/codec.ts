// Rows and receipts are stored as gzip-compressed JSON: a 10,000-row 附件1 (~9 MB of JSON) shrinks to a few
// items well under DynamoDB's 400 KB item limit. A chunk's rows are JSON joined by `,\n` (older chunks: by `\n`),
// compressed so that a page can pass the compressed bytes on as they are (gzip-join.ts).
import { setImmediate } from 'node:timers/promises';
import { promisify } from 'node:util';
import { gunzip, gunzipSync, gzipSync } from 'node:zlib';
import { deflated, gzipMember, inflateChunkSize } from '../gzip-join';
import { utf8Text } from '../utf8';

const gunzipAsync = promisify(gunzip);

export interface Chunk {
  count: number;
  data: Uint8Array;
  /** Bytes of the chunk's rows as JSON lines, before compression. */
  bytes: number;
}

/**
 * Compressed bytes per chunk item. Each chunk has a partition key of its own, which in the second it is written
 * takes its Put (1 WCU per KB) and, for the leading chunks, the commit's TTL-clearing Update (2 WCU per KB inside
 * a transaction): 3 × 320 KB stays under the 1,000 WCU/s one key can take.
 */
export const MAX_CHUNK_BYTES = 320_000;
/** Raw JSON per chunk before compression; text compresses 3–5×, so most chunks land well under the cap. */
const TARGET_RAW_BYTES = 900_000;
/** zlib level for row chunks: level 4 compresses text nearly as well as 6 in about two thirds of the time. */
const CHUNK_LEVEL = 4;

export function packJson(value: unknown): Uint8Array {
  return gzipSync(Buffer.from(JSON.stringify(value), 'utf8'), { level: 6 });
}

export function unpackJson<T>(bytes: Uint8Array): T {
  return JSON.parse(utf8Text(gunzipSync(bytes, { chunkSize: inflateChunkSize(bytes.length) }))) as T;
}

/** Between two rows of a chunk: the chunk's text is the inside of a JSON array, and a newline byte ends a row. */
const ROW_JOIN = ',\n';

/** A slice of rows as the text a chunk holds, and where each row's JSON ends in it. */
interface Slice {
  text: Buffer;
  ends: number[];
}

/**
 * Cuts rows into slices of about TARGET_RAW_BYTES of JSON lines (JSON.stringify never emits a raw newline, so
 * readers can pass rows on as text without parsing them) and starts compressing each slice on libuv's thread
 * pool as soon as it is cut, handing its promise to `onSlice`, in order. Each row's JSON is encoded straight into
 * its slice's buffer (no joined string, no second pass to count bytes). Between slices the event loop runs:
 * cutting 10,000 rows takes ~100 ms, and meanwhile finished slices are written and other replies handled.
 */
export async function packRows(rows: unknown[], onSlice: (chunks: Promise<Chunk[]>) => void): Promise<void> {
  let first = true;
  for (const slice of slicesOf(rows.length, (i) => JSON.stringify(rows[i]))) {
    if (!first) await setImmediate();
    first = false;
    onSlice(packSlice(slice));
  }
}

/**
 * Rows as the JSON text they arrived in: row i is `body.subarray(starts[i], ends[i])`, one JSON object without a
 * raw newline (functions/row-texts.ts finds them in a request body).
 */
export interface RowTexts {
  body: Buffer;
  starts: number[];
  ends: number[];
}

/** Rows compressing from their JSON text (packRowTexts), for putRows. */
export interface PackedRows {
  rows: number;
  slices: Promise<Chunk[]>[];
}

/**
 * Starts compressing rows from their JSON text, cut into slices as packRows cuts rows (copying bytes is cheap:
 * all slices are cut at once). Each slice's promise already has a handler: unused ones fail quietly.
 */
export function packRowTexts({ body, starts, ends }: RowTexts): PackedRows {
  const slices = Array.from(
    slicesOf(starts.length, (i) => body.subarray(starts[i], ends[i])),
    (slice) => {
      const packed = packSlice(slice);
      packed.catch(() => undefined);
      return packed;
    },
  );
  return { rows: starts.length, slices };
}

/** Rows `0 … count-1` (each row's JSON text, or its UTF-8 bytes) cut into slices, each as soon as it is full. */
function* slicesOf(count: number, rowJson: (i: number) => string | Buffer): Generator<Slice> {
  const fresh = (): Slice => ({ text: Buffer.allocUnsafe(TARGET_RAW_BYTES + 64 * 1024), ends: [] });
  let slice = fresh();
  let used = 0;
  let sliced = 0;
  for (let i = 0; i < count; i++) {
    if (used >= TARGET_RAW_BYTES) {
      yield { text: slice.text.subarray(0, used), ends: slice.ends };
      sliced++;
      slice = fresh();
      used = 0;
    }
    const line = rowJson(i);
    // UTF-8 takes at most 3 bytes per UTF-16 unit.
    const room = used + ROW_JOIN.length + (typeof line === 'string' ? line.length * 3 : line.length);
    if (room > slice.text.length) {
      const grown = Buffer.allocUnsafe(Math.max(room, slice.text.length * 2));
      slice.text.copy(grown, 0, 0, used);
      slice.text = grown;
    }
    if (slice.ends.length > 0) used += slice.text.write(ROW_JOIN, used, 'latin1');
    used += typeof line === 'string' ? slice.text.write(line, used, 'utf8') : line.copy(slice.text, used);
    slice.ends.push(used);
  }
  if (slice.ends.length > 0 || sliced === 0) yield { text: slice.text.subarray(0, used), ends: slice.ends };
}

/** One chunk under MAX_CHUNK_BYTES, or several in order when the slice compresses badly (halved until each fits). */
async function packSlice({ text, ends }: Slice): Promise<Chunk[]> {
  const data = gzipMember(await deflated(text, CHUNK_LEVEL));
  // `bytes` counts a row separator after every row, the last one too (what the rows take inside a page).
  const bytes = ends.length === 0 ? 0 : text.length + ROW_JOIN.length;
  if (data.byteLength <= MAX_CHUNK_BYTES) return [{ count: ends.length, data, bytes }];
  if (ends.length === 1) throw new Error('a single row exceeds the chunk size');
  const half = Math.ceil(ends.length / 2);
  const cut = ends[half - 1];
  const rest = cut + ROW_JOIN.length;
  return [
    ...(await packSlice({ text: text.subarray(0, cut), ends: ends.slice(0, half) })),
    ...(await packSlice({ text: text.subarray(rest), ends: ends.slice(half).map((end) => end - rest) })),
  ];
}

/** Splits rows into compressed chunks, each under MAX_CHUNK_BYTES; slices are compressed in parallel, order kept. */
export async function chunkRows(rows: unknown[]): Promise<Chunk[]> {
  const packs: Promise<Chunk[]>[] = [];
  await packRows(rows, (pack) => {
    // Rejections are seen by Promise.all below; until then one must not count as unhandled.
    pack.catch(() => undefined);
    packs.push(pack);
  });
  return (await Promise.all(packs)).flat();
}

/** The rows of one chunk as JSON text, one string per row. */
export function chunkLines(data: Uint8Array): string[] {
  const text = utf8Text(gunzipSync(data, { chunkSize: inflateChunkSize(data.length) }));
  if (text === '') return [];
  return text.split('\n').map((line) => (line.endsWith(',') ? line.slice(0, -1) : line));
}

/**
 * The rows of one chunk as the JSON lines they were stored as (bytes, `,\n` or `\n` between rows), decompressed on
 * libuv's thread pool: a page passes them on without decoding them (functions/page.ts).
 */
export function chunkBytes(data: Uint8Array): Promise<Buffer> {
  return gunzipAsync(data, { chunkSize: inflateChunkSize(data.length) });
}

/** The rows of chunks (as chunkBytes gives them) as values: one JSON.parse per chunk, not per row. */
export function parseChunks(chunks: readonly Buffer[]): unknown[] {
  const rows: unknown[] = [];
  for (const chunk of chunks) {
    if (chunk.length === 0) continue;
    for (const row of JSON.parse(`[${utf8Text(arrayInside(chunk))}]`) as unknown[]) rows.push(row);
  }
  return rows;
}

const NEWLINE = 0x0a;
const COMMA = 0x2c;

/**
 * A chunk's rows as the inside of a JSON array: as stored (`,\n` between rows), or, for a chunk written before
 * rows were joined so, a copy with `,` for each `\n` (a newline byte only ever ends a row).
 */
function arrayInside(chunk: Buffer): Buffer {
  const first = chunk.indexOf(NEWLINE);
  if (first < 0 || chunk[first - 1] === COMMA) return chunk;
  const text = Buffer.from(chunk);
  for (let at = first; at >= 0; at = text.indexOf(NEWLINE, at + 1)) text[at] = COMMA;
  return text;
}
