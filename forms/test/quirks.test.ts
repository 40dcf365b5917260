// Sheets as they really arrive (LibreOffice/WPS/Excel copies of the template), written to .xlsx with ExcelJS
// and read back through readXlsxSheets + parseSheet.
import { FORMS_2019, FUJIAN2, type Fujian1Row, type Fujian2Row } from './forms-2019';
import { describe, expect, it } from 'vitest';
import { detectForm, parseSheet, type Issue } from '../index';
import {
  FUJIAN1_LABELS,
  FUJIAN2_HEADER_MERGES,
  FUJIAN2_SUB,
  FUJIAN2_TOP,
  fujian1Row,
  fujian2Row,
  roundTrip,
  type Cell,
} from './sheets';

const TITLE1 = ['附件1'];
const rich = (...parts: string[]): Cell => ({
  richText: parts.map((text, i) => ({ text, font: { bold: i === 0, name: i ? '宋体' : 'Arial' } })),
});

async function parseOnly(
  rows: Cell[][],
  extra: { name?: string; merges?: string[]; startRow?: number; startColumn?: number } = {},
) {
  const [sheet] = await roundTrip({ rows, ...extra });
  return { sheet, parsed: parseSheet(sheet.grid, FORMS_2019, { origin: sheet.origin }) };
}

const errorsOf = (issues: Issue[]) => issues.filter((i) => i.severity === 'error');

