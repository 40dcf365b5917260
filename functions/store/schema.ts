// The table's key schema, written once: the store creates it on DynamoDB Local (table.ts), the CDK stack
// creates it on AWS (infra/cloud/table.ts), and the stack's test checks the two agree.
export const TABLE_KEYS = { partitionKey: 'pk', sortKey: 'sk' } as const;
/** The one global secondary index (projection ALL): history per unit, tokens, and every unit's current pointers. */
export const INDEX = { name: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' } as const;
/** Epoch seconds; rows of a submission that never committed carry it and DynamoDB removes them after it passes. */
export const TTL_ATTRIBUTE = 'expiresAt';
