// Rows and receipts are stored as gzip-compressed JSON: a 10,000-row 附件1 (~9 MB of JSON) shrinks to a few
// items well under DynamoDB's 400 KB item limit.
import { gunzipSync, gzipSync } from 'node:zlib';

/** Compressed bytes per chunk item; leaves room for keys and attributes below the 400 KB item limit. */
export const MAX_CHUNK_BYTES = 350_000;
/** Raw JSON per chunk before compression; text compresses 3–5×, so most chunks land well under the cap. */
const TARGET_RAW_BYTES = 900_000;

export function packJson(value: unknown): Uint8Array {
  return gzipSync(Buffer.from(JSON.stringify(value), 'utf8'), { level: 6 });
}

export function unpackJson<T>(bytes: Uint8Array): T {
  return JSON.parse(gunzipSync(bytes).toString('utf8')) as T;
}

/** Splits rows into compressed chunks, each under MAX_CHUNK_BYTES (halving a slice that compresses badly). */
export function chunkRows(rows: unknown[]): { count: number; data: Uint8Array }[] {
  const slices: unknown[][] = [];
  let current: unknown[] = [];
  let size = 0;
  for (const row of rows) {
    const bytes = Buffer.byteLength(JSON.stringify(row), 'utf8') + 1;
    if (current.length > 0 && size + bytes > TARGET_RAW_BYTES) {
      slices.push(current);
      current = [];
      size = 0;
    }
    current.push(row);
    size += bytes;
  }
  if (current.length > 0 || slices.length === 0) slices.push(current);

  const out: { count: number; data: Uint8Array }[] = [];
  const pack = (slice: unknown[]): void => {
    const data = packJson(slice);
    if (data.byteLength > MAX_CHUNK_BYTES && slice.length > 1) {
      const half = Math.ceil(slice.length / 2);
      pack(slice.slice(0, half));
      pack(slice.slice(half));
    } else if (data.byteLength > MAX_CHUNK_BYTES) {
      throw new Error('a single row exceeds the chunk size');
    } else {
      out.push({ count: slice.length, data });
    }
  };
  slices.forEach(pack);
  return out;
}