describe('附件1 as clerks really save it', () => {
  it('reads rich-text cells (one cell in several fonts) in the header and the data', async () => {
    const { parsed } = await parseOnly([
      TITLE1,
      [rich('序', '号'), ...FUJIAN1_LABELS.slice(1, 7), rich('是否', '办结')],
      fujian1Row(1, { 2: rich('同仁县', '隆务镇'), 7: rich('已', '办结') }),
    ]);
    expect(parsed.form).toBe('fujian1');
    expect(parsed.issues).toEqual([]);
    expect((parsed.rows[0].values as Fujian1Row).address).toBe('同仁县隆务镇');
    expect((parsed.rows[0].values as Fujian1Row).closure).toBe('已办结');
  });

  it('matches labels broken over two lines, with full-width brackets, U+3000 and stray spaces', async () => {
    const labels = [
      ' 序　号 ',
      '市／州',
      '详细\n地址',
      '群众举报问题\r\n具体内容',
      '目前整改\n工作现状',
      '具体整改措施\n及整改目标',
      '主题教育期间\n整改进展',
      '是否\n办结',
    ];
    const { parsed } = await parseOnly([TITLE1, labels, fujian1Row(1)]);
    expect(parsed.form).toBe('fujian1');
    expect(parsed.headerRow).toBe(2);
    expect(parsed.issues).toEqual([]);
  });

  it('accepts full-width digits, numbers typed as text and padded choices, and keeps the normalised values', async () => {
    const { parsed } = await parseOnly([
      TITLE1,
      FUJIAN1_LABELS,
      fujian1Row('１２', { 7: '　已办结　' }),
      fujian1Row(' 13 ', { 1: '　黄南州 ', 7: '阶段 办结' }),
    ]);
    expect(parsed.issues).toEqual([]);
    const values = parsed.rows.map((r) => r.values as Fujian1Row);
    expect(values.map((v) => v.seq)).toEqual([12, 13]);
    expect(values.map((v) => v.closure)).toEqual(['已办结', '阶段办结']);
    expect(values[1].prefecture).toBe('黄南州');
  });

  it('skips blank rows between data and the notes below, and reads the meta above a header not at row 4', async () => {
    const { parsed } = await parseOnly([
      [],
      ['附件1'],
      ['第一轮中央环境保护督察尚未办结问题整改进展情况自查表'],
      [],
      ['填报单位(公章):', '尖扎县人民政府', null, null, '填报日期:', '2019年11月24日'],
      FUJIAN1_LABELS,
      fujian1Row(1),
      [],
      [null, '   '],
      fujian1Row(2),
      [],
      ['备注:1、整改目标是指截至2019年11月底第二批主题教育活动结束前预期成效'],
      ['2、除第一次填报外,后续填报只填写最后两栏“整改进展”“是否办结”内容,其余栏目原则上保持不变'],
      ['3、是否办结栏填写“已办结”“阶段办结”“正在办理”'],
      ['填报人:卓玛', null, '联系电话:0973-8721234'],
    ]);
    expect(parsed.headerRow).toBe(6);
    expect(parsed.rows.map((r) => r.sheetRow)).toEqual([7, 10]);
    expect(parsed.issues).toEqual([]);
    expect(parsed.meta).toEqual({
      unitName: '尖扎县人民政府',
      fillDate: '2019-11-24',
      contactName: '卓玛',
      contactPhone: '0973-8721234',
    });
  });

  it('finds the table in a sheet with another name, with extra columns before it, and names cells where they are', async () => {
    const { sheet, parsed } = await parseOnly(
      [
        [null, null, '附件1'],
        ['县内编号', '核查人', ...FUJIAN1_LABELS],
        ['TR-01', '张三', ...fujian1Row(1)],
        ['TR-02', '李四', ...fujian1Row(2, { 7: '已完成' })],
      ],
      { name: '11月14日报送', startRow: 3 },
    );
    expect(sheet.name).toBe('11月14日报送');
    expect(detectForm(sheet.grid, FORMS_2019)).toBe('fujian1');
    expect(parsed.headerRow).toBe(4);
    expect(parsed.columns.seq).toBe(3);
    expect(parsed.issues.map((i) => i.message)).toEqual(['J6「是否办结」应填写:已办结、阶段办结、正在办理']);
  });

  it('reads a 市/州 merged down several rows as filled in every row', async () => {
    const { parsed } = await parseOnly(
      [TITLE1, FUJIAN1_LABELS, fujian1Row(1), fujian1Row(2, { 1: null }), fujian1Row(3, { 1: null })],
      { merges: ['B3:B5'] },
    );
    expect(parsed.issues).toEqual([]);
    expect(parsed.rows.map((r) => (r.values as Fujian1Row).prefecture)).toEqual(['黄南州', '黄南州', '黄南州']);
  });

  it('uses the cached result of a formula cell', async () => {
    const { parsed } = await parseOnly([
      TITLE1,
      FUJIAN1_LABELS,
      fujian1Row(1),
      fujian1Row({ formula: 'A3+1', result: 2 } as Cell),
    ]);
    expect(parsed.issues).toEqual([]);
    expect(parsed.rows.map((r) => (r.values as Fujian1Row).seq)).toEqual([1, 2]);
  });

  it('skips a user-added 合计 line under 附件1', async () => {
    const { parsed } = await parseOnly([TITLE1, FUJIAN1_LABELS, fujian1Row(1), fujian1Row(2), ['合计', '2件']]);
    expect(parsed.rows).toHaveLength(2);
    expect(parsed.total).toEqual({ sheetRow: 5 });
    expect(parsed.issues).toEqual([]);
  });

  it('skips the row of column numbers some templates put under the header', async () => {
    const { parsed } = await parseOnly([TITLE1, FUJIAN1_LABELS, [1, 2, 3, 4, 5, 6, 7, 8], fujian1Row(1)]);
    expect(parsed.rows.map((r) => r.sheetRow)).toEqual([4]);
    expect(parsed.issues).toEqual([]);
  });

  it('a header whose labels sit in a merged two-row block is one header', async () => {
    const { parsed } = await parseOnly([TITLE1, FUJIAN1_LABELS, [], fujian1Row(1)], {
      merges: ['A2:A3', 'B2:B3', 'H2:H3'],
    });
    expect(parsed.headerRow).toBe(2);
    expect(parsed.headerLastRow).toBe(3);
    expect(parsed.rows.map((r) => r.sheetRow)).toEqual([4]);
    expect(parsed.issues).toEqual([]);
  });

  it('reports a column missing from the header once, not on every row', async () => {
    const { parsed } = await parseOnly([
      TITLE1,
      FUJIAN1_LABELS.slice(0, 7),
      fujian1Row(1).slice(0, 7),
      fujian1Row(2).slice(0, 7),
    ]);
    expect(parsed.form).toBe('fujian1');
    expect(errorsOf(parsed.issues).map((i) => [i.code, i.column])).toEqual([['header.missing_column', '是否办结']]);
    expect(parsed.issues[0].message).toBe('第2行表头缺少「是否办结」列:请按模板补上该列并填写');
    expect(parsed.issues[0].cell).toBe('A2:G2');
  });

  it('warns about data typed under the notes instead of silently dropping it', async () => {
    const { parsed } = await parseOnly([TITLE1, FUJIAN1_LABELS, fujian1Row(1), ['备注:以下为补报'], fujian1Row(2)]);
    expect(parsed.rows).toHaveLength(1);
    expect(parsed.issues.map((i) => [i.code, i.row, i.cell])).toEqual([['row.after_notes', 5, 'A5:H5']]);
  });
});

