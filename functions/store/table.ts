// The table as agreed with infra/cloud: pk/sk strings, one GSI `gsi1` (gsi1pk/gsi1sk, projection ALL), on-demand.
// infra/local and the tests create it with ensureTable; on AWS the CDK stack owns it.
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ResourceNotFoundException,
} from '@aws-sdk/client-dynamodb';
import { sleep } from './retry';

export const DEFAULT_TABLE_NAME = 'baosong';

export interface ClientOptions {
  /** e.g. http://127.0.0.1:8000 for DynamoDB Local; absent on AWS. */
  endpoint?: string;
  region?: string;
}

export function createDynamoClient(opts: ClientOptions = {}): DynamoDBClient {
  return new DynamoDBClient({
    region: opts.region ?? (opts.endpoint ? 'local' : undefined),
    endpoint: opts.endpoint,
    // DynamoDB Local accepts any credentials; fixed ones keep a developer's real AWS profile out of local runs.
    ...(opts.endpoint ? { credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {}),
    // Throttling and 5xx are retried by the SDK with backoff; a few more attempts than the default 3.
    maxAttempts: 8,
  });
}

/** Creates the table unless it exists; resolves once it is ACTIVE. Returns true when it was created. */
export async function ensureTable(client: DynamoDBClient, tableName: string): Promise<boolean> {
  try {
    await client.send(new DescribeTableCommand({ TableName: tableName }));
    return false;
  } catch (err) {
    if (!(err instanceof ResourceNotFoundException)) throw err;
  }
  await client.send(
    new CreateTableCommand({
      TableName: tableName,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'S' },
        { AttributeName: 'gsi1pk', AttributeType: 'S' },
        { AttributeName: 'gsi1sk', AttributeType: 'S' },
      ],
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: [
        {
          IndexName: 'gsi1',
          KeySchema: [
            { AttributeName: 'gsi1pk', KeyType: 'HASH' },
            { AttributeName: 'gsi1sk', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        },
      ],
    }),
  );
  for (let i = 0; i < 50; i++) {
    const out = await client.send(new DescribeTableCommand({ TableName: tableName }));
    if (out.Table?.TableStatus === 'ACTIVE') return true;
    await sleep(100);
  }
  throw new Error(`table ${tableName} did not become ACTIVE`);
}
