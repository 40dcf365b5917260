// The one route table. infra/local serves it over HTTP; infra/cloud turns it into API Gateway routes and
// one Lambda function per handler group. Adding a route is one line here.

export type HandlerGroup = 'me' | 'submissions' | 'prefecture';

export interface Route {
  method: 'GET' | 'POST';
  /** API Gateway HTTP API path syntax: `{name}` for a path parameter. */
  path: string;
  group: HandlerGroup;
}

export const routes: readonly Route[] = [
  { method: 'GET', path: '/v1/me', group: 'me' },
  { method: 'POST', path: '/v1/submissions', group: 'submissions' },
  { method: 'GET', path: '/v1/submissions', group: 'submissions' },
  { method: 'GET', path: '/v1/submissions/{id}', group: 'submissions' },
  { method: 'GET', path: '/v1/units/{unit}/forms/{form}/latest', group: 'submissions' },
  { method: 'GET', path: '/v1/consolidated/{form}', group: 'prefecture' },
  { method: 'GET', path: '/v1/status', group: 'prefecture' },
  { method: 'GET', path: '/v1/stats', group: 'prefecture' },
];

/**
 * Per handler group: the module whose `handler` export serves it (relative to the repo root), and the
 * DynamoDB actions it needs on the store's table — infra/cloud grants exactly these (least privilege).
 * `layers`: the Lambda layers its function gets (infra/cloud/bundling.ts); `exceljs` for the .xlsx paths.
 */
export const handlerGroups: Record<
  HandlerGroup,
  { entry: string; tableActions: readonly string[]; layers?: readonly 'exceljs'[] }
> = {
  me: {
    entry: 'functions/handlers/me.ts',
    // Token, unit and campaign lookups.
    tableActions: ['dynamodb:GetItem'],
  },
  submissions: {
    entry: 'functions/handlers/submissions.ts',
    // Rows go in with BatchWriteItem; the commit is a TransactWriteItems of Put + Update items (IAM checks
    // those per item: PutItem, UpdateItem — the Updates include removing expiresAt from the row chunks).
    // History and row reads are Queries (table and gsi1).
    tableActions: [
      'dynamodb:GetItem',
      'dynamodb:Query',
      'dynamodb:PutItem',
      'dynamodb:UpdateItem',
      'dynamodb:BatchWriteItem',
    ],
    // .xlsx request bodies (POST /v1/submissions).
    layers: ['exceljs'],
  },
  prefecture: {
    entry: 'functions/handlers/prefecture.ts',
    // Read only: every unit's pointers from gsi1, rows by Query.
    tableActions: ['dynamodb:GetItem', 'dynamodb:Query'],
    // ?format=xlsx downloads (GET /v1/consolidated/{form}).
    layers: ['exceljs'],
  },
};
