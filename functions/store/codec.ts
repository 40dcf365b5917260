// Rows and receipts are stored as gzip-compressed JSON: a 10,000-row 附件1 (~9 MB of JSON) shrinks to a few
// items well under DynamoDB's 400 KB item limit.
import { promisify } from 'node:util';
import { gunzipSync, gzip, gzipSync } from 'node:zlib';

const gzipAsync = promisify(gzip);

export interface Chunk {
  count: number;
  data: Uint8Array;
  /** Bytes of the chunk's rows as JSON lines, before compression. */
  bytes: number;
}

/** Compressed bytes per chunk item; leaves room for keys and attributes below the 400 KB item limit. */
export const MAX_CHUNK_BYTES = 350_000;
/** Raw JSON per chunk before compression; text compresses 3–5×, so most chunks land well under the cap. */
const TARGET_RAW_BYTES = 900_000;
/** zlib level for row chunks: level 4 compresses text nearly as well as 6 in about two thirds of the time. */
const CHUNK_LEVEL = 4;

export function packJson(value: unknown): Uint8Array {
  return gzipSync(Buffer.from(JSON.stringify(value), 'utf8'), { level: 6 });
}

export function unpackJson<T>(bytes: Uint8Array): T {
  return JSON.parse(gunzipSync(bytes).toString('utf8')) as T;
}

/**
 * Splits rows into compressed chunks, each under MAX_CHUNK_BYTES (halving a slice that compresses badly).
 * A chunk is JSON lines (one row per line; JSON.stringify never emits a raw newline), so readers can pass
 * rows on as text without parsing them.
 */
export async function chunkRows(rows: unknown[]): Promise<Chunk[]> {
  const slices: string[][] = [];
  let current: string[] = [];
  let size = 0;
  for (const row of rows) {
    const line = JSON.stringify(row);
    const bytes = Buffer.byteLength(line, 'utf8') + 1;
    if (current.length > 0 && size + bytes > TARGET_RAW_BYTES) {
      slices.push(current);
      current = [];
      size = 0;
    }
    current.push(line);
    size += bytes;
  }
  if (current.length > 0 || slices.length === 0) slices.push(current);

  // Slices are compressed in parallel on libuv's thread pool; order is kept by flattening in slice order.
  const pack = async (slice: string[]): Promise<Chunk[]> => {
    const data = await gzipAsync(Buffer.from(slice.join('\n'), 'utf8'), { level: CHUNK_LEVEL });
    if (data.byteLength <= MAX_CHUNK_BYTES) return [{ count: slice.length, data, bytes: slice.reduce((n, line) => n + Buffer.byteLength(line, 'utf8') + 1, 0) }];
    if (slice.length === 1) throw new Error('a single row exceeds the chunk size');
    const half = Math.ceil(slice.length / 2);
    return [...(await pack(slice.slice(0, half))), ...(await pack(slice.slice(half)))];
  };
  return (await Promise.all(slices.map(pack))).flat();
}

/** The rows of one chunk as JSON text, one string per row. */
export function chunkLines(data: Uint8Array): string[] {
  const text = gunzipSync(data).toString('utf8');
  if (text === '') return [];
  return text.split('\n');
}
