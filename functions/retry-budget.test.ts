// The retry budget: DynamoDB throttling injected into the real calls (DynamoDB Local does not throttle), time on
// a fake clock that only the retry waits move (nothing really waits). A throttled submit ends in a Chinese 503
// with Retry-After well before the deadline, stores nothing, and the client's retry with the same key goes
// through exactly once.
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshStore, startDynamoLocal, type DynamoLocal } from '../test/support/dynamo';
import { fujian1Rows } from '../test/support/rows';
import { issueToken } from './auth';
import { createHandler } from './handlers/submissions';
import type { Context } from './context';
import { RETRY_POLICY, type Clock } from './store/retry';

let dynamo: DynamoLocal;
beforeAll(async () => {
  dynamo = await startDynamoLocal();
});
afterAll(async () => {
  await dynamo?.stop();
});

/** Lambda's timeout of the submissions function (infra/cloud/functions.ts). */
const LAMBDA_TIMEOUT_MS = 29_000;

function fakeClock(): Clock & { waits: number[] } {
  let t = 0;
  const waits: number[] = [];
  return {
    waits,
    now: () => t,
    sleep: async (ms) => {
      waits.push(ms);
      t += ms;
    },
  };
}

/** Every call of `command` fails as DynamoDB's throttling does while `throttling.on`. */
function injectThrottling(client: DynamoDBClient, command: string, throttling: { on: boolean; count: number }) {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName === command && throttling.on) {
        throttling.count++;
        throw Object.assign(new Error('Rate of requests exceeds the allowed throughput.'), {
          name: 'ThrottlingException',
          $fault: 'client',
          $metadata: { httpStatusCode: 400 },
        });
      }
      return next(args);
    },
    // Inside the SDK's retry loop, where a real throttling answer would arrive.
    { step: 'finalizeRequest', name: 'injectThrottling', priority: 'low' },
  );
}

describe('deadline-aware retries', () => {
  for (const command of ['TransactWriteItemsCommand', 'BatchWriteItemCommand']) {
    it(`throttled ${command}: 503 + Retry-After in Chinese before the deadline, nothing stored; the retry with the same key submits once`, async () => {
      const throttling = { on: true, count: 0 };
      const { store, client } = await freshStore(dynamo.endpoint);
      const unit = {
        id: 'tongren',
        name: '同仁县',
        role: 'county' as const,
        order: 1,
        createdAt: '2019-10-22T00:00:00Z',
      };
      await store.createUnit(unit);
      // Throttling from here on: the submission's writes, not setting up its unit (itself a transaction).
      injectThrottling(client, command, throttling);
      const { token } = await issueToken(store, unit.id, 'county');
      const clock = fakeClock();
      const ctx: Context = { store, clock, now: () => new Date('2019-11-04T10:00:00+08:00'), log: () => {} };
      const handler = createHandler(() => ctx);
      const body = JSON.stringify({
        form: 'fujian1',
        round: '2019-11-04',
        asOf: '2019-11-03',
        contact: { name: '卓玛', phone: '0973-8722111' },
        rows: fujian1Rows(50),
      });
      const invoke = () => {
        const start = clock.now();
        return handler(
          {
            version: '2.0',
            routeKey: 'POST /v1/submissions',
            rawPath: '/v1/submissions',
            rawQueryString: '',
            headers: {
              authorization: `Bearer ${token}`,
              'idempotency-key': 'click-1',
              'content-type': 'application/json',
            },
            body,
            isBase64Encoded: false,
            requestContext: { requestId: 'r' },
          } as never,
          { awsRequestId: 'a', getRemainingTimeInMillis: () => LAMBDA_TIMEOUT_MS - (clock.now() - start) },
        ) as Promise<{ statusCode: number; headers: Record<string, string>; body: string }>;
      };

      const busy = await invoke();
      const elapsed = clock.now();
      expect(busy.statusCode).toBe(503);
      expect(busy.headers['retry-after']).toBe(String(RETRY_POLICY.retryAfterSeconds));
      const error = JSON.parse(busy.body).error;
      expect(error.code).toBe('service_busy');
      expect(error.message).toMatch(/服务器繁忙.*秒后重试/);
      // It kept trying for most of the budget, and gave up leaving the answer its reserve — well before 30 s.
      expect(throttling.count).toBeGreaterThan(3);
      expect(elapsed).toBeGreaterThan(
        LAMBDA_TIMEOUT_MS - RETRY_POLICY.answerReserveMs - RETRY_POLICY.requestTimeoutMs - 5_000,
      );
      expect(elapsed).toBeLessThanOrEqual(LAMBDA_TIMEOUT_MS - RETRY_POLICY.answerReserveMs);
      expect(await store.listHeaders(unit.id)).toEqual([]);

      throttling.on = false;
      const created = await invoke();
      expect(created.statusCode).toBe(201);
      const again = await invoke();
      expect(again.statusCode).toBe(201);
      expect(JSON.parse(again.body).id).toBe(JSON.parse(created.body).id);
      expect((await store.listHeaders(unit.id)).map((h) => h.id)).toEqual([JSON.parse(created.body).id]);
    });
  }
});