describe('附件2 as clerks really save it', () => {
  const header = [FUJIAN2_TOP, FUJIAN2_SUB];

  it('finds the two-row header with merged cells and full-width brackets, anywhere in the sheet', async () => {
    const top = FUJIAN2_TOP.map((l) => (l ? l.replace('(', '（').replace(')', '）') : l));
    const { parsed } = await parseOnly(
      [['附件2'], [], [], top, FUJIAN2_SUB, fujian2Row('泽库县'), [], ['注:数据截至2019年11月10日']],
      {
        merges: FUJIAN2_HEADER_MERGES(4),
        name: '汇总',
      },
    );
    expect(parsed.form).toBe('fujian2');
    expect([parsed.headerRow, parsed.headerLastRow]).toEqual([4, 5]);
    expect(parsed.issues).toEqual([]);
    expect(parsed.meta.asOf).toBe('2019-11-10');
    expect(parsed.rows[0].values).toMatchObject({
      unit: '泽库县',
      verified: 14,
      unfounded: 2,
      assigned: 16,
      fineWan: 12.17,
      detainedAdmin: 2,
    });
  });

  it('reads the header when the merged cells were un-merged leaving blanks (as Office.js reports them)', () => {
    const grid = [['附件2'], FUJIAN2_TOP, FUJIAN2_SUB.map((v) => v ?? ''), fujian2Row('泽库县') as (string | number)[]];
    const parsed = parseSheet(grid, FORMS_2019);
    expect(parsed.form).toBe('fujian2');
    expect(parsed.columns).toMatchObject({
      verified: 2,
      unfounded: 3,
      assigned: 4,
      detainedAdmin: 11,
      detainedCriminal: 12,
      heldAccountable: 14,
    });
    expect(parsed.issues).toEqual([]);
  });

  it('reads numbers typed as text, with full-width digits and spaces', async () => {
    const { parsed } = await parseOnly(
      [
        ...header,
        fujian2Row('同仁县', ['１４', ' 2 ', '16', '８', '5', '4', '0', '１２.１７', '0', '2', '0', '1', '0']),
      ],
      { merges: FUJIAN2_HEADER_MERGES(1) },
    );
    expect(parsed.issues).toEqual([]);
    expect(parsed.rows[0].values).toMatchObject({ verified: 14, closed: 8, fineWan: 12.17 });
  });

  it('checks a user-added 合计 line: right passes, wrong is named by cell', async () => {
    const rows = [
      fujian2Row('同仁县', [14, 2, 16, 8, 5, 4, 0, 12.17, 0, 2, 0, 1, 0]),
      fujian2Row('尖扎县', [11, 4, 15, 9, 3, 1, 2, 7.36, 1, 1, 1, 4, 2]),
    ];
    const right = fujian2Row('合计', [25, 6, 31, 17, 8, 5, 2, 19.53, 1, 3, 1, 5, 2]);
    const wrong = fujian2Row('合 计', [25, 6, 30, 17, 8, 5, 2, 19.5, 1, 3, 1, 5, 2]);
    const ok = await parseOnly([...header, ...rows, right], { merges: FUJIAN2_HEADER_MERGES(1) });
    expect(ok.parsed.total).toEqual({ sheetRow: 5 });
    expect(ok.parsed.rows).toHaveLength(2);
    expect(ok.parsed.issues).toEqual([]);
    const bad = await parseOnly([...header, ...rows, wrong], { merges: FUJIAN2_HEADER_MERGES(1) });
    expect(bad.parsed.issues.map((i) => [i.cell, i.code])).toEqual([
      ['D5', 'total.mismatch'],
      ['I5', 'total.mismatch'],
    ]);
    expect(bad.parsed.issues[0].message).toBe('D5「交办数量(件)/合计」合计为 30,但各行相加为 31:请改为 31');
  });

  it('uses a cached formula result for 合计 and checks it like a typed number', async () => {
    const { parsed } = await parseOnly(
      [
        ...header,
        fujian2Row('河南县', [20, 0, { formula: 'B3+C3', result: 20 } as Cell, 20, 0, 1, 3, 6.55, 0, 2, 0, 3, 0]),
      ],
      {
        merges: FUJIAN2_HEADER_MERGES(1),
      },
    );
    expect(parsed.issues).toEqual([]);
    expect((parsed.rows[0].values as Fujian2Row).assigned).toBe(20);
  });

  it('treats a blank count as 0 with a warning, not an error', async () => {
    const { parsed } = await parseOnly(
      [...header, fujian2Row('泽库县', [14, 2, 16, 8, 5, 4, null, 12.17, '-', 2, 0, 1, 0])],
      { merges: FUJIAN2_HEADER_MERGES(1) },
    );
    expect(errorsOf(parsed.issues)).toEqual([]);
    expect(parsed.issues.map((i) => [i.cell, i.code, i.severity])).toEqual([
      ['H3', 'blank.as_zero', 'warning'],
      ['J3', 'blank.as_zero', 'warning'],
    ]);
    expect(parsed.rows[0].values).toMatchObject({ penalized: 0, investigated: 0 });
  });
});

