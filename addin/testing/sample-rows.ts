// Realistic 附件1/附件2 rows for tests and benchmarks: the length and mix of text a county really sends.
import type { Closure, Fujian1Row, Fujian2Row } from '../../forms/types';
import { CLOSURE_VALUES } from '../../forms/types';

const COUNTIES = ['同仁县', '尖扎县', '泽库县', '河南蒙古族自治县'];

export function fujian1Rows(count: number, county = '同仁县'): Fujian1Row[] {
  return Array.from({ length: count }, (_, i) => ({
    seq: i + 1,
    prefecture: '黄南州',
    address: `${county}隆务镇第${(i % 40) + 1}村${(i % 7) + 1}社`,
    complaint: `群众举报:该村砂石料场夜间作业,粉尘和噪声扰民,运输车辆抛洒滴漏,河道采砂破坏河床(案件编号 D2019-${String(i + 1).padStart(5, '0')})。`,
    currentState: '已责令停产整改,拆除违规设施,对场区裸露地面进行覆盖,正在编制生态修复方案。',
    measures: '限期完成场地平整和植被恢复,安装喷淋降尘设施,建立日常巡查制度,2019年11月底前完成整改。',
    progress: i % 3 === 0 ? '已完成场地平整,植被恢复工程正在实施。' : '',
    closure: CLOSURE_VALUES[i % 3] as Closure,
  }));
}

export function fujian2Row(unit = '同仁县'): Fujian2Row {
  return {
    unit, verified: 12, unfounded: 3, assigned: 15, closed: 9, phaseClosed: 4, orderedToRectify: 6, penalized: 2,
    fineWan: 3.25, investigated: 1, detainedAdmin: 0, detainedCriminal: 1, interviewed: 5, heldAccountable: 2,
  };
}

export function fujian2Rows(): Fujian2Row[] {
  return COUNTIES.map((c) => fujian2Row(c));
}
