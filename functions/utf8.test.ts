import { describe, expect, it } from 'vitest';
import { fujian1Rows } from '../test/support/rows';
import { utf8Text } from './utf8';

describe('utf8Text', () => {
  it('reads a large sheet of Chinese text, and malformed or short input, exactly as Buffer#toString does', () => {
    const sheet = Buffer.from(JSON.stringify(fujian1Rows(300)), 'utf8');
    expect(sheet.byteLength).toBeGreaterThan(64 * 1024);
    const malformed = Buffer.concat([sheet, Buffer.from([0xe4, 0xb8, 0x41, 0xff, 0xed, 0xa0, 0x80])]);
    for (const bytes of [sheet, malformed, Buffer.from('短文本 ok'), Buffer.alloc(0)])
      expect(utf8Text(bytes)).toBe(bytes.toString('utf8'));
    expect(JSON.parse(utf8Text(sheet))).toEqual(fujian1Rows(300));
  });
});
