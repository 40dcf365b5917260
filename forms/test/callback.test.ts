// The 回访样本 sheet: laid out from a stored sample, filled in by the office, read back with every mistake named by
// its cell; and the checks one callback entry goes through, the same from a sheet or from JSON.
import { describe, expect, it } from 'vitest';
import {
  callbackFlagText,
  callbackSheetLayout,
  checkCallbackEntry,
  listPlace,
  readCallbackSheet,
  type CallbackSheetCase,
} from '../callback';
import type { Grid } from '../types';
import { FUJIAN1 } from './forms-2019';

const row = (seq: number, address: string) => ({
  seq,
  prefecture: '黄南州',
  address,
  complaint: '群众反映砂石料场噪声扰民',
  currentState: '已责令停产整改',
  measures: '依法关停取缔',
  progress: '已完成',
  closure: '已办结',
});
const cases: CallbackSheetCase[] = [
  { unit: 'tongren', unitName: '同仁县', seq: 3, row: row(3, '隆务镇3号') },
  { unit: 'tongren', unitName: '同仁县', seq: 12, row: row(12, '保安镇12号') },
  { unit: 'jianzha', unitName: '尖扎县', seq: 7, row: row(7, '马克唐镇7号') },
];
const layout = callbackSheetLayout({
  form: FUJIAN1,
  round: '2019-11-14',
  seed: '2019-11-14#4821',
  rate: 0.2,
  drawnByName: '黄南州',
  drawnAt: '2019-11-15T02:00:00.000Z',
  cases,
});
const today = '2019-11-25';

/** The layout's values with the office's entries typed into columns J–M of the given data rows. */
function filled(entries: Record<number, (string | number | null)[]>): Grid {
  return layout.values.map((values, i) => {
    const entry = entries[i + 1];
    return entry ? [...values.slice(0, 9), ...entry] : [...values];
  });
}

