// The reads and writes every store class makes the same way on the one table, through the document client:
// consistent gets, queries followed to their last page, and batch writes repeated until DynamoDB has processed
// every item.
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  BatchWriteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  type BatchWriteCommandInput,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';
import type { Item, Key } from './items';
import { mapLimit, pauseBeforeRetry } from './retry';

export type WriteRequest = NonNullable<BatchWriteCommandInput['RequestItems']>[string][number];

/**
 * The document client over `client`. It shares the client's middleware stack, so the deadline (retry.ts) and
 * countRequests see every request it sends, under the low-level command's name (GetItemCommand, …).
 * Undefined values are refused, not dropped (the default, kept on purpose): an attribute the code meant to write
 * but left undefined fails the write instead of storing an item that its reader would reject later; optional
 * attributes are left out explicitly.
 */
export function documentClient(client: DynamoDBClient): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: false } });
}

/** BatchWriteItem's limit of requests per call. */
export const BATCH_SIZE = 25;
/**
 * Keys per BatchGetItem call: items of up to 320 KB (row chunks) stay far under the 16 MB an answer may hold, and
 * the calls of a page's reads run side by side.
 */
const GET_BATCH_SIZE = 10;
/** BatchGetItem calls in flight at once. */
const GET_BATCHES_IN_FLIGHT = 4;
/** Retries of a batch's unprocessed items (throttling) before the request gives up. */
const BATCH_RETRIES = 12;

/** One item by its key, read strongly consistent; null when there is none. */
export async function getItem(
  doc: DynamoDBDocumentClient,
  table: string,
  key: Key,
  projection?: string,
): Promise<Item | null> {
  const out = await doc.send(
    new GetCommand({ TableName: table, Key: key, ConsistentRead: true, ProjectionExpression: projection }),
  );
  return out.Item ?? null;
}

/** Every item a query matches, page after page; consistent on the table (an index cannot be). */
export async function queryAll(
  doc: DynamoDBDocumentClient,
  table: string,
  input: Omit<QueryCommandInput, 'TableName'>,
): Promise<Item[]> {
  const items: Item[] = [];
  let start: Item | undefined;
  do {
    const out = await doc.send(
      new QueryCommand({
        ...input,
        TableName: table,
        ExclusiveStartKey: start,
        ConsistentRead: input.IndexName ? undefined : true,
      }),
    );
    items.push(...(out.Items ?? []));
    start = out.LastEvaluatedKey;
  } while (start);
  return items;
}

/**
 * Items by key, strongly consistent, in the order of `keys` (null where there is none): GET_BATCH_SIZE keys per
 * BatchGetItem call instead of a call per key (each call costs the caller about as much CPU as its bytes do).
 * Keys DynamoDB leaves unprocessed (throttling) are asked again after a pause, like batchWriteAll's.
 */
export async function batchGetAll(
  doc: DynamoDBDocumentClient,
  table: string,
  keys: readonly Key[],
): Promise<(Item | null)[]> {
  const found = new Map<string, Item>();
  const id = (k: Item): string => `${String(k.pk)}\u0000${String(k.sk)}`;
  const groups: Key[][] = [];
  for (let i = 0; i < keys.length; i += GET_BATCH_SIZE) groups.push(keys.slice(i, i + GET_BATCH_SIZE));
  await mapLimit(groups, GET_BATCHES_IN_FLIGHT, async (group) => {
    let pending: Key[] = group;
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt > 0) await pauseBeforeRetry(attempt);
      if (attempt > BATCH_RETRIES) throw new Error('BatchGetItem kept leaving unprocessed keys');
      const out = await doc.send(
        new BatchGetCommand({ RequestItems: { [table]: { Keys: pending, ConsistentRead: true } } }),
      );
      for (const item of out.Responses?.[table] ?? []) found.set(id(item), item);
      pending = (out.UnprocessedKeys?.[table]?.Keys ?? []) as Key[];
    }
  });
  return keys.map((k) => found.get(id(k)) ?? null);
}

/**
 * Writes every request, BATCH_SIZE per call, until nothing is left unprocessed (DynamoDB may accept only part of a
 * batch). Unprocessed items mean throttling: the pause backs off within the request's deadline (then 503, see
 * retry.ts), and a batch still refused after BATCH_RETRIES fails the request.
 */
export async function batchWriteAll(
  doc: DynamoDBDocumentClient,
  table: string,
  requests: WriteRequest[],
): Promise<void> {
  for (let i = 0; i < requests.length; i += BATCH_SIZE) {
    let pending = requests.slice(i, i + BATCH_SIZE);
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt > 0) await pauseBeforeRetry(attempt);
      if (attempt > BATCH_RETRIES) throw new Error('BatchWriteItem kept leaving unprocessed items');
      const out = await doc.send(new BatchWriteCommand({ RequestItems: { [table]: pending } }));
      pending = out.UnprocessedItems?.[table] ?? [];
    }
  }
}
