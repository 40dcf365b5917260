// Backend figures through the local HTTP API (the real handlers on DynamoDB Local), each next to a floor measured
// in the same run: the bare DynamoDB cost of moving the same stored bytes (BatchWriteItem / Query), no HTTP, no checks.
import { randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { BatchWriteItemCommand, QueryCommand, type AttributeValue, type WriteRequest } from '@aws-sdk/client-dynamodb';
import { issueToken } from '../functions/auth';
import { createDynamoClient, DEFAULT_TABLE_NAME } from '../functions/store/table';
import { mapLimit } from '../functions/store/retry';
import { startLocalStack, type LocalStack } from '../infra/local/stack';
import { COMPRESSED_BODY_TYPE } from '../contract/api';
import { allPages, call } from '../test/support/api';
import { fujian1Rows } from '../test/support/rows';
import type { Figure } from './run';

const contact = { name: '卓玛', phone: '0973-8722111' };

async function timed<T>(task: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t0 = performance.now();
  const value = await task();
  return { ms: performance.now() - t0, value };
}

/**
 * The floor of a submit: bare BatchWriteItem of the sheet's JSON bytes, cut into items under 350 KB, with no
 * HTTP, no checks, no compression — what storing those bytes costs at the least.
 */
async function writeFloor(endpoint: string, rows: unknown[]): Promise<{ ms: number; requests: number }> {
  const client = createDynamoClient({ endpoint });
  const id = `floor_${randomBytes(4).toString('hex')}`;
  const bytes = Buffer.from(JSON.stringify(rows), 'utf8');
  const ITEM = 350_000;
  const requests: WriteRequest[] = [];
  for (let at = 0, i = 0; at < bytes.length; at += ITEM, i++) {
    requests.push({
      PutRequest: {
        Item: {
          pk: { S: `FLOOR#${id}` },
          sk: { S: String(i).padStart(5, '0') },
          data: { B: bytes.subarray(at, at + ITEM) },
        },
      },
    });
  }
  let calls = 0;
  const { ms } = await timed(async () => {
    const batches: WriteRequest[][] = [];
    for (let i = 0; i < requests.length; i += 25) batches.push(requests.slice(i, i + 25));
    await mapLimit(batches, 4, async (batch) => {
      let pending = batch;
      while (pending.length) {
        calls++;
        const out = await client.send(new BatchWriteItemCommand({ RequestItems: { [DEFAULT_TABLE_NAME]: pending } }));
        pending = out.UnprocessedItems?.[DEFAULT_TABLE_NAME] ?? [];
      }
    });
  });
  client.destroy();
  return { ms, requests: calls };
}

/** Bare Query of every stored item of the given submissions (what a consolidated pull must read). */
async function readFloor(endpoint: string, ids: string[]): Promise<{ ms: number; requests: number }> {
  const client = createDynamoClient({ endpoint });
  let calls = 0;
  const { ms } = await timed(() =>
    mapLimit(ids, 8, async (id) => {
      let start: Record<string, AttributeValue> | undefined;
      do {
        calls++;
        const out = await client.send(
          new QueryCommand({
            TableName: DEFAULT_TABLE_NAME,
            KeyConditionExpression: 'pk = :pk',
            ExpressionAttributeValues: { ':pk': { S: `SUB#${id}` } },
            ExclusiveStartKey: start,
          }),
        );
        start = out.LastEvaluatedKey;
      } while (start);
    }),
  );
  client.destroy();
  return { ms, requests: calls };
}

async function submitFigures(stack: LocalStack, emit: (f: Figure) => void, rowCount: number): Promise<void> {
  const unit = `bench${rowCount}`;
  await stack.store.createUnit({
    id: unit,
    name: `基准县${rowCount}`,
    role: 'county',
    order: 1000,
    createdAt: new Date().toISOString(),
  });
  const { token } = await issueToken(stack.store, unit, 'county');
  const rows = fujian1Rows(rowCount, { unitName: `基准县${rowCount}` });
  const json = JSON.stringify({ form: 'fujian1', round: '2019-12-24', asOf: '2019-11-01', contact, rows });
  const gzip = Buffer.byteLength(json) > 1024 * 1024;
  const body = gzip ? gzipSync(json) : json;
  const before = stack.dynamoRequests.total();
  const { ms, value } = await timed(() =>
    call(stack.apiUrl, 'POST', '/v1/submissions', {
      token,
      rawBody: body,
      idempotencyKey: randomBytes(8).toString('hex'),
      headers: gzip ? { 'content-type': COMPRESSED_BODY_TYPE, 'content-encoding': 'gzip' } : {},
    }),
  );
  if (value.status !== 201)
    throw new Error(`submit ${rowCount}: ${value.status} ${JSON.stringify(value.body).slice(0, 300)}`);
  const requests = stack.dynamoRequests.total() - before;
  const floor = await writeFloor(stack.dynamodbEndpoint, rows);
  const base = { rows: rowCount, jsonBytes: Buffer.byteLength(json), requestBytes: Buffer.byteLength(body), gzip };
  emit({
    name: `submit.fujian1.${rowCount}.wall`,
    value: Math.round(ms),
    unit: 'ms',
    ...base,
    floorMs: Math.round(floor.ms),
    ratioToFloor: +(ms / floor.ms).toFixed(2),
  });
  emit({
    name: `submit.fujian1.${rowCount}.dynamodbRequests`,
    value: requests,
    unit: 'requests',
    floorRequests: floor.requests,
  });
  // And back: the whole sheet as the add-in reads it (gzip accepted), with the largest response body.
  const back = await timed(() =>
    allPages(stack.apiUrl, `/v1/submissions/${value.body.id}`, { token, acceptGzip: true }),
  );
  if (back.value.rows.length !== rowCount) throw new Error(`read back ${back.value.rows.length} rows`);
  emit({
    name: `read.fujian1.${rowCount}.wall`,
    value: Math.round(back.ms),
    unit: 'ms',
    pages: back.value.pages,
    largestResponseBody: back.value.largestBytes,
  });
}

export default async function bench(emit: (f: Figure) => void): Promise<void> {
  const stack = await startLocalStack({ inMemory: true, port: 0, quiet: true });
  try {
    // A first submission and read-back, not reported: the figures are for a warm function.
    await submitFigures(stack, () => {}, 50);
    await submitFigures(stack, emit, 500);
    await submitFigures(stack, emit, 10_000);

    // 100 units × 500 rows, submitted by the prefecture for each unit, then pulled as one consolidated 附件1.
    // Their round (12-14) precedes the submit benchmarks' round (12-24), so the pull holds exactly these rows.
    const units = Array.from({ length: 100 }, (_, i) => `u${String(i).padStart(3, '0')}`);
    const ids = await mapLimit(units, 4, async (id, i) => {
      await stack.store.createUnit({
        id,
        name: `县${i}`,
        role: 'county',
        order: 2000 + i,
        createdAt: new Date().toISOString(),
      });
      const res = await call(stack.apiUrl, 'POST', '/v1/submissions', {
        token: stack.tokens.huangnan,
        idempotencyKey: `setup-${id}`,
        gzip: true,
        body: {
          unit: id,
          form: 'fujian1',
          round: '2019-12-14',
          asOf: '2019-11-01',
          contact,
          rows: fujian1Rows(500, { unitName: `县${i}` }),
        },
      });
      if (res.status !== 201) throw new Error(`setup ${id}: ${res.status}`);
      return res.body.id as string;
    });
    // One pull of each kind first, not reported: the figures are for a warm function, not for JIT compilation.
    for (const acceptGzip of [true, false])
      await allPages(stack.apiUrl, '/v1/consolidated/fujian1?round=2019-12-14', {
        token: stack.tokens.huangnan,
        acceptGzip,
      });
    for (const acceptGzip of [true, false]) {
      const before = stack.dynamoRequests.total();
      const { ms, value } = await timed(() =>
        allPages(stack.apiUrl, '/v1/consolidated/fujian1?round=2019-12-14', {
          token: stack.tokens.huangnan,
          acceptGzip,
        }),
      );
      const rows = value.rows.length;
      if (rows !== 50_000) throw new Error(`consolidated returned ${rows} rows, expected 50000`);
      const requests = stack.dynamoRequests.total() - before;
      const floor = await readFloor(stack.dynamodbEndpoint, ids);
      const tag = acceptGzip ? 'gzip' : 'identity';
      emit({
        name: `consolidated.fujian1.100x500.${tag}.wall`,
        value: Math.round(ms),
        unit: 'ms',
        rows,
        pages: value.pages,
        floorMs: Math.round(floor.ms),
        ratioToFloor: +(ms / floor.ms).toFixed(2),
      });
      emit({
        name: `consolidated.fujian1.100x500.${tag}.dynamodbRequests`,
        value: requests,
        unit: 'requests',
        floorRequests: floor.requests,
      });
      emit({
        name: `consolidated.fujian1.100x500.${tag}.largestResponseBody`,
        value: value.largestBytes,
        unit: 'bytes',
        limit: 5 * 1024 * 1024,
      });
    }
  } finally {
    await stack.stop();
  }
}
