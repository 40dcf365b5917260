// Files saved by LibreOffice Calc (testdata/libreoffice, made by testdata/make-libreoffice.ts). LibreOffice
// stores mixed Chinese/Latin text as rich-text runs, keeps merges, and caches its own formula results,
// including #VALUE! where a formula adds numbers typed as text.
import { FORMS_2019, type Fujian1Row, type Fujian2Row } from './forms-2019';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { detectForm, parseSheet, readXlsxSheets } from '../index';

const dir = join(dirname(fileURLToPath(import.meta.url)), '..', 'testdata', 'libreoffice');

async function read(file: string) {
  const sheets = await readXlsxSheets(readFileSync(join(dir, file)));
  const found = sheets.filter((s) => detectForm(s.grid, FORMS_2019));
  expect(found).toHaveLength(1);
  const [sheet] = found;
  return { sheet, parsed: parseSheet(sheet.grid, FORMS_2019, { origin: sheet.origin, merges: sheet.merges }) };
}

describe('附件1 saved by LibreOffice', () => {
  it('is found in a sheet named 11月14日 behind a notice sheet, right of an extra column, header at row 6', async () => {
    const { sheet, parsed } = await read('fujian1_quirks.xlsx');
    expect(sheet.name).toBe('11月14日');
    expect(parsed.form).toBe('fujian1');
    expect(parsed.headerRow).toBe(6);
    expect(parsed.columns.seq).toBe(3);
    expect(parsed.meta).toEqual({
      unitName: '泽库县人民政府',
      fillDate: '2019-11-14',
      contactName: '卓玛',
      contactPhone: '13897330001',
    });
  });

  it('reads rich-text runs, full-width digits, padded text and a merged 市/州; skips the blank row, 合计 and notes', async () => {
    const { parsed } = await read('fujian1_quirks.xlsx');
    expect(parsed.rows.map((r) => r.sheetRow)).toEqual([7, 8, 10, 11]);
    expect(parsed.total).toEqual({ sheetRow: 12 });
    const [first, second] = parsed.rows.map((r) => r.values as Fujian1Row);
    expect(first.seq).toBe(1);
    expect(first.complaint).toBe('群众反映砂石料场无序开采,破坏隆务河河道,扬尘污染严重。');
    expect(second.prefecture).toBe('黄南州');
    expect(second.closure).toBe('阶段办结');
  });

  it('reports exactly what is wrong, by cell', async () => {
    const { parsed } = await read('fujian1_quirks.xlsx');
    expect(parsed.issues.map((i) => i.message)).toEqual([
      'C8「序号」是错误值「#VALUE!」,请修正公式或直接填写正整数',
      'D10「市/州」不能为空,请填写所属市/州,如「黄南州」',
      'J10「是否办结」应填写:已办结、阶段办结、正在办理',
      'E11「详细地址」不能为空,请填写问题所在的详细地址(县、乡镇、村)',
    ]);
  });
});

describe('附件2 saved by LibreOffice', () => {
  it('reads the merged two-row header with full-width brackets and the rich-text meta lines', async () => {
    const { parsed } = await read('fujian2_quirks.xlsx');
    expect([parsed.form, parsed.headerRow, parsed.headerLastRow]).toEqual(['fujian2', 4, 5]);
    expect(parsed.meta).toEqual({ unitName: '黄南州生态环境局', fillDate: '2019-11-14', asOf: '2019-11-10' });
    expect(parsed.rows.map((r) => (r.values as Fujian2Row).unit)).toEqual(['同仁县', '尖扎县', '泽库县']);
    expect((parsed.rows[0].values as Fujian2Row).verified).toBe(14);
    expect((parsed.rows[1].values as Fujian2Row).assigned).toBe(15);
  });

  it('catches the #VALUE! of a formula over text numbers, a wrong sum, and SUM totals that skipped text numbers', async () => {
    const { parsed } = await read('fujian2_quirks.xlsx');
    expect(parsed.issues.map((i) => [i.cell, i.code])).toEqual([
      ['D6', 'cell.error'],
      ['B8:D8', 'fujian2.sum_mismatch'],
      ['B9', 'total.mismatch'],
      ['C9', 'total.mismatch'],
      ['D9', 'cell.error'],
      ['I9', 'total.mismatch'],
    ]);
    expect(parsed.issues[2].message).toBe(
      'B9「交办数量(件)/属实」合计为 27,但各行相加为 41:请改为 41(本列有以文本形式填写的数字,SUM 公式不会计入它们)',
    );
  });
});