describe('a sheet that is not a 附件', () => {
  it('gets one clear issue naming the labels looked for', async () => {
    const { parsed } = await parseOnly([
      ['姓名', '电话'],
      ['张三', '123'],
    ]);
    expect(parsed.form).toBeNull();
    expect(parsed.issues).toHaveLength(1);
    expect(parsed.issues[0].code).toBe('header.not_found');
    expect(parsed.issues[0].message).toContain('「序号」「市/州」「详细地址」');
    expect(parsed.issues[0].message).toContain('「交办数量(件)」');
  });

  it('asked for 附件2 in a 附件1 sheet, names only 附件2 labels', async () => {
    const { sheet } = await parseOnly([FUJIAN1_LABELS, fujian1Row(1)]);
    const parsed = parseSheet(sheet.grid, FUJIAN2);
    expect(parsed.issues.map((i) => i.code)).toEqual(['header.not_found']);
    expect(parsed.issues[0].message).toMatch(/^未找到附件2的表头/);
    expect(parsed.issues[0].message).not.toContain('详细地址');
  });
});

describe('a grid as Office.js hands it over (used range, empty strings, serial dates, merges apart)', () => {
  // Used range B3:I9: the clerk left column A and rows 1–2 empty; 市/州 is merged over C6:C7.
  const grid = [
    ['附件1', '', '', '', '', '', '', ''],
    ['填报单位(公章):泽库县人民政府', '', '', '', '填报日期:', 43783, '', ''],
    FUJIAN1_LABELS,
    fujian1Row(1) as (string | number)[],
    fujian1Row(2, { 1: '', 7: '正在' }) as (string | number)[],
    ['', '', '', '', '', '', '', ''],
    ['备注:1、整改目标是指截至2019年11月底第二批主题教育活动结束前预期成效', '', '', '', '', '', '', ''],
  ];

  it('names cells by their sheet address and fills merged areas from the merges', () => {
    const parsed = parseSheet(grid, FORMS_2019, { origin: 'B3', merges: ['C6:C7'] });
    expect(parsed.headerRow).toBe(5);
    expect(parsed.rows.map((r) => r.sheetRow)).toEqual([6, 7]);
    expect(parsed.issues.map((i) => i.message)).toEqual(['I7「是否办结」应填写:已办结、阶段办结、正在办理']);
    expect(parsed.meta).toEqual({ unitName: '泽库县人民政府', fillDate: '2019-11-14' });
  });

  it('without the merges the blank 市/州 under a merge is reported at its own cell', () => {
    const parsed = parseSheet(grid, FORMS_2019, { origin: 'B3' });
    expect(parsed.issues.map((i) => [i.cell, i.code])).toEqual([
      ['C7', 'required'],
      ['I7', 'closure.invalid'],
    ]);
  });
});

