// renderSheet lays rows out as the government template; written to .xlsx (writeXlsx) and read back, the
// sheet must parse to the same rows — the round trip the prefecture's consolidated sheets take.
import { FORMS_2019, FUJIAN1, FUJIAN2, type Fujian1Row } from './forms-2019';
import { FUJIAN1_LABELS } from './sheets';
import { describe, expect, it } from 'vitest';
import { parseSheet, readXlsxSheets, renderSheet, validateRows } from '../index';
import { writeXlsx } from '../xlsx-write';

const cases: Fujian1Row[] = [
  {
    seq: 1,
    prefecture: '黄南州',
    address: '同仁县隆务镇',
    complaint: '=HYPERLINK("http://x","点我")',
    currentState: '+已约谈',
    measures: '-规范施工',
    progress: '@已验收',
    closure: '已办结',
  },
  {
    seq: 2,
    prefecture: '黄南州',
    address: '同仁县保安镇',
    complaint: '锅炉冒黑烟',
    currentState: '已淘汰',
    measures: '改用电能',
    progress: '',
    closure: '正在办理',
  },
];
const units = validateRows(FUJIAN2, [
  {
    unit: '同仁县',
    verified: 14,
    unfounded: 2,
    assigned: 16,
    closed: 8,
    phaseClosed: 5,
    orderedToRectify: 4,
    penalized: 0,
    fineWan: 12.17,
    investigated: 0,
    detainedAdmin: 2,
    detainedCriminal: 0,
    interviewed: 1,
    heldAccountable: 0,
  },
  {
    unit: '尖扎县',
    verified: 11,
    unfounded: 4,
    assigned: 15,
    closed: 9,
    phaseClosed: 3,
    orderedToRectify: 1,
    penalized: 2,
    fineWan: 7.3601,
    investigated: 1,
    detainedAdmin: 1,
    detainedCriminal: 1,
    interviewed: 4,
    heldAccountable: 2,
  },
]).rows;

async function writeAndRead(sheet: ReturnType<typeof renderSheet>) {
  const [read] = await readXlsxSheets(await writeXlsx([sheet]));
  return { read, parsed: parseSheet(read.grid, FORMS_2019, { origin: read.origin }) };
}

describe('renderSheet', () => {
  it('a blank 附件1 template has the document layout and reads back as an empty 附件1', async () => {
    const sheet = renderSheet(FUJIAN1, [], {}, { blankRows: 10 });
    expect(sheet.values[0][0]).toBe('附件1');
    expect(sheet.values[1][0]).toBe('第一轮中央环境保护督察尚未办结问题整改进展情况自查表');
    expect(sheet.values[2][0]).toBe('填报单位(公章):');
    expect(sheet.values[2][4]).toBe('填报日期:    年  月  日');
    expect(sheet.values[3]).toEqual(FUJIAN1_LABELS);
    expect(sheet.merges.slice(0, 3)).toEqual(['A2:H2', 'A3:D3', 'E3:H3']);
    expect(sheet.columnWidths).toEqual([6, 8, 24, 40, 30, 36, 30, 10]);
    expect(sheet).toMatchObject({
      header: { firstRow: 4, lastRow: 4 },
      data: { firstRow: 5, lastRow: 14 },
      printTitleRows: '4:4',
      dropDowns: [{ column: 7, title: '是否办结', values: ['已办结', '阶段办结', '正在办理'] }],
      textColumns: [1, 2, 3, 4, 5, 6, 7],
    });
    expect(sheet.values[sheet.notes.lastRow - 1][0]).toBe('3、是否办结栏填写“已办结”“阶段办结”“正在办理”');

    const { parsed } = await writeAndRead(sheet);
    expect(parsed.form).toBe('fujian1');
    expect(parsed.rows).toEqual([]);
    expect(JSON.stringify(parsed.meta)).toBe('{}');
    expect(parsed.issues.map((i) => i.code)).toEqual(['rows.empty']);
  });

  it('附件1 rows survive render → .xlsx → parse, text that looks like a formula stays text', async () => {
    const sheet = renderSheet(FUJIAN1, cases, { unitName: '同仁县人民政府', fillDate: '2019-11-14' });
    expect(sheet.values[2][4]).toBe('填报日期:2019年11月14日');
    const { parsed } = await writeAndRead(sheet);
    expect(parsed.issues).toEqual([]);
    expect(parsed.meta).toEqual({ unitName: '同仁县人民政府', fillDate: '2019-11-14' });
    expect(parsed.rows.map((r) => r.values)).toEqual(cases);
  });

  it('附件2 has the two-row merged header, a checked 合计 line and 数据截至', async () => {
    const sheet = renderSheet(
      FUJIAN2,
      units,
      { unitName: '黄南州', fillDate: '2019-11-14', asOf: '2019-11-10' },
      { totalRow: true },
    );
    expect(sheet.values[3].slice(0, 5)).toEqual(['市/州', '交办数量(件)', null, null, '已办结(件)']);
    expect(sheet.values[4].slice(0, 5)).toEqual([null, '属实', '不属实', '合计', null]);
    expect(sheet.merges).toEqual(
      expect.arrayContaining(['A2:N2', 'A3:G3', 'H3:N3', 'A4:A5', 'B4:D4', 'K4:L4', 'N4:N5']),
    );
    expect(sheet.printTitleRows).toBe('4:5');
    expect(sheet.totalRow).toBe(8);
    expect(sheet.values[7]).toEqual(['合计', 25, 6, 31, 17, 8, 5, 2, 19.5301, 1, 3, 1, 5, 2]);
    expect(sheet.numberFormats[8]).toBe('0.00##');
    expect(sheet.values[sheet.notes.firstRow - 1][0]).toBe('注:数据截至2019年11月10日');

    const { parsed } = await writeAndRead(sheet);
    expect(parsed.issues).toEqual([]);
    expect(parsed.total).toEqual({ sheetRow: 8 });
    expect(parsed.rows.map((r) => r.values)).toEqual(units);
    expect(parsed.meta).toEqual({ unitName: '黄南州', fillDate: '2019-11-14', asOf: '2019-11-10' });
  });

  it('extra columns go right of the template and do not disturb reading it back', async () => {
    const sheet = renderSheet(
      FUJIAN1,
      cases,
      {},
      { extraColumns: [{ label: '填报单位', width: 16, values: ['同仁县', '尖扎县'] }], totalRow: true },
    );
    expect(sheet.values[3][8]).toBe('填报单位');
    expect(sheet.columnWidths[8]).toBe(16);
    expect(sheet.textColumns).toContain(8);
    expect(sheet.merges[0]).toBe('A2:I2');
    expect(sheet.values[sheet.totalRow! - 1][1]).toBe('共 2 件,其中已办结 1 件、阶段办结 0 件、正在办理 1 件');
    const { read, parsed } = await writeAndRead(sheet);
    expect(read.grid[5][8]).toBe('尖扎县');
    expect(parsed.rows.map((r) => r.values)).toEqual(cases);
    expect(parsed.issues).toEqual([]);
  });
});
