import { describe, expect, it } from 'vitest';
import { unitIssues, unitLineCell, unitNamesIn } from '../unit-check';
import { FUJIAN1, FUJIAN2 } from './forms-2019';
import { HUANGNAN_2019_DOCUMENT } from '../campaign/seed';
import { compileForm } from '../spec';
import { namesUnit, unitNameKey, unitNamed } from '../unit-name';

const TONGREN = { name: '同仁县', aliases: ['同仁市'] };
const JIANZHA = { name: '尖扎县' };
const HENAN = { name: '河南蒙古族自治县', aliases: ['河南县'] };
const HUANGNAN = { name: '黄南州', aliases: ['黄南藏族自治州'] };
const ALL = [HUANGNAN, TONGREN, JIANZHA, { name: '泽库县' }, HENAN];

describe('unit names on sheets', () => {
  it.each([
    '同仁县',
    '同仁县人民政府',
    '同仁县环保局',
    '同仁县生态环境局',
    '同仁县环境保护局',
    '同仁县政府',
    '同仁县人民政府(公章)',
    '同仁县人民政府（公章）',
    '  同仁县\u3000人民政府 ',
    '同\u3000仁\u3000县',
    '黄南州同仁县',
    '青海省黄南藏族自治州同仁县人民政府',
    '同仁',
    '同仁市',
    '同仁市生态环境局',
    '同仁县专项整治办',
    '同仁县城市管理局',
    '黄南州同仁县环保所',
  ])('「%s」 is 同仁县', (typed) => {
    expect(namesUnit(typed, TONGREN)).toBe(true);
    expect(unitNamed(typed, ALL)).toBe(TONGREN);
  });

  it.each(['河南蒙古族自治县', '河南县', '河南县人民政府', '河南蒙古族自治县生态环境局', '河南'])(
    '「%s」 is 河南蒙古族自治县 (with or without the autonomy part)',
    (typed) => expect(unitNamed(typed, ALL)).toBe(HENAN),
  );

  it.each(['黄南州', '黄南藏族自治州', '黄南州生态环境局', '黄南州人民政府', '黄南州专项整治工作领导小组'])(
    '「%s」 is 黄南州',
    (typed) => expect(unitNamed(typed, ALL)).toBe(HUANGNAN),
  );

  it('a county office inside the prefecture is not the prefecture', () => {
    expect(namesUnit('黄南州同仁县环保所', HUANGNAN)).toBe(false);
    expect(unitNamed('黄南州同仁县环保所', ALL)).toBe(TONGREN);
  });

  it.each(['尖扎县', '黄南州', '大同仁县', '同仁县尖扎县', '同仁县尖扎县环保所', '同仁堂', '', '   ', '泽库'])(
    '「%s」 is not 同仁县',
    (typed) => expect(namesUnit(typed, TONGREN)).toBe(false),
  );

  it('aliases come from the unit list: without 同仁市 on the list, 同仁市 is not 同仁县', () => {
    expect(namesUnit('同仁市', { name: '同仁县' })).toBe(false);
    expect(namesUnit('同仁市', TONGREN)).toBe(true);
  });

  it('keys drop spaces of every kind, brackets and office suffixes', () => {
    expect(unitNameKey('填报单位:　尖扎县　人民政府（盖章）')).toBe('尖扎县');
    expect(unitNameKey('ＡＢ县环保局')).toBe('AB县');
  });
});

describe('the unit check of a sheet', () => {
  const jianzha = { ...JIANZHA, county: true };

  it('refuses another unit on the 填报单位 line, naming the cell and both names', () => {
    const [issue] = unitIssues(FUJIAN1, [], '同仁县人民政府', jianzha, 'A3');
    expect(issue).toMatchObject({ code: 'unit.line_mismatch', severity: 'error', cell: 'A3' });
    expect(issue.message).toMatch(/^A3「填报单位」写的是「同仁县人民政府」,而登录的单位是「尖扎县」/);
    expect(unitIssues(FUJIAN1, [], '尖扎县人民政府', jianzha)).toEqual([]);
    expect(unitIssues(FUJIAN1, [], undefined, jianzha)).toEqual([]);
  });

  it("refuses a county's 附件2 row naming another unit; its own row and a 合计 line pass", () => {
    const rows = [{ unit: '尖扎县环保局' }, { unit: '同仁县' }, { unit: '合计' }, { unit: '' }];
    const issues = unitIssues(FUJIAN2, rows, undefined, jianzha);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ code: 'unit.row_mismatch', row: 2, key: 'unit' });
    expect(issues[0].message).toMatch(/^第2行「市\/州」写的是「同仁县」,而登录的单位是「尖扎县」/);
  });

  it("does not hold the prefecture's own 附件2 to one row", () => {
    expect(unitIssues(FUJIAN2, [{ unit: '同仁县' }], '黄南州', { ...HUANGNAN, county: false })).toEqual([]);
  });

  it('finds the 填报单位 cell above the header', () => {
    const grid = [['附件2'], ['标题'], [null, '填报单位(公章):同仁县'], ['市/州']];
    expect(unitLineCell(grid, { row: 2, column: 1 }, 5)).toBe('B4');
    expect(unitLineCell(grid, { row: 1, column: 1 }, 3)).toBeUndefined();
  });
});

describe('the unit check follows the form spec', () => {
  const jianzha = { ...JIANZHA, county: true };
  // A campaign published as data: its summary names the unit in a column of its own key and label.
  const summary = compileForm({
    id: 'huizong',
    tag: '附表',
    title: '整改情况汇总表',
    sheetName: '附表',
    kind: 'summary',
    unitColumn: 'county',
    columns: [
      { key: 'county', label: '县(区)', type: 'text', width: 12 },
      { key: 'cases', label: '问题数', type: 'integer', width: 8 },
    ],
    notes: [],
  });

  it("checks the spec's unit column under its own label", () => {
    const issues = unitIssues(summary, [{ county: '同仁县', cases: 3 }], undefined, jianzha);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ code: 'unit.row_mismatch', key: 'county', column: '县(区)' });
    expect(issues[0].message).toMatch(/^第1行「县\(区\)」写的是「同仁县」.*本单位的附表只填本单位一行/);
    expect(unitIssues(summary, [{ county: '尖扎县生态环境局', cases: 3 }], undefined, jianzha)).toEqual([]);
  });

  it('checks no row of a form without a unit column (the 填报单位 line names the unit)', () => {
    expect(unitIssues(FUJIAN1, [{ prefecture: '同仁县', address: '同仁县' }], undefined, jianzha)).toEqual([]);
  });

  it("takes a unit's aliases from the campaign's unit list", () => {
    const tongren = unitNamesIn(HUANGNAN_2019_DOCUMENT.units, { id: 'tongren', name: '同仁县' });
    expect(tongren.aliases).toContain('同仁市');
    expect(namesUnit('同仁市生态环境局', tongren)).toBe(true);
    expect(unitNamesIn(HUANGNAN_2019_DOCUMENT.units, { id: 'maixiu', name: '麦秀镇' })).toEqual({
      name: '麦秀镇',
      aliases: [],
    });
  });
});
