// DynamoDB Local for tests: one in-memory JVM per test file on a free port, a fresh table per test.
import { randomBytes } from 'node:crypto';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { startDynamoLocal, type DynamoLocal } from '../../infra/local/dynamodb-local';
import { DynamoStore } from '../../functions/store/dynamo';
import { createDynamoClient, ensureTable } from '../../functions/store/table';

export { startDynamoLocal, type DynamoLocal };

/** A new, empty table on `endpoint`, and a store on it; `prepare` may add client middleware first. */
export async function freshStore(endpoint: string, prepare?: (client: DynamoDBClient) => void): Promise<{ store: DynamoStore; client: DynamoDBClient; tableName: string }> {
  const client = createDynamoClient({ endpoint });
  prepare?.(client);
  const tableName = `t_${randomBytes(4).toString('hex')}`;
  await ensureTable(client, tableName);
  return { store: new DynamoStore({ client, tableName }), client, tableName };
}
