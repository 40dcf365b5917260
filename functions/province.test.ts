// One deployment, many prefectures (issue 16, item 4), on DynamoDB Local: each prefecture sees only the units of
// its own campaigns, and what a request reads and writes stays within per-key bounds whatever the size of the
// province or the number of rounds. DynamoDB Local neither throttles nor has partitions, so the bounds are asserted
// on what each request read and wrote per partition key (test/support/key-meter.ts).
import { randomBytes } from 'node:crypto';
import { DeleteItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { campaignRounds } from '../forms/calendar';
import type { Caller } from './auth';
import type { Context } from './context';
import { resolveCampaign } from './domain/campaign';
import { consolidatedPage, statusBoard } from './domain/prefecture';
import { publishCampaign } from './domain/publish';
import { history, latest, submissionWithRows } from './domain/read';
import { submit } from './domain/submit';
import type { DynamoStore } from './store/dynamo';
import { freshStore, startDynamoLocal, type DynamoLocal } from '../test/support/dynamo';
import { KeyMeter, type MeterReport } from '../test/support/key-meter';
import {
  campaignId,
  countyId,
  prefectureDocument,
  prefectureId,
  publishPrefecture,
  seedProvince,
} from '../test/support/province';
import { fujian1Rows } from '../test/support/rows';

const COUNTIES = 5;
const FORMS = 2;
const rounds = campaignRounds(prefectureDocument(0, 1));

let dynamo: DynamoLocal;
let store: DynamoStore;
let meter: KeyMeter;
let ctx: Context;

beforeAll(async () => {
  dynamo = await startDynamoLocal();
  const fresh = await freshStore(dynamo.endpoint, (client) => (meter = new KeyMeter(client)));
  store = fresh.store;
  ctx = { store, now: () => new Date('2019-03-05T10:00:00+08:00'), log: () => {} };
  // Prefectures 0 and 1: six rounds reported (county 4 missed the sixth); prefecture 2: two (county 4 one).
  await seedProvince(store, { prefectures: 2, countiesPerPrefecture: COUNTIES, rounds: 6 });
  await seedProvince(store, { prefectures: 1, countiesPerPrefecture: COUNTIES, rounds: 2, from: 2 });
});
afterAll(async () => {
  await dynamo?.stop();
});

async function caller(unit: string, role: Caller['role']): Promise<Caller> {
  return { tokenId: `tok_${unit}`, role, unit: (await store.getUnit(unit))! };
}

/** Runs `task` and returns what it read and wrote. */
async function metered<T>(task: () => Promise<T>): Promise<{ value: T; report: MeterReport }> {
  meter.take();
  const value = await task();
  return { value, report: meter.take() };
}

/** Every partition key read belongs to prefecture p: its units, its campaign, its submissions. */
function readsOnlyPrefecture(report: MeterReport, p: number): void {
  const own = prefectureId(p);
  for (const key of report.reads.keys()) {
    // Still read whole: the table's campaigns, and the index of units no campaign may list (they take part in
    // every campaign; never the table's units). Small items, one Query each; everything else is the prefecture's own.
    if (key === 'UNLISTED' || key === 'CAMPAIGNS') continue;
    // The table's units are read by id: only the prefecture's own.
    if (key === 'UNITS') {
      for (const sk of report.reads.get(key)!.sortKeys) expect(sk).toMatch(new RegExp(`^UNIT#${own}`));
      continue;
    }
    if (key.startsWith('gsi1:')) expect(key).toBe(`gsi1:LATEST#${campaignId(p)}`);
    else expect(key, key).toMatch(new RegExp(`^(UNIT#${own}|SUB#sub_${own}|CAMPAIGN#${campaignId(p)})`));
  }
}

describe('a prefecture in a shared deployment', () => {
  it('sees only the units of its own campaigns', async () => {
    const p0 = await caller(prefectureId(0), 'prefecture');
    const stranger = countyId(1, 0);
    const theirs = `sub_${stranger}_fujian1_${rounds[5].replaceAll('-', '')}`;

    const campaign = await resolveCampaign(ctx, p0, undefined);
    expect(campaign.id).toBe(campaignId(0));
    await expect(resolveCampaign(ctx, p0, campaignId(1))).rejects.toThrow(/不在专项行动/);
    const board = await statusBoard(ctx, campaign, rounds[5]);
    expect(board.units.map((u) => u.unit)).toEqual(Array.from({ length: COUNTIES }, (_n, c) => countyId(0, c)));

    const all = await history(ctx, p0, {});
    expect(new Set(all.map((s) => s.unit))).toEqual(
      new Set(Array.from({ length: COUNTIES }, (_n, c) => countyId(0, c))),
    );
    await expect(history(ctx, p0, { unit: stranger })).rejects.toThrow(/不在本单位/);
    await expect(submissionWithRows(ctx, p0, theirs, undefined)).rejects.toThrow(/不在本单位/);
    await expect(latest(ctx, p0, campaign, stranger, 'fujian1', undefined)).rejects.toThrow(/不在本单位/);
    // Nor can it submit for another prefecture's county.
    await expect(
      submit(
        ctx,
        p0,
        {
          form: 'fujian1',
          round: rounds[6],
          asOf: rounds[6],
          contact: { name: '卓玛', phone: '0973-8722111' },
          rows: fujian1Rows(3, { progress: '按计划推进' }),
          unit: stranger,
        } as never,
        randomBytes(8).toString('hex'),
      ),
    ).rejects.toMatchObject({ issues: [expect.objectContaining({ code: 'unit.not_in_campaign' })] });
    // Its own counties' submissions it reads.
    const own = await submissionWithRows(
      ctx,
      p0,
      `sub_${countyId(0, 0)}_fujian1_${rounds[5].replaceAll('-', '')}`,
      undefined,
    );
    expect(own.fields.unit).toBe(countyId(0, 0));
  });
});

describe('what one request reads and writes per partition key', () => {
  // Reads of a status call besides the table's campaigns and the index of unlisted units: the caller's campaign
  // (its membership entry and the campaign item), the units its document lists (the prefecture and its counties,
  // by id), one top pointer per unit and form, one header per submission shown.
  const ownBound = 2 + (1 + COUNTIES) + 2 * COUNTIES * FORMS;
  const ownItems = (r: MeterReport): number =>
    r.itemsRead - (r.reads.get('UNLISTED')?.items ?? 0) - (r.reads.get('CAMPAIGNS')?.items ?? 0);

  it('a status call reads one item per unit and form, however many rounds were reported, and only its own', async () => {
    const p0 = await caller(prefectureId(0), 'prefecture');
    const sixRounds = await metered(async () => statusBoard(ctx, await resolveCampaign(ctx, p0, undefined), rounds[5]));
    readsOnlyPrefecture(sixRounds.report, 0);
    expect(ownItems(sixRounds.report)).toBeLessThanOrEqual(ownBound + 1);
    // County 4 has not reported the sixth round: carried forward from its top pointer (the fifth round).
    expect(sixRounds.value.units[4].forms.fujian1).toMatchObject({ status: 'carried', round: rounds[4] });
    expect(sixRounds.value.units[0].forms.fujian1).toMatchObject({ status: 'ontime', round: rounds[5] });

    const p2 = await caller(prefectureId(2), 'prefecture');
    const twoRounds = await metered(async () => statusBoard(ctx, await resolveCampaign(ctx, p2, undefined), rounds[1]));
    readsOnlyPrefecture(twoRounds.report, 2);
    expect(sixRounds.report.itemsRead).toBe(twoRounds.report.itemsRead);
  });

  it('an earlier round costs one more single-item Query per unit and form that has reported since', async () => {
    const p0 = await caller(prefectureId(0), 'prefecture');
    const past = await metered(async () => statusBoard(ctx, await resolveCampaign(ctx, p0, undefined), rounds[2]));
    readsOnlyPrefecture(past.report, 0);
    expect(ownItems(past.report)).toBeLessThanOrEqual(ownBound + 1 + COUNTIES * FORMS);
    expect(past.value.units.every((u) => u.forms.fujian1.round === rounds[2])).toBe(true);
  });

  it('the consolidated 附件1 reads only its own units, one pointer per unit, and their rows', async () => {
    const p0 = await caller(prefectureId(0), 'prefecture');
    const page = await metered(async () =>
      consolidatedPage(ctx, await resolveCampaign(ctx, p0, undefined), 'fujian1', rounds[5], undefined),
    );
    readsOnlyPrefecture(page.report, 0);
    expect(page.value.rows.count).toBe(COUNTIES * 20);
  });

  it('a 10,000-row 附件1 spreads its rows so that no key takes 1,000 WCU, and writes only its own unit’s keys', async () => {
    const county = await caller(countyId(0, 1), 'county');
    const rows = fujian1Rows(10_000, { progress: '按计划推进', unitName: county.unit.name });
    const { value: receipt, report } = await metered(() =>
      submit(
        ctx,
        county,
        {
          form: 'fujian1',
          round: rounds[6],
          asOf: rounds[6],
          contact: { name: '卓玛', phone: '0973-8722111' },
          rows,
        } as never,
        randomBytes(8).toString('hex'),
      ),
    );
    expect(receipt.rowCount).toBe(10_000);
    const chunkKeys = [...report.wcu.entries()].filter(([key]) => key.startsWith(`SUB#${receipt.id}#`));
    const rowWcu = chunkKeys.reduce((n, [, wcu]) => n + wcu, 0);
    // Under one key, as before, the rows alone would be past the partition limit.
    expect(rowWcu).toBeGreaterThan(1000);
    expect(chunkKeys.length).toBeGreaterThan(3);
    expect(report.maxWcu.wcu).toBeLessThan(1000);
    for (const key of report.wcu.keys())
      expect(key).toMatch(
        new RegExp(
          `^(SUB#${receipt.id}|UNIT#${county.unit.id}|IDEM#${county.unit.id}#|gsi1:(HIST#${county.unit.id}|PENDING|LATEST#${campaignId(0)})$)`,
        ),
      );
  });
});

describe('units no campaign lists (they take part in every campaign)', () => {
  it('are on every board through their own index, whether added before or after a publication or dropped by one; a table without the index is read whole', async () => {
    let m!: KeyMeter;
    const fresh = await freshStore(dynamo.endpoint, (client) => (m = new KeyMeter(client)));
    const own: Context = { ...ctx, store: fresh.store };
    const add = (id: string, order: number) =>
      fresh.store.createUnit({ id, name: `独立${id}`, role: 'county', order, createdAt: '2018-11-01T00:00:00Z' });
    const board = async () => {
      const office: Caller = {
        tokenId: 'tok_p',
        role: 'prefecture',
        unit: (await fresh.store.getUnit(prefectureId(0)))!,
      };
      m.take();
      const units = (await statusBoard(own, await resolveCampaign(own, office, undefined), rounds[0])).units;
      return { units: units.map((u) => u.unit), unitsRead: m.take().reads.get('UNITS')?.sortKeys ?? [] };
    };

    await add('early', 900);
    await publishPrefecture(fresh.store, 0, 2);
    await add('late', 901);
    const first = await board();
    expect(first.units).toEqual([countyId(0, 0), countyId(0, 1), 'early', 'late']);
    // The listed units are read by id; the others come from the index, not from a Query of every unit.
    expect(first.unitsRead.sort()).toEqual(
      [prefectureId(0), countyId(0, 0), countyId(0, 1)].map((u) => `UNIT#${u}`).sort(),
    );

    // A revision drops county 1: listed by no document now, it takes part in every campaign.
    const dropped = await publishCampaign(fresh.store, prefectureDocument(0, 1), new Date('2018-12-02T00:00:00Z'));
    expect(dropped.ok).toBe(true);
    // After the document's units, the others in the table's order (county 1 was created after 'early').
    expect((await board()).units).toEqual([countyId(0, 0), 'early', 'late', countyId(0, 1)]);

    // A table from before the index (no publication has completed it): every unit is read, as before.
    await fresh.client.send(
      new DeleteItemCommand({ TableName: fresh.tableName, Key: { pk: { S: 'UNLISTED' }, sk: { S: '#COMPLETE' } } }),
    );
    const before = await board();
    expect(before.units).toEqual([countyId(0, 0), 'early', 'late', countyId(0, 1)]);
    expect(before.unitsRead).toContain('UNIT#early');
  });
});
