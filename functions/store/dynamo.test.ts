// The store against DynamoDB Local, with faults injected into the real calls: BatchWriteItem leaving items
// unprocessed, and throttling. The submission must still be complete.
import { UpdateItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startDynamoLocal,
  freshStore,
  storedChunks,
  type DynamoLocal,
  type StoredChunks,
} from '../../test/support/dynamo';
import { fujian1Rows } from '../../test/support/rows';
import type { Caller } from '../auth';
import type { Context } from '../context';
import { Conflict } from '../errors';
import { submit } from '../domain/submit';
import { rowTextsIn } from '../row-texts';
import { chunkRows, MAX_CHUNK_BYTES } from './codec';
import { chunkItemKey, MAX_EXPIRING_BYTES, UNCOMMITTED_ROWS_TTL_SECONDS, type DynamoStore } from './dynamo';
import { CorruptItem } from './items';
import type { WriteRequest } from './table-io';

let dynamo: DynamoLocal;
beforeAll(async () => {
  dynamo = await startDynamoLocal();
});
afterAll(async () => {
  await dynamo?.stop();
});

const contact = { name: '卓玛', phone: '0973-8722111' };

async function countyContext(
  prepare: (client: DynamoDBClient) => void = () => {},
): Promise<{ ctx: Context; caller: Caller; store: DynamoStore; client: DynamoDBClient; tableName: string }> {
  const { store, client, tableName } = await freshStore(dynamo.endpoint);
  const unit = { id: 'tongren', name: '同仁县', role: 'county' as const, order: 1, createdAt: '2019-10-22T00:00:00Z' };
  await store.createUnit(unit);
  // Faults from here on: they concern the submission, not setting up its unit (itself a transaction).
  prepare(client);
  const ctx: Context = { store, now: () => new Date('2019-11-04T10:00:00+08:00'), log: () => {} };
  return { ctx, caller: { tokenId: 'tok_test', role: 'county', unit }, store, client, tableName };
}

/** A county's 附件1 of `rows`, submitted once. */
const submitSheet = (ctx: Context, caller: Caller, rows: Parameters<typeof submit>[2]['rows']) =>
  submit(ctx, caller, { form: 'fujian1', round: '2019-11-04', asOf: '2019-11-03', contact, rows }, 'k1');

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
    // Every slice compressed before the writes begin (as when rows are packed from the body while it is checked):
    // the chunks queue together and go out several to a call.
    const packed = store.packRowTexts(rowTextsIn(Buffer.from(JSON.stringify({ rows })))!);
    await Promise.all(packed.slices);
    const receipt = await submit(
      ctx,
      caller,
      { form: 'fujian1', round: '2019-11-04', asOf: '2019-11-03', contact, rows },
      'k1',
      { packed },
    );
    expect(stripped).toBeGreaterThan(0);
    const header = await store.getHeader(receipt.id);
    expect(header!.chunks.length).toBeGreaterThan(1);
    expect(await store.getRows(receipt.id)).toEqual(rows);
  });

  it('reads every chunk of a big sheet when BatchGetItem leaves keys unprocessed', async () => {
    const { ctx, caller, store, client } = await countyContext();
    const rows = fujian1Rows(4000);
    const receipt = await submitSheet(ctx, caller, rows);
    let held = 0;
    // Once: only the first key goes to DynamoDB Local, the rest come back unprocessed, as under throttling.
    client.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName !== 'BatchGetItemCommand' || held > 0) return next(args);
        const input = args.input as { RequestItems: Record<string, { Keys: unknown[]; ConsistentRead?: boolean }> };
        const [table, wanted] = Object.entries(input.RequestItems)[0];
        held = wanted.Keys.length - 1;
        const out = await next({
          ...args,
          input: { ...input, RequestItems: { [table]: { ...wanted, Keys: wanted.Keys.slice(0, 1) } } },
        });
        (out.output as { UnprocessedKeys?: unknown }).UnprocessedKeys = {
          [table]: { ...wanted, Keys: wanted.Keys.slice(1) },
        };
        return out;
      },
      { step: 'initialize', name: 'holdKeys' },
    );
    expect(await store.getRows(receipt.id)).toEqual(rows);
    expect(held).toBeGreaterThan(0);
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
    const receipt = await submit(
      ctx,
      caller,
      { form: 'fujian1', round: '2019-11-04', asOf: '2019-11-03', contact, rows: fujian1Rows(3) },
      'k2',
    );
    expect(throttled).toBe(1);
    expect(receipt.version).toBe(1);
    expect((await store.listHeaders('tongren')).map((h) => h.id)).toEqual([receipt.id]);
  });
});

