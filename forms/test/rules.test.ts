// Each rule of DESIGN §2 on rows submitted as JSON (the server's check), with the sheet reader's codes.
import { FUJIAN1, FUJIAN2, type Fujian2Row } from './forms-2019';
import { describe, expect, it } from 'vitest';
import { rowSchema, validateRows } from '../index';

const case1 = (over: Record<string, unknown> = {}) => ({
  seq: 1,
  prefecture: '黄南州',
  address: '尖扎县马克唐镇',
  complaint: '群众反映洗砂点废水直排黄河,河水浑浊。',
  currentState: '已拆除洗砂设备。',
  measures: '取缔非法洗砂点,恢复河道滩地。',
  progress: '已完成整改。',
  closure: '已办结',
  ...over,
});
const unit2 = (over: Record<string, unknown> = {}) => ({
  unit: '尖扎县',
  verified: 11,
  unfounded: 4,
  assigned: 15,
  closed: 9,
  phaseClosed: 3,
  orderedToRectify: 1,
  penalized: 2,
  fineWan: 7.36,
  investigated: 1,
  detainedAdmin: 1,
  detainedCriminal: 1,
  interviewed: 4,
  heldAccountable: 2,
  ...over,
});

const codes = (r: { issues: { code: string; row?: number; key?: string }[] }) =>
  r.issues.map((i) => [i.row, i.key, i.code]);

describe('附件1 rules', () => {
  it('a complete row passes and comes back normalised and schema-valid', () => {
    const result = validateRows(FUJIAN1, [case1({ seq: '１', closure: ' 已办结　', address: '　尖扎县马克唐镇 ' })]);
    expect(result.issues).toEqual([]);
    expect(result.rows[0]).toEqual(case1());
    expect(rowSchema(FUJIAN1).safeParse(result.rows[0]).success).toBe(true);
  });

  it('序号 must be a positive integer', () => {
    const result = validateRows(FUJIAN1, [
      case1({ seq: '八' }),
      case1({ seq: 0 }),
      case1({ seq: -3 }),
      case1({ seq: 2.5 }),
      case1({ seq: '' }),
    ]);
    expect(codes(result)).toEqual([
      [1, 'seq', 'int.invalid'],
      [2, 'seq', 'seq.not_positive'],
      [3, 'seq', 'negative'],
      [4, 'seq', 'int.invalid'],
      [5, 'seq', 'required'],
    ]);
    expect(result.issues[0].message).toBe('第1行「序号」应填写阿拉伯数字表示的正整数,如「8」,当前为「八」');
  });

  it('序号 must be unique: the repeat names the row that has it first', () => {
    const result = validateRows(FUJIAN1, [case1({ seq: 5 }), case1({ seq: 6 }), case1({ seq: '5' })]);
    expect(codes(result)).toEqual([[3, 'seq', 'seq.duplicate']]);
    expect(result.issues[0].message).toBe('第3行「序号」5 与第1行重复,请改为本表中未用过的序号');
  });

  it.each(['prefecture', 'address', 'complaint', 'currentState', 'measures'])('%s is required text', (key) => {
    const result = validateRows(FUJIAN1, [case1({ [key]: '　 ' })]);
    expect(codes(result)).toEqual([[1, key, 'required']]);
    expect(result.issues[0].message).toMatch(/^第1行「.+」不能为空,请填写.+/);
  });

  it('主题教育期间整改进展 is required only after the unit first submitted', () => {
    expect(validateRows(FUJIAN1, [case1({ progress: '' })]).issues).toEqual([]);
    const later = validateRows(FUJIAN1, [case1({ progress: '' })], { requireProgress: true });
    expect(codes(later)).toEqual([[1, 'progress', 'progress.required']]);
    expect(later.issues[0].message).toContain('第1行「主题教育期间整改进展」不能为空');
  });

  it('是否办结 is exactly one of 已办结/阶段办结/正在办理', () => {
    const result = validateRows(FUJIAN1, [
      case1({ closure: '已完成' }),
      case1({ seq: 2, closure: '' }),
      case1({ seq: 3, closure: '正在办理' }),
    ]);
    expect(codes(result)).toEqual([
      [1, 'closure', 'closure.invalid'],
      [2, 'closure', 'required'],
    ]);
    expect(result.issues[0].message).toBe('第1行「是否办结」应填写:已办结、阶段办结、正在办理');
  });

  it('a 序号 computed by a formula with binary noise is still that integer', () => {
    const result = validateRows(FUJIAN1, [case1({ seq: 0.1 * 3 * 10 })]);
    expect(0.1 * 3 * 10).not.toBe(3);
    expect(result.issues).toEqual([]);
    expect(result.rows[0].seq).toBe(3);
  });

  it('a row that is not an object is reported, not thrown on', () => {
    const result = validateRows(FUJIAN1, [case1(), null, ['1', '黄南州']]);
    expect(codes(result)).toEqual([
      [2, undefined, 'row.invalid'],
      [3, undefined, 'row.invalid'],
    ]);
    expect(result.rows).toHaveLength(1);
  });
});

