// DynamoDB Local for tests: one in-memory JVM per test file on a free port, a fresh table per test.
import { randomBytes } from 'node:crypto';
import { ScanCommand, type AttributeValue, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { startDynamoLocal, type DynamoLocal } from '../../infra/local/dynamodb-local';
import { DynamoStore } from '../../functions/store/dynamo';
import { createDynamoClient, ensureTable } from '../../functions/store/table';

export { startDynamoLocal, type DynamoLocal };

/** A new, empty table on `endpoint`, and a store on it; `prepare` may add client middleware first. */
export async function freshStore(
  endpoint: string,
  prepare?: (client: DynamoDBClient) => void,
): Promise<{ store: DynamoStore; client: DynamoDBClient; tableName: string }> {
  const client = createDynamoClient({ endpoint });
  prepare?.(client);
  const tableName = `t_${randomBytes(4).toString('hex')}`;
  await ensureTable(client, tableName);
  return { store: new DynamoStore({ client, tableName }), client, tableName };
}

/** One submission's stored row chunks as DynamoDB holds them. */
export interface StoredChunks {
  /** Its HEAD item exists (it was committed). */
  committed: boolean;
  /** Its pending marker exists (rows written, never committed, not yet swept). */
  pending: boolean;
  /** `expiresAt` (TTL, epoch seconds) of each chunk, in key order; null where absent. */
  expiresAt: (number | null)[];
  /** Stored bytes of the chunks' data. */
  dataBytes: number;
}

/** Every submission in the table (by id) with its row chunks, read by a Scan: what an operator would see. */
export async function storedChunks(client: DynamoDBClient, tableName: string): Promise<Map<string, StoredChunks>> {
  const items: Record<string, AttributeValue>[] = [];
  let start: Record<string, AttributeValue> | undefined;
  do {
    const out = await client.send(
      new ScanCommand({ TableName: tableName, ExclusiveStartKey: start, ConsistentRead: true }),
    );
    items.push(...(out.Items ?? []));
    start = out.LastEvaluatedKey;
  } while (start);
  const subs = new Map<string, StoredChunks>();
  const of = (pk: string): StoredChunks => {
    const id = pk.slice('SUB#'.length).split('#')[0];
    if (!subs.has(id)) subs.set(id, { committed: false, pending: false, expiresAt: [], dataBytes: 0 });
    return subs.get(id)!;
  };
  for (const item of items.sort((a, b) => (a.sk.S! < b.sk.S! ? -1 : 1))) {
    const pk = item.pk.S!;
    if (!pk.startsWith('SUB#')) continue;
    const sub = of(pk);
    if (item.sk.S === 'HEAD') sub.committed = true;
    else if (item.sk.S === 'PENDING') sub.pending = true;
    else {
      sub.expiresAt.push(item.expiresAt?.N === undefined ? null : Number(item.expiresAt.N));
      sub.dataBytes += (item.data.B as Uint8Array).byteLength;
    }
  }
  return subs;
}