describe('row chunks', () => {
  it('keeps every chunk under the item limit, even for text that hardly compresses', async () => {
    const noisy = Array.from({ length: 3000 }, (_, i) => ({
      seq: i + 1,
      text: Array.from({ length: 300 }, () => String.fromCharCode(0x4e00 + Math.floor(Math.random() * 20000))).join(''),
    }));
    const chunks = await chunkRows(noisy);
    expect(chunks.length).toBeGreaterThan(1);
    for (const c of chunks) expect(c.data.byteLength).toBeLessThanOrEqual(MAX_CHUNK_BYTES);
    expect(chunks.reduce((n, c) => n + c.count, 0)).toBe(3000);
  });
});

describe('rows of submissions that never commit', () => {
  const nowSeconds = (): number => Math.floor(Date.now() / 1000);

  it("expire (TTL) when the submission loses its race; the winner's rows are kept for good by its commit", async () => {
    let raced = false;
    let winner = '';
    const { ctx, caller, store, client, tableName } = await countyContext((c) => {
      // Just before the first commit transaction goes out, another sender's whole submission lands first.
      c.middlewareStack.add(
        (next, context) => async (args) => {
          if (context.commandName === 'TransactWriteItemsCommand' && !raced) {
            raced = true;
            await rival();
          }
          return next(args);
        },
        { step: 'initialize', name: 'rivalCommitsFirst' },
      );
    });
    const winnerRows = fujian1Rows(3000); // 4 chunks, under MAX_EXPIRING_BYTES: all of them expire until committed
    const rival = async () => {
      winner = (
        await submit(
          ctx,
          caller,
          {
            form: 'fujian1',
            round: '2019-11-04',
            asOf: '2019-11-03',
            contact: { name: '才让', phone: '0973-8722000' },
            rows: winnerRows,
            basedOn: null,
          },
          'winner',
        )
      ).id;
    };
    const before = nowSeconds();
    const lost = await submit(
      ctx,
      caller,
      { form: 'fujian1', round: '2019-11-04', asOf: '2019-11-03', contact, rows: fujian1Rows(2500), basedOn: null },
      'loser',
    ).catch((e: unknown) => e);
    // The losing county is told who got there first (the HTTP edge answers Conflict with 409).
    expect(lost).toBeInstanceOf(Conflict);
    expect((lost as Conflict).message).toContain('才让');

    const subs = await storedChunks(client, tableName);
    expect([...subs.keys()]).toHaveLength(2);
    const kept = subs.get(winner)!;
    expect(kept.committed).toBe(true);
    expect(kept.expiresAt.length).toBeGreaterThan(1);
    expect(kept.expiresAt).toEqual(kept.expiresAt.map(() => null));
    const [orphanId, orphan] = [...subs].find(([id]) => id !== winner)!;
    expect(orphan.committed).toBe(false);
    expect(orphan.expiresAt.length).toBeGreaterThan(1);
    for (const at of orphan.expiresAt) {
      expect(at).toBeGreaterThanOrEqual(before + UNCOMMITTED_ROWS_TTL_SECONDS);
      expect(at).toBeLessThanOrEqual(nowSeconds() + UNCOMMITTED_ROWS_TTL_SECONDS);
    }
    // Nothing refers to the orphan; the winner is whole.
    expect((await store.listHeaders('tongren')).map((h) => h.id)).toEqual([winner]);
    expect(await store.getHeader(orphanId)).toBeNull();
    expect(await store.getRows(winner)).toEqual(winnerRows);
  });

  it('a sheet too large for one transaction: leading chunks expire until the commit, the rest never do; once committed, none does', async () => {
    let beforeCommit: StoredChunks | undefined;
    let actions = 0;
    let tableOf = '';
    const { ctx, caller, store, client, tableName } = await countyContext((c) => {
      c.middlewareStack.add(
        (next, context) => async (args) => {
          if (context.commandName === 'TransactWriteItemsCommand') {
            actions = (args.input as { TransactItems: unknown[] }).TransactItems.length;
            beforeCommit = [...(await storedChunks(c, tableOf)).values()][0];
          }
          return next(args);
        },
        { step: 'initialize', name: 'lookBeforeCommit' },
      );
    });
    tableOf = tableName;
    const rows = fujian1Rows(5_000);
    const receipt = await submit(
      ctx,
      caller,
      { form: 'fujian1', round: '2019-11-04', asOf: '2019-11-03', contact, rows },
      'big',
    );
    const expiring = beforeCommit!.expiresAt.filter((at) => at !== null).length;
    expect(beforeCommit!.dataBytes).toBeGreaterThan(MAX_EXPIRING_BYTES);
    expect(expiring).toBeGreaterThan(0);
    expect(expiring).toBeLessThan(beforeCommit!.expiresAt.length);
    expect(beforeCommit!.expiresAt.slice(expiring)).toEqual(beforeCommit!.expiresAt.slice(expiring).map(() => null));
    // Header, two pointers, idempotency record, the pending marker's delete, then one Update per expiring chunk.
    expect(actions).toBe(5 + expiring);
    expect(beforeCommit!.pending).toBe(true);
    const sub = (await storedChunks(client, tableName)).get(receipt.id)!;
    expect(sub.committed).toBe(true);
    expect(sub.pending).toBe(false);
    expect(sub.expiresAt).toEqual(sub.expiresAt.map(() => null));
    expect(await store.getRows(receipt.id)).toEqual(rows);
  });

  it('a chunk gone before the commit (expired, deleted) stops the commit: no submission with missing rows', async () => {
    let removed = false;
    const { ctx, caller, store, client, tableName } = await countyContext((c) => {
      c.middlewareStack.add(
        (next, context) => async (args) => {
          if (context.commandName === 'TransactWriteItemsCommand' && !removed) {
            removed = true;
            // The store's requests carry plain values (the document client marshals them further down the stack).
            const id = (args.input as { TransactItems: { Put?: { Item: { id: string } } }[] }).TransactItems[0].Put!
              .Item.id;
            await DynamoDBDocumentClient.from(c).send(
              new DeleteCommand({ TableName: tableName, Key: chunkItemKey(id, 1) }),
            );
          }
          return next(args);
        },
        { step: 'initialize', name: 'chunkVanishes' },
      );
    });
    await expect(
      submit(
        ctx,
        caller,
        { form: 'fujian1', round: '2019-11-04', asOf: '2019-11-03', contact, rows: fujian1Rows(3000) },
        'gone',
      ),
    ).rejects.toThrow(/missing/);
    expect(await store.listHeaders('tongren')).toEqual([]);
    expect(await store.getPointer('tongren', 'huangnan-2019', 'fujian1', '2019-11-04')).toBeNull();
    expect([...(await storedChunks(client, tableName)).values()].every((s) => !s.committed)).toBe(true);
  });
});

