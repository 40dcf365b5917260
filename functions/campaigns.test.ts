// Campaigns as published data (DESIGN §9), through the HTTP API and the admin command on DynamoDB Local:
// publishing whole or not at all, immutable form versions, a unit in two campaigns, old clients without `campaign`.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HUANGNAN_2019_DOCUMENT, type CampaignDocument } from '../forms/campaign';
import type {
  CampaignResponse,
  CampaignsResponse,
  MeResponse,
  PublishResponse,
  Receipt,
  StatusResponse,
} from '../contract/api';
import { run } from '../infra/admin/commands';
import { startLocalStack, type LocalStack } from '../infra/local/stack';
import { call } from '../test/support/api';
import { fujian1Rows } from '../test/support/rows';
import { issueToken } from './auth';

let stack: LocalStack;
/** The handlers' clock: spring 2020, inside the campaign published below, long after 2019 ended. */
const clock = new Date('2020-03-10T10:00:00+08:00');

beforeAll(async () => {
  stack = await startLocalStack({ inMemory: true, port: 0, quiet: true, now: () => clock });
});
afterAll(async () => {
  await stack?.stop();
});

const contact = { name: '卓玛', phone: '0973-8722111' };
const key = (): string => randomBytes(8).toString('hex');

/** A spring 2020 campaign: 黄南州, 同仁县 and a county the store does not know yet; the 2019 forms. */
function springDocument(id: string, changes: Partial<CampaignDocument> = {}): CampaignDocument {
  const { milestones: _m, reference: _r, ...base } = structuredClone(HUANGNAN_2019_DOCUMENT);
  return {
    ...base,
    id,
    name: '2020年春季生态环境问题整改进展报送',
    window: { start: '2020-03-01', end: '2020-05-31' },
    due: { dates: ['2020-03-15', '2020-04-15', '2020-05-15'] },
    units: [
      HUANGNAN_2019_DOCUMENT.units[0],
      HUANGNAN_2019_DOCUMENT.units[1],
      { id: `${id}-maixiu`, name: `麦秀镇${id.slice(-4)}`, role: 'county' },
    ],
    ...changes,
  };
}

const publish = (body: unknown, token = stack.tokens.admin) =>
  call<PublishResponse & { error: any }>(stack.apiUrl, 'POST', '/v1/campaigns', { token, body });

