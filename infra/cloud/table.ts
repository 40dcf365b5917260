// The store's single DynamoDB table. Key and index names are the ones functions/store uses.
import { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, BillingMode, ProjectionType, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import type { Construct } from 'constructs';

export const STORE_INDEX_NAME = 'gsi1';
/** Row chunks of a submission that lost its commit race carry this epoch-seconds attribute; DynamoDB removes them after it passes. */
export const STORE_TTL_ATTRIBUTE = 'expiresAt';

export function createStoreTable(scope: Construct): Table {
  const table = new Table(scope, 'StoreTable', {
    partitionKey: { name: 'pk', type: AttributeType.STRING },
    sortKey: { name: 'sk', type: AttributeType.STRING },
    billingMode: BillingMode.PAY_PER_REQUEST,
    // Submissions are the audit trail of the campaign: recoverable to any second of the last 35 days,
    // kept when the stack is deleted, and protected against a console click.
    pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
    removalPolicy: RemovalPolicy.RETAIN,
    deletionProtection: true,
    // A KMS key visible in the account (aws/dynamodb) so key usage shows up in CloudTrail, at no key cost.
    encryption: TableEncryption.AWS_MANAGED,
    timeToLiveAttribute: STORE_TTL_ATTRIBUTE,
  });
  table.addGlobalSecondaryIndex({
    indexName: STORE_INDEX_NAME,
    partitionKey: { name: 'gsi1pk', type: AttributeType.STRING },
    sortKey: { name: 'gsi1sk', type: AttributeType.STRING },
    projectionType: ProjectionType.ALL,
  });
  return table;
}
