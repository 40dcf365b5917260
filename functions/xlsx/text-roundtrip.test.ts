// Every text a county may store survives the .xlsx the service writes (DESIGN §11): submitted over HTTP, pulled
// by the prefecture as ?format=xlsx, the file reads back the same text in ExcelJS, every XML part passes a strict
// XML parser (libxml2's xmllint), and LibreOffice (when installed) opens it and saves the same texts again.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalStack, type LocalStack } from '../../infra/local/stack';
import { cellText } from '../../forms/cells';
import { readXlsxSheets } from '../../forms/xlsx-read';
import { MAX_CELL_TEXT } from '../../forms/xml-text';
import { call } from '../../test/support/api';
import { fujian1Rows } from '../../test/support/rows';

let stack: LocalStack;
const clock = new Date('2019-11-04T10:00:00+08:00');

beforeAll(async () => {
  stack = await startLocalStack({ inMemory: true, port: 0, now: () => clock, quiet: true });
});
afterAll(async () => {
  await stack?.stop();
});

/** Texts that are legal but easy to mangle: markup, formulas, astral characters, separators, escapes, the longest cell. */
const TEXTS = [
  '=HYPERLINK("http://x")与+1、-1、@SUM(A1)',
  '<b>粗体</b> & "引号" \'单引号\' ]]> <!-- 注释 -->',
  '表情😀与扩展B区汉字𠀋𪚥',
  '制表\t符与\n换行',
  '回车\r\n换行\r单独回车',
  '不换行空格\u00a0、行分隔\u2028、段分隔\u2029、从右到左\u200f标记',
  '私用区\ue000与替换字符\ufffd与\ufffc',
  '_x0041_ 与 _x000D_ 字样',
  '全角＝１２３与　中间的全角空格',
  '长'.repeat(10) + 'a'.repeat(MAX_CELL_TEXT - 10),
];

const hasLibreOffice = (() => {
  try {
    execFileSync('soffice', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

describe('stored text in the .xlsx the service writes', () => {
  let file: Uint8Array;
  /** The texts as stored (line breaks as a cell holds them: `\r\n` and `\r` become `\n`). */
  let stored: string[];

  beforeAll(async () => {
    const rows = fujian1Rows(TEXTS.length).map((r, i) => ({ ...r, complaint: TEXTS[i] }));
    const receipt = await call(stack.apiUrl, 'POST', '/v1/submissions', {
      token: stack.tokens.zeku,
      body: {
        form: 'fujian1',
        round: '2019-11-04',
        asOf: '2019-11-03',
        contact: { name: '卓玛', phone: '13800000000' },
        rows,
      },
      idempotencyKey: 'roundtrip-1',
      gzip: true,
    });
    expect(receipt.status).toBe(201);
    const back = await call(stack.apiUrl, 'GET', `/v1/submissions/${receipt.body.id}`, { token: stack.tokens.zeku });
    stored = back.body.rows.map((r: { complaint: string }) => r.complaint);
    expect(stored).toEqual(TEXTS.map((t) => t.replace(/\r\n?/g, '\n')));
    const res = await fetch(`${stack.apiUrl}/v1/consolidated/fujian1?round=2019-11-04&format=xlsx`, {
      headers: { authorization: `Bearer ${stack.tokens.huangnan}` },
    });
    expect(res.status).toBe(200);
    file = new Uint8Array(await res.arrayBuffer());
  });

  const cellsOf = async (bytes: Uint8Array): Promise<string[]> => {
    const sheets = await readXlsxSheets(bytes);
    // LibreOffice saves mixed scripts as rich-text runs (one font per script); the text is what counts.
    return sheets.flatMap((s) => s.grid.flat()).map((v) => cellText(v));
  };

  it('reads back every text unchanged in ExcelJS', async () => {
    const cells = await cellsOf(file);
    for (const text of stored) expect(cells).toContain(text);
  });

  it('has only well-formed XML parts (xmllint, strict)', async () => {
    const zip = await JSZip.loadAsync(file);
    const dir = mkdtempSync(join(tmpdir(), 'baosong-xml-'));
    const parts = Object.values(zip.files).filter((f) => !f.dir && /\.(xml|rels)$/.test(f.name));
    expect(parts.map((p) => p.name)).toContain('xl/sharedStrings.xml');
    for (const part of parts) {
      const path = join(dir, part.name.replace(/[^\w.]/g, '_'));
      writeFileSync(path, await part.async('uint8array'));
      // Throws (non-zero exit) on anything that is not well-formed XML 1.0.
      execFileSync('xmllint', ['--noout', '--nonet', path], { stdio: 'pipe' });
    }
  });

  it.runIf(hasLibreOffice)('opens in LibreOffice, which saves the same texts again', async () => {
    const work = mkdtempSync(join(tmpdir(), 'baosong-lo-'));
    const src = join(work, 'src');
    mkdirSync(src);
    writeFileSync(join(src, 'consolidated.xlsx'), file);
    execFileSync(
      'soffice',
      [
        '--headless',
        '--norestore',
        `-env:UserInstallation=file://${work}/profile`,
        '--convert-to',
        'xlsx:Calc MS Excel 2007 XML',
        '--outdir',
        work,
        join(src, 'consolidated.xlsx'),
      ],
      { stdio: 'ignore', timeout: 120_000 },
    );
    const cells = await cellsOf(readFileSync(join(work, 'consolidated.xlsx')));
    for (const text of stored) expect(cells).toContain(text);
  });
});
