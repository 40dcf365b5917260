// Test and benchmark rows that look like real 附件1/附件2 content (Chinese case descriptions of realistic length).
// mulberry32, the callback sample's PRNG: the same rows on every run.
import { mulberry32 } from '../../forms/sample';
import type { Closure, Fujian1Row, Fujian2Row } from './forms-2019';

const PLACES = [
  '隆务镇',
  '保安镇',
  '年都乎乡',
  '曲库乎乡',
  '黄乃亥乡',
  '双朋西乡',
  '扎毛乡',
  '兰采乡',
  '加吾乡',
  '多哇镇',
];
const PROBLEMS = [
  '群众反映该处砂石料场夜间生产噪声扰民,粉尘较大,周边农田和居民院落长期受到污染,要求依法整治并恢复植被',
  '群众举报养殖场粪污直排入河,河道散发恶臭,下游饮用水源受到威胁,多次反映未得到解决',
  '群众反映镇区餐饮店油烟直排,未安装油烟净化设施,影响周边居民正常生活,夏季尤为严重',
  '群众举报小型采石场无证开采,破坏草原植被和山体,开采后未进行生态修复,水土流失严重',
];
const STATES = [
  '已责令停产整改,拆除违规设施,正在组织开展植被恢复,整改工作按计划推进,乡镇包片干部每周现场核查',
  '已完成雨污分流改造,粪污经收集后资源化利用,县生态环境局每月开展一次水质监测,监测结果达标',
];
const MEASURES = [
  '一是依法关停取缔;二是落实属地监管责任;三是开展生态修复,2019年11月底前完成整改并通过验收',
  '一是督促企业完善环保设施;二是建立长效巡查机制;三是对整改情况公开公示,接受群众监督',
];

const pick = <T>(list: readonly T[], i: number): T => list[i % list.length];

// Words drawn from the case texts above, so generated text compresses about as badly as real prose (~3×),
// not like one sentence repeated 10,000 times.
const CHARS = [...new Set([...PROBLEMS, ...STATES, ...MEASURES, ...PLACES].join('').replace(/[,;。()0-9]/g, ''))];
const WORDS = (() => {
  const next = mulberry32(7);
  return Array.from({ length: 1500 }, () =>
    Array.from({ length: 2 + Math.floor(next() * 4) }, () => CHARS[Math.floor(next() * CHARS.length)]).join(''),
  );
})();

function prose(next: () => number, length: number): string {
  let text = '';
  while (text.length < length) text += WORDS[Math.floor(next() * WORDS.length)] + (next() < 0.12 ? ',' : '');
  return text.slice(0, length) + '。';
}

/** `count` 附件1 rows (~950 bytes of JSON each), 序号 from 1; `closure` decides 是否办结 per row (default: a mix). */
export function fujian1Rows(
  count: number,
  opts: { unitName?: string; progress?: string; closure?: (i: number) => Closure; seqStart?: number } = {},
): Fujian1Row[] {
  const next = mulberry32(count * 31 + (opts.seqStart ?? 1));
  return Array.from({ length: count }, (_, i) => ({
    seq: (opts.seqStart ?? 1) + i,
    prefecture: '黄南州',
    address: `${opts.unitName ?? '同仁县'}${pick(PLACES, i)}${(i % 97) + 1}号`,
    complaint: `${pick(PROBLEMS, i).slice(0, 20)}${prose(next, 90)}`,
    currentState: prose(next, 80),
    measures: `一是${prose(next, 30)}二是${prose(next, 30)}三是${prose(next, 20)}`,
    progress: opts.progress ?? '',
    closure: opts.closure ? opts.closure(i) : pick(['正在办理', '阶段办结', '已办结'] as const, i),
  }));
}

export function fujian2Row(unitName: string, n: number): Fujian2Row {
  return {
    unit: unitName,
    verified: n,
    unfounded: 1,
    assigned: n + 1,
    closed: Math.floor(n / 2),
    phaseClosed: 1,
    orderedToRectify: n,
    penalized: 1,
    fineWan: 1.25 + n / 100,
    investigated: 0,
    detainedAdmin: n % 3,
    detainedCriminal: 0,
    interviewed: 2,
    heldAccountable: 1,
  };
}
