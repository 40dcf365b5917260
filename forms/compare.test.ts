import { describe, expect, it } from 'vitest';
import { diffLedger, diffSummary, lockedChanges } from './compare';
import { FUJIAN1, type Fujian1Row, type Fujian2Row } from './test/forms-2019';

const diffFujian1 = (a: Fujian1Row[], b: Fujian1Row[]) => diffLedger(FUJIAN1, a, b);
const frozenChanges = (a: Fujian1Row[], b: Fujian1Row[]) => lockedChanges(FUJIAN1, a, b);
const diffFujian2 = diffSummary;

const row = (seq: number, closure: Fujian1Row['closure'], extra: Partial<Fujian1Row> = {}): Fujian1Row => ({
  seq,
  prefecture: '黄南州',
  address: `地址${seq}`,
  complaint: `问题${seq}`,
  currentState: '整改中',
  measures: '措施',
  progress: '',
  closure,
  ...extra,
});

describe('diffLedger (附件1)', () => {
  it('finds added, changed, newly closed, rebounds and removed cases by 序号, not by position', () => {
    const before = [row(1, '已办结'), row(2, '正在办理'), row(3, '阶段办结'), row(4, '正在办理')];
    const after = [row(3, '阶段办结'), row(2, '已办结'), row(1, '正在办理', { progress: '复发' }), row(7, '正在办理')];
    expect(diffFujian1(before, after)).toEqual({
      added: [7],
      changed: [2, 1],
      newlyClosed: [2],
      rebounds: [1],
      removed: [4],
    });
  });

  it('an unchanged sheet has no changes', () => {
    const rows = [row(1, '已办结'), row(2, '正在办理')];
    expect(
      diffFujian1(
        rows,
        rows.map((r) => ({ ...r })),
      ),
    ).toEqual({ added: [], changed: [], newlyClosed: [], rebounds: [], removed: [] });
  });
});

describe('lockedChanges (附件1 columns 2–6)', () => {
  it('names each frozen column (2–6) that differs from the first sheet, with the row position in the new sheet', () => {
    const first = [row(1, '正在办理'), row(2, '正在办理')];
    const now = [
      row(2, '已办结', { measures: '新措施', progress: '完成' }),
      row(1, '正在办理', { address: '新地址', complaint: '新问题' }),
      row(5, '正在办理'),
    ];
    expect(frozenChanges(first, now).map(({ row: r, seq, key }) => [r, seq, key])).toEqual([
      [1, 2, 'measures'],
      [2, 1, 'address'],
      [2, 1, 'complaint'],
    ]);
  });
});

describe('diffSummary (附件2)', () => {
  it('lists the columns whose numbers changed', () => {
    const a: Fujian2Row = {
      unit: '同仁县',
      verified: 3,
      unfounded: 1,
      assigned: 4,
      closed: 1,
      phaseClosed: 1,
      orderedToRectify: 0,
      penalized: 0,
      fineWan: 0,
      investigated: 0,
      detainedAdmin: 0,
      detainedCriminal: 0,
      interviewed: 0,
      heldAccountable: 0,
    };
    expect(diffFujian2([a], [{ ...a, closed: 2, fineWan: 1.5 }])).toEqual(['closed', 'fineWan']);
    expect(diffFujian2([a], [a])).toEqual([]);
  });
});

describe('diffLedger without a serial column or a status', () => {
  it('identifies cases by position and reports no closures', () => {
    const form = { ...FUJIAN1, serial: undefined, status: undefined };
    const a = { address: 'x' };
    expect(diffLedger(form, [a, a], [a, { address: 'y' }, a])).toEqual({
      added: [3],
      changed: [2],
      newlyClosed: [],
      rebounds: [],
      removed: [],
    });
  });
});
