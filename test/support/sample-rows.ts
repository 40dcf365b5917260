// Realistic 附件1/附件2 rows for tests and benchmarks: the length and mix of text a county really sends.
import type { Closure, Fujian1Row, Fujian2Row } from './forms-2019';
import { CLOSURE_VALUES } from './forms-2019';

const COUNTIES = ['同仁县', '尖扎县', '泽库县', '河南蒙古族自治县'];

export function fujian1Rows(count: number, county = '同仁县'): Fujian1Row[] {
  return Array.from({ length: count }, (_, i) => ({
    seq: i + 1,
    prefecture: '黄南州',
    address: `${county}隆务镇第${(i % 40) + 1}村${(i % 7) + 1}社`,
    complaint:
      `群众举报:该村砂石料场长期夜间作业,粉尘和噪声严重扰民,运输车辆抛洒滴漏污染村道,` +
      `河道无序采砂破坏河床和岸坡植被,汛期存在安全隐患,群众多次反映未得到解决(案件编号 D2019-${String(i + 1).padStart(5, '0')})。`,
    currentState:
      '已责令停产整改,拆除违规设施三处,对场区裸露地面进行覆盖,清理河道堆料约两千立方米,正在编制生态修复方案并征求群众意见。',
    measures:
      '限期完成场地平整和植被恢复,安装喷淋降尘设施,硬化运输道路,建立乡村两级日常巡查制度和群众监督电话,2019年11月底前完成整改并组织验收。',
    progress: i % 3 === 0 ? '已完成场地平整,植被恢复工程正在实施。' : '',
    closure: CLOSURE_VALUES[i % 3] as Closure,
  }));
}

export function fujian2Row(unit = '同仁县'): Fujian2Row {
  return {
    unit,
    verified: 12,
    unfounded: 3,
    assigned: 15,
    closed: 9,
    phaseClosed: 4,
    orderedToRectify: 6,
    penalized: 2,
    fineWan: 3.25,
    investigated: 1,
    detainedAdmin: 0,
    detainedCriminal: 1,
    interviewed: 5,
    heldAccountable: 2,
  };
}

export function fujian2Rows(): Fujian2Row[] {
  return COUNTIES.map((c) => fujian2Row(c));
}
