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

  it('agrees with JSON.parse on 300 generated bodies: each row found parses to that row', () => {
    let seed = 20191104;
    const random = (n: number): number => ((seed = (seed * 1664525 + 1013904223) >>> 0) / 2 ** 32) * n;
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random(xs.length))];
    const PIECES = ['a', '整改', '"', '\\', '{', '}', '[', ']', ',', ':', ' ', '\n', '\u2028', '😀', '\u0001', 'rows'];
    const text = (): string => Array.from({ length: Math.floor(random(12)) }, () => pick(PIECES)).join('');
    const value = (depth: number): unknown => {
      const kind = Math.floor(random(depth > 1 ? 4 : 6));
      if (kind === 0) return text();
      if (kind === 1) return Math.round(random(2e6) - 1e6) / 100;
      if (kind === 2) return pick([null, true, false]);
      if (kind === 3) return '';
      if (kind === 4) return Array.from({ length: Math.floor(random(3)) }, () => value(depth + 1));
      return Object.fromEntries(Array.from({ length: Math.floor(random(3)) }, () => [text(), value(depth + 1)]));
    };
    const row = (): Record<string, unknown> =>
      Object.fromEntries(Array.from({ length: 1 + Math.floor(random(6)) }, () => [text(), value(0)]));
    for (let n = 0; n < 300; n++) {
      const rows = Array.from({ length: Math.floor(random(8)) }, row);
      const envelope: [string, unknown][] = [
        ['form', text()],
        ['contact', value(0)],
        ['rows', rows],
        ['asOf', value(0)],
      ];
      envelope.sort(() => random(2) - 1);
      // Whitespace between the envelope's tokens and between rows, none inside a row.
      const gap = (): string => pick(['', ' ', '\n', '\t ', '\r\n  ']);
      const body =
        `${gap()}{` +
        envelope
          .map(([key, v]) => {
            const json =
              key === 'rows'
                ? `[${gap()}${rows.map((r) => JSON.stringify(r)).join(`${gap()},${gap()}`)}${gap()}]`
                : JSON.stringify(v);
            return `${gap()}${JSON.stringify(key)}${gap()}:${gap()}${json}${gap()}`;
          })
          .join(',') +
        `}${gap()}`;
      const parsed = JSON.parse(body) as { rows: unknown[] };
      const texts = found(body);
      expect(texts, body).not.toBeNull();
      expect(texts!.map((t) => JSON.parse(t) as unknown)).toEqual(parsed.rows);
    }
  });
});
