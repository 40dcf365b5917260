import { gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { fujian1Rows } from '../test/support/rows';
import { fillPage, pageBytes, pageGzip, PageRows, type Page } from './page';
import { chunkRows } from './store/codec';
import { pieceOfMember } from './gzip-join';
import { pagedResult } from './http';
import { NEXT_CURSOR_HEADER, RANGES_HEADER } from '../contract/api';

type Rows = { rows: unknown[]; next: null };

/** A page's body as a gzip client and as a plain client read it. */
async function bodies(rows: PageRows): Promise<{ zipped: Rows; plain: Rows }> {
  const page: Page<Rows> = { fields: { next: null }, rows };
  return {
    zipped: JSON.parse(gunzipSync(await pageGzip(page, 1)).toString('utf8')) as Rows,
    plain: JSON.parse((await pageBytes(page)).toString('utf8')) as Rows,
  };
}

/** Rows stored as the store stores them (codec.ts), as fillPage takes them. */
async function stored(rows: unknown[]) {
  const chunks = await chunkRows(rows);
  return { members: chunks.map((c) => c.data), counts: chunks.map((c) => c.count), skip: 0 };
}

describe('pages of stored rows', () => {
  const rows = fujian1Rows(2500);

  it('whole stored chunks go out as they were compressed, and the body reads back as the rows, in order', async () => {
    const from = await stored(rows);
    expect(from.members.length).toBeGreaterThan(1);
    expect(from.members.every((m) => pieceOfMember(m) !== null)).toBe(true);
    const page = new PageRows({ compressed: 10 * 1024 * 1024 });
    expect(await fillPage(page, from)).toBe(rows.length);
    // Nothing was decompressed and compressed again: every run is a stored chunk.
    expect(page.runs.every((run) => 'piece' in run)).toBe(true);
    const { zipped, plain } = await bodies(page);
    expect(zipped.rows).toEqual(rows);
    expect(plain.rows).toEqual(rows);
  });

  it('a page sent compressed ends at a chunk boundary; one counted in JSON bytes splits a chunk; the rest follows', async () => {
    const from = await stored(rows);
    const firstChunk = from.members[0].byteLength;
    const compressed = new PageRows({ compressed: firstChunk + 10 });
    expect(await fillPage(compressed, from)).toBe(from.counts[0]);

    const plain = new PageRows(300_000);
    const taken = await fillPage(plain, from);
    expect(taken).toBeGreaterThan(0);
    expect(taken).toBeLessThan(from.counts[0]);
    // The next page starts inside the first chunk.
    const rest = new PageRows({ compressed: 10 * 1024 * 1024 });
    expect(await fillPage(rest, { ...from, skip: taken })).toBe(rows.length - taken);
    expect([...(await bodies(plain)).zipped.rows, ...(await bodies(rest)).zipped.rows]).toEqual(rows);
  });

  it('a range that ends inside a chunk takes that chunk’s rows up to its end as JSON, and none after', async () => {
    const from = await stored(rows);
    const end = from.counts[0] + 7; // 7 rows into the second chunk
    const page = new PageRows({ compressed: 10 * 1024 * 1024 });
    expect(await fillPage(page, { ...from, skip: 3, rows: end - 3 })).toBe(end - 3);
    // The first chunk (from its 4th row) and the start of the second go in as JSON; the whole chunks after, not at all.
    expect(page.runs.some((run) => 'piece' in run)).toBe(false);
    expect((await bodies(page)).zipped.rows).toEqual(rows.slice(3, end));
    // Ending on a chunk boundary, the chunk before it still goes in whole, as stored.
    const whole = new PageRows({ compressed: 10 * 1024 * 1024 });
    expect(await fillPage(whole, { ...from, rows: from.counts[0] })).toBe(from.counts[0]);
    expect(whole.runs.every((run) => 'piece' in run)).toBe(true);
    expect((await bodies(whole)).plain.rows).toEqual(rows.slice(0, from.counts[0]));
  });

  it('chunks stored before rows were joined for splicing (rows between newlines only) still read back whole', async () => {
    const old = [rows.slice(0, 3), rows.slice(3, 5)].map((part) =>
      gzipSync(Buffer.from(part.map((r) => JSON.stringify(r)).join('\n'), 'utf8')),
    );
    const page = new PageRows({ compressed: 10 * 1024 * 1024 });
    expect(await fillPage(page, { members: old, counts: [3, 2], skip: 1 })).toBe(4);
    const { zipped, plain } = await bodies(page);
    expect(zipped.rows).toEqual(rows.slice(1, 5));
    expect(plain.rows).toEqual(rows.slice(1, 5));
  });
});

describe('paged answers', () => {
  const event = (acceptEncoding?: string) =>
    ({ headers: acceptEncoding ? { 'accept-encoding': acceptEncoding } : {} }) as unknown as Parameters<
      typeof pagedResult
    >[0];
  const onePage = (fields: { next: string | null; ranges?: string[] }) => async (): Promise<Page<Rows>> => {
    const rows = new PageRows();
    rows.push(Buffer.from('{"seq":1}'));
    return { fields: fields as Rows, rows };
  };
  type Answer = { headers: Record<string, string>; body: string; isBase64Encoded?: boolean };
  const bodyOf = (a: Answer): { next: string | null; ranges?: string[] } =>
    JSON.parse(
      (a.isBase64Encoded ? gunzipSync(Buffer.from(a.body, 'base64')) : Buffer.from(a.body)).toString('utf8'),
    ) as { next: string | null; ranges?: string[] };

  it("name the next page, or a first page's planned ranges, in a header as well as in the body", async () => {
    for (const encoding of ['gzip', undefined]) {
      const ranged = (await pagedResult(event(encoding), onePage({ next: 'n2', ranges: ['r1', 'r2'] }))) as Answer;
      expect(ranged.headers[RANGES_HEADER]).toBe('r1,r2');
      // A client that reads the ranges fetches them, not the first page's own next.
      expect(ranged.headers).not.toHaveProperty(NEXT_CURSOR_HEADER);
      expect(bodyOf(ranged).ranges).toEqual(['r1', 'r2']);
      const chained = (await pagedResult(event(encoding), onePage({ next: 'n2' }))) as Answer;
      expect(chained.headers[NEXT_CURSOR_HEADER]).toBe('n2');
      expect(chained.headers).not.toHaveProperty(RANGES_HEADER);
    }
    // A plan too long for a header is in the body only.
    const many = Array.from({ length: 100 }, (_, i) => `${'x'.repeat(60)}${i}`);
    const long = (await pagedResult(event('gzip'), onePage({ next: 'n2', ranges: many }))) as Answer;
    expect(long.headers).not.toHaveProperty(RANGES_HEADER);
    expect(bodyOf(long).ranges).toEqual(many);
  });
});
