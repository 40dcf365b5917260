// The live demo of `npm start` (DESIGN §9): besides the 2019 campaign (history), a demo campaign whose rounds
// fall around the day it is seeded — one closed and reported on time, one closed and reported late, one due in a
// few days — with its submissions made through the real submit path at the instants they are dated.
import { HUANGNAN_2019_DOCUMENT } from '../../forms/campaign';
import type { FormRow } from '../../forms/types';
import type { Caller } from '../../functions/auth';
import { submit } from '../../functions/domain/submit';
import { zoneDate } from '../../functions/domain/time';
import type { Store } from '../../functions/store/types';

export const DEMO_CAMPAIGN_ID = 'demo';

const DAY_MS = 86400_000;
const shift = (iso: string, days: number): string =>
  new Date(Date.parse(`${iso}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
/** 10:00 Beijing time on a day. */
const morning = (iso: string): Date => new Date(`${iso}T10:00:00+08:00`);

/** The demo's rounds relative to the seeding day: 18 and 8 days ago, in 4, 14 and 24 days. */
export function demoRounds(now: Date): { onTime: string; late: string; upcoming: string; all: string[] } {
  const today = zoneDate(now, 'Asia/Shanghai');
  const all = [-18, -8, 4, 14, 24].map((d) => shift(today, d));
  return { onTime: all[0], late: all[1], upcoming: all[2], all };
}

/** The demo campaign document: the 2019 units and forms on a calendar around `now`. */
export function demoCampaignDocument(now: Date): unknown {
  const { all } = demoRounds(now);
  const { milestones: _none, reference: _ref, ...base } = HUANGNAN_2019_DOCUMENT;
  return {
    ...base,
    id: DEMO_CAMPAIGN_ID,
    name: '演示:黄南州生态环境问题整改进展报送',
    window: { start: shift(all[0], -7), end: shift(all[all.length - 1], 6) },
    due: { dates: all },
  };
}

const CASES: Record<string, string>[] = [
  {
    prefecture: '黄南州',
    address: '同仁县隆务镇吾屯下庄村',
    complaint: '群众反映村旁砂石料场夜间生产噪声扰民,粉尘较大',
    currentState: '已责令停产整改,拆除违规设施',
    measures: '依法关停取缔,开展植被恢复,月底前完成验收',
  },
  {
    prefecture: '黄南州',
    address: '同仁县保安镇城内村',
    complaint: '群众举报养殖场粪污直排入河,河道散发恶臭',
    currentState: '已完成雨污分流改造,粪污收集后资源化利用',
    measures: '建立长效巡查机制,每月开展一次水质监测',
  },
  {
    prefecture: '黄南州',
    address: '同仁县年都乎乡夏卜浪村',
    complaint: '群众反映餐饮店油烟直排,影响周边居民生活',
    currentState: '已督促安装油烟净化设施',
    measures: '县生态环境局每季度抽查,整改情况公开公示',
  },
];

function fujian1(round: 1 | 2): FormRow[] {
  return CASES.map((c, i) => ({
    seq: i + 1,
    ...c,
    progress: round === 1 ? '' : ['已完成植被恢复,通过县级验收', '水质监测连续两月达标', '净化设施已安装,待复查'][i],
    closure: round === 1 ? '正在办理' : (['已办结', '已办结', '阶段办结'] as const)[i],
  }));
}

const FUJIAN2: FormRow = {
  unit: '同仁县',
  verified: 3,
  unfounded: 1,
  assigned: 4,
  closed: 2,
  phaseClosed: 1,
  orderedToRectify: 2,
  penalized: 1,
  fineWan: 1.5,
  investigated: 0,
  detainedAdmin: 0,
  detainedCriminal: 0,
  interviewed: 1,
  heldAccountable: 0,
};

/**
 * 同仁县 reports the first demo round on time (附件1 and 附件2), the second one two days late (附件1);
 * 尖扎县 reports the first round on time. Every other unit has not reported: the status board shows all four.
 */
export async function seedDemoSubmissions(store: Store, now: Date): Promise<void> {
  const { onTime, late } = demoRounds(now);
  const contact = { name: '卓玛', phone: '0973-8722111' };
  const send = async (unitId: string, at: Date, form: 'fujian1' | 'fujian2', round: string, rows: unknown[]) => {
    const unit = await store.getUnit(unitId);
    if (!unit) return;
    const caller: Caller = { tokenId: 'tok_demo_seed', role: 'county', unit };
    const asOf = shift(zoneDate(at, 'Asia/Shanghai'), -1);
    await submit(
      { store, now: () => at, log: () => {} },
      caller,
      { campaign: DEMO_CAMPAIGN_ID, form, round, asOf, contact, rows },
      `demo-seed-${unitId}-${form}-${round}`,
    );
  };
  await send('tongren', morning(shift(onTime, -1)), 'fujian1', onTime, fujian1(1));
  await send('tongren', morning(shift(onTime, -1)), 'fujian2', onTime, [FUJIAN2]);
  await send('tongren', morning(shift(late, 2)), 'fujian1', late, fujian1(2));
  const jianzha = fujian1(1).map((r) => ({ ...r, address: String(r.address).replace('同仁县', '尖扎县') }));
  await send('jianzha', morning(onTime), 'fujian1', onTime, jianzha);
}