describe('POST /v1/campaigns', () => {
  it('publishes a campaign (admin only): forms at version 1, unknown units created, shown at once', async () => {
    const id = `spring-${randomBytes(2).toString('hex')}`;
    expect((await publish(springDocument(id), stack.tokens.huangnan)).status).toBe(403);
    const published = await publish(springDocument(id));
    expect(published.status).toBe(201);
    expect(published.body.campaign).toMatchObject({ id, revision: 1, nextDue: '2020-03-15', active: true });
    expect(published.body.published.map((v) => [v.form, v.version, v.validFrom])).toEqual([
      ['fujian1', 1, null],
      ['fujian2', 1, null],
    ]);
    expect(published.body.createdUnits).toEqual([`${id}-maixiu`]);

    const one = await call<CampaignResponse>(stack.apiUrl, 'GET', `/v1/campaigns/${id}`, {
      token: stack.tokens.tongren,
    });
    expect(one.status).toBe(200);
    expect(one.body.document.forms.map((f) => f.tag)).toEqual(['附件1', '附件2']);
    expect(one.body.document.forms[0].columns.map((c) => c.label)).toContain('是否办结');
    // 尖扎县 is not in this campaign's list of units.
    const stranger = await call(stack.apiUrl, 'GET', `/v1/campaigns/${id}`, { token: stack.tokens.jianzha });
    expect(stranger.status).toBe(403);
    expect(stranger.body.error.message).toContain('不在专项行动');
  });

  it('refuses a document with mistakes whole, naming every mistake by its path in Chinese; nothing is stored', async () => {
    const id = `broken-${randomBytes(2).toString('hex')}`;
    const doc = springDocument(id) as unknown as Record<string, any>;
    doc.window = { start: '2020-03-01', end: '2020-02-30' };
    doc.forms[1].rules[0].total = 'nosuchcolumn';
    doc.forms[0].columns[7].type = 'dropdown';
    const refused = await publish(doc);
    expect(refused.status).toBe(422);
    const paths = refused.body.error.issues.map((i: { key: string }) => i.key);
    expect(paths).toEqual(
      expect.arrayContaining(['window.end', 'forms[1].rules[0].total', 'forms[0].columns[7].type']),
    );
    expect(refused.body.error.message).toMatch(/未发布任何内容/);
    for (const issue of refused.body.error.issues) expect(issue.message).toMatch(/[\u4e00-\u9fff]/);
    expect((await call(stack.apiUrl, 'GET', `/v1/campaigns/${id}`, { token: stack.tokens.admin })).status).toBe(404);
    expect(await stack.store.getUnit(`${id}-maixiu`)).toBeNull();
  });

  it('a changed form gets a new immutable version from the round after the open one; submissions record theirs', async () => {
    const id = `versions-${randomBytes(2).toString('hex')}`;
    const county = `${id}-maixiu`;
    expect((await publish(springDocument(id))).status).toBe(201);
    const token = (await issueToken(stack.store, county, 'county')).token;
    const before = await call<Receipt>(stack.apiUrl, 'POST', '/v1/submissions', {
      token,
      idempotencyKey: key(),
      body: { campaign: id, form: 'fujian1', round: '2020-03-15', asOf: '2020-03-09', contact, rows: fujian1Rows(2) },
    });
    expect(before.status).toBe(201);
    expect(before.body).toMatchObject({ campaign: id, form: 'fujian1', formVersion: 1 });

    const v1 = (await stack.store.listFormVersions(id)).find((v) => v.form === 'fujian1')!;
    const changed = springDocument(id);
    changed.forms = changed.forms.map((f) => (f.id === 'fujian1' ? { ...f, title: `${f.title}(修订)` } : f));
    const republished = await publish(changed);
    expect(republished.status).toBe(201);
    // Today (03-10) the 03-15 round is open: the change applies from 04-15.
    expect(republished.body.published).toEqual([
      expect.objectContaining({ form: 'fujian1', version: 2, validFrom: '2020-04-15' }),
    ]);
    expect(republished.body.unchanged).toEqual(['fujian2']);
    expect(republished.body.campaign.revision).toBe(2);
    // Version 1 is untouched.
    expect((await stack.store.listFormVersions(id)).find((v) => v.form === 'fujian1' && v.version === 1)).toEqual(v1);

    const forRound = async (round: string) =>
      (await call<CampaignResponse>(stack.apiUrl, 'GET', `/v1/campaigns/${id}?round=${round}`, { token })).body;
    expect((await forRound('2020-03-15')).document.forms[0].title).not.toContain('修订');
    expect((await forRound('2020-03-15')).formVersions).toEqual([1, 1]);
    expect((await forRound('2020-04-15')).document.forms[0].title).toContain('修订');
    expect((await forRound('2020-04-15')).formVersions).toEqual([2, 1]);

    const after = await call<Receipt>(stack.apiUrl, 'POST', '/v1/submissions', {
      token,
      idempotencyKey: key(),
      body: {
        campaign: id,
        form: 'fujian1',
        round: '2020-04-15',
        asOf: '2020-03-09',
        contact,
        rows: fujian1Rows(2, { progress: '已完成整改' }),
      },
    });
    expect(after.status).toBe(201);
    expect(after.body.formVersion).toBe(2);
    const again = await call<Receipt>(stack.apiUrl, 'POST', '/v1/submissions', {
      token,
      idempotencyKey: key(),
      // Another 数据截至 than the round's first: the same rows and date again would be 200 unchanged, no version.
      body: { campaign: id, form: 'fujian1', round: '2020-03-15', asOf: '2020-03-08', contact, rows: fujian1Rows(2) },
    });
    expect(again.status).toBe(201);
    expect(again.body.formVersion).toBe(1);
    const history = await call(stack.apiUrl, 'GET', `/v1/submissions?campaign=${id}`, { token });
    expect(history.body.submissions.map((s: Receipt) => `${s.round} v${s.formVersion}`).sort()).toEqual([
      '2020-03-15 v1',
      '2020-03-15 v1',
      '2020-04-15 v2',
    ]);
  });

  it('two publications at once: both go through, one after the other, and the revision names every form version', async () => {
    const id = `race-${randomBytes(2).toString('hex')}`;
    expect((await publish(springDocument(id))).status).toBe(201);
    const a = springDocument(id, { name: '甲' });
    const b = springDocument(id, { name: '乙' });
    const [ra, rb] = await Promise.all([publish(a), publish(b)]);
    expect([ra.status, rb.status]).toEqual([201, 201]);
    expect([ra.body.campaign.revision, rb.body.campaign.revision].sort()).toEqual([2, 3]);
    const stored = (await stack.store.getCampaign(id))!;
    expect(stored.revision).toBe(3);
    const versions = await stack.store.listFormVersions(id);
    for (const f of stored.forms) expect(versions.some((v) => v.form === f.id && v.version === f.version)).toBe(true);
  });
});

