// Contacts and reminders (联系人/催报, issue 11 part 2) through the HTTP API, on DynamoDB Local: a unit registers and
// edits its own contact, the prefecture sees it on the board and in statistics, and the 催报 list of a round names the
// units missing or late with whom to call, as data and as text.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalStack, type LocalStack } from '../infra/local/stack';
import { call } from '../test/support/api';
import { testClock } from '../test/support/clock';
import { newCounty as makeCounty } from '../test/support/units';
import { fujian1Rows } from '../test/support/rows';
import type { MeResponse, RemindersResponse, StatsResponse, StatusResponse } from '../contract/api';

let stack: LocalStack;
const clock = testClock('2019-11-14T10:00:00+08:00');

beforeAll(async () => {
  stack = await startLocalStack({ inMemory: true, port: 0, quiet: true, now: clock.now });
});
afterAll(async () => {
  await stack?.stop();
});

const round = '2019-11-14';
const q = `campaign=huangnan-2019&round=${round}`;

const newCounty = (name: string) => makeCounty(stack.store, name);

const register = (token: string, unit: string, body: unknown) =>
  call(stack.apiUrl, 'POST', `/v1/units/${unit}/contact`, { token, body });

describe('POST /v1/units/{unit}/contact', () => {
  it('a unit registers its contact, sees it in /v1/me, edits it; the prefecture sees it on the board and in statistics', async () => {
    const county = await newCounty('登记县');
    expect((await call<MeResponse>(stack.apiUrl, 'GET', '/v1/me', { token: county.token })).body.contact).toBeNull();
    const first = await register(county.token, county.id, {
      name: ' 才让 ',
      phone: '0973-8766123转801',
      office: '县生态环境局办公室',
    });
    expect(first.status).toBe(200);
    expect(first.body.contact).toMatchObject({
      name: '才让',
      phone: '0973-8766123转801',
      office: '县生态环境局办公室',
    });
    const edited = await register(county.token, county.id, { name: '卓玛', phone: '13800000000' });
    expect(edited.body.contact).toMatchObject({ name: '卓玛', phone: '13800000000', office: '' });
    const me = await call<MeResponse>(stack.apiUrl, 'GET', '/v1/me', { token: county.token });
    expect(me.body.contact).toMatchObject({ name: '卓玛', phone: '13800000000' });

    const board = await call<StatusResponse>(stack.apiUrl, 'GET', `/v1/status?${q}`, { token: stack.tokens.huangnan });
    expect(board.body.units.find((u) => u.unit === county.id)!.contact).toMatchObject({ name: '卓玛' });
    const stats = await call<StatsResponse>(stack.apiUrl, 'GET', `/v1/stats?${q}`, { token: stack.tokens.huangnan });
    expect(stats.body.units.find((u) => u.unit === county.id)!.contact).toMatchObject({ phone: '13800000000' });
  });

  it("no unit registers another's contact (403), and bad phones and names are refused in Chinese, nothing stored", async () => {
    const county = await newCounty('甲县');
    const other = await newCounty('乙县');
    const res = await register(other.token, county.id, { name: '张三', phone: '13800000000' });
    expect(res.status).toBe(403);
    expect(res.body.error.message).toMatch(/只能登记本单位\(乙县\)的联系人/);
    const byPrefecture = await register(stack.tokens.huangnan, county.id, { name: '张三', phone: '13800000000' });
    expect(byPrefecture.status).toBe(403);
    const cases: [unknown, RegExp][] = [
      [{ name: '张三', phone: '12345' }, /电话/],
      [{ name: '', phone: '13800000000' }, /请填写联系人姓名\(name\)/],
      [{ name: '张'.repeat(51), phone: '13800000000' }, /最多 50 个字,现有 51 个字/],
      [{ name: '张三', phone: '13800000000', office: '办'.repeat(51) }, /科室\/职务最多 50 个字/],
    ];
    for (const [body, message] of cases) {
      const bad = await register(county.token, county.id, body);
      expect(bad.status, JSON.stringify(body)).toBe(422);
      const text = [bad.body.error.message, ...(bad.body.error.issues ?? []).map((i: any) => i.message)].join(' ');
      expect(text, JSON.stringify(body)).toMatch(message);
    }
    expect((await call<MeResponse>(stack.apiUrl, 'GET', '/v1/me', { token: county.token })).body.contact).toBeNull();
  });
});

describe('GET /v1/reminders', () => {
  it('lists the units missing or late with whom to call, and the same as text; counties may not ask (403)', async () => {
    const ontime = await newCounty('按时县');
    const late = await newCounty('逾期县');
    const silent = await newCounty('未报县');
    await register(silent.token, silent.id, { name: '才让', phone: '0973-8766123', office: '县环保局' });
    const submit = (token: string, form: string, rows: unknown[]) =>
      call(stack.apiUrl, 'POST', '/v1/submissions', {
        token,
        body: { form, round, asOf: '2019-11-13', contact: { name: '卓玛', phone: '13800000000' }, rows },
        idempotencyKey: randomBytes(8).toString('hex'),
      });
    clock.set('2019-11-14T10:00:00+08:00');
    expect((await submit(ontime.token, 'fujian1', fujian1Rows(2))).status).toBe(201);
    clock.set('2019-11-15T09:00:00+08:00');
    expect((await submit(late.token, 'fujian1', fujian1Rows(2))).status).toBe(201);

    const res = await call<RemindersResponse>(stack.apiUrl, 'GET', `/v1/reminders?${q}`, {
      token: stack.tokens.huangnan,
    });
    expect(res.status).toBe(200);
    expect(res.body.overdue).toBe(true);
    const byUnit = new Map(res.body.units.map((u) => [u.unit, u]));
    expect(byUnit.get(silent.id)).toEqual({
      unit: silent.id,
      unitName: '未报县',
      missing: ['附件1', '附件2'],
      late: [],
      contactName: '才让',
      contactPhone: '0973-8766123',
      contactOffice: '县环保局',
    });
    // No registered contact: whoever sent its last sheet.
    expect(byUnit.get(late.id)).toMatchObject({
      missing: ['附件2'],
      late: ['附件1'],
      contactName: '卓玛',
      contactPhone: '13800000000',
    });
    expect(byUnit.get(ontime.id)).toMatchObject({ missing: ['附件2'], late: [] });
    expect(res.body.text).toMatch(/^【催报】.*2019年11月14日轮次已过截止日。/);
    expect(res.body.text).toContain('未报县:附件1、附件2逾期未报。联系人:才让(县环保局) 0973-8766123');
    expect(res.body.text).toContain('逾期县:附件2逾期未报;附件1逾期报送。联系人:卓玛 13800000000');
    expect(res.body.text).toMatch(/请尽快报送,并说明逾期原因。$/);

    expect((await call(stack.apiUrl, 'GET', `/v1/reminders?${q}`, { token: silent.token })).status).toBe(403);
  });
});
