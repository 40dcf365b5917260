// The IAM condition on the submissions function (infra/cloud: dynamodb:LeadingKeys = SUBMISSION_WRITE_KEYS) must
// not refuse what a submit really writes: every partition key of every write a submit makes, recorded on the
// real calls to DynamoDB Local, starts with one of the granted prefixes. The same for the callbacks function.
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { freshStore, startDynamoLocal, type DynamoLocal } from '../../test/support/dynamo';
import { fujian1Rows } from '../../test/support/rows';
import { submit } from '../domain/submit';
import { drawSample, saveResults } from '../domain/callbacks';
import { BUILT_IN_CAMPAIGN } from '../domain/campaign';
import { CALLBACK_WRITE_KEYS } from './callbacks';
import { handlerGroups } from '../routes';
import { SUBMISSION_WRITE_KEYS } from './schema';

let dynamo: DynamoLocal;
beforeAll(async () => {
  dynamo = await startDynamoLocal();
});
afterAll(async () => {
  await dynamo?.stop();
});

/** The store's requests carry plain values: the document client marshals them further down the stack. */
type Key = { pk?: string };

function recordWrites(client: DynamoDBClient, keys: string[]): void {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const input = args.input as Record<string, any>;
      const add = (k: Key | undefined) => keys.push(k?.pk ?? '(none)');
      switch (context.commandName) {
        case 'PutItemCommand':
          add(input.Item);
          break;
        case 'UpdateItemCommand':
        case 'DeleteItemCommand':
          add(input.Key);
          break;
        case 'BatchWriteItemCommand':
          for (const reqs of Object.values(input.RequestItems) as any[])
            for (const r of reqs) add(r.PutRequest?.Item ?? r.DeleteRequest?.Key);
          break;
        case 'TransactWriteItemsCommand':
          for (const t of input.TransactItems) add(t.Put?.Item ?? t.Update?.Key ?? t.Delete?.Key);
          break;
      }
      return next(args);
    },
    { step: 'initialize', name: 'recordWrites' },
  );
}

it('a submit, first and replacing, and a part upload write only under the prefixes the submissions role may write', async () => {
  const keys: string[] = [];
  const { store } = await freshStore(dynamo.endpoint, (client) => recordWrites(client, keys));
  const unit = { id: 'tongren', name: '同仁县', role: 'county' as const, order: 1, createdAt: '2019-10-22T00:00:00Z' };
  await store.createUnit(unit);
  keys.length = 0;
  const ctx = { store, now: () => new Date('2019-11-04T10:00:00+08:00'), log: () => {} };
  const caller = { tokenId: 'tok', role: 'county' as const, unit };
  const contact = { name: '卓玛', phone: '0973-8722111' };
  const first = await submit(
    ctx,
    caller,
    { form: 'fujian1', round: '2019-11-04', asOf: '2019-11-03', contact, rows: fujian1Rows(3000) },
    'k1',
  );
  await submit(
    ctx,
    caller,
    { form: 'fujian1', round: '2019-11-04', asOf: '2019-11-03', contact, rows: fujian1Rows(5), basedOn: first.id },
    'k2',
  );
  expect(handlerGroups.submissions.writeKeys).toEqual(SUBMISSION_WRITE_KEYS);
  await store.putPart('tongren', 'k3', 0, Buffer.from('[]'));
  expect(new Set(keys.map((k) => k.replace(/#.*/, '#')))).toEqual(new Set(SUBMISSION_WRITE_KEYS));
  for (const k of keys)
    expect(
      SUBMISSION_WRITE_KEYS.some((p) => k.startsWith(p)),
      k,
    ).toBe(true);
});

it('drawing a callback sample (also losing the race for it) and recording results write only under the callbacks role’s prefixes', async () => {
  const keys: string[] = [];
  const { store } = await freshStore(dynamo.endpoint, (client) => recordWrites(client, keys));
  const county = {
    id: 'tongren',
    name: '同仁县',
    role: 'county' as const,
    order: 1,
    createdAt: '2019-10-22T00:00:00Z',
  };
  const office = {
    id: 'huangnan',
    name: '黄南州',
    role: 'prefecture' as const,
    order: 0,
    createdAt: '2019-10-22T00:00:00Z',
  };
  await store.createUnit(county);
  await store.createUnit(office);
  const ctx = { store, now: () => new Date('2019-11-20T10:00:00+08:00'), log: () => {} };
  const contact = { name: '卓玛', phone: '0973-8722111' };
  await submit(
    ctx,
    { tokenId: 'tok', role: 'county', unit: county },
    {
      form: 'fujian1',
      round: '2019-11-04',
      asOf: '2019-11-03',
      contact,
      rows: fujian1Rows(10, { closure: () => '已办结' }),
    },
    'k1',
  );
  keys.length = 0;
  const caller = { tokenId: 'tok2', role: 'prefecture' as const, unit: office };
  const campaign = BUILT_IN_CAMPAIGN;
  const drawn = await drawSample(ctx, caller, campaign, { round: '2019-11-04', number: '7' });
  const {
    sampleId: _id,
    chunks: _chunks,
    caseCount: _count,
    ...head
  } = (await store.callbacks.getSample(campaign.id, '2019-11-04'))!;
  expect(await store.callbacks.putSample(head, [])).toBe(false);
  const c = drawn.cases[0];
  await saveResults(
    ctx,
    caller,
    campaign,
    {
      round: '2019-11-04',
      results: [{ unit: c.unit, seq: c.seq, way: '电话', date: '2019-11-19', result: '不满意', note: '仍有噪声' }],
    },
    'k2',
  );
  expect(handlerGroups.callbacks.writeKeys).toEqual(CALLBACK_WRITE_KEYS);
  expect(new Set(keys.map((k) => k.replace(/#.*/, '#')))).toEqual(new Set(CALLBACK_WRITE_KEYS));
});