describe('a unit in two campaigns', () => {
  it('/v1/me lists both with their next due round; without `campaign` the active one is meant, old rounds still find 2019', async () => {
    const id = `both-${randomBytes(2).toString('hex')}`;
    expect((await publish(springDocument(id))).status).toBe(201);
    const me = await call<MeResponse>(stack.apiUrl, 'GET', '/v1/me', { token: stack.tokens.tongren });
    const ids = me.body.campaigns.map((c) => c.id);
    expect(ids).toEqual(expect.arrayContaining(['huangnan-2019', id]));
    expect(me.body.campaigns.find((c) => c.id === 'huangnan-2019')!.nextDue).toBeNull();
    // The fields old clients read: the active campaign.
    expect(me.body.campaign.rounds).toContain('2020-03-15');
    expect(me.body.nextDue).toBe('2020-03-15');

    const list = await call<CampaignsResponse>(stack.apiUrl, 'GET', '/v1/campaigns', { token: stack.tokens.jianzha });
    expect(list.body.campaigns.map((c) => c.id)).not.toContain(id);

    // 同仁县 reports to both: the rounds keep apart, each campaign's board sees its own.
    const unit = await newCountyIn(id);
    const spring = await call<Receipt>(stack.apiUrl, 'POST', '/v1/submissions', {
      token: unit.token,
      idempotencyKey: key(),
      body: { form: 'fujian1', round: '2020-03-15', asOf: '2020-03-09', contact, rows: fujian1Rows(3) },
    });
    expect(spring.status).toBe(201);
    expect(spring.body.campaign).toBe(id);
    expect(spring.body.late).toBe(false);

    const board = async (campaign?: string) =>
      (
        await call<StatusResponse>(
          stack.apiUrl,
          'GET',
          `/v1/status${campaign ? `?campaign=${campaign}` : '?round=2020-03-15'}`,
          { token: stack.tokens.huangnan },
        )
      ).body;
    const springBoard = await board(id);
    expect(springBoard.campaign).toBe(id);
    expect(springBoard.units.map((u) => u.unit)).toEqual(['tongren', `${id}-maixiu`]);
    expect(springBoard.units[1].forms.fujian1.status).toBe('ontime');
    const old = await call<StatusResponse>(stack.apiUrl, 'GET', '/v1/status?campaign=huangnan-2019&round=2019-12-24', {
      token: stack.tokens.huangnan,
    });
    expect(old.body.units.every((u) => u.forms.fujian1.status === 'missing')).toBe(true);

    // An unknown campaign, and one the unit is not in, are refused in Chinese.
    const unknown = await call(stack.apiUrl, 'GET', '/v1/status?campaign=nosuch', { token: stack.tokens.huangnan });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.message).toContain('不存在');
    const foreign = await call(stack.apiUrl, 'POST', '/v1/submissions', {
      token: stack.tokens.jianzha,
      idempotencyKey: key(),
      body: { campaign: id, form: 'fujian1', round: '2020-03-15', asOf: '2020-03-09', contact, rows: fujian1Rows(1) },
    });
    expect(foreign.status).toBe(403);
  });
});

/** A token of the county the spring document `id` created. */
async function newCountyIn(id: string): Promise<{ id: string; token: string }> {
  const unit = `${id}-maixiu`;
  return { id: unit, token: (await issueToken(stack.store, unit, 'county')).token };
}

