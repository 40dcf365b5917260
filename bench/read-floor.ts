// The floor of reading rows back: the bare reads of the items a read needs (each submission's header, then each
// of its row chunks, by Query on their own partition keys), with no HTTP, no decompression, no checks.
import { QueryCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { createDynamoClient, DEFAULT_TABLE_NAME } from '../functions/store/table';
import { chunkItemKey } from '../functions/store/dynamo';
import { mapLimit } from '../functions/store/retry';

/** Every item of the partition, page by page (what one Query call per key costs). */
async function queryAll(client: ReturnType<typeof createDynamoClient>, pk: AttributeValue): Promise<number> {
  let calls = 0;
  let start: Record<string, AttributeValue> | undefined;
  do {
    calls++;
    const out = await client.send(
      new QueryCommand({
        TableName: DEFAULT_TABLE_NAME,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': pk },
        ExclusiveStartKey: start,
      }),
    );
    start = out.LastEvaluatedKey;
  } while (start);
  return calls;
}

/**
 * The floor of a pull: the bare reads of what it must read — per submission its header item, then its row chunks
 * (each under its own partition key) — 8 submissions at a time, as the pull reads them.
 */
export async function readFloor(
  endpoint: string,
  subs: readonly { id: string; chunks: number }[],
): Promise<{ ms: number; requests: number }> {
  const client = createDynamoClient({ endpoint });
  let calls = 0;
  const t0 = performance.now();
  await mapLimit(subs, 8, async ({ id, chunks }) => {
    // Counted after each await: `calls += await …` would add to the count as it was before the wait.
    const header = await queryAll(client, { S: `SUB#${id}` });
    calls += header;
    for (let i = 0; i < chunks; i++) {
      const chunk = await queryAll(client, { S: chunkItemKey(id, i).pk });
      calls += chunk;
    }
  });
  const ms = performance.now() - t0;
  client.destroy();
  return { ms, requests: calls };
}
