// The HTTP API of DESIGN §4 as a client sees it: the real handlers behind the local adapter, on DynamoDB Local.
import { randomBytes } from 'node:crypto';
import { UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Fujian1Row } from '../test/support/forms-2019';
import { LAMBDA_PAYLOAD_BYTES } from '../infra/local/gateway';
import { startLocalStack, type LocalStack } from '../infra/local/stack';
import { allPages, call } from '../test/support/api';
import { testClock } from '../test/support/clock';
import { newCounty as makeCounty } from '../test/support/units';
import { storedChunks } from '../test/support/dynamo';
import { fujian1Rows, fujian2Row } from '../test/support/rows';
import type {
  ConsolidatedFujian1Row,
  ConsolidatedResponse,
  ConsolidatedWirePage,
  Receipt,
  StatsResponse,
  StatusResponse,
  SubmissionResponse,
} from '../contract/api';
import { consolidatedFromWire } from '../contract/api';
import { issueToken } from './auth';
import { consolidated, consolidatedPage } from './domain/prefecture';
import { encodeCursor } from './domain/read';
import { pageValue, type PageLimit } from './page';
import { run } from '../infra/admin/commands';
import { createDynamoClient, DEFAULT_TABLE_NAME } from './store/table';

let stack: LocalStack;

const clock = testClock('2019-11-04T10:00:00+08:00');

beforeAll(async () => {
  stack = await startLocalStack({ inMemory: true, port: 0, quiet: true, now: clock.now });
});
afterAll(async () => {
  await stack?.stop();
});

const contact = { name: '卓玛', phone: '0973-8722111' };
/** The 2019 campaign as `npm start` publishes it. */
const huangnan2019 = async () => (await stack.store.getCampaign('huangnan-2019'))!;
const key = (): string => randomBytes(8).toString('hex');

const newCounty = (name?: string) => makeCounty(stack.store, name);

function post(token: string, body: Record<string, unknown>, idempotencyKey = key(), extra: { gzip?: boolean } = {}) {
  return call<Receipt>(stack.apiUrl, 'POST', '/v1/submissions', {
    token,
    body: { contact, asOf: '2019-11-03', ...body },
    idempotencyKey,
    ...extra,
  });
}

describe('GET /v1/me', () => {
  it('names the unit, role, campaign rounds and the next due date', async () => {
    const me = await call(stack.apiUrl, 'GET', '/v1/me', { token: stack.tokens.tongren });
    expect(me.status).toBe(200);
    expect(me.body.unit).toEqual({
      id: 'tongren',
      name: '同仁县',
      role: 'county',
      // The campaign's unit list: the names 同仁县 goes by on sheets.
      aliases: ['同仁市', '同仁县人民政府', '同仁县环保局', '同仁县生态环境局'],
      code: 'TR',
    });
    expect(me.body.role).toBe('county');
    expect(me.body.campaign.rounds).toEqual([
      '2019-10-24',
      '2019-11-04',
      '2019-11-14',
      '2019-11-24',
      '2019-12-04',
      '2019-12-14',
      '2019-12-24',
    ]);
    expect(me.body.nextDue).toBe('2019-11-04');
    const pref = await call(stack.apiUrl, 'GET', '/v1/me', { token: stack.tokens.huangnan });
    expect(pref.body.unit.role).toBe('prefecture');
  });
});

describe('auth', () => {
  it('answers 401 in Chinese without a token or with an unknown one', async () => {
    const none = await call(stack.apiUrl, 'GET', '/v1/me');
    expect(none.status).toBe(401);
    expect(none.body.error.message).toMatch(/令牌/);
    expect((await call(stack.apiUrl, 'GET', '/v1/me', { token: 'not-a-token' })).status).toBe(401);
  });

  it('a revoked token stops working at once', async () => {
    const { token, record } = await issueToken(stack.store, 'jianzha', 'county');
    expect((await call(stack.apiUrl, 'GET', '/v1/me', { token })).status).toBe(200);
    expect(await stack.store.revokeToken(record.id)).toBe(true);
    const after = await call(stack.apiUrl, 'GET', '/v1/me', { token });
    expect(after.status).toBe(401);
    expect(after.body.error.message).toMatch(/吊销/);
  });

  it('a county token cannot read another unit or any prefecture view (403)', async () => {
    const a = await newCounty();
    const b = await newCounty();
    const sub = await post(b.token, { form: 'fujian1', round: '2019-11-04', rows: fujian1Rows(2) });
    expect(sub.status).toBe(201);
    const paths = [
      `/v1/submissions?unit=${b.id}`,
      `/v1/submissions/${sub.body.id}`,
      `/v1/units/${b.id}/forms/fujian1/latest`,
      '/v1/consolidated/fujian1?round=2019-11-04',
      '/v1/status?round=2019-11-04',
      '/v1/stats?round=2019-11-04',
    ];
    for (const path of paths) {
      const res = await call(stack.apiUrl, 'GET', path, { token: a.token });
      expect(res.status, path).toBe(403);
      expect(res.body.error.message).toMatch(/[\u4e00-\u9fff]/);
    }
    const forOther = await post(a.token, { form: 'fujian1', round: '2019-11-04', rows: fujian1Rows(1), unit: b.id });
    expect(forOther.status).toBe(403);
    // Its own unit stays readable.
    expect((await call(stack.apiUrl, 'GET', `/v1/submissions/${sub.body.id}`, { token: b.token })).status).toBe(200);
  });

  it('the prefecture submits for a county and reads it', async () => {
    const c = await newCounty();
    const sub = await post(stack.tokens.huangnan, {
      form: 'fujian2',
      round: '2019-11-04',
      rows: [fujian2Row('测试县', 3)],
      unit: c.id,
    });
    expect(sub.status).toBe(201);
    expect(sub.body.unit).toBe(c.id);
    const latest = await call<SubmissionResponse>(stack.apiUrl, 'GET', `/v1/units/${c.id}/forms/fujian2/latest`, {
      token: c.token,
    });
    expect(latest.body.id).toBe(sub.body.id);
    expect(latest.body.rows[0]).toMatchObject({ unit: '测试县', verified: 3, assigned: 4 });
  });
});

