// The one route table. infra/local serves it over HTTP; infra/cloud turns it into API Gateway routes and
// one Lambda function per handler group; functions/http.ts `groupHandler` authenticates every request and lets
// through only the roles listed here, before any handler runs. Adding a route is one line here (and its handler,
// which the compiler then asks for).
import type { Role } from '../contract/api';

import { CALLBACK_WRITE_KEYS } from './store/callbacks';
import { SUBMISSION_WRITE_KEYS } from './store/schema';

export type HandlerGroup = 'me' | 'campaigns' | 'publish' | 'submissions' | 'prefecture' | 'callbacks';

export interface Route {
  method: 'GET' | 'POST';
  /** API Gateway HTTP API path syntax: `{name}` for a path parameter. */
  path: string;
  group: HandlerGroup;
  /** Whose tokens may call it; the others get 403 with `denied`. Which units a caller may see is the domain's. */
  roles: readonly Role[];
  denied?: string;
}

const anyUnit = { roles: ['county', 'prefecture', 'admin'] } as const;
const prefectureOnly = {
  roles: ['prefecture', 'admin'],
  denied: '只有州级单位可以查看全州汇总、报送情况和统计。',
} as const;
/** Callbacks are the 州 office's own work (admin tokens draw and record nothing, as they review nothing). */
const callbackOffice = {
  roles: ['prefecture'],
  denied: '只有州级单位可以抽取回访样本、查看和填写回访结果。',
} as const;

export const routes = [
  { method: 'GET', path: '/v1/me', group: 'me', ...anyUnit },
  { method: 'GET', path: '/v1/campaigns', group: 'campaigns', ...anyUnit },
  { method: 'GET', path: '/v1/campaigns/{id}', group: 'campaigns', ...anyUnit },
  {
    method: 'POST',
    path: '/v1/campaigns',
    group: 'publish',
    roles: ['admin'],
    denied: '只有管理员令牌可以发布专项行动。',
  },
  { method: 'POST', path: '/v1/submissions', group: 'submissions', ...anyUnit },
  { method: 'POST', path: '/v1/submissions/parts/{part}', group: 'submissions', ...anyUnit },
  { method: 'GET', path: '/v1/submissions', group: 'submissions', ...anyUnit },
  { method: 'GET', path: '/v1/submissions/{id}', group: 'submissions', ...anyUnit },
  { method: 'GET', path: '/v1/units/{unit}/forms/{form}/latest', group: 'submissions', ...anyUnit },
  { method: 'POST', path: '/v1/units/{unit}/contact', group: 'submissions', ...anyUnit },
  { method: 'GET', path: '/v1/reminders', group: 'prefecture', ...prefectureOnly },
  {
    method: 'POST',
    path: '/v1/submissions/{id}/review',
    group: 'submissions',
    roles: ['prefecture'],
    denied: '只有州级单位可以审核(通过或退回)报送。',
  },
  { method: 'GET', path: '/v1/consolidated/{form}', group: 'prefecture', ...prefectureOnly },
  { method: 'GET', path: '/v1/status', group: 'prefecture', ...prefectureOnly },
  { method: 'GET', path: '/v1/stats', group: 'prefecture', ...prefectureOnly },
  { method: 'GET', path: '/v1/stats/rounds', group: 'prefecture', ...prefectureOnly },
  { method: 'POST', path: '/v1/callbacks/sample', group: 'callbacks', ...callbackOffice },
  { method: 'GET', path: '/v1/callbacks/sample', group: 'callbacks', ...callbackOffice },
  { method: 'POST', path: '/v1/callbacks/results', group: 'callbacks', ...callbackOffice },
] as const satisfies readonly Route[];

type KeyOf<R> = R extends { method: infer M extends string; path: infer P extends string } ? `${M} ${P}` : never;

/** `GET /v1/submissions/{id}`: what API Gateway and infra/local put in `event.routeKey`. */
export type RouteKey = KeyOf<(typeof routes)[number]>;
/** The route keys one handler group serves; its handler table must have exactly these. */
export type GroupRouteKey<G extends HandlerGroup> = KeyOf<Extract<(typeof routes)[number], { group: G }>>;