describe('附件2 rules', () => {
  it('a complete row passes, numbers given as text are normalised, and the schema agrees', () => {
    const result = validateRows(FUJIAN2, [unit2({ verified: '１１', fineWan: '7.3600' })]);
    expect(result.issues).toEqual([]);
    expect(result.rows[0]).toEqual(unit2());
    expect(rowSchema(FUJIAN2).safeParse(result.rows[0]).success).toBe(true);
  });

  it('市/州 is required', () => {
    const result = validateRows(FUJIAN2, [unit2({ unit: '' })]);
    expect(codes(result)).toEqual([[1, 'unit', 'required']]);
    expect(result.issues[0].message).toBe('第1行「市/州」不能为空,请填写填报单位名称,如「同仁县」');
  });

  it('counts are integers ≥ 0', () => {
    const result = validateRows(FUJIAN2, [
      unit2({ orderedToRectify: -1, penalized: '三', investigated: 1.5, interviewed: '约4人' }),
    ]);
    expect(codes(result)).toEqual([
      [1, 'orderedToRectify', 'negative'],
      [1, 'penalized', 'int.invalid'],
      [1, 'investigated', 'int.invalid'],
      [1, 'interviewed', 'int.invalid'],
    ]);
    expect(result.issues[0].message).toBe('第1行「责令整改(家)」不能为负数,应填写0或正整数,当前为「-1」');
  });

  it('属实 + 不属实 = 合计', () => {
    const result = validateRows(FUJIAN2, [
      unit2({ verified: 16, unfounded: 2, assigned: 19, closed: 10, phaseClosed: 8 }),
    ]);
    expect(codes(result)).toEqual([[1, 'assigned', 'fujian2.sum_mismatch']]);
    expect(result.issues[0].message).toBe(
      '第1行「属实」16 +「不属实」2 = 18,与「合计」19 不一致:请核对,使属实与不属实之和等于合计',
    );
    expect(rowSchema(FUJIAN2).safeParse(result.rows[0]).success).toBe(false);
  });

  it('已办结 + 阶段办结 ≤ 合计', () => {
    expect(codes(validateRows(FUJIAN2, [unit2({ closed: 12, phaseClosed: 3 })]))).toEqual([]);
    const result = validateRows(FUJIAN2, [unit2({ closed: 12, phaseClosed: 4 })]);
    expect(codes(result)).toEqual([[1, 'phaseClosed', 'fujian2.closed_exceeds']]);
  });

  it('罚款金额 is a number ≥ 0 with at most 4 decimals', () => {
    expect(validateRows(FUJIAN2, [unit2({ fineWan: 0.1 + 0.2 })]).issues).toEqual([]);
    const result = validateRows(FUJIAN2, [
      unit2({ fineWan: '1.23456' }),
      unit2({ fineWan: -2 }),
      unit2({ fineWan: '五万' }),
      unit2({ fineWan: 1.2345 }),
    ]);
    expect(codes(result)).toEqual([
      [1, 'fineWan', 'decimals'],
      [2, 'fineWan', 'negative'],
      [3, 'fineWan', 'number.invalid'],
    ]);
    expect(result.issues[0].message).toBe(
      '第1行「罚款金额(万元)」最多保留 4 位小数,当前为「1.23456」,请四舍五入后填写',
    );
  });

  it('a 合计 line is checked against the column sums and left out of the rows', () => {
    const rows = [unit2(), unit2({ unit: '同仁县' })];
    const good = validateRows(FUJIAN2, [
      ...rows,
      unit2({
        unit: '合计',
        verified: 22,
        unfounded: 8,
        assigned: 30,
        closed: 18,
        phaseClosed: 6,
        orderedToRectify: 2,
        penalized: 4,
        fineWan: 14.72,
        investigated: 2,
        detainedAdmin: 2,
        detainedCriminal: 2,
        interviewed: 8,
        heldAccountable: 4,
      }),
    ]);
    expect(good.issues).toEqual([]);
    expect(good.rows).toHaveLength(2);
    const bad = validateRows(FUJIAN2, [
      ...rows,
      unit2({
        unit: '合计',
        verified: 22,
        unfounded: 8,
        assigned: 30,
        closed: 18,
        phaseClosed: 6,
        orderedToRectify: 2,
        penalized: 4,
        fineWan: 14.7,
        investigated: 2,
        detainedAdmin: 2,
        detainedCriminal: 2,
        interviewed: 8,
        heldAccountable: 4,
      }),
    ]);
    expect(codes(bad)).toEqual([[3, 'fineWan', 'total.mismatch']]);
    expect((bad.rows as Fujian2Row[]).map((r) => r.unit)).toEqual(['尖扎县', '同仁县']);
  });

  it('submitted rows carry no cell address', () => {
    const result = validateRows(FUJIAN2, [unit2({ verified: 99 })]);
    expect(result.issues[0].cell).toBeUndefined();
    expect((result.rows[0] as Fujian2Row).verified).toBe(99);
  });
});

describe('schemas', () => {
  it('are derived from the spec: the same keys, in the same order, as the form columns', () => {
    for (const form of [FUJIAN1, FUJIAN2]) {
      const { rows } = validateRows(form, [form === FUJIAN1 ? case1() : unit2()]);
      const parsed = rowSchema(form).safeParse(rows[0]);
      expect(parsed.success && Object.keys(parsed.data as object)).toEqual(form.columns.map((c) => c.key));
    }
    expect(rowSchema(FUJIAN1).safeParse(case1({ closure: '办完了' })).success).toBe(false);
  });
});