describe('POST /v1/submissions: what is refused', () => {
  it('malformed JSON → 400', async () => {
    const c = await newCounty();
    const res = await call(stack.apiUrl, 'POST', '/v1/submissions', {
      token: c.token,
      rawBody: '{"form":"fujian1",',
      idempotencyKey: key(),
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('malformed_json');
    expect(res.body.error.message).toMatch(/JSON/);
  });

  it('invalid rows → 422 with each issue keyed by row position and column, as forms/ words it', async () => {
    const c = await newCounty();
    const rows: unknown[] = fujian1Rows(3);
    rows[1] = { ...(rows[1] as Fujian1Row), closure: '办完了' };
    const res = await post(c.token, { form: 'fujian1', round: '2019-11-04', rows });
    expect(res.status).toBe(422);
    const issue = (res.body as any).error.issues.find((i: any) => i.code === 'closure.invalid');
    expect(issue).toMatchObject({ row: 2, key: 'closure', severity: 'error' });
    expect(issue.message).toBe('第2行「是否办结」应填写:已办结、阶段办结、正在办理');
    // Nothing was stored.
    const history = await call(stack.apiUrl, 'GET', '/v1/submissions', { token: c.token });
    expect(history.body.submissions).toEqual([]);
  });

  it('a round that is not a due date, a future asOf, a missing contact → 422 in Chinese', async () => {
    const c = await newCounty();
    const badRound = await post(c.token, { form: 'fujian1', round: '2019-11-05', rows: fujian1Rows(1) });
    expect(badRound.status).toBe(422);
    expect((badRound.body as any).error.message).toContain('2019-11-04、2019-11-14');
    const future = await post(c.token, {
      form: 'fujian1',
      round: '2019-11-04',
      asOf: '2019-11-05',
      rows: fujian1Rows(1),
    });
    expect(future.status).toBe(422);
    expect((future.body as any).error.message).toContain('晚于今天');
    const noContact = await post(c.token, {
      form: 'fujian1',
      round: '2019-11-04',
      rows: fujian1Rows(1),
      contact: { name: '', phone: '' },
    });
    expect(noContact.status).toBe(422);
    expect((noContact.body as any).error.issues.map((i: any) => i.key)).toContain('contact');
  });

  it('oversize → 413 with a Chinese message (raw body over 6 MB, or gzip that inflates past the limit)', async () => {
    const c = await newCounty();
    const raw = JSON.stringify({
      form: 'fujian1',
      round: '2019-11-04',
      asOf: '2019-11-03',
      contact,
      rows: [],
      pad: 'x'.repeat(7 * 1024 * 1024),
    });
    const big = await call(stack.apiUrl, 'POST', '/v1/submissions', {
      token: c.token,
      rawBody: raw,
      idempotencyKey: key(),
    });
    expect(big.status).toBe(413);
    expect(big.body.error.message).toMatch(/压缩.*分段/);
    const bomb = JSON.stringify({ pad: ' '.repeat(30 * 1024 * 1024) });
    const zipped = await call(stack.apiUrl, 'POST', '/v1/submissions', {
      token: c.token,
      rawBody: bomb,
      gzip: true,
      idempotencyKey: key(),
    });
    expect(zipped.status).toBe(413);
    expect(zipped.body.error.code).toBe('payload_too_large');
  });

  it('without Idempotency-Key → 400', async () => {
    const c = await newCounty();
    const res = await call(stack.apiUrl, 'POST', '/v1/submissions', {
      token: c.token,
      body: { form: 'fujian1', round: '2019-11-04', asOf: '2019-11-03', contact, rows: fujian1Rows(1) },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain('Idempotency-Key');
  });
});

describe('POST /v1/submissions: consistency', () => {
  it('a replay with the same Idempotency-Key returns the first receipt and stores nothing new', async () => {
    const c = await newCounty();
    const k = key();
    const body = { form: 'fujian1', round: '2019-11-04', rows: fujian1Rows(5) };
    const first = await post(c.token, body, k);
    expect(first.status).toBe(201);
    const again = await post(c.token, body, k);
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    const history = await call(stack.apiUrl, 'GET', '/v1/submissions', { token: c.token });
    expect(history.body.submissions).toHaveLength(1);
    const reused = await post(c.token, { ...body, rows: fujian1Rows(6) }, k);
    expect(reused.status).toBe(409);
    expect((reused.body as any).error.code).toBe('idempotency_key_reused');
  });

  it('the same click sent 5 times at once (one Idempotency-Key) is stored once and all get its receipt', async () => {
    const c = await newCounty();
    const k = key();
    const body = { form: 'fujian1', round: '2019-11-04', rows: fujian1Rows(4), basedOn: null };
    const results = await Promise.all(Array.from({ length: 5 }, () => post(c.token, body, k)));
    expect(results.map((r) => r.status)).toEqual(Array(5).fill(201));
    expect(new Set(results.map((r) => r.body.id)).size).toBe(1);
    const history = await call(stack.apiUrl, 'GET', '/v1/submissions', { token: c.token });
    expect(history.body.submissions).toHaveLength(1);
  });

  it('20 concurrent first submissions for one unit: exactly one wins, the others get 409 naming it', async () => {
    const c = await newCounty();
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        call<Receipt>(stack.apiUrl, 'POST', '/v1/submissions', {
          token: c.token,
          idempotencyKey: key(),
          body: {
            form: 'fujian1',
            round: '2019-11-04',
            asOf: '2019-11-03',
            contact: { name: `联系人${i}`, phone: '0973-8722111' },
            // Each sender's own sheet: the same one again would be answered 200 "unchanged", not 409.
            rows: fujian1Rows(3, { progress: `进展${i}` }),
            basedOn: null,
          },
        }),
      ),
    );
    const won = results.filter((r) => r.status === 201);
    expect(results.map((r) => r.status).sort()).toEqual([201, ...Array(19).fill(409)]);
    const lost = results.filter((r) => r.status === 409);
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(19);
    const winner = won[0].body.contact.name;
    for (const r of lost) expect((r.body as any).error.message).toContain(winner);
    const history = await call(stack.apiUrl, 'GET', '/v1/submissions', { token: c.token });
    expect(history.body.submissions).toHaveLength(1);
    // Rows the losers wrote before losing expire (TTL); the winner's, like every committed submission's, never do.
    const subs = await storedChunks(createDynamoClient({ endpoint: stack.dynamodbEndpoint }), DEFAULT_TABLE_NAME);
    expect(subs.get(won[0].body.id)).toMatchObject({ committed: true, expiresAt: [null] });
    for (const [id, sub] of subs) {
      expect(sub.expiresAt.length, id).toBeGreaterThan(0);
      if (sub.committed)
        expect(
          sub.expiresAt.every((at) => at === null),
          id,
        ).toBe(true);
      else expect(typeof sub.expiresAt[0], id).toBe('number');
    }
  });

  it('without basedOn, concurrent senders are all accepted, one version after another', async () => {
    const c = await newCounty();
    // Six different sheets: an identical one would be answered 200 "unchanged" by whichever sender came second.
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        post(c.token, { form: 'fujian2', round: '2019-11-04', rows: [fujian2Row('测试县', i + 1)] }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(Array(6).fill(201));
    expect(results.map((r) => r.body.version).sort()).toEqual([1, 2, 3, 4, 5, 6]);
    const status = await call<StatusResponse>(stack.apiUrl, 'GET', '/v1/status?round=2019-11-04', {
      token: stack.tokens.huangnan,
    });
    expect(status.body.units.find((u) => u.unit === c.id)!.forms.fujian2.version).toBe(6);
  });

  it('an unknown submission id → 404 in Chinese', async () => {
    const res = await call(stack.apiUrl, 'GET', '/v1/submissions/sub_nothing', { token: stack.tokens.huangnan });
    expect(res.status).toBe(404);
    expect(res.body.error.message).toContain('sub_nothing');
  });

  it('basedOn: the next version replaces the current one; a stale basedOn → 409 with who and when', async () => {
    const c = await newCounty();
    const v1 = await post(c.token, { form: 'fujian1', round: '2019-11-04', rows: fujian1Rows(2), basedOn: null });
    // Replacing the unit's first-round sheet: 整改进展 is not required yet.
    const v2 = await post(c.token, {
      form: 'fujian1',
      round: '2019-11-04',
      rows: fujian1Rows(2, { closure: () => '已办结' }),
      basedOn: v1.body.id,
    });
    expect(v2.status).toBe(201);
    expect(v2.body.version).toBe(2);
    const stale = await post(c.token, {
      form: 'fujian1',
      round: '2019-11-04',
      rows: fujian1Rows(2, { progress: '再改' }),
      basedOn: v1.body.id,
    });
    expect(stale.status).toBe(409);
    expect((stale.body as any).error.message).toContain('卓玛');
    expect((stale.body as any).error.message).toContain('2019-11-04 10:00');
    expect((stale.body as any).error.current.id).toBe(v2.body.id);
    const history = await call(stack.apiUrl, 'GET', '/v1/submissions?form=fujian1', { token: c.token });
    expect(history.body.submissions.map((s: any) => [s.version, s.current])).toEqual([
      [2, true],
      [1, false],
    ]);
  });
});

describe('receipts across rounds', () => {
  it('reports added/changed/newly closed/rebounds/removed and warns on frozen columns 1–6', async () => {
    const c = await newCounty();
    const round1 = fujian1Rows(4, { closure: (i) => (i === 0 ? '已办结' : '正在办理') });
    const first = await post(c.token, { form: 'fujian1', round: '2019-11-04', rows: round1 });
    expect(first.status).toBe(201);
    expect(first.body.changes.added).toEqual([1, 2, 3, 4]);
    expect(first.body.warnings).toEqual([]);

    clock.set('2019-11-12T09:00:00+08:00');
    // Next round: progress is now required.
    const missingProgress = await post(c.token, { form: 'fujian1', round: '2019-11-14', rows: round1 });
    expect(missingProgress.status).toBe(422);
    expect((missingProgress.body as any).error.issues[0].code).toBe('progress.required');

    const round2: Fujian1Row[] = round1.slice(0, 3).map((r) => ({ ...r, progress: '按计划推进' }));
    round2[0].closure = '正在办理'; // 序号1: 已办结 → 正在办理, a rebound
    round2[1].closure = '已办结'; // 序号2: newly closed
    round2[2].address = '改过的地址'; // 序号3: a frozen column changed
    round2.push({ ...round1[0], seq: 9, progress: '新增问题' });
    const second = await post(c.token, { form: 'fujian1', round: '2019-11-14', rows: round2, asOf: '2019-11-12' });
    expect(second.status).toBe(201);
    expect(second.body.changes).toEqual({
      added: [9],
      changed: [1, 2, 3],
      newlyClosed: [2],
      rebounds: [1],
      removed: [4],
    });
    expect(second.body.previousId).toBe(first.body.id);
    const frozen = second.body.warnings.filter((w) => w.code === 'frozen.changed');
    expect(frozen).toEqual([
      expect.objectContaining({ row: 3, key: 'address', column: '详细地址', severity: 'warning' }),
    ]);
    expect(frozen[0].message).toContain('第3行');
    const rebound = second.body.warnings.find((w) => w.code === 'closure.rebound');
    expect(rebound).toMatchObject({ row: 1, key: 'closure' });
    expect(rebound!.message).toContain('反弹');

    // A third round still compares frozen columns with the FIRST accepted sheet, not the previous one.
    clock.set('2019-11-22T09:00:00+08:00');
    const round3 = round2.map((r) => ({ ...r, address: r.seq === 3 ? round1[2].address : r.address }));
    const third = await post(c.token, { form: 'fujian1', round: '2019-11-24', rows: round3, asOf: '2019-11-21' });
    expect(third.status).toBe(201);
    expect(third.body.warnings.filter((w) => w.code === 'frozen.changed')).toEqual([]);
    expect(third.body.changes.changed).toEqual([3]);
  });

  it('late is decided at 24:00 Asia/Shanghai of the due day', async () => {
    const c = await newCounty();
    clock.set('2019-11-14T23:59:59.999+08:00');
    const onTime = await post(c.token, { form: 'fujian2', round: '2019-11-14', rows: [fujian2Row('测试县', 1)] });
    expect(onTime.body.late).toBe(false);
    clock.set('2019-11-15T00:00:00.000+08:00');
    const late = await post(c.token, { form: 'fujian2', round: '2019-11-14', rows: [fujian2Row('测试县', 2)] });
    expect(late.status).toBe(201);
    expect(late.body.late).toBe(true);
    expect(late.body.changes.changed).toEqual(expect.arrayContaining(['verified', 'assigned']));
  });
});

describe('prefecture views', () => {
  // Seed counties only: 同仁 on time, 尖扎 late, 泽库 carried from the previous round, 河南 missing.
  const round = '2019-12-04';
  beforeAll(async () => {
    clock.set('2019-11-20T10:00:00+08:00');
    expect(
      (
        await post(stack.tokens.zeku, {
          form: 'fujian1',
          round: '2019-11-24',
          rows: fujian1Rows(3, { unitName: '泽库县' }),
          asOf: '2019-11-20',
        })
      ).status,
    ).toBe(201);
    expect(
      (
        await post(stack.tokens.zeku, {
          form: 'fujian2',
          round: '2019-11-24',
          rows: [fujian2Row('泽库县', 4)],
          asOf: '2019-11-20',
        })
      ).status,
    ).toBe(201);
    clock.set('2019-12-03T10:00:00+08:00');
    expect(
      (await post(stack.tokens.tongren, { form: 'fujian1', round, rows: fujian1Rows(5), asOf: '2019-12-03' })).status,
    ).toBe(201);
    expect(
      (
        await post(stack.tokens.tongren, {
          form: 'fujian2',
          round,
          rows: [fujian2Row('同仁县', 7)],
          asOf: '2019-12-03',
        })
      ).status,
    ).toBe(201);
    clock.set('2019-12-05T08:00:00+08:00');
    expect(
      (
        await post(stack.tokens.jianzha, {
          form: 'fujian1',
          round,
          rows: fujian1Rows(4, { unitName: '尖扎县', closure: () => '已办结' }),
          asOf: '2019-12-04',
        })
      ).status,
    ).toBe(201);
  });

  const seedUnits = <T extends { unit: string }>(units: T[]): T[] =>
    units.filter((u) => ['tongren', 'jianzha', 'zeku', 'henan'].includes(u.unit));

  it('consolidated 附件1: rows tagged by unit, 序号 renumbered, carried forward marked, totals equal the sums', async () => {
    const { first, rows } = await allPages<ConsolidatedResponse<'fujian1'>>(
      stack.apiUrl,
      `/v1/consolidated/fujian1?round=${round}`,
      { token: stack.tokens.huangnan },
    );
    expect(first.status).toBe(200);
    const statuses = Object.fromEntries(seedUnits(first.body.units).map((u) => [u.unit, u.status]));
    expect(statuses).toEqual({ tongren: 'ontime', jianzha: 'late', zeku: 'carried', henan: 'missing' });
    const seeded = rows.filter((r) => ['tongren', 'jianzha', 'zeku'].includes(String(r.unit)));
    expect(seeded.map((r) => r.unit)).toEqual([
      ...Array(5).fill('tongren'),
      ...Array(4).fill('jianzha'),
      ...Array(3).fill('zeku'),
    ]);
    expect(rows.map((r) => r.seq)).toEqual(rows.map((_, i) => i + 1));
    expect(seeded.filter((r) => r.unit === 'jianzha').map((r) => r.originalSeq)).toEqual([1, 2, 3, 4]);
    expect(seeded.find((r) => r.unit === 'zeku')).toMatchObject({ status: 'carried', unitName: '泽库县' });
    const count = (v: string) => rows.filter((r) => r.closure === v).length;
    expect(first.body.totals).toEqual({
      rows: rows.length,
      已办结: count('已办结'),
      阶段办结: count('阶段办结'),
      正在办理: count('正在办理'),
    });
  });

  it('consolidated 附件1 as sent: each unit’s rows as it stored them, segments saying whose and from which 序号', async () => {
    for (const acceptGzip of [true, false]) {
      const res = await call<ConsolidatedWirePage<'fujian1'>>(
        stack.apiUrl,
        'GET',
        `/v1/consolidated/fujian1?round=${round}`,
        { token: stack.tokens.huangnan, acceptGzip, wire: true },
      );
      expect(res.status).toBe(200);
      const { segments, serial, rows } = res.body;
      expect(serial).toBe('seq');
      expect(segments!.reduce((n, s) => n + s.rows, 0)).toBe(rows.length);
      const at = segments!.findIndex((s) => s.unit === 'jianzha');
      const start = segments!.slice(0, at).reduce((n, s) => n + s.rows, 0);
      expect(segments![at]).toMatchObject({ unitName: '尖扎县', status: 'late', rows: 4, firstSeq: start + 1 });
      // The unit's own 序号, untouched: the client renumbers them (consolidatedFromWire).
      expect(rows.slice(start, start + 4).map((r) => r.seq)).toEqual([1, 2, 3, 4]);
      expect(rows[start]).not.toHaveProperty('unit');
    }
  });

  it('consolidated pages of any size join up to the same table (序号 continues across pages and split units)', async () => {
    const ctx = { store: stack.store, now: clock.now, log: () => {} };
    const whole = await consolidated(ctx, await huangnan2019(), 'fujian1', round, undefined, Infinity);
    expect(whole.next).toBeNull();
    // Pages counted in bytes of JSON (split inside a unit's chunk) and in compressed bytes (whole chunks passed on).
    for (const limit of [700, 3000, { compressed: 1 }, { compressed: 2000 }]) {
      const rows: unknown[] = [];
      let page = await consolidated(ctx, await huangnan2019(), 'fujian1', round, undefined, limit);
      let pages = 1;
      rows.push(...page.rows);
      while (page.next) {
        page = await consolidated(ctx, await huangnan2019(), 'fujian1', round, page.next, limit);
        rows.push(...page.rows);
        pages++;
        expect(page.totals).toEqual(whole.totals);
      }
      expect(pages).toBeGreaterThan(2);
      expect(rows).toEqual(whole.rows);
    }
  });

  /** A pull as a client reading the first page's ranges makes it: each range to its end, joined in plan order. */
  async function pullByRanges(
    roundOf: string,
    limit: PageLimit,
    between: () => Promise<void> = async () => {},
  ): Promise<{ rows: ConsolidatedFujian1Row[]; ranges: number }> {
    const ctx = { store: stack.store, now: clock.now, log: () => {} };
    const wire = async (cursor: string | undefined) =>
      pageValue(await consolidatedPage(ctx, await huangnan2019(), 'fujian1', roundOf, cursor, limit));
    const first = await wire(undefined);
    expect(first.ranges?.length, 'the first page plans ranges').toBeGreaterThan(1);
    await between();
    // Read last range first: a range needs nothing of the others.
    const chains = new Map<string, ConsolidatedWirePage[]>();
    for (const range of [...first.ranges!].reverse()) {
      const chain = [await wire(range)];
      while (chain.at(-1)!.next) chain.push(await wire(chain.at(-1)!.next!));
      chains.set(range, chain);
    }
    const rows: ConsolidatedFujian1Row[] = [];
    for (const page of [first, ...first.ranges!.flatMap((r) => chains.get(r)!)])
      rows.push(...(consolidatedFromWire(page, rows.length).rows as ConsolidatedFujian1Row[]));
    return { rows, ranges: first.ranges!.length };
  }

  it('the first page plans the rest in ranges: read in any order and joined in plan order, the same table', async () => {
    const ctx = { store: stack.store, now: clock.now, log: () => {} };
    const whole = await consolidated(ctx, await huangnan2019(), 'fujian1', round, undefined, Infinity);
    for (const limit of [700, 3000, { compressed: 2000 }]) {
      const { rows } = await pullByRanges(round, limit);
      expect(rows).toEqual(whole.rows);
    }
  });

  it('a cursor that pins another unit’s submission is refused, and nothing of that submission is sent', async () => {
    clock.set('2019-12-10T10:00:00+08:00');
    const a = await newCounty('游标甲县');
    const b = await newCounty('游标乙县');
    const secret = '乙县不该出现在甲县名下的内容';
    const sent = async (county: typeof a, rows: unknown[]) =>
      (await post(county.token, { form: 'fujian1', round: '2019-12-14', rows, asOf: '2019-12-09' })).body.id as string;
    await sent(a, fujian1Rows(3, { unitName: '游标甲县' }));
    const ofB = await sent(b, fujian1Rows(3, { unitName: '游标乙县', progress: secret }));
    // As the start of a page inside 甲县, and as the end of a range inside 甲县.
    for (const place of [
      { u: 0, r: 1, s: 1, unit: a.id, id: ofB },
      { u: 0, r: 0, s: 0, unit: a.id, e: { u: 0, r: 2, unit: a.id, id: ofB } },
    ]) {
      const res = await call(
        stack.apiUrl,
        'GET',
        `/v1/consolidated/fujian1?round=2019-12-14&cursor=${encodeCursor(place)}`,
        {
          token: stack.tokens.huangnan,
        },
      );
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('bad_cursor');
      expect(JSON.stringify(res.body)).not.toContain(secret);
    }
  });

  it('a unit that reports between the plan and the reading of its range: no row lost or twice, 序号 where rows land', async () => {
    const later = '2019-12-14';
    clock.set('2019-12-10T10:00:00+08:00');
    const a = await newCounty('改报县');
    const sheet = (n: number, progress: string) =>
      post(a.token, {
        form: 'fujian1',
        round: later,
        rows: fujian1Rows(n, { unitName: '改报县', progress }),
        asOf: '2019-12-09',
      });
    expect((await sheet(6, '第一版')).status).toBe(201);
    const b = await newCounty('后报县');
    const { rows } = await pullByRanges(later, 700, async () => {
      expect((await sheet(9, '第二版')).status).toBe(201);
      const res = await post(b.token, {
        form: 'fujian1',
        round: later,
        rows: fujian1Rows(2, { unitName: '后报县' }),
        asOf: '2019-12-09',
      });
      expect(res.status).toBe(201);
    });
    const ofA = rows.filter((r) => r.unit === a.id);
    // One version of 改报县, whole (its range read the one current then), and 后报县 once.
    expect(new Set(ofA.map((r) => r.progress)).size).toBe(1);
    expect(ofA.map((r) => r.originalSeq)).toEqual(ofA.map((_, i) => i + 1));
    expect([6, 9]).toContain(ofA.length);
    expect(rows.filter((r) => r.unit === b.id)).toHaveLength(2);
    expect(rows.map((r) => r.seq)).toEqual(rows.map((_, i) => i + 1));
  });

  it('consolidated 附件2: one row per unit, totals equal the column sums', async () => {
    const res = await call<ConsolidatedResponse<'fujian2'>>(
      stack.apiUrl,
      'GET',
      `/v1/consolidated/fujian2?round=${round}`,
      { token: stack.tokens.huangnan },
    );
    expect(res.status).toBe(200);
    const byUnit = Object.fromEntries(res.body.rows.map((r) => [r.unitId, r]));
    expect(byUnit.tongren).toMatchObject({ unit: '同仁县', verified: 7, status: 'ontime' });
    expect(byUnit.zeku).toMatchObject({ verified: 4, status: 'carried' });
    expect(byUnit.henan).toBeUndefined();
    for (const k of ['verified', 'unfounded', 'assigned', 'closed', 'phaseClosed', 'fineWan', 'interviewed'] as const) {
      const sum = res.body.rows.reduce((s, r) => s + Number(r[k]), 0);
      expect(res.body.totals[k]).toBeCloseTo(sum, 6);
    }
  });

  it('status board: per unit and form, with who and when', async () => {
    const res = await call<StatusResponse>(stack.apiUrl, 'GET', `/v1/status?round=${round}`, {
      token: stack.tokens.huangnan,
    });
    expect(res.status).toBe(200);
    expect(res.body.deadline).toBe('2019-12-04T16:00:00.000Z');
    const byUnit = Object.fromEntries(res.body.units.map((u) => [u.unit, u.forms]));
    expect(byUnit.tongren.fujian1).toMatchObject({ status: 'ontime', contactName: '卓玛', version: 1, rowCount: 5 });
    expect(byUnit.jianzha.fujian2.status).toBe('missing');
    expect(byUnit.zeku.fujian1).toMatchObject({ status: 'carried', round: '2019-11-24' });
    expect(byUnit.henan.fujian1).toMatchObject({ status: 'missing', submittedAt: null });
  });

  it('数据截至 and the contact’s phone reach the board and the consolidated table, also from pointers written before they kept them', async () => {
    clock.set('2019-12-03T10:00:00+08:00');
    const c = await newCounty('截至县');
    const sent = await post(c.token, { form: 'fujian1', round, rows: fujian1Rows(2), asOf: '2019-12-01' });
    expect(sent.status).toBe(201);
    const facts = async () => {
      const board = await call<StatusResponse>(stack.apiUrl, 'GET', `/v1/status?round=${round}`, {
        token: stack.tokens.huangnan,
      });
      const table = await call<ConsolidatedResponse>(stack.apiUrl, 'GET', `/v1/consolidated/fujian1?round=${round}`, {
        token: stack.tokens.huangnan,
      });
      return [
        board.body.units.find((u) => u.unit === c.id)!.forms.fujian1,
        table.body.units.find((u) => u.unit === c.id)!,
      ].map((s) => ({ asOf: s.asOf, contactPhone: s.contactPhone }));
    };
    const expected = { asOf: '2019-12-01', contactPhone: contact.phone };
    expect(await facts()).toEqual([expected, expected]);
    // The unit's round pointer and its top copy, as written before they carried these two.
    const client = createDynamoClient({ endpoint: stack.dynamodbEndpoint });
    for (const sk of [`CUR#huangnan-2019#fujian1#${round}`, 'FORM#huangnan-2019#fujian1'])
      await client.send(
        new UpdateItemCommand({
          TableName: DEFAULT_TABLE_NAME,
          Key: { pk: { S: `UNIT#${c.id}` }, sk: { S: sk } },
          UpdateExpression: 'REMOVE asOf, contactPhone',
        }),
      );
    client.destroy();
    expect(await facts()).toEqual([expected, expected]);
  });

  it('statistics: counts by 是否办结, 办结率, changes since last round', async () => {
    const res = await call<StatsResponse>(stack.apiUrl, 'GET', `/v1/stats?round=${round}`, {
      token: stack.tokens.huangnan,
    });
    expect(res.status).toBe(200);
    expect(res.body.previousRound).toBe('2019-11-24');
    const jianzha = res.body.units.find((u) => u.unit === 'jianzha')!;
    expect(jianzha).toMatchObject({ rows: 4, byClosure: { 已办结: 4, 阶段办结: 0, 正在办理: 0 }, closedRate: 1 });
    const tongren = res.body.units.find((u) => u.unit === 'tongren')!;
    expect(tongren.byClosure).toEqual({ 已办结: 1, 阶段办结: 2, 正在办理: 2 });
    expect(tongren.closedRate).toBeCloseTo(0.2);
    const zeku = res.body.units.find((u) => u.unit === 'zeku')!;
    expect(zeku.changesSinceLastRound).toEqual({ added: 0, changed: 0, newlyClosed: 0, removed: 0 });
    expect(res.body.totals.rows).toBe(res.body.units.reduce((s, u) => s + u.rows, 0));
  });

  it('a unit that reports between two page requests neither shifts the next page nor mixes two versions of one unit', async () => {
    const ctx = { store: stack.store, now: clock.now, log: () => {} };
    const later = '2019-12-14';
    clock.set('2019-12-10T10:00:00+08:00');
    const a = await newCounty('分页县');
    expect(
      (
        await post(a.token, {
          form: 'fujian1',
          round: later,
          rows: fujian1Rows(6, { unitName: '分页县' }),
          asOf: '2019-12-09',
        })
      ).status,
    ).toBe(201);
    // Page until a page ends inside 分页县's rows.
    const splitInsideA = () => {
      const n = rows.filter((r) => r.unit === a.id).length;
      return n > 0 && n < 6;
    };
    const rows: ConsolidatedFujian1Row[] = [];
    let page = await consolidated(ctx, await huangnan2019(), 'fujian1', later, undefined, 700);
    rows.push(...(page.rows as ConsolidatedFujian1Row[]));
    while (page.next && !splitInsideA()) {
      page = await consolidated(ctx, await huangnan2019(), 'fujian1', later, page.next, 700);
      rows.push(...(page.rows as ConsolidatedFujian1Row[]));
    }
    expect(page.next, 'a page ends inside 分页县').not.toBeNull();
    // Meanwhile 分页县 replaces its sheet and another county reports for the first time.
    expect(
      (
        await post(a.token, {
          form: 'fujian1',
          round: later,
          rows: fujian1Rows(6, { unitName: '分页县', progress: '第二版' }),
          asOf: '2019-12-09',
        })
      ).status,
    ).toBe(201);
    const b = await newCounty('插队县');
    expect(
      (
        await post(b.token, {
          form: 'fujian1',
          round: later,
          rows: fujian1Rows(2, { unitName: '插队县' }),
          asOf: '2019-12-09',
        })
      ).status,
    ).toBe(201);
    while (page.next) {
      page = await consolidated(ctx, await huangnan2019(), 'fujian1', later, page.next, 700);
      rows.push(...(page.rows as ConsolidatedFujian1Row[]));
    }
    const ofA = rows.filter((r) => r.unit === a.id);
    expect(ofA.map((r) => r.originalSeq)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(ofA.map((r) => r.progress)).toEqual(Array(6).fill(''));
    expect(rows.map((r) => r.seq)).toEqual(rows.map((_, i) => i + 1));
  });
});

describe('big sheets', () => {
  it('a 10,000-row 附件1 (~9 MB JSON) submits gzip-compressed as the add-in sends it (application/octet-stream: base64 in the event, as on AWS) and comes back in pages under 5 MB', async () => {
    const c = await newCounty('大县');
    const rows = fujian1Rows(10_000, { unitName: '大县' });
    const json = JSON.stringify(rows);
    expect(json.length).toBeGreaterThan(3_000_000);
    // Under Lambda's 6 MB once base64-encoded (the local gateway counts it so and would answer 413).
    expect((gzipSync(json).length * 4) / 3).toBeLessThan(LAMBDA_PAYLOAD_BYTES);
    const res = await post(c.token, { form: 'fujian1', round: '2019-11-04', rows }, key(), { gzip: true });
    expect(res.status).toBe(201);
    expect(res.body.rowCount).toBe(10_000);
    for (const acceptGzip of [false, true]) {
      const back = await allPages<SubmissionResponse>(stack.apiUrl, `/v1/submissions/${res.body.id}`, {
        token: c.token,
        acceptGzip,
      });
      expect(back.rows).toHaveLength(10_000);
      expect(back.rows).toEqual(rows);
      expect(back.largestBytes).toBeLessThan(5 * 1024 * 1024);
      // Plain JSON comes in 4 MB pages; gzip lets the whole sheet come back in one response.
      expect(back.pages).toBe(acceptGzip ? 1 : 3);
    }
  });
});

describe('rows stored from the text they were sent in', () => {
  const envelope = (rowsText: string): string =>
    `{"form":"fujian1","round":"2019-11-04","asOf":"2019-11-03","contact":${JSON.stringify(contact)},"rows":[${rowsText}]}`;
  const sendText = (token: string, text: string) =>
    call<Receipt>(stack.apiUrl, 'POST', '/v1/submissions', { token, rawBody: text, idempotencyKey: key() });
  const readBack = async (token: string, id: string) =>
    (await allPages<SubmissionResponse>(stack.apiUrl, `/v1/submissions/${id}`, { token, acceptGzip: true })).rows;

  it('come back as checked, whether each row was compact, escaped, reordered, padded or had extra keys', async () => {
    // Rows that checking leaves as they are, some written with escapes and other spellings: kept as sent.
    const a = await newCounty('文本县');
    const rows = fujian1Rows(6, { unitName: '文本县' });
    const texts = rows.map((r) => JSON.stringify(r));
    texts[1] = texts[1].replace(/县/g, '\\u53bf').replace(/"seq":2/, '"seq":2.0');
    texts[5] = texts[5].replace(/办/g, '\\u529e');
    const sent = await sendText(a.token, envelope(texts.join(',')));
    expect(sent.status).toBe(201);
    expect(await readBack(a.token, sent.body.id)).toEqual(rows);
    // The same rows over several lines: the same values, so nothing new to store.
    const pretty = await sendText(a.token, envelope(rows.map((r) => JSON.stringify(r, null, 2)).join(',\n')));
    expect(pretty.status).toBe(200);
    expect(pretty.body.unchanged).toBe(true);

    // Rows that checking changes: keys in another order, a key the form does not have, a value it trims.
    const b = await newCounty('整理县');
    const others = fujian1Rows(4, { unitName: '整理县' });
    const changed = [
      JSON.stringify(others[0]),
      JSON.stringify(Object.fromEntries(Object.entries(others[1]).reverse())),
      JSON.stringify({ ...others[2], remark: '多余的列' }),
      JSON.stringify({ ...others[3], address: `  ${others[3].address}\t` }),
    ];
    const fixed = await sendText(b.token, envelope(changed.join(',')));
    expect(fixed.status).toBe(201);
    expect(await readBack(b.token, fixed.body.id)).toEqual(others);
  });
});

describe('compressed bodies in both forms', () => {
  const body = (): string =>
    JSON.stringify({ form: 'fujian1', round: '2019-11-04', asOf: '2019-11-03', contact, rows: fujian1Rows(3) });

  it("today's form (application/json + gzip) is accepted wherever it arrives intact, i.e. base64-encoded", async () => {
    const c = await newCounty();
    const { createHandler } = await import('./handlers/submissions');
    const handler = createHandler(() => ({ store: stack.store, now: clock.now, log: () => {} }));
    const event = {
      version: '2.0',
      routeKey: 'POST /v1/submissions',
      rawPath: '/v1/submissions',
      rawQueryString: '',
      headers: {
        authorization: `Bearer ${c.token}`,
        'idempotency-key': key(),
        'content-type': 'application/json',
        'content-encoding': 'gzip',
      },
      body: gzipSync(body()).toString('base64'),
      isBase64Encoded: true,
      requestContext: { requestId: key() },
    };
    const res = (await handler(event as never)) as { statusCode: number; body: string };
    expect(res.statusCode).toBe(201);
    expect(JSON.parse(res.body).rowCount).toBe(3);
  });

  it("through the gateway today's form arrives as broken text (as on AWS): a Chinese 400, nothing stored; the add-in's form passes", async () => {
    const c = await newCounty();
    const old = await call(stack.apiUrl, 'POST', '/v1/submissions', {
      token: c.token,
      rawBody: gzipSync(body()),
      idempotencyKey: key(),
      headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
    });
    expect(old.status).toBe(400);
    expect(old.body.error.message).toMatch(/压缩/);
    expect((await call(stack.apiUrl, 'GET', '/v1/submissions', { token: c.token })).body.submissions).toEqual([]);
    const now = await call(stack.apiUrl, 'POST', '/v1/submissions', {
      token: c.token,
      rawBody: body(),
      gzip: true,
      idempotencyKey: key(),
    });
    expect(now.status).toBe(201);
  });
});

describe('a corrupt stored item', () => {
  it('is a 500 with the usual Chinese message and a log line naming the item and the attribute, never an empty value', async () => {
    const c = await newCounty();
    const sent = await post(c.token, { form: 'fujian1', round: '2019-11-04', rows: fujian1Rows(2) });
    expect(sent.status).toBe(201);
    const id = sent.body.id;
    // The header loses an attribute (a bad manual edit, a migration gone wrong); it used to read back as 0 rows.
    const client = createDynamoClient({ endpoint: stack.dynamodbEndpoint });
    await client.send(
      new UpdateItemCommand({
        TableName: DEFAULT_TABLE_NAME,
        Key: { pk: { S: `SUB#${id}` }, sk: { S: 'HEAD' } },
        UpdateExpression: 'REMOVE rowCount',
      }),
    );
    client.destroy();
    const logs: Record<string, unknown>[] = [];
    const { createHandler } = await import('./handlers/submissions');
    const handler = createHandler(() => ({ store: stack.store, now: clock.now, log: (entry) => logs.push(entry) }));
    const res = (await handler({
      version: '2.0',
      routeKey: 'GET /v1/submissions/{id}',
      rawPath: `/v1/submissions/${id}`,
      rawQueryString: '',
      headers: { authorization: `Bearer ${c.token}` },
      pathParameters: { id },
      isBase64Encoded: false,
      requestContext: { requestId: key() },
    } as never)) as { statusCode: number; body: string };
    expect(res.statusCode).toBe(500);
    const error = JSON.parse(res.body).error;
    expect(error.code).toBe('internal');
    expect(error.message).toMatch(/服务器内部错误/);
    expect(logs).toContainEqual(
      expect.objectContaining({
        level: 'error',
        error: 'CorruptItem',
        detail: expect.stringMatching(new RegExp(`SUB#${id} / HEAD.*rowCount: expected number`)),
      }),
    );
  });
});

describe('a submission in parts', () => {
  const envelope = (parts: unknown) => ({ form: 'fujian1', round: '2019-11-04', rows: [], parts });
  const upload = (token: string, key: string, part: number, rows: unknown) =>
    call(stack.apiUrl, 'POST', `/v1/submissions/parts/${part}`, { token, body: rows, gzip: true, idempotencyKey: key });

  it('parts then one commit: all rows, once; the commit replayed gives the same receipt', async () => {
    const c = await newCounty();
    const rows = fujian1Rows(30);
    const k = key();
    const a = await upload(c.token, k, 0, rows.slice(0, 12));
    const b = await upload(c.token, k, 1, rows.slice(12));
    expect(a.status).toBe(201);
    expect(b.body).toMatchObject({ part: 1, rows: 18 });
    const refs = [a.body, b.body].map((p) => ({ sha256: p.sha256, rows: p.rows }));
    const first = await post(c.token, envelope(refs), k);
    expect(first.status).toBe(201);
    expect(first.body.rowCount).toBe(30);
    const again = await post(c.token, envelope(refs), k);
    expect(again.body.id).toBe(first.body.id);
    const back = await call<SubmissionResponse>(stack.apiUrl, 'GET', `/v1/submissions/${first.body.id}`, {
      token: c.token,
    });
    expect(back.body.rows).toEqual(rows);
    expect((await call(stack.apiUrl, 'GET', '/v1/submissions', { token: c.token })).body.submissions).toHaveLength(1);
  });

  it('a part missing, replaced by other rows, or under another key: a Chinese 409 and nothing stored', async () => {
    const c = await newCounty();
    const rows = fujian1Rows(10);
    const k = key();
    const a = await upload(c.token, k, 0, rows.slice(0, 5));
    const ref = { sha256: a.body.sha256, rows: 5 };
    const missing = await post(c.token, envelope([ref, { sha256: 'a'.repeat(64), rows: 5 }]), k);
    expect(missing.status).toBe(409);
    expect((missing.body as any).error.code).toBe('parts_incomplete');
    expect((missing.body as any).error.message).toContain('第 2 段(共 2 段)');
    // The same part under another click's key is not this click's.
    const other = await post(c.token, envelope([ref]), key());
    expect(other.status).toBe(409);
    // A part replaced by other rows no longer matches the hash the commit names.
    await upload(c.token, k, 0, rows.slice(5));
    expect((await post(c.token, envelope([ref]), k)).status).toBe(409);
    expect((await call(stack.apiUrl, 'GET', '/v1/submissions', { token: c.token })).body.submissions).toEqual([]);
  });

  it('parts are checked like any body: a bad part number or a non-array is a Chinese 400; rows and parts together too', async () => {
    const c = await newCounty();
    expect((await upload(c.token, key(), 999, [])).status).toBe(400);
    const notArray = await upload(c.token, key(), 0, { rows: [] });
    expect(notArray.status).toBe(400);
    expect(notArray.body.error.message).toContain('JSON 数组');
    const both = await post(c.token, {
      form: 'fujian1',
      round: '2019-11-04',
      rows: fujian1Rows(1),
      parts: [{ sha256: 'a'.repeat(64), rows: 1 }],
    });
    expect(both.status).toBe(400);
  });
});

describe('admin commands (npm run admin)', () => {
  const admin = async (...argv: string[]): Promise<string[]> => {
    const lines: string[] = [];
    await run(argv, stack.store, (line) => lines.push(line));
    return lines;
  };

  it('adds a unit, issues a token that works at once, lists it without the secret, revokes it', async () => {
    const id = `u${randomBytes(3).toString('hex')}`;
    expect((await admin('unit', 'add', id, '麦秀镇'))[0]).toContain('麦秀镇');
    expect((await admin('unit', 'list')).some((l) => l.startsWith(`${id}\t麦秀镇\tcounty`))).toBe(true);
    const created = await admin('token', 'create', '--unit', id, '--role', 'county');
    const token = created.at(-1)!;
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect((await call(stack.apiUrl, 'GET', '/v1/me', { token })).body.unit).toEqual({
      id,
      name: '麦秀镇',
      role: 'county',
      // Not on the campaign's unit list: no other names, its id as receipt letters.
      aliases: [],
      code: id.toUpperCase(),
    });
    const listed = (await admin('token', 'list')).filter((l) => l.includes(`\t${id}\t`));
    expect(listed).toHaveLength(1);
    expect(listed[0]).not.toContain(token);
    const tokenId = listed[0].split('\t')[0];
    await admin('token', 'revoke', tokenId);
    expect((await call(stack.apiUrl, 'GET', '/v1/me', { token })).status).toBe(401);
    expect((await admin('token', 'list')).find((l) => l.startsWith(tokenId))).toContain('已吊销');
  });

  it('refuses unknown units, duplicate units and bad roles in Chinese', async () => {
    await expect(admin('token', 'create', '--unit', 'nowhere')).rejects.toThrow(/单位“nowhere”不存在/);
    await expect(admin('unit', 'add', 'tongren', '同仁县')).rejects.toThrow(/已存在/);
    await expect(admin('token', 'create', '--unit', 'tongren', '--role', 'boss')).rejects.toThrow(
      /county、prefecture 或 admin/,
    );
    await expect(admin('token', 'revoke', 'tok_none')).rejects.toThrow(/没有编号/);
  });

  it('refuses a prefecture or admin role for a county unit, and issues nothing', async () => {
    const before = (await admin('token', 'list')).length;
    for (const role of ['prefecture', 'admin'])
      await expect(admin('token', 'create', '--unit', 'tongren', '--role', role)).rejects.toThrow(
        /县级单位,只能签发 county 令牌/,
      );
    expect(await admin('token', 'list')).toHaveLength(before);
    const prefecture = await admin('token', 'create', '--unit', 'huangnan', '--role', 'admin');
    expect((await call(stack.apiUrl, 'GET', '/v1/me', { token: prefecture.at(-1) })).body.role).toBe('admin');
  });
});
