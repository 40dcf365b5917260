// One deployment for a whole province (issue 16): 50 prefectures, 400 counties, 36 rounds of both forms on
// DynamoDB Local, seeded in bulk through the store. Per request: the items read (all keys, and the most from one
// key) and the WCU the busiest key took — an upper bound for that key's WCU in any one second, since a request
// can finish within a second on AWS. Baselines in the same run: a prefecture that has reported two rounds (the
// reads must not grow with rounds or with the province), what the previous layout read for the same status call
// (every pointer of every round, every unit, every campaign), and the row WCU a 10,000-row sheet put on one key
// before its chunks were spread.
import { randomBytes } from 'node:crypto';
import { campaignRounds } from '../forms/calendar';
import type { Caller } from '../functions/auth';
import type { Context } from '../functions/context';
import { resolveCampaign } from '../functions/domain/campaign';
import { consolidatedPage, stats, statusBoard } from '../functions/domain/prefecture';
import { submit } from '../functions/domain/submit';
import { mapLimit } from '../functions/store/retry';
import { freshStore, startDynamoLocal } from '../test/support/dynamo';
import { KeyMeter, type MeterReport } from '../test/support/key-meter';
import { campaignId, countyId, prefectureDocument, prefectureId, seedProvince } from '../test/support/province';
import { fujian1Rows } from '../test/support/rows';
import type { Figure } from './run';

const PREFECTURES = 50;
const COUNTIES = 8;
const ROUNDS = 36;

export default async function provinceBench(emit: (f: Figure) => void): Promise<void> {
  const dynamo = await startDynamoLocal();
  try {
    let meter!: KeyMeter;
    const { store } = await freshStore(dynamo.endpoint, (client) => (meter = new KeyMeter(client)));
    const rounds = campaignRounds(prefectureDocument(0, 1));
    const last = rounds[ROUNDS - 1];
    const ctx: Context = { store, now: () => new Date('2019-12-31T20:00:00+08:00'), log: () => {} };

    const t0 = performance.now();
    const seeded = await seedProvince(store, {
      prefectures: PREFECTURES,
      countiesPerPrefecture: COUNTIES,
      rounds: ROUNDS,
    });
    const seedSeconds = (performance.now() - t0) / 1000;
    // The baseline prefecture: the same counties, two rounds reported.
    await seedProvince(store, { prefectures: 1, countiesPerPrefecture: COUNTIES, rounds: 2, from: PREFECTURES });
    meter.take();
    emit({
      name: 'province seed (bulk BatchWriteItem through the store)',
      value: Number(seedSeconds.toFixed(1)),
      unit: 's',
      prefectures: PREFECTURES,
      counties: PREFECTURES * COUNTIES,
      rounds: ROUNDS,
      submissions: seeded.submissions,
    });

    const caller = async (unit: string, role: Caller['role']): Promise<Caller> => ({
      tokenId: 'bench',
      role,
      unit: (await store.getUnit(unit))!,
    });
    const metered = async (task: () => Promise<unknown>): Promise<MeterReport & { ms: number }> => {
      meter.take();
      const t = performance.now();
      await task();
      return { ...meter.take(), ms: performance.now() - t };
    };
    const mostFromOneKey = (r: MeterReport): number => Math.max(0, ...[...r.reads.values()].map((k) => k.items));
    const foreignKeys = (r: MeterReport, p: number): number =>
      [...r.reads.keys()].filter(
        (k) =>
          !['UNITS', 'UNLISTED', 'CAMPAIGNS'].includes(k) && !k.includes(prefectureId(p)) && !k.includes(campaignId(p)),
      ).length;

    const p = 17;
    const prefecture = await caller(prefectureId(p), 'prefecture');
    const base = await caller(prefectureId(PREFECTURES), 'prefecture');
    const status = await metered(async () => statusBoard(ctx, await resolveCampaign(ctx, prefecture, undefined), last));
    const baseStatus = await metered(async () =>
      statusBoard(ctx, await resolveCampaign(ctx, base, undefined), rounds[1]),
    );
    // What the previous layout read for this call: every pointer of every round of the campaign (the CURRENT#
    // index), every unit, every campaign, besides the headers.
    const previous = await metered(async () => {
      await store.listUnits();
      await store.listCampaigns();
      await mapLimit(
        Array.from({ length: COUNTIES }, (_n, c) => countyId(p, c)),
        8,
        (u) => store.listPointers(u, campaignId(p)),
      );
    });
    emit({
      name: 'status call: items read (36 rounds, 50-prefecture table)',
      value: status.itemsRead,
      unit: 'items',
      bytes: status.bytesRead,
      mostFromOneKey: mostFromOneKey(status),
      keysOfOtherPrefectures: foreignKeys(status, p),
      ms: Math.round(status.ms),
      baseline_twoRounds: baseStatus.itemsRead,
      baseline_previousLayout: previous.itemsRead + 2 * COUNTIES,
    });

    const past = await metered(async () =>
      statusBoard(ctx, await resolveCampaign(ctx, prefecture, undefined), rounds[17]),
    );
    emit({
      name: 'status call for an earlier round (18 of 36): items read',
      value: past.itemsRead,
      unit: 'items',
      mostFromOneKey: mostFromOneKey(past),
      keysOfOtherPrefectures: foreignKeys(past, p),
      ms: Math.round(past.ms),
    });

    const consolidated = await metered(async () =>
      consolidatedPage(ctx, await resolveCampaign(ctx, prefecture, undefined), 'fujian1', last, undefined),
    );
    emit({
      name: 'consolidated 附件1 page: items read',
      value: consolidated.itemsRead,
      unit: 'items',
      bytes: consolidated.bytesRead,
      mostFromOneKey: mostFromOneKey(consolidated),
      keysOfOtherPrefectures: foreignKeys(consolidated, p),
      ms: Math.round(consolidated.ms),
    });
    const statistics = await metered(async () => stats(ctx, await resolveCampaign(ctx, prefecture, undefined), last));
    emit({
      name: 'stats call: items read',
      value: statistics.itemsRead,
      unit: 'items',
      mostFromOneKey: mostFromOneKey(statistics),
      keysOfOtherPrefectures: foreignKeys(statistics, p),
      ms: Math.round(statistics.ms),
    });

    // A 10,000-row 附件1 for a round after the seed's: the busiest key's WCU within the one request.
    const county = await caller(countyId(p, 0), 'county');
    const late: Context = { ...ctx, now: () => new Date('2020-01-01T10:00:00+08:00') };
    const big = await metered(() =>
      submit(
        late,
        county,
        {
          campaign: campaignId(p),
          form: 'fujian1',
          round: last,
          asOf: last,
          contact: { name: '卓玛', phone: '0973-8722111' },
          rows: fujian1Rows(10_000, { progress: '按计划推进', unitName: county.unit.name }),
        } as never,
        randomBytes(8).toString('hex'),
      ),
    );
    const rowWcu = [...big.wcu.entries()].filter(([k]) => /^SUB#.*#\d{5}$/.test(k)).reduce((n, [, w]) => n + w, 0);
    emit({
      name: '10,000-row 附件1 submit: max WCU on one key (upper bound per second)',
      value: big.maxWcu.wcu,
      unit: 'WCU',
      key: big.maxWcu.key.replace(/sub_\w+/, 'sub_…'),
      limitPerKeyPerSecond: 1000,
      ms: Math.round(big.ms),
      baseline_rowWcuOnOneKeyBefore: rowWcu,
    });
  } finally {
    await dynamo.stop();
  }
}