describe('reviews', () => {
  /** Where each pointer of the unit's 附件1 stands: the round's own and the top one the status board reads. */
  async function marks(store: DynamoStore, campaign: string, round: string) {
    const top = (await store.listTopPointers(campaign)).find((p) => p.unit === 'tongren');
    return {
      round: (await store.getPointer('tongren', campaign, 'fujian1', round))?.review?.comment ?? null,
      top: top ? { round: top.round, review: top.review?.comment ?? null } : null,
    };
  }
  const reviewOf = (submissionId: string, comment: string) => ({
    submissionId,
    decision: 'returned' as const,
    comment,
    by: 'huangnan',
    byName: '黄南州',
    tokenId: 'tok_pref',
    at: '2019-11-05T02:00:00.000Z',
  });
  /** The Idempotency-Key of the 州 office's click. */
  const click = (key: string) => ({ scope: 'huangnan', key, bodyHash: `hash-${key}` });

  it('marks the round and the top pointer together or not at all: a write that fails leaves no half-recorded review', async () => {
    let failing = true;
    const { ctx, caller, store } = await countyContext((client) => {
      client.middlewareStack.add(
        (next) => async (args) => {
          // Every write that would set the top pointer's review fails, and is not retried (a client fault).
          const request = JSON.stringify(args.input);
          if (failing && request.includes('FORM#') && request.includes('SET review'))
            throw Object.assign(new Error('injected failure'), { name: 'ValidationException', $fault: 'client' });
          return next(args);
        },
        { step: 'initialize', name: 'failTopReview' },
      );
    });
    const receipt = await submit(
      ctx,
      caller,
      { form: 'fujian1', round: '2019-11-04', asOf: '2019-11-03', contact, rows: fujian1Rows(2) },
      'r1',
    );
    const { campaign } = (await store.getHeader(receipt.id))!;
    const target = { unit: 'tongren', campaign, form: 'fujian1' as const, round: '2019-11-04' };

    await expect(store.putReview(reviewOf(receipt.id, '请补充整改时限'), target, click('k1'))).rejects.toThrow(
      'injected failure',
    );
    expect(await store.listSubmissionReviews(receipt.id)).toEqual([]);
    expect(await marks(store, campaign, '2019-11-04')).toEqual({
      round: null,
      top: { round: '2019-11-04', review: null },
    });

    failing = false;
    expect(await store.putReview(reviewOf(receipt.id, '请补充整改时限'), target, click('k1'))).toBe('written');
    expect((await store.listSubmissionReviews(receipt.id)).map((r) => r.comment)).toEqual(['请补充整改时限']);
    expect(await marks(store, campaign, '2019-11-04')).toEqual({
      round: '请补充整改时限',
      top: { round: '2019-11-04', review: '请补充整改时限' },
    });
  });

  it('a newer round committed while the review is written: the review stands on its round, once, and the top stays the newer round’s', async () => {
    let race: (() => Promise<unknown>) | undefined;
    const { ctx, caller, store } = await countyContext((client) => {
      client.middlewareStack.add(
        (next, context) => async (args) => {
          // The county commits its next round just before the review's transaction reaches DynamoDB.
          const isReview =
            context.commandName === 'TransactWriteItemsCommand' && JSON.stringify(args.input).includes('REVIEW#');
          if (isReview && race) {
            const commitNewer = race;
            race = undefined;
            await commitNewer();
          }
          return next(args);
        },
        { step: 'initialize', name: 'commitDuringReview' },
      );
    });
    const first = await submit(
      ctx,
      caller,
      { form: 'fujian1', round: '2019-11-04', asOf: '2019-11-03', contact, rows: fujian1Rows(2) },
      'r2',
    );
    const { campaign } = (await store.getHeader(first.id))!;
    const later = { ...ctx, now: () => new Date('2019-11-14T10:00:00+08:00') };
    race = () =>
      submit(
        later,
        caller,
        {
          form: 'fujian1',
          round: '2019-11-14',
          asOf: '2019-11-13',
          contact,
          rows: fujian1Rows(2, { progress: '已完成清理' }),
        },
        'r3',
      );
    const target = { unit: 'tongren', campaign, form: 'fujian1' as const, round: '2019-11-04' };
    expect(await store.putReview(reviewOf(first.id, '第2行整改时限不明确'), target, click('k2'))).toBe('written');
    expect(race).toBeUndefined();
    expect((await store.listSubmissionReviews(first.id)).map((r) => r.comment)).toEqual(['第2行整改时限不明确']);
    expect(await marks(store, campaign, '2019-11-04')).toEqual({
      round: '第2行整改时限不明确',
      top: { round: '2019-11-14', review: null },
    });
  });
});

