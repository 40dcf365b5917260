import { crc32, gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { crc32Combine, deflated, gzipMember, joinGzip, pieceOfMember } from './gzip-join';

/** What a browser does with a gzip body: the web platform's DecompressionStream (Node has the same). */
async function browserGunzip(body: Buffer): Promise<string> {
  const stream = new Blob([new Uint8Array(body)]).stream().pipeThrough(new DecompressionStream('gzip'));
  return new Response(stream).text();
}

const texts = ['{"rows":[', '{"问题":"群众反映噪声扰民"},\n{"问题":"粉尘"}', ',', 'x'.repeat(200_000), ']}'];

describe('joining compressed pieces', () => {
  it('pieces compressed apart read back as one gzip body, byte for byte, in Node and as a browser reads it', async () => {
    const pieces = await Promise.all(texts.map((t) => deflated(Buffer.from(t, 'utf8'), 4)));
    const body = joinGzip(pieces);
    // gunzip checks the trailer's CRC-32 and length: a wrong combination throws.
    expect(gunzipSync(body).toString('utf8')).toBe(texts.join(''));
    expect(await browserGunzip(body)).toBe(texts.join(''));
  });

  it('a stored member is an ordinary gzip file, and joins as it is', async () => {
    const piece = await deflated(Buffer.from(texts[1], 'utf8'), 4);
    const member = gzipMember(piece);
    expect(gunzipSync(member).toString('utf8')).toBe(texts[1]);
    const inside = pieceOfMember(member);
    expect(inside).not.toBeNull();
    const head = await deflated(Buffer.from('[', 'utf8'), 1);
    const tail = await deflated(Buffer.from(']', 'utf8'), 1);
    expect(JSON.parse(gunzipSync(joinGzip([head, inside!, tail])).toString('utf8'))).toEqual([
      { 问题: '群众反映噪声扰民' },
      { 问题: '粉尘' },
    ]);
  });

  it('gzip written by anyone else (and a damaged member) is not taken as joinable: it is decompressed instead', () => {
    expect(pieceOfMember(gzipSync(Buffer.from(texts[1], 'utf8')))).toBeNull();
    expect(pieceOfMember(Buffer.alloc(0))).toBeNull();
    const cut = gzipSync(Buffer.from(texts[3], 'utf8'));
    expect(pieceOfMember(cut.subarray(0, cut.length - 3))).toBeNull();
  });

  it('combines CRC-32s as zlib does, for empty, short and long second parts', () => {
    const a = Buffer.from('报送'.repeat(1000), 'utf8');
    for (const length of [0, 1, 7, 65_536, 1_000_003]) {
      const b = Buffer.alloc(length, length % 251);
      expect(crc32Combine(crc32(a), crc32(b), b.length), `length ${length}`).toBe(crc32(Buffer.concat([a, b])));
    }
  });
});
