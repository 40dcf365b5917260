// The store against DynamoDB Local, with faults injected into the real calls: BatchWriteItem leaving items
// unprocessed, and throttling. The submission must still be complete.
import type { DynamoDBClient, WriteRequest } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDynamoLocal, freshStore, type DynamoLocal } from '../../test/support/dynamo';
import { fujian1Rows } from '../../test/support/rows';
import type { Caller } from '../auth';
import type { Context } from '../context';
import { submit } from '../domain/submit';
import { chunkRows, MAX_CHUNK_BYTES } from './codec';
import type { DynamoStore } from './dynamo';

let dynamo: DynamoLocal;
beforeAll(async () => {
  dynamo = await startDynamoLocal();
});
afterAll(async () => {
  await dynamo?.stop();
});

const contact = { name: '卓玛', phone: '0973-8722111' };

async function countyContext(prepare: (client: DynamoDBClient) => void): Promise<{ ctx: Context; caller: Caller; store: DynamoStore }> {
  const { store } = await freshStore(dynamo.endpoint, prepare);
  const unit = { id: 'tongren', name: '同仁县', role: 'county' as const, order: 1, createdAt: '2019-10-22T00:00:00Z' };
  await store.createUnit(unit);
  const ctx: Context = { store, now: () => new Date('2019-11-04T10:00:00+08:00'), log: () => {} };
  return { ctx, caller: { tokenId: 'tok_test', role: 'county', unit }, store };
}

describe('DynamoStore under faults', () => {
  it('retries BatchWriteItem UnprocessedItems until every chunk of a big sheet is stored', async () => {
    let stripped = 0;
    const { ctx, caller, store } = await countyContext((client) => {
      // Once: send only the first item of the batch to DynamoDB Local and hand the rest back as unprocessed,
      // as DynamoDB does under load.
      client.middlewareStack.add(
        (next, context) => async (args) => {
          if (context.commandName !== 'BatchWriteItemCommand' || stripped > 0) return next(args);
          const input = args.input as { RequestItems: Record<string, WriteRequest[]> };
          const [table, requests] = Object.entries(input.RequestItems)[0];
          const held = requests.slice(1);
          stripped = held.length;
          const out = await next({ ...args, input: { ...input, RequestItems: { [table]: requests.slice(0, 1) } } });
          (out.output as { UnprocessedItems?: Record<string, WriteRequest[]> }).UnprocessedItems = { [table]: held };
          return out;
        },
        { step: 'initialize', name: 'stripUnprocessed' },
      );
    });
    const rows = fujian1Rows(4000);
    const receipt = await submit(ctx, caller, { form: 'fujian1', round: '2019-11-04', asOf: '2019-11-03', contact, rows }, 'k1');
    expect(stripped).toBeGreaterThan(0);
    const header = await store.getHeader(receipt.id);
    expect(header!.chunks.length).toBeGreaterThan(1);
    expect(await store.getRows(receipt.id)).toEqual(rows);
  });

  it('a throttled commit transaction is retried and goes through once', async () => {
    let throttled = 0;
    const { ctx, caller, store } = await countyContext((client) => {
      client.middlewareStack.add(
        (next, context) => async (args) => {
          if (context.commandName === 'TransactWriteItemsCommand' && throttled === 0) {
            throttled++;
            throw Object.assign(new Error('Rate of requests exceeds the allowed throughput.'), {
              name: 'ThrottlingException',
              $fault: 'client',
              $metadata: { httpStatusCode: 400 },
            });
          }
          return next(args);
        },
        { step: 'finalizeRequest', name: 'throttleOnce', priority: 'low' },
      );
    });
    const receipt = await submit(ctx, caller, { form: 'fujian1', round: '2019-11-04', asOf: '2019-11-03', contact, rows: fujian1Rows(3) }, 'k2');
    expect(throttled).toBe(1);
    expect(receipt.version).toBe(1);
    expect((await store.listHeaders('tongren')).map((h) => h.id)).toEqual([receipt.id]);
  });
});

describe('row chunks', () => {
  it('keeps every chunk under the item limit, even for text that hardly compresses', async () => {
    const noisy = Array.from({ length: 3000 }, (_, i) => ({ seq: i + 1, text: Array.from({ length: 300 }, () => String.fromCharCode(0x4e00 + Math.floor(Math.random() * 20000))).join('') }));
    const chunks = await chunkRows(noisy);
    expect(chunks.length).toBeGreaterThan(1);
    for (const c of chunks) expect(c.data.byteLength).toBeLessThanOrEqual(MAX_CHUNK_BYTES);
    expect(chunks.reduce((n, c) => n + c.count, 0)).toBe(3000);
  });
});
