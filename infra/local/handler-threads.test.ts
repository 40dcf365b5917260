// The local stack with its heavy handler groups on threads (`npm start`): the same API, answered from threads
// that share the stack's table, with their log lines written by the server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConsolidatedResponse, Receipt } from '../../contract/api';
import { allPages, call } from '../../test/support/api';
import { fujian1Rows } from '../../test/support/rows';
import { startLocalStack, type LocalStack } from './stack';

let stack: LocalStack;
const logged: Record<string, unknown>[] = [];

beforeAll(async () => {
  stack = await startLocalStack({ inMemory: true, port: 0, threads: true, log: (entry) => logged.push(entry) });
});
afterAll(() => stack?.stop());

describe('handler groups on threads of their own', () => {
  it('a submission made on the submissions thread is read back there, in the consolidated table and by /v1/me', async () => {
    const rows = fujian1Rows(300, { unitName: '同仁县' });
    const sub = await call<Receipt>(stack.apiUrl, 'POST', '/v1/submissions', {
      token: stack.tokens.tongren,
      idempotencyKey: 'threads-1',
      gzip: true,
      body: {
        form: 'fujian1',
        round: '2019-12-14',
        asOf: '2019-12-10',
        contact: { name: '才让', phone: '13800000000' },
        rows,
      },
    });
    expect(sub.status).toBe(201);
    expect(sub.body.rowCount).toBe(300);
    // Written by the thread's own DynamoDB client into the stack's table.
    expect((await stack.store.getHeader(sub.body.id))?.rowCount).toBe(300);

    const back = await allPages(stack.apiUrl, `/v1/submissions/${sub.body.id}`, { token: stack.tokens.tongren });
    expect(back.rows).toEqual(rows.map((r) => expect.objectContaining({ seq: r.seq, measures: r.measures })));

    const table = await allPages<ConsolidatedResponse>(stack.apiUrl, '/v1/consolidated/fujian1?round=2019-12-14', {
      token: stack.tokens.huangnan,
      acceptGzip: true,
    });
    expect(table.first.status).toBe(200);
    expect(table.rows.filter((r) => (r as { unit: string }).unit === 'tongren')).toHaveLength(300);

    const me = await call(stack.apiUrl, 'GET', '/v1/me', { token: stack.tokens.tongren });
    expect(me.status).toBe(200);
  });

  it("the threads' log lines reach the stack's log, one per request", async () => {
    const routes = logged.map((e) => e.route);
    expect(routes).toContain('POST /v1/submissions');
    expect(routes).toContain('GET /v1/consolidated/{form}');
    expect(logged).toContainEqual(expect.objectContaining({ event: 'submitted', rows: 300 }));
  });

  it('a request a thread cannot answer is an error answer, and the thread goes on answering', async () => {
    const bad = await call(stack.apiUrl, 'POST', '/v1/submissions', {
      token: stack.tokens.tongren,
      idempotencyKey: 'threads-2',
      rawBody: '{"form":',
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/JSON/);
    const list = await call(stack.apiUrl, 'GET', '/v1/submissions?form=fujian1', { token: stack.tokens.tongren });
    expect(list.status).toBe(200);
  });

  it('refuses an injected clock, which the threads could not keep', async () => {
    await expect(startLocalStack({ inMemory: true, port: 0, threads: true, now: () => new Date() })).rejects.toThrow(
      /wall clock/,
    );
  });
});
