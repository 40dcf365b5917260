// Review and return (审核/退回, issue 11 part 1) through the HTTP API, on DynamoDB Local: who may review, a review of a
// replaced version refused with 409, reviews kept as history, and the county's next submission clearing a return.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalStack, type LocalStack } from '../infra/local/stack';
import { call } from '../test/support/api';
import { testClock } from '../test/support/clock';
import { newCounty as makeCounty } from '../test/support/units';
import { fujian1Rows } from '../test/support/rows';
import type {
  MeResponse,
  Receipt,
  ReviewResponse,
  StatusResponse,
  SubmissionResponse,
  SubmissionSummary,
} from '../contract/api';

let stack: LocalStack;
/** The handlers' clock: each test moves it on by a minute per step, so reviews have distinct times. */
const clock = testClock('2019-11-04T10:00:00+08:00');

beforeAll(async () => {
  stack = await startLocalStack({ inMemory: true, port: 0, quiet: true, now: clock.now });
});
afterAll(async () => {
  await stack?.stop();
});

const contact = { name: '卓玛', phone: '0973-8722111' };
const round = '2019-11-04';

const newCounty = (name?: string) => makeCounty(stack.store, name);

async function submit(token: string, rows = fujian1Rows(2), basedOn?: string | null): Promise<Receipt> {
  const res = await call<Receipt>(stack.apiUrl, 'POST', '/v1/submissions', {
    token,
    body: { form: 'fujian1', round, asOf: '2019-11-03', contact, rows, ...(basedOn !== undefined ? { basedOn } : {}) },
    idempotencyKey: randomBytes(8).toString('hex'),
  });
  expect(res.status).toBe(201);
  return res.body;
}

/** A click on 通过/退回: a key of its own unless a retry of an earlier click names that click's key. */
const review = (token: string, id: string, body: unknown, idempotencyKey = randomBytes(8).toString('hex')) =>
  clock.tick() &&
  call<ReviewResponse>(stack.apiUrl, 'POST', `/v1/submissions/${id}/review`, { token, body, idempotencyKey });

const boardEntry = async (unit: string) => {
  const res = await call<StatusResponse>(stack.apiUrl, 'GET', `/v1/status?campaign=huangnan-2019&round=${round}`, {
    token: stack.tokens.huangnan,
  });
  expect(res.status).toBe(200);
  return res.body.units.find((u) => u.unit === unit)!.forms.fujian1;
};

