import { describe, expect, it } from 'vitest';
import { chunkLines, chunkRows, MAX_CHUNK_BYTES, packRowTexts } from './codec';

/** A text of `n` characters drawn from `alphabet` (deterministic). */
const text = (n: number, alphabet: string[], seed: number): string =>
  Array.from({ length: n }, (_, i) => alphabet[(i * 7919 + seed * 104729) % alphabet.length]).join('');

const CJK = Array.from({ length: 3000 }, (_, i) => String.fromCharCode(0x4e00 + i * 5));
const MIXED = ['a', 'Z', '7', ' ', '"', '\\', '\n', '\t', 'é', '整', '改', '😀', '𠀀', '，'];

describe('row chunks', () => {
  it('give back every row as it went in, in order, whatever its size and script', async () => {
    // Short rows, rows of a few KB, and rows of ~40,000 characters (each larger than what is left of a chunk's
    // buffer once it is nearly full), in CJK, ASCII with escapes, and characters outside the BMP.
    const rows = Array.from({ length: 900 }, (_, i) => ({
      seq: i + 1,
      name: text(i % 7 === 0 ? 40_000 : 30 + (i % 50), i % 2 ? CJK : MIXED, i),
      note: i % 3 === 0 ? null : text(200, MIXED, i + 1),
      amount: i * 1.5,
    }));
    const chunks = await chunkRows(rows);
    expect(chunks.length).toBeGreaterThan(1);
    const back = chunks.flatMap((c) => chunkLines(c.data).map((line) => JSON.parse(line) as unknown));
    expect(back).toEqual(rows);
    let at = 0;
    for (const c of chunks) {
      const own = rows.slice(at, at + c.count);
      at += c.count;
      expect(c.data.byteLength).toBeLessThanOrEqual(MAX_CHUNK_BYTES);
      // What the chunk's rows take inside a page: their JSON and a separator after each.
      expect(c.bytes).toBe(own.reduce((n, row) => n + Buffer.byteLength(JSON.stringify(row)) + 2, 0));
    }
  });

  it('halve a slice that compresses badly, and still give back its rows in order', async () => {
    // Random CJK: about 14 bits of news per 3-byte character, so a slice compresses to well over a chunk's limit.
    let seed = 20191114;
    const random = (): number => (seed = (seed * 1664525 + 1013904223) >>> 0) / 2 ** 32;
    const noise = (n: number): string =>
      Array.from({ length: n }, () => String.fromCharCode(0x4e00 + Math.floor(random() * 20000))).join('');
    const noisy = Array.from({ length: 3000 }, (_, i) => ({ seq: i + 1, text: noise(300) }));
    const chunks = await chunkRows(noisy);
    for (const c of chunks) expect(c.data.byteLength).toBeLessThanOrEqual(MAX_CHUNK_BYTES);
    expect(chunks.flatMap((c) => chunkLines(c.data).map((line) => JSON.parse(line) as unknown))).toEqual(noisy);
  });

  it('from the JSON text rows arrived in, are the very chunks the parsed rows make', async () => {
    const rows = Array.from({ length: 2500 }, (_, i) => ({ seq: i + 1, name: text(400, i % 2 ? CJK : MIXED, i) }));
    const lines = rows.map((row) => JSON.stringify(row));
    const body = Buffer.from(`{"form":"x","rows":[${lines.join(',')}]}`, 'utf8');
    const starts: number[] = [];
    const ends: number[] = [];
    let at = body.indexOf('[') + 1;
    for (const line of lines) {
      starts.push(at);
      at += Buffer.byteLength(line);
      ends.push(at);
      at += 1;
    }
    const packed = packRowTexts({ body, starts, ends });
    expect(packed.rows).toBe(rows.length);
    const fromText = (await Promise.all(packed.slices)).flat();
    expect(fromText.length).toBeGreaterThan(1);
    expect(fromText).toEqual(await chunkRows(rows));
  });
});
