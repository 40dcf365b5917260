// Backend figures through the local HTTP API (the real handlers on DynamoDB Local), each next to a floor measured
// in the same run: the bare DynamoDB cost of moving the same stored bytes (BatchWriteItem), no HTTP, no checks.
// The consolidated pull is in consolidated.bench.ts.
import { randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { BatchWriteItemCommand, type WriteRequest } from '@aws-sdk/client-dynamodb';
import { issueToken } from '../functions/auth';
import { createDynamoClient, DEFAULT_TABLE_NAME } from '../functions/store/table';
import { mapLimit } from '../functions/store/retry';
import { startLocalStack, type LocalStack } from '../infra/local/stack';
import { COMPRESSED_BODY_TYPE } from '../contract/api';
import { allPages, call } from '../test/support/api';
import { fujian1Rows } from '../test/support/rows';
import { readFloor } from './read-floor';
import { median } from './median';
import type { Figure } from './run';

const contact = { name: '卓玛', phone: '0973-8722111' };
const RUNS = 5;

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

async function submitFigures(
  stack: LocalStack,
  emit: (f: Figure) => void,
  rowCount: number,
  counties = 'bench',
): Promise<void> {
  // Each run is a county's first submission of the round, from a county of its own.
  const county = async (run: number): Promise<string> => {
    const unit = `${counties}${rowCount}_${run}`;
    await stack.store.createUnit({
      id: unit,
      name: `基准县${rowCount}`,
      role: 'county',
      order: 1000,
      createdAt: new Date().toISOString(),
    });
    return (await issueToken(stack.store, unit, 'county')).token;
  };
  const rows = fujian1Rows(rowCount, { unitName: `基准县${rowCount}` });
  const json = JSON.stringify({ form: 'fujian1', round: '2019-12-24', asOf: '2019-11-01', contact, rows });
  const gzip = Buffer.byteLength(json) > 1024 * 1024;
  const body = gzip ? gzipSync(json) : json;
  // Submit, floor, read back and its floor, RUNS times: on a shared 2-core machine one run swings by a third, so
  // each figure is the median run against the median floor (the runs listed beside).
  const runs: {
    submit: number;
    requests: number;
    floor: number;
    floorRequests: number;
    read: number;
    readFloor: number;
  }[] = [];
  let back: Awaited<ReturnType<typeof allPages>> | undefined;
  for (let run = 0; run < RUNS; run++) {
    const token = await county(run);
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
    // And back: the whole sheet as the add-in reads it (gzip accepted), with the largest response body; its floor
    // is the bare reads of the same items (the header, then each row chunk), as for a consolidated pull.
    const read = await timed(() =>
      allPages(stack.apiUrl, `/v1/submissions/${value.body.id}`, { token, acceptGzip: true }),
    );
    if (read.value.rows.length !== rowCount) throw new Error(`read back ${read.value.rows.length} rows`);
    back = read.value;
    const header = await stack.store.getHeader(value.body.id as string);
    const readBase = await readFloor(stack.dynamodbEndpoint, [{ id: header!.id, chunks: header!.chunks.length }]);
    runs.push({
      submit: ms,
      requests,
      floor: floor.ms,
      floorRequests: floor.requests,
      read: read.ms,
      readFloor: readBase.ms,
    });
  }
  const mid = (key: keyof (typeof runs)[number]): number => median(runs.map((r) => r[key]));
  const listed = (key: keyof (typeof runs)[number]): number[] => runs.map((r) => Math.round(r[key]));
  const base = { rows: rowCount, jsonBytes: Buffer.byteLength(json), requestBytes: Buffer.byteLength(body), gzip };
  emit({
    name: `submit.fujian1.${rowCount}.wall`,
    value: Math.round(mid('submit')),
    unit: 'ms',
    ...base,
    floorMs: Math.round(mid('floor')),
    ratioToFloor: +(mid('submit') / mid('floor')).toFixed(2),
    runsMs: listed('submit'),
    floorRunsMs: listed('floor'),
  });
  emit({
    name: `submit.fujian1.${rowCount}.dynamodbRequests`,
    value: runs.at(-1)!.requests,
    unit: 'requests',
    floorRequests: runs.at(-1)!.floorRequests,
  });
  emit({
    name: `read.fujian1.${rowCount}.wall`,
    value: Math.round(mid('read')),
    unit: 'ms',
    pages: back!.pages,
    largestResponseBody: back!.largestBytes,
    floorMs: Math.round(mid('readFloor')),
    ratioToFloor: +(mid('read') / mid('readFloor')).toFixed(2),
    runsMs: listed('read'),
    floorRunsMs: listed('readFloor'),
  });
}

export default async function bench(emit: (f: Figure) => void): Promise<void> {
  const stack = await startLocalStack({ inMemory: true, port: 0, quiet: true });
  try {
    // Submissions and read-backs of the largest size first, not reported: the figures are for a warm function (a
    // first 10,000-row run also grows the heap, and the runs after it were ~250 ms faster).
    await submitFigures(stack, () => {}, 10_000, 'warm');
    await submitFigures(stack, emit, 500);
    await submitFigures(stack, emit, 10_000);
  } finally {
    await stack.stop();
  }
}