describe('POST /v1/submissions/{id}/review', () => {
  it('only the prefecture reviews: a county gets 403 in Chinese, even for its own submission', async () => {
    const county = await newCounty();
    const sub = await submit(county.token);
    const res = await review(county.token, sub.id, { decision: 'approved', comment: '' });
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ error: { code: 'forbidden', message: expect.stringMatching(/州级单位/) } });
    // Nothing was recorded: the board still shows it waiting.
    expect((await boardEntry(county.id)).review).toBe('pending');
  });

  it('approves and returns with who, when and what kept in the submission history', async () => {
    const county = await newCounty();
    const sub = await submit(county.token);
    expect((await boardEntry(county.id)).review).toBe('pending');

    const ok = await review(stack.tokens.huangnan, sub.id, { decision: 'approved', comment: '' });
    expect(ok.status).toBe(201);
    expect(ok.body.review).toMatchObject({
      submissionId: sub.id,
      decision: 'approved',
      by: 'huangnan',
      byName: '黄南州',
      at: clock.now().toISOString(),
    });
    expect(ok.body.review.tokenId).toMatch(/^tok_/);
    expect((await boardEntry(county.id)).review).toBe('approved');

    const back = await review(stack.tokens.huangnan, sub.id, {
      decision: 'returned',
      comment: '  第3行整改措施过于简单,请写明时限。 ',
    });
    expect(back.status).toBe(201);
    expect(back.body.review.comment).toBe('第3行整改措施过于简单,请写明时限。');
    const entry = await boardEntry(county.id);
    expect(entry).toMatchObject({ review: 'returned', reviewComment: '第3行整改措施过于简单,请写明时限。' });

    // Both reviews are history, on the submission and in the unit's list, for the county as for the prefecture.
    const one = await call<SubmissionResponse>(stack.apiUrl, 'GET', `/v1/submissions/${sub.id}`, {
      token: county.token,
    });
    expect(one.body.reviews?.map((r) => r.decision)).toEqual(['approved', 'returned']);
    const list = await call<{ submissions: SubmissionSummary[] }>(
      stack.apiUrl,
      'GET',
      `/v1/submissions?unit=${county.id}`,
      { token: stack.tokens.huangnan },
    );
    expect(list.body.submissions[0].reviews?.map((r) => [r.decision, r.byName])).toEqual([
      ['approved', '黄南州'],
      ['returned', '黄南州'],
    ]);
  });

  it('the county sees 已退回 with the comment in /v1/me; its next submission clears it and the board waits again', async () => {
    const county = await newCounty();
    const first = await submit(county.token);
    await review(stack.tokens.huangnan, first.id, { decision: 'returned', comment: '请补充第2行的整改进展。' });
    const returnedAt = clock.now().toISOString();

    const me = await call<MeResponse>(stack.apiUrl, 'GET', '/v1/me', { token: county.token });
    expect(me.body.returned).toEqual([
      {
        campaign: 'huangnan-2019',
        form: 'fujian1',
        round,
        submissionId: first.id,
        version: 1,
        comment: '请补充第2行的整改进展。',
        byName: '黄南州',
        at: returnedAt,
      },
    ]);

    const rows = fujian1Rows(2);
    rows[1].progress = '已于11月1日完成清运,并建立长效巡查机制。';
    const second = await submit(county.token, rows, first.id);
    expect(second.version).toBe(2);
    const after = await call<MeResponse>(stack.apiUrl, 'GET', '/v1/me', { token: county.token });
    expect(after.body.returned).toEqual([]);
    const entry = await boardEntry(county.id);
    expect(entry).toMatchObject({ review: 'pending', submissionId: second.id, version: 2 });
    expect(entry.reviewComment).toBeUndefined();
    // The return stays in the first version's history.
    const old = await call<SubmissionResponse>(stack.apiUrl, 'GET', `/v1/submissions/${first.id}`, {
      token: county.token,
    });
    expect(old.body).toMatchObject({ current: false, reviews: [{ decision: 'returned' }] });
  });

  it('409 naming the current version when the reviewed one was replaced; nothing recorded', async () => {
    const county = await newCounty();
    const first = await submit(county.token);
    const rows = fujian1Rows(3);
    const second = await submit(county.token, rows, first.id);
    const res = await call(stack.apiUrl, 'POST', `/v1/submissions/${first.id}/review`, {
      token: stack.tokens.huangnan,
      body: { decision: 'returned', comment: '数据不全' },
      idempotencyKey: randomBytes(8).toString('hex'),
    });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('conflict');
    expect(res.body.error.message).toMatch(/第 1 版已不是该单位的当前版本.*第 2 版/);
    expect(res.body.error.current).toMatchObject({ id: second.id, version: 2 });
    const old = await call<SubmissionResponse>(stack.apiUrl, 'GET', `/v1/submissions/${first.id}`, {
      token: stack.tokens.huangnan,
    });
    expect(old.body.reviews).toEqual([]);
    expect((await boardEntry(county.id)).review).toBe('pending');
  });

  it('a return needs a comment; wrong decisions, long or control-character comments and unknown ids are refused in Chinese', async () => {
    const county = await newCounty();
    const sub = await submit(county.token);
    const cases: [unknown, number, RegExp][] = [
      [{ decision: 'returned', comment: '   ' }, 422, /写明需要修改的内容/],
      [{ decision: 'returned' }, 422, /写明需要修改的内容/],
      [{ decision: 'rejected', comment: 'x' }, 422, /approved\(通过\)或 returned\(退回\)/],
      [{ decision: 'returned', comment: '改'.repeat(501) }, 422, /最多 500 个字,现有 501 个字/],
      [{ decision: 'returned', comment: '请修改\u0007' }, 422, /控制字符/],
      [[], 400, /JSON 对象/],
    ];
    for (const [body, status, message] of cases) {
      const res = await call(stack.apiUrl, 'POST', `/v1/submissions/${sub.id}/review`, {
        token: stack.tokens.huangnan,
        body,
        idempotencyKey: randomBytes(8).toString('hex'),
      });
      expect(res.status, JSON.stringify(body)).toBe(status);
      const text = [res.body.error.message, ...(res.body.error.issues ?? []).map((i: any) => i.message)].join(' ');
      expect(text, JSON.stringify(body)).toMatch(message);
    }
    const missing = await review(stack.tokens.huangnan, 'sub_nothere', { decision: 'approved', comment: '' });
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ error: { message: expect.stringMatching(/找不到/) } });
    expect((await boardEntry(county.id)).review).toBe('pending');
  });

  it('a retried click is recorded once: same key answers the first review, even after a newer version; another body 409', async () => {
    const county = await newCounty();
    const sub = await submit(county.token);
    const returned = { decision: 'returned', comment: '请补充整改时限' };
    const key = randomBytes(8).toString('hex');
    // The answer was lost and the pane sent the click again, five times at once.
    const first = await review(stack.tokens.huangnan, sub.id, returned, key);
    expect(first.status).toBe(201);
    const retries = await Promise.all(
      Array.from({ length: 5 }, () => review(stack.tokens.huangnan, sub.id, returned, key)),
    );
    for (const r of retries) expect(r.body.review).toEqual(first.body.review);
    const history = async () =>
      (await call<SubmissionResponse>(stack.apiUrl, 'GET', `/v1/submissions/${sub.id}`, { token: county.token })).body
        .reviews;
    expect(await history()).toHaveLength(1);

    // The same key with another decision is a client's mistake, not a retry: refused, nothing recorded.
    const other = await call(stack.apiUrl, 'POST', `/v1/submissions/${sub.id}/review`, {
      token: stack.tokens.huangnan,
      body: { decision: 'approved', comment: '' },
      idempotencyKey: key,
    });
    expect(other.status).toBe(409);
    expect(other.body.error).toMatchObject({
      code: 'idempotency_key_reused',
      message: expect.stringMatching(/另一次审核/),
    });

    // A retry that arrives after the county has sent a new version still answers what the click recorded.
    await submit(county.token, fujian1Rows(3), sub.id);
    const late = await review(stack.tokens.huangnan, sub.id, returned, key);
    expect(late.status).toBe(201);
    expect(late.body.review).toEqual(first.body.review);
    expect(await history()).toHaveLength(1);
    expect((await boardEntry(county.id)).review).toBe('pending');
  });

  it('without an Idempotency-Key: 400 saying how to send one, nothing recorded', async () => {
    const county = await newCounty();
    const sub = await submit(county.token);
    const res = await call(stack.apiUrl, 'POST', `/v1/submissions/${sub.id}/review`, {
      token: stack.tokens.huangnan,
      body: { decision: 'approved', comment: '' },
    });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({
      code: 'idempotency_key_required',
      message: expect.stringMatching(/重试时保持不变/),
    });
    expect((await boardEntry(county.id)).review).toBe('pending');
  });

  it('a unit that has not reported this round has no review state on the board', async () => {
    const county = await newCounty();
    expect(await boardEntry(county.id)).toMatchObject({ status: 'missing', review: null });
  });
});
