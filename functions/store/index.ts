// Builds the Store from the environment, the same way on AWS and locally:
//   TABLE_NAME (default `baosong`), DYNAMODB_ENDPOINT (DynamoDB Local, e.g. http://127.0.0.1:8000), AWS_REGION.
import { DynamoStore } from './dynamo';
import { createDynamoClient, DEFAULT_TABLE_NAME } from './table';
import type { Store } from './types';

export type { Store } from './types';

export function storeFromEnv(env: NodeJS.ProcessEnv = process.env): Store {
  const client = createDynamoClient({
    endpoint: env.DYNAMODB_ENDPOINT || undefined,
    region: env.AWS_REGION || undefined,
  });
  return new DynamoStore({ client, tableName: env.TABLE_NAME || DEFAULT_TABLE_NAME });
}
