import { describe, expect, it } from 'vitest';
import { rowTextsIn } from './row-texts';

/** The rows' texts as found, or null. */
const found = (text: string | Buffer): string[] | null => {
  const body = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
  const texts = rowTextsIn(body);
  return texts && texts.starts.map((start, i) => body.subarray(start, texts.ends[i]).toString('utf8'));
};

describe('rowTextsIn', () => {
  it('finds each row of a body as JSON.stringify wrote it, whatever comes before and after the rows', () => {
    const rows = [
      { seq: 1, complaint: '群众举报"噪声"扰民 {夜间} [施工]', closure: '已办结' },
      { seq: 2, complaint: 'a\\"b\\\\', closure: '正在办理', progress: '' },
      { seq: 3.5, nested: { a: [1, { b: '}' }] }, closure: null },
    ];
    const body = JSON.stringify({
      form: 'fujian1',
      contact: { name: '卓玛', phone: '0973-8722111', notes: ['rows', '"rows":[]'] },
      rows,
      asOf: '2019-11-01',
      basedOn: null,
      n: -1.5e3,
      ok: true,
    });
    expect(found(body)).toEqual(rows.map((r) => JSON.stringify(r)));
  });

  it('takes whitespace around and between rows, and an empty list', () => {
    expect(found(' \n{ "form" : "fujian1" ,\n "rows" : [ {"a":1} ,\n\t{"b":"x y"} ] }\n')).toEqual([
      '{"a":1}',
      '{"b":"x y"}',
    ]);
    expect(found('{"rows":[]}')).toEqual([]);
  });

  it('gives up on what it cannot vouch for: the rows are then encoded from the parsed values', () => {
    // A row written over several lines (a stored row must be one line), or with spaces between its tokens.
    expect(found('{"rows":[{\n"a":1}]}')).toBeNull();
    expect(found('{"rows":[{"a": 1}]}')).toBeNull();
    // No rows, rows twice (JSON.parse keeps the last), a key written with escapes, rows that are not objects.
    expect(found('{"form":"fujian1"}')).toBeNull();
    expect(found('{"rows":[{"a":1}],"rows":[{"a":2}]}')).toBeNull();
    expect(found('{"r\\u006fws":[{"a":1}]}')).toBeNull();
    expect(found('{"rows":[1,2]}')).toBeNull();
    expect(found('{"rows":{"a":1}}')).toBeNull();
    expect(found('[{"rows":[]}]')).toBeNull();
    // Bytes that are not UTF-8: the parsed text is not the bytes.
    expect(found(Buffer.from([...Buffer.from('{"rows":[{"a":"'), 0xe4, 0xb8, ...Buffer.from('"}]}')]))).toBeNull();
  });

  it('never reads past a body cut short', () => {
    for (const cut of ['{"rows":[{"a":"b', '{"rows":[{"a":1}', '{"rows":[{"a":1},', '{"rows":', '{"x":"\\"}'])
      expect(found(cut)).toBeNull();
  });
});
