// POST /v1/submissions, GET /v1/submissions, GET /v1/submissions/{id}, GET /v1/units/{unit}/forms/{form}/latest
import { historyQuery, latestQuery, pageQuery } from '../../contract/requests';
import { contextFromEnv, type Context } from '../context';
import { resolveCampaign } from '../domain/campaign';
import { history, latest, submissionWithRows } from '../domain/read';
import { bytesHash, submit } from '../domain/submit';
import { isXlsxContentType } from '../xlsx/submission';
import {
  bodyBytes,
  getHeader,
  groupHandler,
  json,
  pagedResult,
  parseJson,
  pathParam,
  type RouteHandler,
} from '../http';
import { formPathParam, parseSubmitBody, queryParams } from '../requests';
import type { GroupRouteKey } from '../routes';

export const submissionRoutes: Record<GroupRouteKey<'submissions'>, RouteHandler> = {
  'POST /v1/submissions': async (event, ctx, caller) => {
    // The .xlsx code loads only for an .xlsx body, so the JSON path's cold start does not pay for it.
    if (isXlsxContentType(getHeader(event, 'content-type')))
      return (await import('../xlsx/routes')).submitXlsx(event, ctx, caller);
    const bytes = bodyBytes(event);
    const input = parseSubmitBody(parseJson(bytes));
    // Replays are recognised by the body's bytes: hashing them is cheaper than re-serializing 10,000 rows.
    const receipt = await submit(ctx, caller, input, getHeader(event, 'idempotency-key'), {
      bodyHash: bytesHash(bytes),
    });
    return json(event, receipt.unchanged ? 200 : 201, receipt);
  },
  'GET /v1/submissions': async (event, ctx, caller) => {
    const submissions = await history(ctx, caller, queryParams(event, historyQuery));
    return json(event, 200, { submissions });
  },
  'GET /v1/submissions/{id}': async (event, ctx, caller) => {
    const { cursor } = queryParams(event, pageQuery);
    return pagedResult(event, (limit) => submissionWithRows(ctx, caller, pathParam(event, 'id'), cursor, limit));
  },
  'GET /v1/units/{unit}/forms/{form}/latest': async (event, ctx, caller) => {
    const form = formPathParam(event);
    const { campaign: named, cursor } = queryParams(event, latestQuery);
    const campaign = await resolveCampaign(ctx, caller, named, { form });
    return pagedResult(event, (limit) => latest(ctx, caller, campaign, pathParam(event, 'unit'), form, cursor, limit));
  },
};

export const createHandler = (getContext: () => Context) => groupHandler('submissions', submissionRoutes, getContext);
export const handler = createHandler(contextFromEnv);
