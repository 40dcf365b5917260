import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { renderSheet } from '../render';
import { DEFAULT_ROW_POINTS, rowPoints, textWidth, wrappedLines } from '../row-height';
import { writeXlsx } from '../xlsx-write';
import { FUJIAN1, FUJIAN2 } from './forms-2019';

describe('row heights for wrapped text', () => {
  it('counts CJK and full-width characters double, Latin single', () => {
    expect(textWidth('abc')).toBe(3);
    expect(textWidth('同仁县')).toBe(6);
    expect(textWidth('（公章）AB')).toBe(10);
  });

  it('wraps by the column width and keeps the text’s own line breaks', () => {
    // 10 units, about 8.5 usable: 20 CJK characters (40 units) need 5 lines.
    expect(wrappedLines('一'.repeat(20), 10)).toBe(5);
    expect(wrappedLines('短', 10)).toBe(1);
    expect(wrappedLines('第一行\n第二行\n第三行', 30)).toBe(3);
  });

  it('is at least Excel’s default height, grows by line and caps at Excel’s 409 pt', () => {
    expect(rowPoints(1)).toBeGreaterThanOrEqual(DEFAULT_ROW_POINTS);
    expect(rowPoints(2)).toBeGreaterThan(rowPoints(1));
    expect(rowPoints(4)).toBeGreaterThan(4 * 14);
    expect(rowPoints(1000)).toBe(409);
  });

  it('a written 附件1 row is as tall as its longest wrapped cell; a short row one line’s', async () => {
    const long = '群众反映该企业夜间施工噪声扰民,'.repeat(8);
    const sheet = renderSheet(FUJIAN1, [
      {
        seq: 1,
        prefecture: '黄南州',
        address: '同仁县',
        complaint: long,
        currentState: '整改中',
        measures: '拆除',
        progress: '',
        closure: '正在办理',
      },
      {
        seq: 2,
        prefecture: '黄南州',
        address: '同仁县',
        complaint: '噪声',
        currentState: '整改中',
        measures: '拆除',
        progress: '',
        closure: '正在办理',
      },
    ]);
    const summary = renderSheet(FUJIAN2, [{ unit: '同仁县', verified: 1, unfounded: 0, assigned: 1 }]);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await writeXlsx([sheet, summary])) as unknown as ArrayBuffer);
    const [one, two] = workbook.worksheets;
    const complaint = FUJIAN1.columns.findIndex((c) => c.key === 'complaint');
    const lines = wrappedLines(long, FUJIAN1.columns[complaint].width);
    expect(lines).toBeGreaterThan(3);
    expect(one.getRow(sheet.data.firstRow).height).toBe(rowPoints(lines));
    expect(one.getRow(sheet.data.firstRow + 1).height).toBe(rowPoints(1));
    // The two-row header of 附件2: 罚款金额(万元) wraps in its 12-unit column.
    expect(two.getRow(summary.header.firstRow).height).toBeGreaterThanOrEqual(rowPoints(2));
  });
});