describe('npm run admin -- campaign publish | list', () => {
  const dir = mkdtempSync(join(tmpdir(), 'baosong-campaign-'));
  const admin = async (...argv: string[]): Promise<string[]> => {
    const lines: string[] = [];
    await run(argv, stack.store, (line) => lines.push(line));
    return lines;
  };

  it('publishes a file, lists campaigns with their versions, and refuses a file with mistakes listing each by path', async () => {
    const id = `file-${randomBytes(2).toString('hex')}`;
    const good = join(dir, 'good.json');
    writeFileSync(good, JSON.stringify(springDocument(id), null, 2));
    const lines = await admin('campaign', 'publish', good);
    expect(lines[0]).toContain(`(${id}),第 1 次发布`);
    expect(lines.join('\n')).toContain('附件1(fujian1):第 1 版,用于全部轮次');
    const listed = (await admin('campaign', 'list')).find((l) => l.startsWith(`${id}\t`))!;
    // The command runs on the real clock: spring 2020 is over.
    expect(listed).toContain('3 轮,下一轮 无(已结束)');
    expect(listed).toContain('附件2(fujian2)第 1 版');

    const bad = join(dir, 'bad.json');
    const doc = springDocument(`bad-${id}`) as unknown as Record<string, any>;
    doc.timeZone = 'Mars/Olympus';
    doc.units[1].role = 'governor';
    writeFileSync(bad, JSON.stringify(doc));
    const refused = await admin('campaign', 'publish', bad).catch((e: Error) => e.message);
    expect(refused).toContain('2 处错误,未发布任何内容');
    expect(refused).toMatch(/ {2}timeZone: .*时区/);
    expect(refused).toMatch(/ {2}units\[1\]\.role: 应为 county、prefecture 之一/);
    expect((await admin('campaign', 'list')).some((l) => l.startsWith(`bad-${id}\t`))).toBe(false);

    writeFileSync(join(dir, 'torn.json'), '{"id": "x",');
    await expect(admin('campaign', 'publish', join(dir, 'torn.json'))).rejects.toThrow(/不是有效的 JSON/);
  });
});

