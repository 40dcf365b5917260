// The table of schema.ts, on-demand (infra/cloud creates the same one on AWS).
// infra/local and the tests create it with ensureTable; on AWS the CDK stack owns it.
import {
  CreateTableCommand,
  type CreateTableCommandInput,
  DescribeTableCommand,
  DynamoDBClient,
  ResourceNotFoundException,
} from '@aws-sdk/client-dynamodb';
import { addDeadlineMiddleware, deadlineRetryStrategy, RETRY_POLICY, sleep } from './retry';
import { INDEX, TABLE_KEYS } from './schema';

export const DEFAULT_TABLE_NAME = 'baosong';

export interface ClientOptions {
  /** e.g. http://127.0.0.1:8000 for DynamoDB Local; absent on AWS. */
  endpoint?: string;
  region?: string;
}

/**
 * Binary attributes (row chunks) from DynamoDB's answer. The SDK's default first checks the whole text against a
 * regular expression, which cost a consolidated pull more CPU than decoding it; DynamoDB's own answers need no
 * such check.
 */
const decodeBase64 = (text: string): Uint8Array => Buffer.from(text, 'base64');

export function createDynamoClient(opts: ClientOptions = {}): DynamoDBClient {
  const client = new DynamoDBClient({
    base64Decoder: decodeBase64,
    region: opts.region ?? (opts.endpoint ? 'local' : undefined),
    endpoint: opts.endpoint,
    // DynamoDB Local accepts any credentials; fixed ones keep a developer's real AWS profile out of local runs.
    ...(opts.endpoint ? { credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {}),
    // Throttling, 5xx and timeouts are retried by the SDK, within the request's deadline (retry.ts); each
    // request gives up after RETRY_POLICY.requestTimeoutMs so that a hung connection cannot eat the deadline.
    maxAttempts: RETRY_POLICY.maxAttempts,
    retryStrategy: deadlineRetryStrategy(),
    // Against DynamoDB only: DynamoDB Local on a busy machine is slow, not broken, and must not be retried as if.
    ...(opts.endpoint
      ? {}
      : {
          requestHandler: {
            requestTimeout: RETRY_POLICY.requestTimeoutMs,
            connectionTimeout: RETRY_POLICY.connectionTimeoutMs,
          },
        }),
  });
  addDeadlineMiddleware(client);
  return client;
}

/** What CreateTable receives: also the reference the CDK stack's test compares the AWS table with. */
export function tableDefinition(tableName: string): CreateTableCommandInput {
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [TABLE_KEYS.partitionKey, TABLE_KEYS.sortKey, INDEX.partitionKey, INDEX.sortKey].map(
      (name) => ({
        AttributeName: name,
        AttributeType: 'S',
      }),
    ),
    KeySchema: [
      { AttributeName: TABLE_KEYS.partitionKey, KeyType: 'HASH' },
      { AttributeName: TABLE_KEYS.sortKey, KeyType: 'RANGE' },
    ],
    GlobalSecondaryIndexes: [
      {
        IndexName: INDEX.name,
        KeySchema: [
          { AttributeName: INDEX.partitionKey, KeyType: 'HASH' },
          { AttributeName: INDEX.sortKey, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      },
    ],
  };
}

/** Creates the table unless it exists; resolves once it is ACTIVE. Returns true when it was created. */
export async function ensureTable(client: DynamoDBClient, tableName: string): Promise<boolean> {
  try {
    await client.send(new DescribeTableCommand({ TableName: tableName }));
    return false;
  } catch (err) {
    if (!(err instanceof ResourceNotFoundException)) throw err;
  }
  await client.send(new CreateTableCommand(tableDefinition(tableName)));
  for (let i = 0; i < 50; i++) {
    const out = await client.send(new DescribeTableCommand({ TableName: tableName }));
    if (out.Table?.TableStatus === 'ACTIVE') return true;
    await sleep(100);
  }
  throw new Error(`table ${tableName} did not become ACTIVE`);
}
