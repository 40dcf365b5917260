import { FORMS_2019, type Fujian2Row, FUJIAN1, FUJIAN2 } from './forms-2019';
import { describe, expect, it } from 'vitest';
import { consolidatedSheet } from '../consolidated';
import { parseSheet } from '../parse';

const labels = { ontime: '按时报送', missing: '未报送' } as const;
const f2 = (unit: string, verified: number, unfounded: number): Fujian2Row => ({
  unit,
  verified,
  unfounded,
  assigned: verified + unfounded,
  closed: verified,
  phaseClosed: 0,
  orderedToRectify: 1,
  penalized: 0,
  fineWan: 1.5,
  investigated: 0,
  detainedAdmin: 0,
  detainedCriminal: 0,
  interviewed: 0,
  heldAccountable: 0,
});

describe('consolidatedSheet', () => {
  it('附件1: each case keeps its unit, its own 序号 and the unit status beside the template columns', () => {
    const sheet = consolidatedSheet(
      FUJIAN1,
      {
        round: '2019-11-14',
        rows: [
          {
            seq: 1,
            originalSeq: 7,
            prefecture: '黄南州',
            address: '同仁县',
            complaint: '噪声',
            currentState: '整改中',
            measures: '拆除',
            progress: '',
            closure: '正在办理',
            unitName: '同仁县',
            status: 'ontime',
          },
          {
            seq: 2,
            originalSeq: 1,
            prefecture: '黄南州',
            address: '泽库县',
            complaint: '=污水',
            currentState: '已整改',
            measures: '清运',
            progress: '完成',
            closure: '已办结',
            unitName: '泽库县',
            status: 'ontime',
          },
        ],
      },
      labels,
      { unitName: '黄南州', fillDate: '2019-11-15' },
    );
    expect(sheet.sheetName).toBe('附件1汇总 2019-11-14');
    const header = sheet.values[sheet.header.firstRow - 1];
    expect(header.slice(-3)).toEqual(['填报单位', '本单位序号', '报送情况']);
    const second = sheet.values[sheet.data.firstRow];
    expect(second.slice(-3)).toEqual(['泽库县', 1, '按时报送']);
    expect(second[3]).toBe('=污水');
    expect(sheet.textColumns).toContain(3);
    expect(sheet.values[2].join('')).toContain('2019年11月15日');
  });

  it('附件2: one row per unit and a 合计 line that the form reader accepts as the column sums', () => {
    const sheet = consolidatedSheet(
      FUJIAN2,
      {
        round: '2019-11-14',
        rows: [
          { ...f2('同仁县', 6, 3), unitName: '同仁县', status: 'ontime' },
          { ...f2('尖扎县', 0, 0), unitName: '尖扎县', status: 'missing' },
        ],
      },
      labels,
    );
    const parsed = parseSheet(sheet.values, FORMS_2019);
    expect(parsed.issues.filter((i) => i.severity === 'error')).toEqual([]);
    expect(parsed.rows.map((r) => (r.values as Fujian2Row).unit)).toEqual(['同仁县', '尖扎县']);
    expect(parsed.total).toBeDefined();
    expect(sheet.values[sheet.totalRow! - 1].slice(0, 4)).toEqual(['合计', 6, 3, 9]);
    expect(sheet.values[sheet.data.firstRow].at(-1)).toBe('未报送');
  });
});
