// The API client against the real local backend: the handlers over HTTP on DynamoDB Local (in memory).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalStack, type LocalStack } from '../../infra/local/stack';
import { gzipSync } from 'node:zlib';
import { LAMBDA_PAYLOAD_BYTES } from '../../infra/local/gateway';
import { fujian1Rows as bigSheet } from '../../test/support/rows';
import { fujian1Rows, fujian2Row } from '../../test/support/sample-rows';
import { issueToken } from '../../functions/auth';
import { ApiClient, ApiError, newIdempotencyKey } from './client';

let stack: LocalStack;
let clock = new Date('2019-11-10T02:00:00Z');
const client = (unit: string) =>
  new ApiClient({ baseUrl: stack.apiUrl, token: stack.tokens[unit], sleep: async () => {} });
const contact = { name: '王芳', phone: '0973-8720000' };

beforeAll(async () => {
  stack = await startLocalStack({ inMemory: true, port: 0, quiet: true, now: () => clock });
});
afterAll(async () => {
  await stack?.stop();
});

describe('ApiClient against the local stack', () => {
  it('knows who it is: unit, role and the next due round', async () => {
    const me = await client('tongren').me();
    expect(me.unit).toMatchObject({ id: 'tongren', name: '同仁县' });
    expect(me.role).toBe('county');
    expect(me.nextDue).toBe('2019-11-14');
  });

  it('submits once per click: a retry with the same key returns the first receipt and stores nothing twice', async () => {
    const api = client('tongren');
    const key = newIdempotencyKey();
    const body = {
      form: 'fujian1' as const,
      round: '2019-11-14',
      asOf: '2019-11-09',
      contact,
      rows: fujian1Rows(3),
      basedOn: null,
    };
    const first = await api.submit(body, { idempotencyKey: key });
    const again = await api.submit(body, { idempotencyKey: key });
    expect(first).toMatchObject({ unit: 'tongren', version: 1, rowCount: 3, late: false });
    expect(first.changes.added).toEqual([1, 2, 3]);
    expect(again.id).toBe(first.id);
    expect(await api.history({ form: 'fujian1', round: '2019-11-14', unit: 'tongren' })).toHaveLength(1);
  });

  it("a 20,000-row 附件1, over Lambda's 6 MB even compressed (base64 counted), goes in parts and is committed once", async () => {
    const calls: string[] = [];
    // A county of its own: the other tests read zeku's latest 附件1 and count its rows.
    await stack.store.createUnit({
      id: 'dacounty',
      name: '大县',
      role: 'county',
      order: 50,
      createdAt: '2019-10-22T00:00:00Z',
    });
    const api = new ApiClient({
      baseUrl: stack.apiUrl,
      token: (await issueToken(stack.store, 'dacounty', 'county')).token,
      sleep: async () => {},
      fetch: (url, init) => {
        calls.push(`${init?.method} ${new URL(String(url)).pathname}`);
        return fetch(url, init);
      },
    });
    const rows = bigSheet(20_000, { unitName: '大县' });
    // A round of its own: the other tests count this county's 2019-11-14 submissions.
    const body = { form: 'fujian1' as const, round: '2019-11-24', asOf: '2019-11-09', contact, rows, basedOn: null };
    // In one request the gateway would refuse it (infra/local/gateway.ts, as Lambda does).
    expect((gzipSync(JSON.stringify(body)).length * 4) / 3).toBeGreaterThan(LAMBDA_PAYLOAD_BYTES);
    const key = newIdempotencyKey();
    const receipt = await api.submit(body, { idempotencyKey: key });
    expect(receipt).toMatchObject({ unit: 'dacounty', rowCount: 20_000, version: 1 });
    const parts = calls.filter((c) => c.startsWith('POST /v1/submissions/parts/'));
    expect(parts.length).toBeGreaterThanOrEqual(2);
    expect(calls.at(-1)).toBe('POST /v1/submissions');
    const back = await api.submission(receipt.id);
    expect(back.rows.map((r) => (r as { seq: number }).seq)).toEqual(rows.map((r) => r.seq));
    expect(back.rows.at(-1)).toEqual(rows.at(-1));
    // The same click sent again (a lost answer): the first receipt, nothing stored twice.
    expect((await api.submit(body, { idempotencyKey: key })).id).toBe(receipt.id);
    expect(await api.history({ form: 'fujian1', round: '2019-11-24', unit: 'dacounty' })).toHaveLength(1);
    // Three 20,000-row submits and a read-back: minutes on a busy 2-core machine, not the default minute.
  }, 300_000);

  it('gets 409 in Chinese when someone else submitted the round meanwhile', async () => {
    const err = await client('tongren')
      .submit(
        { form: 'fujian1', round: '2019-11-14', asOf: '2019-11-09', contact, rows: fujian1Rows(2), basedOn: null },
        { idempotencyKey: newIdempotencyKey() },
      )
      .catch((e) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err.status).toBe(409);
    expect(err.message).toMatch(/提交冲突/);
  });

  it('gets 422 with the issues when the rows break the rules', async () => {
    const rows = fujian1Rows(2);
    rows[1] = { ...rows[1], closure: '办完了' as never };
    const err = await client('jianzha')
      .submit(
        { form: 'fujian1', round: '2019-11-14', asOf: '2019-11-09', contact, rows, basedOn: null },
        { idempotencyKey: newIdempotencyKey() },
      )
      .catch((e) => e);
    expect(err.status).toBe(422);
    expect(err.message).toMatch(/校验/);
    expect(err.issues).toEqual(
      expect.arrayContaining([expect.objectContaining({ row: 2, key: 'closure', code: 'closure.invalid' })]),
    );
  });

  it('gets 401 for an unknown token and 403 when a county asks for the consolidated table', async () => {
    const bad = new ApiClient({ baseUrl: stack.apiUrl, token: 'not-a-token', sleep: async () => {} });
    expect((await bad.me().catch((e) => e)).status).toBe(401);
    const err = await client('tongren')
      .consolidated('fujian1', '2019-11-14')
      .catch((e) => e);
    expect(err.status).toBe(403);
    expect(err.message).toMatch(/无权/);
  });

  it('sends a large 附件1 gzip-compressed and pulls every row of it back', async () => {
    const api = client('zeku');
    const rows = fujian1Rows(3000, '泽库县');
    const receipt = await api.submit(
      { form: 'fujian1', round: '2019-11-14', asOf: '2019-11-09', contact, rows, basedOn: null },
      { idempotencyKey: newIdempotencyKey() },
    );
    expect(receipt.rowCount).toBe(3000);
    const latest = await api.latest('zeku', 'fujian1');
    expect(latest!.rows).toHaveLength(3000);
    expect(latest!.rows[2999]).toMatchObject({ seq: 3000, complaint: rows[2999].complaint });
  });

  it('returns null for a unit with nothing submitted yet', async () => {
    expect(await client('henan').latest('henan', 'fujian1')).toBeNull();
  });

  it('marks a submission after the due day as late', async () => {
    clock = new Date('2019-11-15T03:00:00Z');
    try {
      const receipt = await client('henan').submit(
        {
          form: 'fujian2',
          round: '2019-11-14',
          asOf: '2019-11-13',
          contact,
          rows: [fujian2Row('河南蒙古族自治县')],
          basedOn: null,
        },
        { idempotencyKey: newIdempotencyKey() },
      );
      expect(receipt.late).toBe(true);
    } finally {
      clock = new Date('2019-11-10T02:00:00Z');
    }
  });

  it('gives the prefecture the consolidated tables (all pages), the status board and statistics', async () => {
    const api = client('huangnan');
    const f1 = await api.consolidated('fujian1', '2019-11-14');
    expect(f1.rows.filter((r) => r.unit === 'tongren')).toHaveLength(3);
    expect(f1.rows.filter((r) => r.unit === 'zeku')).toHaveLength(3000);
    const status = await api.status('2019-11-14');
    const byUnit = Object.fromEntries(status.units.map((u) => [u.unit, u.forms]));
    expect(byUnit.tongren.fujian1.status).toBe('ontime');
    expect(byUnit.henan.fujian2.status).toBe('late');
    expect(byUnit.jianzha.fujian1.status).toBe('missing');
    const stats = await api.stats('2019-11-14');
    expect(stats.units.find((u) => u.unit === 'tongren')!.rows).toBe(3);
  });
});
