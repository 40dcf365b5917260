// The store's single DynamoDB table, with the key schema of functions/store/schema.ts.
import { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, BillingMode, ProjectionType, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import type { Construct } from 'constructs';
import { INDEX, TABLE_KEYS, TTL_ATTRIBUTE } from '../../functions/store/schema';

export function createStoreTable(scope: Construct): Table {
  const table = new Table(scope, 'StoreTable', {
    partitionKey: { name: TABLE_KEYS.partitionKey, type: AttributeType.STRING },
    sortKey: { name: TABLE_KEYS.sortKey, type: AttributeType.STRING },
    billingMode: BillingMode.PAY_PER_REQUEST,
    // Submissions are the audit trail of the campaign: recoverable to any second of the last 35 days,
    // kept when the stack is deleted, and protected against a console click.
    pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
    removalPolicy: RemovalPolicy.RETAIN,
    deletionProtection: true,
    // A KMS key visible in the account (aws/dynamodb) so key usage shows up in CloudTrail, at no key cost.
    encryption: TableEncryption.AWS_MANAGED,
    timeToLiveAttribute: TTL_ATTRIBUTE,
  });
  table.addGlobalSecondaryIndex({
    indexName: INDEX.name,
    partitionKey: { name: INDEX.partitionKey, type: AttributeType.STRING },
    sortKey: { name: INDEX.sortKey, type: AttributeType.STRING },
    projectionType: ProjectionType.ALL,
  });
  return table;
}