describe('a corrupt item', () => {
  it('is a CorruptItem naming the item and the attribute, never a silent empty value (the HTTP edge: api.test.ts)', async () => {
    const { ctx, caller, store, client, tableName } = await countyContext();
    const { id } = await submit(
      ctx,
      caller,
      { form: 'fujian1', round: '2019-11-04', asOf: '2019-11-03', contact, rows: fujian1Rows(2) },
      'c1',
    );
    // Attributes lost (a bad manual edit, a migration gone wrong): the header no longer says how many rows it has,
    // the round's pointer no longer says whether it came late.
    const remove = (sk: string, attribute: string) =>
      client.send(
        new UpdateItemCommand({
          TableName: tableName,
          Key: { pk: { S: sk === 'HEAD' ? `SUB#${id}` : 'UNIT#tongren' }, sk: { S: sk } },
          UpdateExpression: `REMOVE ${attribute}`,
        }),
      );
    await remove('HEAD', 'rowCount');
    await remove('CUR#huangnan-2019#fujian1#2019-11-04', 'late');
    const header = await store.getHeader(id).catch((e: unknown) => e);
    expect(header).toBeInstanceOf(CorruptItem);
    expect((header as Error).message).toContain(`SUB#${id} / HEAD`);
    expect((header as Error).message).toContain('rowCount: expected number');
    const pointer = await store
      .getPointer('tongren', 'huangnan-2019', 'fujian1', '2019-11-04')
      .catch((e: unknown) => e);
    expect(pointer).toBeInstanceOf(CorruptItem);
    expect((pointer as Error).message).toContain('UNIT#tongren / CUR#huangnan-2019#fujian1#2019-11-04');
    expect((pointer as Error).message).toContain('late: expected boolean');
  });
});
