// DESIGN §6 as an operator would check it: an unexpected failure answers a Chinese 500 without internals, and the
// request logs carry neither the text a county submitted nor its contact's name or phone.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { startLocalStack, type LocalStack } from '../infra/local/stack';
import { call } from '../test/support/api';
import { fujian1Rows } from '../test/support/rows';
import type { Context } from './context';
import { createHandler } from './handlers/submissions';
import type { Store } from './store/types';

const logs: Record<string, unknown>[] = [];
let stack: LocalStack;
const clock = new Date('2019-11-04T10:00:00+08:00');

beforeAll(async () => {
  stack = await startLocalStack({ inMemory: true, port: 0, now: () => clock, log: (entry) => logs.push(entry) });
});
afterAll(async () => {
  await stack?.stop();
});

describe('security (DESIGN §6)', () => {
  it('request logs hold no submitted text, no contact name and no phone number — for accepted and refused sheets', async () => {
    const secret = '秘密举报人住在某村七号院';
    const contact = { name: '才让卓玛', phone: '13912345678' };
    const rows = fujian1Rows(3).map((r, i) => (i === 1 ? { ...r, complaint: secret } : r));
    const body = { form: 'fujian1', round: '2019-11-04', asOf: '2019-11-03', contact, rows };
    const ok = await call(stack.apiUrl, 'POST', '/v1/submissions', {
      token: stack.tokens.henan,
      body,
      idempotencyKey: 'sec-1',
    });
    expect(ok.status).toBe(201);
    const bad = { ...body, rows: rows.map((r) => ({ ...r, closure: `${secret}已完成` })) };
    const refused = await call(stack.apiUrl, 'POST', '/v1/submissions', {
      token: stack.tokens.henan,
      body: bad,
      idempotencyKey: 'sec-2',
    });
    expect(refused.status).toBe(422);
    // The logs exist and name what happened…
    const written = JSON.stringify(logs);
    expect(logs.some((l) => l.route === 'POST /v1/submissions' && l.status === 201)).toBe(true);
    expect(logs.some((l) => l.route === 'POST /v1/submissions' && l.status === 422)).toBe(true);
    // …but not what the county wrote or who it is.
    for (const leak of [secret, contact.name, contact.phone, stack.tokens.henan]) expect(written).not.toContain(leak);
  });

  it('an unexpected failure answers 500 in Chinese, without the error text or a stack trace', async () => {
    const failing = new Proxy({} as Store, {
      get: () => () =>
        Promise.reject(new Error('ECONNREFUSED 10.0.0.7:8000 at Object.connect (/var/task/index.mjs:1:2345)')),
    });
    const ctx: Context = { store: failing, now: () => clock, log: () => {} };
    const event = {
      routeKey: 'GET /v1/submissions',
      rawPath: '/v1/submissions',
      headers: { authorization: `Bearer ${stack.tokens.tongren}` },
      requestContext: { requestId: 'r1' },
      isBase64Encoded: false,
    } as unknown as APIGatewayProxyEventV2;
    const result = (await createHandler(() => ctx)(event)) as { statusCode: number; body: string };
    expect(result.statusCode).toBe(500);
    const answer = JSON.parse(result.body);
    expect(answer.error.code).toBe('internal');
    expect(answer.error.message).toMatch(/服务器内部错误/);
    for (const leak of ['ECONNREFUSED', '10.0.0.7', '/var/task', 'at Object']) expect(result.body).not.toContain(leak);
  });
});