describe('a campaign with forms of its own (test/support/campaigns/huifang-2020.json)', () => {
  const doc = JSON.parse(
    readFileSync(new URL('../test/support/campaigns/huifang-2020.json', import.meta.url), 'utf8'),
  ) as CampaignDocument;
  const campaign = doc.id;
  const visits = [
    {
      seq: 1,
      address: '同仁县隆务镇吾屯下庄村',
      visitDate: '2020-03-05',
      method: '实地',
      result: '',
      rectified: '已整改到位',
    },
    {
      seq: 2,
      address: '同仁县保安镇城内村',
      visitDate: '2020-03-06',
      method: '电话',
      result: '满意',
      rectified: '未整改到位',
    },
  ];
  const submitAs = (token: string, form: string, rows: unknown[], round = '2020-03-15') =>
    call<Receipt & { error: any }>(stack.apiUrl, 'POST', '/v1/submissions', {
      token,
      idempotencyKey: key(),
      body: { campaign, form, round, asOf: '2020-03-09', contact, rows },
    });

  it('checks, stores, consolidates and counts its forms; a form it does not have is refused listing its forms', async () => {
    const published = await publish(doc);
    expect(published.status).toBe(201);
    expect(published.body.published.map((v) => `${v.form}@${v.version}`)).toEqual(['huifang@1', 'huifang_total@1']);

    // The 2019 forms are not this campaign's: refused naming the field and listing what it has.
    const foreign = await submitAs(stack.tokens.tongren, 'fujian1', fujian1Rows(1));
    expect(foreign.status).toBe(422);
    expect(foreign.body.error.message).toBe(
      '表格类型“fujian1”无效,专项行动“2020年生态环境问题整改回访情况报送”的表格应为 huifang(附件3)或 huifang_total(附件4)。',
    );
    expect(foreign.body.error.issues).toEqual([expect.objectContaining({ code: 'field.form', key: 'form' })]);

    // Its own rules: a choice outside the list, a blank required cell, A + B = C.
    const wrong = await submitAs(stack.tokens.tongren, 'huifang', [{ ...visits[0], method: '上门', address: '' }]);
    expect(wrong.status).toBe(422);
    expect(wrong.body.error.issues.map((i: any) => [i.code, i.column, i.message])).toEqual([
      ['required', '问题地点', '第1行「问题地点」不能为空,请填写问题所在的乡镇、村'],
      ['method.invalid', '回访方式', '第1行「回访方式」应填写:电话、实地'],
    ]);
    const unbalanced = await submitAs(stack.tokens.tongren, 'huifang_total', [
      { unit: '同仁县', byPhone: 1, onSite: 1, visits: 3, satisfied: 1 },
    ]);
    expect(unbalanced.status).toBe(422);
    expect(unbalanced.body.error.issues[0].code).toBe('huifang_total.visits_sum');

    const ledger = await submitAs(stack.tokens.tongren, 'huifang', visits);
    expect(ledger.status).toBe(201);
    expect(ledger.body).toMatchObject({ campaign, form: 'huifang', formVersion: 1, rowCount: 2 });
    expect((await submitAs(stack.tokens.jianzha, 'huifang', visits.slice(0, 1))).status).toBe(201);
    expect(
      (
        await submitAs(stack.tokens.tongren, 'huifang_total', [
          { unit: '同仁县', byPhone: 1, onSite: 1, visits: 2, satisfied: 1 },
        ])
      ).status,
    ).toBe(201);

    const prefecture = { token: stack.tokens.huangnan };
    const consolidatedLedger = await call(
      stack.apiUrl,
      'GET',
      `/v1/consolidated/huifang?campaign=${campaign}&round=2020-03-15`,
      prefecture,
    );
    expect(consolidatedLedger.status).toBe(200);
    expect(consolidatedLedger.body.rows.map((r: any) => [r.seq, r.unitName, r.address])).toEqual([
      [1, '同仁县', '同仁县隆务镇吾屯下庄村'],
      [2, '同仁县', '同仁县保安镇城内村'],
      [3, '尖扎县', '同仁县隆务镇吾屯下庄村'],
    ]);
    expect(consolidatedLedger.body.totals).toEqual({ rows: 3, 已整改到位: 2, 未整改到位: 1 });
    const summary = await call(
      stack.apiUrl,
      'GET',
      `/v1/consolidated/huifang_total?campaign=${campaign}&round=2020-03-15`,
      prefecture,
    );
    expect(summary.body.totals).toEqual({ byPhone: 1, onSite: 1, visits: 2, satisfied: 1 });
    expect(summary.body.units.map((u: any) => [u.unitName, u.status])).toEqual([
      ['同仁县', 'ontime'],
      ['尖扎县', 'missing'],
    ]);
    const stats = await call(stack.apiUrl, 'GET', `/v1/stats?campaign=${campaign}&round=2020-03-15`, prefecture);
    expect(stats.body.totals).toMatchObject({ rows: 3, byClosure: { 已整改到位: 2, 未整改到位: 1 } });

    const unknown = await call(stack.apiUrl, 'GET', `/v1/consolidated/fujian1?campaign=${campaign}`, prefecture);
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.message).toContain('应为 huifang(附件3)或 huifang_total(附件4)');
    const latest = await call(stack.apiUrl, 'GET', `/v1/units/tongren/forms/huifang/latest?campaign=${campaign}`, {
      token: stack.tokens.tongren,
    });
    expect(latest.body.rows).toEqual(visits);
  });

  it('checks a round against the version of the form that applies to it', async () => {
    const changed = structuredClone(doc);
    changed.forms[0].columns[3].choices = ['电话', '实地', '书面'];
    const republished = await publish(changed);
    expect(republished.body.published).toEqual([
      expect.objectContaining({ form: 'huifang', version: 2, validFrom: '2020-03-31' }),
    ]);
    const written = [{ ...visits[0], method: '书面' }];
    const open = await submitAs(stack.tokens.jianzha, 'huifang', written);
    expect(open.status).toBe(422);
    expect(open.body.error.issues[0].message).toBe('第1行「回访方式」应填写:电话、实地');
    const next = await submitAs(stack.tokens.jianzha, 'huifang', written, '2020-03-31');
    expect(next.status).toBe(201);
    expect(next.body.formVersion).toBe(2);
  });
});