describe('two copies of the template stacked in one sheet', () => {
  it('reads the data of both and skips the second title, meta line and header', async () => {
    const { parsed } = await parseOnly([
      ['附件1'],
      ['填报单位(公章):同仁县人民政府', null, null, null, '填报日期:', new Date(Date.UTC(2019, 10, 14))],
      FUJIAN1_LABELS,
      fujian1Row(1),
      ['附件1'],
      ['填报单位(公章):同仁县人民政府'],
      FUJIAN1_LABELS,
      fujian1Row(2),
    ]);
    expect(parsed.rows.map((r) => r.sheetRow)).toEqual([4, 8]);
    expect(parsed.issues).toEqual([]);
    expect(parsed.meta).toEqual({ unitName: '同仁县人民政府', fillDate: '2019-11-14' });
  });

  it('附件2: the repeated two-row header is skipped too', async () => {
    const { parsed } = await parseOnly(
      [FUJIAN2_TOP, FUJIAN2_SUB, fujian2Row('同仁县'), FUJIAN2_TOP, FUJIAN2_SUB, fujian2Row('尖扎县')],
      {
        merges: [...FUJIAN2_HEADER_MERGES(1), ...FUJIAN2_HEADER_MERGES(4)],
      },
    );
    expect(parsed.rows.map((r) => (r.values as Fujian2Row).unit)).toEqual(['同仁县', '尖扎县']);
    expect(parsed.issues).toEqual([]);
  });
});

describe('附件2 sub-labels written out in full', () => {
  it('finds 行政拘留/刑事拘留 and 属实(件) under their merged group labels', async () => {
    const sub = [
      null,
      '属实(件)',
      '不属实（件）',
      '合 计',
      null,
      null,
      null,
      null,
      null,
      null,
      '行政拘留',
      '刑事拘留',
      null,
      null,
    ];
    const { parsed } = await parseOnly(
      [FUJIAN2_TOP, sub, fujian2Row('尖扎县', [11, 4, 15, 9, 3, 1, 2, 7.36, 1, 1, 5, 4, 2])],
      { merges: FUJIAN2_HEADER_MERGES(1) },
    );
    expect(parsed.issues).toEqual([]);
    expect(parsed.rows[0].values).toMatchObject({ unfounded: 4, assigned: 15, detainedAdmin: 1, detainedCriminal: 5 });
  });

  it('reads a header flattened into one row (交办数量属实 … 行政拘留)', () => {
    const flat = [
      '市/州',
      '交办数量属实',
      '交办数量不属实',
      '交办数量合计',
      '已办结(件)',
      '阶段办结(件)',
      '责令整改(家)',
      '立案处罚(家)',
      '罚款金额(万元)',
      '立案侦查(件)',
      '行政拘留',
      '刑事拘留',
      '约谈(人)',
      '问责(人)',
    ];
    const parsed = parseSheet(
      [flat, fujian2Row('尖扎县', [11, 4, 15, 9, 3, 1, 2, 7.36, 1, 1, 5, 4, 2]) as (string | number)[]],
      FORMS_2019,
    );
    expect(parsed.form).toBe('fujian2');
    expect(parsed.headerLastRow).toBe(1);
    expect(parsed.issues).toEqual([]);
    expect(parsed.rows[0].values).toMatchObject({ verified: 11, assigned: 15, detainedCriminal: 5 });
  });
});

describe('a template numbered in advance', () => {
  it('skips rows where only 序号 was filled in (also by formula), and reads the filled ones', async () => {
    const { parsed } = await parseOnly([
      FUJIAN1_LABELS,
      fujian1Row(1),
      fujian1Row(2),
      [3],
      [{ formula: 'ROW()-1', result: 4 } as Cell],
      [5, null, null, null, null, null, null, '　'],
    ]);
    expect(parsed.rows.map((r) => r.sheetRow)).toEqual([2, 3]);
    expect(parsed.issues).toEqual([]);
  });

  it('still reports a numbered row with something else filled in', async () => {
    const { parsed } = await parseOnly([FUJIAN1_LABELS, fujian1Row(1), [2, '黄南州']]);
    expect(parsed.rows).toHaveLength(2);
    expect(parsed.issues.map((i) => i.cell)).toEqual(['C3', 'D3', 'E3', 'F3', 'H3']);
  });
});
