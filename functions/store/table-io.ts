// The reads and writes every store class makes the same way on the one table: consistent gets, queries followed
// to their last page, and batch writes repeated until DynamoDB has processed every item.
import {
  BatchWriteItemCommand,
  GetItemCommand,
  QueryCommand,
  type AttributeValue,
  type DynamoDBClient,
  type QueryCommandInput,
  type WriteRequest,
} from '@aws-sdk/client-dynamodb';
import { pauseBeforeRetry } from './retry';

export type Item = Record<string, AttributeValue>;

/** BatchWriteItem's limit of requests per call. */
export const BATCH_SIZE = 25;
/** Retries of a batch's unprocessed items (throttling) before the request gives up. */
const BATCH_RETRIES = 12;

/** One item by its key, read strongly consistent; null when there is none. */
export async function getItem(client: DynamoDBClient, table: string, key: Item): Promise<Item | null> {
  const out = await client.send(new GetItemCommand({ TableName: table, Key: key, ConsistentRead: true }));
  return out.Item ?? null;
}

/** Every item a query matches, page after page; consistent on the table (an index cannot be). */
export async function queryAll(
  client: DynamoDBClient,
  table: string,
  input: Omit<QueryCommandInput, 'TableName'>,
): Promise<Item[]> {
  const items: Item[] = [];
  let start: Item | undefined;
  do {
    const out = await client.send(
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
export async function batchWriteAll(client: DynamoDBClient, table: string, requests: WriteRequest[]): Promise<void> {
  for (let i = 0; i < requests.length; i += BATCH_SIZE) {
    let pending = requests.slice(i, i + BATCH_SIZE);
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt > 0) await pauseBeforeRetry(attempt);
      if (attempt > BATCH_RETRIES) throw new Error('BatchWriteItem kept leaving unprocessed items');
      const out = await client.send(new BatchWriteItemCommand({ RequestItems: { [table]: pending } }));
      pending = out.UnprocessedItems?.[table] ?? [];
    }
  }
}