describe('the 回访样本 sheet', () => {
  it('shows each case with its unit, its own 序号 and what it is about, and four columns to fill with drop-downs', () => {
    expect(layout.sheetName).toBe('回访样本 2019-11-14');
    expect(layout.values[0][0]).toBe('附件1已办结案件回访样本(2019-11-14 轮,抽样种子 2019-11-14#4821)');
    expect(layout.values[2]).toEqual([
      '序号',
      '填报单位',
      '本单位序号',
      '市/州',
      '详细地址',
      '群众举报问题具体内容',
      '目前整改工作现状',
      '具体整改措施及整改目标',
      '主题教育期间整改进展',
      '回访方式',
      '回访日期',
      '回访结果',
      '回访情况说明',
    ]);
    expect(layout.values[3].slice(0, 5)).toEqual([1, '同仁县', 3, '黄南州', '隆务镇3号']);
    expect(layout.data).toEqual({ firstRow: 4, lastRow: 6 });
    expect(layout.dropDowns).toEqual([
      { column: 9, title: '回访方式', values: ['电话', '实地'] },
      { column: 11, title: '回访结果', values: ['满意', '基本满意', '不满意'] },
    ]);
    // What the office types stays as typed (text), never a formula or a date Excel reinterprets.
    expect([9, 10, 11, 12].every((c) => layout.textColumns.includes(c))).toBe(true);
  });

  it('reads the filled rows back by case, skipping cases not visited yet', () => {
    const read = readCallbackSheet(
      filled({ 4: ['电话', '2019-11-20', '不满意', '噪声仍未消除'], 6: ['实地', 43789, '满意', null] }),
      cases,
      today,
    );
    expect(read.issues).toEqual([]);
    expect(read.results).toEqual([
      {
        unit: 'tongren',
        seq: 3,
        row: 4,
        entry: { way: '电话', date: '2019-11-20', result: '不满意', note: '噪声仍未消除' },
      },
      // 43789 is what Office.js hands over for a date cell: 2019-11-20.
      { unit: 'jianzha', seq: 7, row: 6, entry: { way: '实地', date: '2019-11-20', result: '满意', note: '' } },
    ]);
  });

  it('names the cell of every mistake, in Chinese, saying what to type', () => {
    const grid = filled({ 4: ['上门', '2019-12-01', '很好', null], 5: ['电话', '昨天', '不满意', ''] });
    grid[5] = [...grid[5].slice(0, 9), '电话', '2019-11-20', '满意', null];
    grid[5][2] = 99;
    const read = readCallbackSheet(grid, cases, today);
    expect(read.issues.map((i) => i.message)).toEqual([
      'J4「回访方式」只能是 电话 或 实地,现为“上门”',
      'K4「回访日期」2019-12-01 晚于今天(2019-11-25),请填写实际回访的日期',
      'L4「回访结果」只能是 满意、基本满意 或 不满意,现为“很好”',
      'K5「回访日期」“昨天”不是日期,请写成 2019-11-20 或 2019年11月20日',
      'M5「回访情况说明」群众不满意时请写明不满意的原因,县级据此重新办理',
      'C6「本单位序号」尖扎县第 99 号案件不在本轮回访样本中:请勿修改样本的单位和序号',
    ]);
    expect(read.issues.map((i) => i.cell)).toEqual(['J4', 'K4', 'L4', 'K5', 'M5', 'C6']);
    expect(read.results).toEqual([]);
  });

  it('skips note lines whose merged text a reader spread over every cell (ExcelJS, the browser page)', () => {
    const grid = filled({ 4: ['电话', '2019-11-20', '满意', null] });
    const note = String(grid[6][0]);
    grid[6] = grid[6].map(() => note);
    const read = readCallbackSheet(grid, cases, today);
    expect(read.issues).toEqual([]);
    expect(read.results).toHaveLength(1);
  });

  it('finds the header wherever the office moved the table, and says when a sheet is not a 回访样本', () => {
    const shifted: Grid = [
      [],
      [],
      ...filled({ 5: ['实地', '2019年11月21日', '基本满意', '已复查'] }).map((r) => [null, ...r]),
    ];
    const read = readCallbackSheet(shifted, cases, today);
    expect(read.results).toEqual([
      expect.objectContaining({
        unit: 'tongren',
        seq: 12,
        row: 7,
        entry: expect.objectContaining({ result: '基本满意' }),
      }),
    ]);
    expect(readCallbackSheet([['附件1'], ['序号', '详细地址']], cases, today)).toEqual({
      found: false,
      results: [],
      issues: [],
    });
  });

  it('starts from the results recorded so far, so a second round of calls adds to them', () => {
    const again = callbackSheetLayout({
      form: FUJIAN1,
      round: '2019-11-14',
      seed: '2019-11-14#4821',
      rate: 0.2,
      drawnByName: '黄南州',
      drawnAt: '2019-11-15T02:00:00.000Z',
      cases,
      results: new Map([['tongren#12', { way: '实地', date: '2019-11-21', result: '满意', note: '' }]]),
    });
    expect(again.values[4].slice(9)).toEqual(['实地', '2019-11-21', '满意', null]);
  });
});

describe('one callback entry', () => {
  it('is blank (not visited) or complete; a JSON entry is named by its position', () => {
    expect(checkCallbackEntry({}, listPlace(1), today)).toEqual({ entry: null, issues: [] });
    const { issues } = checkCallbackEntry({ result: '满意' }, listPlace(2), today);
    expect(issues.map((i) => i.message)).toEqual([
      '第2条「回访方式」请填写 电话 或 实地',
      '第2条「回访日期」请填写回访的日期,例如 2019-11-20',
    ]);
    const long = checkCallbackEntry(
      { way: '电话', date: '2019-11-20', result: '满意', note: '很'.repeat(501) },
      listPlace(3),
      today,
    );
    expect(long.issues[0].message).toBe('第3条「回访情况说明」最多 500 个字,现有 501 个字,请精简');
  });

  it('says on the flagged case what the county is to do', () => {
    expect(
      callbackFlagText({ seq: 3, round: '2019-11-14', way: '电话', date: '2019-11-20', note: '噪声仍未消除', at: '' }),
    ).toBe('2019-11-20 电话回访不满意:噪声仍未消除。请重新办理。');
  });
});
