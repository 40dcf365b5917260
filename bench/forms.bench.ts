// parse + validate of a 10,000-row 附件1 with real-looking Chinese text (~9 MB as JSON), against a JSON
// stringify+parse round trip of the same grid measured in the same run: the reader should cost no more
// than a few JSON round trips of what it reads.
import { FORMS_2019, FUJIAN1 } from '../test/support/forms-2019';
import { parseSheet } from '../forms/parse';
import { renderSheet } from '../forms/render';
import { rowSchema } from '../forms/schemas';
import { validateRows } from '../forms/validate';
import { median } from './median';
import type { Figure } from './run';
import type { Grid } from '../forms/types';
import type { Fujian1Row } from '../test/support/forms-2019';

const ROWS = 10_000;
/** Blocks of each task, taking turns; the first calls of the first block warm up. */
const ROUNDS = 3;
const PER_BLOCK = 5;
const WARMUP = 2;
const RUNS = ROUNDS * PER_BLOCK - WARMUP;

/** Deterministic, so every run measures the same sheet. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const COUNTIES = ['同仁县', '尖扎县', '泽库县', '河南蒙古族自治县'];
const TOWNS = [
  '隆务镇',
  '保安镇',
  '年都乎乡',
  '双朋西乡',
  '马克唐镇',
  '康杨镇',
  '泽曲镇',
  '麦秀镇',
  '宁秀乡',
  '优干宁镇',
  '多松乡',
  '赛尔龙乡',
];
const SITES = [
  '畜禽养殖场',
  '燃煤小锅炉',
  '砂石料场',
  '洗砂点',
  '垃圾填埋场',
  '建筑工地',
  '污水处理厂',
  '屠宰场',
  '加油站',
  '沥青拌合站',
];
const RIVERS = ['黄河', '隆务河', '泽曲河', '巴曲河', '洮河'];
const PROBLEMS = [
  '粪污未经处理直排入河,夏季臭味严重,影响周边居民正常生活,群众多次反映未得到解决',
  '冒黑烟,冬季采暖期污染严重,周边学校和居民区受到影响,群众要求尽快淘汰',
  '无序开采,破坏河道及河滩植被,运输车辆扬尘污染严重,道路损毁',
  '废水未经沉淀直排,河水浑浊,下游饮用水源地受到威胁',
  '渗滤液外溢,污染周边草场和地下水,异味扰民',
  '夜间施工噪声扰民,渣土随意倾倒于河滩,占用行洪通道',
];
const STATES = [
  '已责令停止排放并立案调查,正在建设防渗收集设施',
  '已完成淘汰方案编制,替代热源工程正在施工',
  '已下达停产整改通知书,完成部分场地覆盖和围挡',
  '已拆除违法设备,清理沉淀池并开展水质监测',
];
const MEASURES = [
  '建设防渗收集池及干湿分离设施,2019年11月底前实现资源化利用,确保不再直排',
  '淘汰10蒸吨以下燃煤小锅炉,改用电能或天然气供暖,完成后组织验收',
  '依法查处违法行为,完成河道生态修复,落实洒水抑尘和车辆密闭运输措施',
  '取缔非法点位,恢复被破坏的河道滩地原状,建立巡查台账长效管理',
];
const PROGRESS = [
  '主体工程已完工,待县级验收,已向举报群众反馈办理情况',
  '整改工程正在推进,完成约60%,计划11月底前完工',
  '已完成整改并通过县级验收,回访群众满意',
  '已约谈企业负责人,督促按期完成整改,每周现场核查',
];
const CLOSURES = ['已办结', '阶段办结', '正在办理'] as const;

function makeRows(n: number): Fujian1Row[] {
  const rnd = random(20191114);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)];
  return Array.from({ length: n }, (_, i) => {
    const county = pick(COUNTIES);
    const town = pick(TOWNS);
    const site = pick(SITES);
    const village = `${1 + Math.floor(rnd() * 15)}村`;
    return {
      seq: i + 1,
      prefecture: '黄南州',
      address: `青海省黄南藏族自治州${county}${town}${village}${site}周边`,
      complaint: `群众反映${county}${town}${village}${site}${pick(PROBLEMS)};另反映${pick(RIVERS)}沿岸${pick(SITES)}${pick(PROBLEMS)}。`,
      currentState: `${pick(STATES)};${pick(STATES)};${pick(STATES)}。`,
      measures: `${pick(MEASURES)};${pick(MEASURES)}。`,
      progress: `${pick(PROGRESS)};${pick(PROGRESS)}。`,
      closure: pick(CLOSURES),
    };
  });
}

function time(fn: () => unknown): number {
  const t0 = performance.now();
  fn();
  return performance.now() - t0;
}

export default async function bench(emit: (f: Figure) => void): Promise<void> {
  const rows = makeRows(ROWS);
  const grid = renderSheet(FUJIAN1, rows, { unitName: '黄南州生态环境局', fillDate: '2019-11-14' }).values as Grid;
  const json = JSON.stringify(grid);
  const jsonBytes = Buffer.byteLength(json);

  // Sanity: the measured work reads every row and finds nothing wrong.
  const check = parseSheet(grid, FORMS_2019);
  if (check.rows.length !== ROWS || check.issues.length > 0)
    throw new Error(`bench sheet misread: ${check.rows.length} rows, ${check.issues.length} issues`);

  const parse: number[] = [];
  const roundTrip: number[] = [];
  const validate: number[] = [];
  const zod: number[] = [];
  const schema = rowSchema(FUJIAN1);
  const tasks: [number[], () => unknown][] = [
    [parse, () => parseSheet(grid, FORMS_2019)],
    [roundTrip, () => JSON.parse(JSON.stringify(grid))],
    [validate, () => validateRows(FUJIAN1, rows)],
    // What checking the same rows with the zod schema alone would cost (it says less: no cells, no Chinese hints).
    [zod, () => rows.every((r) => schema.safeParse(r).success)],
  ];
  // Each task in blocks of its own, the blocks taking turns: called one after the other, each call paid for
  // collecting the garbage of the call before it (a round trip leaves ~30 MB, parseSheet ~4 MB), and the parse
  // figure swung between 0.8 and 1.05 of the round trip from one run to the next.
  for (let round = 0; round < ROUNDS; round++) {
    for (const [times, task] of tasks) {
      for (let i = 0; i < PER_BLOCK; i++) {
        const ms = time(task);
        if (round > 0 || i >= WARMUP) times.push(ms);
      }
    }
  }
  const baseline = median(roundTrip);
  const ms = median(parse);
  emit({
    name: `fujian1.parse_validate.${ROWS}`,
    value: round(ms),
    unit: 'ms',
    baseline_json_roundtrip_ms: round(baseline),
    ratio: round(ms / baseline),
    json_bytes: jsonBytes,
    runs: RUNS,
  });
  emit({
    name: `fujian1.validate_rows.${ROWS}`,
    value: round(median(validate)),
    unit: 'ms',
    baseline_json_roundtrip_ms: round(baseline),
    ratio: round(median(validate) / baseline),
    runs: RUNS,
  });
  emit({
    name: `fujian1.zod_safeparse.${ROWS}`,
    value: round(median(zod)),
    unit: 'ms',
    baseline_json_roundtrip_ms: round(baseline),
    ratio: round(median(zod) / baseline),
    runs: RUNS,
  });
}

const round = (n: number) => Math.round(n * 100) / 100;
