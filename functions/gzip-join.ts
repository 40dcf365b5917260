// One gzip stream made of pieces compressed separately, without decompressing them: a page of 50,000 stored rows
// goes out as the compressed bytes it was stored as. Each piece is raw deflate ending in a sync flush (a
// byte-aligned, non-final block), so pieces laid end to end are one valid deflate stream; a final empty block and
// the trailer (CRC-32 and length of the whole text, combined from the pieces') close it. Browsers read only the
// first member of a multi-member gzip, so the result is a single member.
import { promisify } from 'node:util';
import { constants, crc32, deflateRaw, inflateRaw } from 'node:zlib';

/** A piece of text as raw deflate ending in a sync flush, with the CRC-32 and length of the text. */
export interface Deflated {
  data: Buffer;
  crc: number;
  size: number;
}

const deflateRawAsync = promisify(deflateRaw);
const inflateRawAsync = promisify(inflateRaw);

/**
 * The 10-byte header this service writes: no name, no time, OS 255 ("unknown"). zlib writes OS 3 on Linux, so
 * a stored member with this header was written by `gzipMember` and can be joined without decompressing.
 */
const HEADER = Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0, 0, 0, 0, 0x00, 0xff]);
/** An empty final block with fixed codes: what zlib emits for Z_FINISH right after a sync flush. */
const FINAL_EMPTY_BLOCK = Buffer.from([0x03, 0x00]);
/** The empty stored block a sync flush ends with. */
const SYNC_MARK = Buffer.from([0x00, 0x00, 0xff, 0xff]);

/**
 * zlib's output buffer when inflating `compressed` bytes: about the text's size (text inflates 3–5×), from 64 KB
 * to 4 MB. zlib's default of 16 KB cut a 10 MB request body into 600 buffers and took ~40% longer to inflate.
 */
export const inflateChunkSize = (compressed: number): number =>
  Math.min(4 * 1024 * 1024, Math.max(64 * 1024, compressed * 4));

/**
 * zlib's output buffer when deflating `text` bytes: room for all of it (deflate never grows text by more than ~5
 * bytes per 16 KB block), so a piece comes back from the thread pool in one trip. With the default of 16 KB each
 * 16 KB of output waited for the main thread in between: while it cut a 10,000-row sheet, slices sat half done.
 */
const deflateChunkSize = (text: number): number => Math.max(16 * 1024, text + (text >> 10) + 1024);

/** Compresses text on libuv's thread pool as a piece that others can follow. */
export async function deflated(text: Buffer, level: number): Promise<Deflated> {
  const data = await deflateRawAsync(text, {
    level,
    finishFlush: constants.Z_SYNC_FLUSH,
    chunkSize: deflateChunkSize(text.length),
  });
  return { data, crc: crc32(text), size: text.length };
}

/** The text of a piece (identity answers, in-process readers). */
export function inflated(piece: Deflated): Promise<Buffer> {
  return inflateRawAsync(piece.data, {
    finishFlush: constants.Z_SYNC_FLUSH,
    chunkSize: inflateChunkSize(piece.data.length),
  });
}

/** A piece as a standalone gzip member (what the store keeps: any gunzip reads it). */
export function gzipMember(piece: Deflated): Buffer {
  return Buffer.concat([HEADER, piece.data, FINAL_EMPTY_BLOCK, trailer(piece.crc, piece.size)]);
}

/** The piece inside a member `gzipMember` wrote; null for any other gzip (decompress it instead). */
export function pieceOfMember(member: Uint8Array): Deflated | null {
  const bytes = Buffer.from(member.buffer, member.byteOffset, member.byteLength);
  const end = bytes.length - 8 - FINAL_EMPTY_BLOCK.length;
  if (end < HEADER.length + SYNC_MARK.length || !bytes.subarray(0, HEADER.length).equals(HEADER)) return null;
  if (!bytes.subarray(end, end + 2).equals(FINAL_EMPTY_BLOCK)) return null;
  if (!bytes.subarray(end - SYNC_MARK.length, end).equals(SYNC_MARK)) return null;
  return {
    data: bytes.subarray(HEADER.length, end),
    crc: bytes.readUInt32LE(end + 2),
    size: bytes.readUInt32LE(end + 6),
  };
}

/** The pieces, in order, as one gzip member. */
export function joinGzip(pieces: readonly Deflated[]): Buffer {
  let crc = 0;
  let size = 0;
  for (const p of pieces) {
    crc = crc32Combine(crc, p.crc, p.size);
    size += p.size;
  }
  return Buffer.concat([HEADER, ...pieces.map((p) => p.data), FINAL_EMPTY_BLOCK, trailer(crc, size)]);
}

function trailer(crc: number, size: number): Buffer {
  const t = Buffer.alloc(8);
  t.writeUInt32LE(crc >>> 0, 0);
  // ISIZE is the length modulo 2^32.
  t.writeUInt32LE(size % 0x1_0000_0000, 4);
  return t;
}

// CRC-32 of two texts joined, from theirs and the second's length: zlib's crc32_combine (multiplication modulo
// the CRC polynomial, reflected bit order), which Node does not expose.
const POLY = 0xedb88320;
const X0 = 0x80000000;

function multModP(a: number, b: number): number {
  let m = X0;
  let p = 0;
  for (;;) {
    if (a & m) {
      p ^= b;
      if ((a & (m - 1)) === 0) break;
    }
    m >>>= 1;
    b = b & 1 ? (b >>> 1) ^ POLY : b >>> 1;
  }
  return p >>> 0;
}

/** X2N[k] = x^(2^k) modulo the polynomial. */
const X2N = (() => {
  const table: number[] = [];
  let p = X0 >>> 1; // x^1
  for (let k = 0; k < 32; k++) {
    table.push(p);
    p = multModP(p, p);
  }
  return table;
})();

/** x^(n·2^k) modulo the polynomial. */
function x2nModP(n: number, k: number): number {
  let p = X0; // x^0
  for (let rest = n, at = k; rest > 0; rest = Math.floor(rest / 2), at++) {
    if (rest % 2 === 1) p = multModP(X2N[at & 31], p);
  }
  return p;
}

export function crc32Combine(crc1: number, crc2: number, length2: number): number {
  return (multModP(x2nModP(length2, 3), crc1 >>> 0) ^ crc2) >>> 0;
}
