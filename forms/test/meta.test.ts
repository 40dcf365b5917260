// The lines around the table, as clerks fill them in.
import { FORMS_2019, FUJIAN2 } from './forms-2019';
import { describe, expect, it } from 'vitest';
import { parseSheet, renderSheet, type SheetMeta } from '../index';
import { readDate, readMetaLine } from '../meta';

const meta = (...lines: string[][]) => {
  const m: SheetMeta = {};
  for (const line of lines) readMetaLine(line, m);
  return m;
};

describe('meta lines', () => {
  it('reads dates written every way clerks write them; a blank or starred date is no date', () => {
    expect(readDate('2019年11月14日')).toBe('2019-11-14');
    expect(readDate(' ２０１９年 １１ 月 ４ 日')).toBe('2019-11-04');
    expect(readDate('2019-11-14')).toBe('2019-11-14');
    expect(readDate('2019.11.4')).toBe('2019-11-04');
    expect(readDate('2019/11/14')).toBe('2019-11-14');
    expect(readDate('43783')).toBe('2019-11-14'); // an Excel serial, as Office.js hands dates over
    expect(readDate('    年  月  日')).toBeUndefined();
    expect(readDate('2019年*月*日')).toBeUndefined();
    expect(readDate('2019年2月30日')).toBeUndefined();
  });

  it('reads 填报单位 and 填报日期 from one cell, from label and value cells, with full-width colons and 盖章', () => {
    expect(meta(['填报单位(公章):同仁县人民政府', '填报日期:2019年11月14日'])).toEqual({
      unitName: '同仁县人民政府',
      fillDate: '2019-11-14',
    });
    expect(meta(['填报单位（公章）：', '尖扎县人民政府', '填报日期：', '2019-11-24'])).toEqual({
      unitName: '尖扎县人民政府',
      fillDate: '2019-11-24',
    });
    expect(meta(['填报单位(盖章):泽库县生态环境局　　填报日期:2019年12月4日'])).toEqual({
      unitName: '泽库县生态环境局',
      fillDate: '2019-12-04',
    });
    expect(meta(['填报单位(公章):', '填报日期:    年  月  日'])).toEqual({});
  });

  it('reads letter-spaced labels (填 报 单 位) and other seals (签章)', () => {
    expect(meta(['填 报 单 位（签章）：河南县人民政府', '', '填 报 日 期：2019年11月4日'])).toEqual({
      unitName: '河南县人民政府',
      fillDate: '2019-11-04',
    });
    expect(meta(['填　报　单　位：同仁县环保局（印章）'])).toEqual({ unitName: '同仁县环保局' });
  });

  it('reads 数据截至, 填报人 and 联系电话 under the table', () => {
    expect(meta(['注:数据截至2019年11月10日'])).toEqual({ asOf: '2019-11-10' });
    expect(meta(['注：数据截止到2019年11月10日'])).toEqual({ asOf: '2019-11-10' });
    expect(meta(['注:数据截至2019年*月*日'])).toEqual({});
    expect(meta(['填报人:张卓玛', '联系电话:0973-8721234'])).toEqual({
      contactName: '张卓玛',
      contactPhone: '0973-8721234',
    });
  });

  it('a blank 附件2 template reads back with no dates, and a filled one with all of them', () => {
    const blank = renderSheet(FUJIAN2, [], {}, { blankRows: 4 });
    expect(blank.values[blank.notes.firstRow - 1][0]).toBe('注:数据截至    年  月  日');
    expect(parseSheet(blank.values, FORMS_2019).meta).toEqual({});
    const filled = renderSheet(FUJIAN2, [], {
      unitName: '河南蒙古族自治县人民政府',
      fillDate: '2019-12-14',
      asOf: '2019-12-10',
    });
    expect(parseSheet(filled.values, FORMS_2019).meta).toEqual({
      unitName: '河南蒙古族自治县人民政府',
      fillDate: '2019-12-14',
      asOf: '2019-12-10',
    });
  });
});
