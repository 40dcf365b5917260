import { FORMS_2019, type Fujian2Row, FUJIAN1, FUJIAN2 } from './forms-2019';
import { describe, expect, it } from 'vitest';
import { consolidatedSheet } from '../consolidated';
import { parseSheet } from '../parse';
import { compileForm } from '../spec';

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

  it('附件2: every unit has its line, one that has not reported empty and marked 未报送; the note dates the data', () => {
    const units = [
      { unitName: '同仁县', status: 'ontime' as const, asOf: '2019-11-10' },
      { unitName: '尖扎县', status: 'missing' as const, asOf: null },
      { unitName: '泽库县', status: 'ontime' as const, asOf: '2019-11-09' },
      { unitName: '河南蒙古族自治县', status: 'ontime' as const, asOf: '2019-11-10' },
    ];
    const sheet = consolidatedSheet(
      FUJIAN2,
      {
        round: '2019-11-14',
        rows: [
          { ...f2('同仁县', 6, 3), unitName: '同仁县', status: 'ontime' },
          { ...f2('泽库县', 1, 0), unitName: '泽库县', status: 'ontime' },
          { ...f2('河南蒙古族自治县', 2, 1), unitName: '河南蒙古族自治县', status: 'ontime' },
        ],
        units,
      },
      labels,
    );
    const data = sheet.values.slice(sheet.data.firstRow - 1, sheet.totalRow! - 1);
    expect(data.map((r) => [r[0], r.at(-1)])).toEqual([
      ['同仁县', '按时报送'],
      ['尖扎县', '未报送'],
      ['泽库县', '按时报送'],
      ['河南蒙古族自治县', '按时报送'],
    ]);
    expect(data[1].slice(1, -1).every((v) => v === null)).toBe(true);
    expect(sheet.values[sheet.totalRow! - 1].slice(0, 4)).toEqual(['合计', 9, 4, 13]);
    expect(sheet.values[sheet.notes.firstRow - 1][0]).toBe(
      '注:数据截至2019年11月10日(同仁县、河南蒙古族自治县);2019年11月9日(泽库县)',
    );
    // One date for all: the template's own note.
    const same = consolidatedSheet(FUJIAN2, { round: '2019-11-14', rows: [], units: units.slice(0, 2) }, labels);
    expect(same.values[same.notes.firstRow - 1][0]).toBe('注:数据截至2019年11月10日');
  });

  it('a summary without a unit column names each unit beside its row', () => {
    const form = compileForm({
      id: 'huizong',
      tag: '附表',
      title: '汇总表',
      sheetName: '附表',
      kind: 'summary',
      columns: [
        { key: 'item', label: '事项', type: 'text', width: 12 },
        { key: 'cases', label: '问题数', type: 'integer', width: 8 },
      ],
      notes: [],
    });
    const sheet = consolidatedSheet(
      form,
      {
        round: '2019-11-14',
        rows: [{ item: '噪声', cases: 2, unitName: '同仁县', status: 'ontime' }],
        units: [
          { unitName: '同仁县', status: 'ontime' },
          { unitName: '尖扎县', status: 'missing' },
        ],
      },
      labels,
    );
    expect(sheet.values[sheet.header.firstRow - 1]).toEqual(['事项', '问题数', '填报单位', '报送情况']);
    expect(sheet.values.slice(sheet.data.firstRow - 1, sheet.totalRow! - 1)).toEqual([
      ['噪声', 2, '同仁县', '按时报送'],
      [null, null, '尖扎县', '未报送'],
    ]);
  });
});