export const routeKey = (route: Pick<Route, 'method' | 'path'>): string => `${route.method} ${route.path}`;

/**
 * Per handler group: the module whose `handler` export serves it (relative to the repo root), and the
 * DynamoDB actions it needs on the store's table — infra/cloud grants exactly these (least privilege).
 * `layers`: the Lambda layers its function gets (infra/cloud/bundling.ts); `exceljs` for the .xlsx paths.
 * `writeKeys`: when given, its write actions are granted only on items whose partition key starts with one of
 * these (IAM condition dynamodb:LeadingKeys).
 */
export const handlerGroups: Record<
  HandlerGroup,
  {
    entry: string;
    tableActions: readonly string[];
    layers?: readonly 'exceljs'[];
    writeKeys?: readonly string[];
  }
> = {
  me: {
    entry: 'functions/handlers/me.ts',
    // Token and unit lookups; the published campaigns are one Query.
    tableActions: ['dynamodb:GetItem', 'dynamodb:Query'],
  },
  campaigns: {
    entry: 'functions/handlers/campaigns.ts',
    // Read only: token (Get), campaigns and form versions (Query).
    tableActions: ['dynamodb:GetItem', 'dynamodb:Query'],
  },
  publish: {
    entry: 'functions/handlers/publish.ts',
    // Reads the campaign, its versions and the units; creates missing units (PutItem), puts the index of units no
    // document lists (PutItem) and writes the revision with its form versions in one TransactWriteItems of Puts
    // (IAM checks PutItem per item).
    tableActions: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem'],
  },
  submissions: {
    entry: 'functions/handlers/submissions.ts',
    // Rows go in with BatchWriteItem; the commit is a TransactWriteItems of Put + Update items (IAM checks
    // those per item: PutItem, UpdateItem — the Updates include removing expiresAt from the row chunks).
    // History and row reads are Queries (table and gsi1). The commit deletes the pending marker (DeleteItem);
    // the sweep after a submit marks (UpdateItem) and deletes (BatchWriteItem) rows that never committed.
    // A review is one TransactWriteItems: Put of the review (under SUB#) + Update of the pointer (under UNIT#).
    // A unit's contact is one PutItem under UNIT#.
    tableActions: [
      'dynamodb:GetItem',
      'dynamodb:Query',
      'dynamodb:PutItem',
      'dynamodb:UpdateItem',
      'dynamodb:DeleteItem',
      'dynamodb:BatchWriteItem',
    ],
    // .xlsx request bodies (POST /v1/submissions).
    layers: ['exceljs'],
    // It parses untrusted .xlsx: its writes reach submissions, pointers, idempotency records and uploaded
    // parts, nothing else.
    writeKeys: SUBMISSION_WRITE_KEYS,
  },
  prefecture: {
    entry: 'functions/handlers/prefecture.ts',
    // Read only: every unit's pointers from gsi1, rows by Query.
    tableActions: ['dynamodb:GetItem', 'dynamodb:Query'],
    // ?format=xlsx downloads (GET /v1/consolidated/{form}).
    layers: ['exceljs'],
  },
  callbacks: {
    entry: 'functions/handlers/callbacks.ts',
    // Drawing reads the consolidated ledger (Get, Query), writes the sample's case chunks (BatchWriteItem; a lost
    // race deletes its own) and its head (PutItem, conditional). Results are one TransactWriteItems of Puts and an
    // Update (IAM checks PutItem, UpdateItem per item).
    tableActions: [
      'dynamodb:GetItem',
      'dynamodb:Query',
      'dynamodb:PutItem',
      'dynamodb:UpdateItem',
      'dynamodb:DeleteItem',
      'dynamodb:BatchWriteItem',
    ],
    // Samples, their cases and results, the units' 回访不满意 flags and its idempotency records; nothing else.
    writeKeys: CALLBACK_WRITE_KEYS,
  },
};
