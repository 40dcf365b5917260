// The client's transport rules, against a small real HTTP server that misbehaves on purpose (flaky network,
// 503, 429, paging, gzip). The end-to-end flows against the real backend are in client.stack.test.ts.
import { gunzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { scriptedServer, type Reply, type ScriptedServer } from '../../test/support/scripted-server';
import { ApiClient, ApiError, newIdempotencyKey } from './client';
import { RANGES_HEADER } from '../../contract/api';

let server: ScriptedServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function serve(reply: (seen: { url: string }, index: number) => Reply | Promise<Reply>) {
  server = await scriptedServer(reply);
  return { baseUrl: server.baseUrl, log: server.seen };
}

const noSleep = async () => {};
const receipt = {
  id: 's1',
  version: 1,
  late: false,
  rowCount: 1,
  changes: { added: 1, changed: 0, newlyClosed: 0, rebounds: 0, removed: 0 },
  warnings: [],
};
const body = {
  form: 'fujian2' as const,
  round: '2019-11-04',
  asOf: '2019-11-03',
  contact: { name: '张三', phone: '13800000000' },
  rows: [],
};

describe('ApiClient transport', () => {
  it('retries a dropped connection and a 503 with the same Idempotency-Key, then returns the receipt', async () => {
    const { baseUrl, log } = await serve((_, i) =>
      i === 0 ? 'drop' : i === 1 ? { status: 503, body: {} } : { status: 201, body: receipt },
    );
    const client = new ApiClient({ baseUrl, token: 't0k', sleep: noSleep });
    const key = newIdempotencyKey();
    const got = await client.submit(body, { idempotencyKey: key });
    expect(got.id).toBe('s1');
    expect(log).toHaveLength(3);
    expect(log.map((s) => s.headers['idempotency-key'])).toEqual([key, key, key]);
    expect(log[2].headers.authorization).toBe('Bearer t0k');
  });

  it('waits as long as Retry-After says on 429', async () => {
    const { baseUrl } = await serve((_, i) =>
      i === 0 ? { status: 429, body: {}, headers: { 'retry-after': '2' } } : { status: 200, body: { ok: 1 } },
    );
    const waits: number[] = [];
    const client = new ApiClient({ baseUrl, token: 't', sleep: async (ms) => void waits.push(ms) });
    await client.request('GET', '/v1/me');
    expect(waits).toEqual([2000]);
  });

  it('gives up after maxAttempts with a Chinese network message', async () => {
    const { baseUrl, log } = await serve(() => 'drop');
    const client = new ApiClient({ baseUrl, token: 't', sleep: noSleep, maxAttempts: 3 });
    await expect(client.me()).rejects.toThrow(/无法连接服务器/);
    expect(log).toHaveLength(3);
  });

  it('does not retry a 409 and explains it in Chinese with the server detail', async () => {
    const { baseUrl, log } = await serve(() => ({
      status: 409,
      body: { error: { code: 'conflict', message: '尖扎县 李四 于 2019-11-03 10:00 已提交' } },
    }));
    const client = new ApiClient({ baseUrl, token: 't', sleep: noSleep });
    const err = await client.submit(body, { idempotencyKey: 'k' }).catch((e) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err.status).toBe(409);
    expect(err.message).toContain('提交冲突');
    expect(err.message).toContain('李四');
    expect(log).toHaveLength(1);
  });

  it.each([
    [401, '令牌'],
    [403, '无权'],
    [413, '过大'],
  ])('explains %i in Chinese', async (status, words) => {
    const { baseUrl } = await serve(() => ({ status, body: { error: { code: 'x', message: 'm' } } }));
    const err = await new ApiClient({ baseUrl, token: 't', sleep: noSleep }).me().catch((e) => e);
    expect(err.message).toContain(words);
  });

  it('hands over the issues of a 422 so the pane can list them', async () => {
    const issues = [
      {
        code: 'closure.invalid',
        severity: 'error',
        message: '第3行「是否办结」应填写:已办结、阶段办结、正在办理',
        row: 3,
        key: 'closure',
      },
    ];
    const { baseUrl } = await serve(() => ({
      status: 422,
      body: { error: { code: 'validation', message: '校验未通过', issues } },
    }));
    const err = await new ApiClient({ baseUrl, token: 't', sleep: noSleep })
      .submit(body, { idempotencyKey: 'k' })
      .catch((e) => e);
    expect(err.status).toBe(422);
    expect(err.message).toContain('校验');
    expect(err.issues).toEqual(issues);
  });

  it('gzips a large body, says so in Content-Encoding and sends it as binary (API Gateway base64-encodes it intact)', async () => {
    const { baseUrl, log } = await serve(() => ({ status: 201, body: receipt }));
    const rows = Array.from({ length: 2000 }, (_, i) => ({
      seq: i + 1,
      complaint: '群众反映某企业夜间偷排废水'.repeat(3),
    }));
    const big = { ...body, form: 'fujian1' as const, rows } as never;
    await new ApiClient({ baseUrl, token: 't', sleep: noSleep }).submit(big, { idempotencyKey: 'k' });
    expect(log[0].headers['content-encoding']).toBe('gzip');
    expect(log[0].headers['content-type']).toBe('application/octet-stream');
    const sent = JSON.parse(gunzipSync(log[0].raw).toString('utf8'));
    expect(sent.rows).toHaveLength(2000);
    expect(log[0].raw.length).toBeLessThan(JSON.stringify(big).length / 5);
  });

  it('sends a small body uncompressed', async () => {
    const { baseUrl, log } = await serve(() => ({ status: 201, body: receipt }));
    await new ApiClient({ baseUrl, token: 't', sleep: noSleep }).submit(body, { idempotencyKey: 'k' });
    expect(log[0].headers['content-encoding']).toBeUndefined();
    expect(log[0].headers['content-type']).toBe('application/json');
    expect(JSON.parse(log[0].raw.toString('utf8')).round).toBe('2019-11-04');
  });

  it('follows next cursors and joins the pages of a consolidated table', async () => {
    const { baseUrl, log } = await serve((seen) => {
      const cursor = new URL(seen.url, 'http://x').searchParams.get('cursor');
      if (!cursor)
        return {
          status: 200,
          body: { form: 'fujian1', round: '2019-11-04', rows: [{ seq: 1 }], next: 'c2', totals: { rows: 3 } },
        };
      if (cursor === 'c2')
        return {
          status: 200,
          body: { form: 'fujian1', round: '2019-11-04', rows: [{ seq: 2 }], next: 'c3', totals: { rows: 3 } },
        };
      return {
        status: 200,
        body: { form: 'fujian1', round: '2019-11-04', rows: [{ seq: 3 }], next: null, totals: { rows: 3 } },
      };
    });
    const table = await new ApiClient({ baseUrl, token: 't', sleep: noSleep }).consolidated('fujian1', '2019-11-04');
    expect(table.rows.map((r) => (r as unknown as { seq: number }).seq)).toEqual([1, 2, 3]);
    expect(table.totals).toEqual({ rows: 3 });
    expect(table.next).toBeNull();
    expect(log.map((s) => s.url)).toEqual([
      '/v1/consolidated/fujian1?round=2019-11-04',
      '/v1/consolidated/fujian1?round=2019-11-04&cursor=c2',
      '/v1/consolidated/fujian1?round=2019-11-04&cursor=c3',
    ]);
  });

  it('reads the ranges a first page plans a few at a time, joins them in plan order and numbers 序号 where rows land', async () => {
    // Each page: the unit's own 序号 1.., tagged by segments; a stale firstSeq (a unit reported meanwhile) must not
    // number the table.
    const page = (unit: string, rows: number, extra: Record<string, unknown>) => ({
      status: 200,
      body: {
        form: 'fujian1',
        round: '2019-11-04',
        units: [],
        totals: { rows: 7 },
        serial: 'seq',
        rows: Array.from({ length: rows }, (_, i) => ({ seq: i + 1, case: `${unit}-${i + 1}` })),
        segments: [{ unit, unitName: unit, status: 'ontime', rows, firstSeq: 99 }],
        next: null,
        ...extra,
      },
    });
    let r1Answered = false;
    let seeR3!: () => void;
    const r3Seen = new Promise<void>((resolve) => (seeR3 = resolve));
    const r4ArrivedAfterR1: boolean[] = [];
    const { baseUrl, log } = await serve(async (seen) => {
      const cursor = new URL(seen.url, 'http://x').searchParams.get('cursor');
      if (cursor === null) return page('a', 1, { next: 'n2', ranges: ['r1', 'r2', 'r3', 'r4'] });
      if (cursor === 'r1') {
        await r3Seen; // answered only once the third range was asked for meanwhile
        r1Answered = true;
        return page('b', 2, {});
      }
      if (cursor === 'r2') return page('c', 1, { next: 'r2b' });
      if (cursor === 'r2b') return page('c', 1, {});
      if (cursor === 'r3') seeR3();
      if (cursor === 'r4') r4ArrivedAfterR1.push(r1Answered);
      return page(cursor === 'r3' ? 'd' : 'e', 1, {});
    });
    const table = await new ApiClient({ baseUrl, token: 't', sleep: noSleep }).consolidated('fujian1', '2019-11-04');
    const cases = table.rows as unknown as { seq: number; originalSeq: number; case: string; unit: string }[];
    expect(cases.map((r) => r.case)).toEqual(['a-1', 'b-1', 'b-2', 'c-1', 'c-1', 'd-1', 'e-1']);
    expect(cases.map((r) => r.seq)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(cases.map((r) => r.originalSeq)).toEqual([1, 1, 2, 1, 1, 1, 1]);
    expect(cases[1].unit).toBe('b');
    // The first page's own `next` is not followed: the ranges cover the rest. At most three ranges at a time.
    expect(log.map((s) => new URL(s.url, 'http://x').searchParams.get('cursor'))).not.toContain('n2');
    expect(log).toHaveLength(6);
    expect(r4ArrivedAfterR1).toEqual([true]);
    expect(table).not.toHaveProperty('ranges');
  });

  it("starts on the ranges a first page's headers plan before that page's body has arrived", async () => {
    const page = (unit: string, extra: Record<string, unknown> = {}) => ({
      form: 'fujian1',
      round: '2019-11-04',
      units: [],
      totals: { rows: 3 },
      serial: 'seq',
      rows: [{ seq: 1, case: `${unit}-1` }],
      segments: [{ unit, unitName: unit, status: 'ontime', rows: 1, firstSeq: 1 }],
      next: null,
      ...extra,
    });
    let seeBothRanges!: () => void;
    const bothRangesAsked = new Promise<void>((resolve) => (seeBothRanges = resolve));
    const { baseUrl, log } = await serve((seen) => {
      const cursor = new URL(seen.url, 'http://x').searchParams.get('cursor');
      if (cursor === null)
        return {
          status: 200,
          headers: { [RANGES_HEADER]: 'r1,r2' },
          body: page('a', { next: 'n2', ranges: ['r1', 'r2'] }),
          // The first page's body is held back until both ranges were asked for: a client that waits for it
          // before reading the ranges never gets it.
          bodyAfter: bothRangesAsked,
        };
      if (log.filter((s) => s.url.includes('cursor=r')).length === 2) seeBothRanges();
      return { status: 200, body: page(cursor === 'r1' ? 'b' : 'c') };
    });
    const table = await new ApiClient({ baseUrl, token: 't', sleep: noSleep }).consolidated('fujian1', '2019-11-04');
    expect((table.rows as unknown as { case: string }[]).map((r) => r.case)).toEqual(['a-1', 'b-1', 'c-1']);
    expect(table.rows.map((r) => (r as unknown as { seq: number }).seq)).toEqual([1, 2, 3]);
    expect(log).toHaveLength(3);
  });

  it('returns null for a unit without a submission yet', async () => {
    const { baseUrl } = await serve(() => ({ status: 404, body: { error: { code: 'not_found', message: '无' } } }));
    expect(await new ApiClient({ baseUrl, token: 't', sleep: noSleep }).latest('tongren', 'fujian1')).toBeNull();
  });
});
