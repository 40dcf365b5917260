// The reads and writes every store class makes the same way on the one table, through the document client:
// consistent gets, queries followed to their last page, and batch writes repeated until DynamoDB has processed
// every item.
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  BatchWriteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  type BatchWriteCommandInput,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';
import type { Item, Key } from './items';
import { pauseBeforeRetry } from './retry';

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
