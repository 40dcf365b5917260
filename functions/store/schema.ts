// The table's key schema, written once: the store creates it on DynamoDB Local (table.ts), the CDK stack
// creates it on AWS (infra/cloud/table.ts), and the stack's test checks the two agree.
export const TABLE_KEYS = { partitionKey: 'pk', sortKey: 'sk' } as const;
/** The one global secondary index (projection ALL): history per unit, tokens, and every unit's current pointers. */
export const INDEX = { name: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' } as const;
/** Epoch seconds; rows of a submission that never committed carry it and DynamoDB removes them after it passes. */
export const TTL_ATTRIBUTE = 'expiresAt';
/**
 * Leading parts of the partition keys (the key table in dynamo.ts). The submissions function may write only
 * under SUBMISSION_WRITE_KEYS (infra/cloud grants its writes with a dynamodb:LeadingKeys condition), so a flaw in
 * the .xlsx parser cannot make it write a token, a unit or the campaign.
 */
export const KEY_PREFIX = {
  /** A submission's header and row chunks. */
  submission: 'SUB#',
  /** A unit's current and latest pointers. */
  unit: 'UNIT#',
  idempotency: 'IDEM#',
  /** Parts of a submission uploaded in parts, until its commit (store/parts.ts). */
  upload: 'UPLOAD#',
  token: 'TOKEN#',
} as const;
export const SUBMISSION_WRITE_KEYS = [
  KEY_PREFIX.submission,
  KEY_PREFIX.unit,
  KEY_PREFIX.idempotency,
  KEY_PREFIX.upload,
] as const;
