// GET /v1/consolidated/{form}, GET /v1/status, GET /v1/stats — prefecture (and admin) tokens only (routes.ts).
import { consolidatedQuery, roundQuery } from '../../contract/requests';
import { contextFromEnv, type Context } from '../context';
import { consolidatedPage, stats, statusBoard } from '../domain/prefecture';
import { groupHandler, json, pagedResult, type RouteHandler } from '../http';
import { formPathParam, queryParams } from '../requests';
import type { GroupRouteKey } from '../routes';

export const prefectureRoutes: Record<GroupRouteKey<'prefecture'>, RouteHandler> = {
  'GET /v1/consolidated/{form}': async (event, ctx, caller) => {
    const form = formPathParam(event);
    const { round, cursor, format } = queryParams(event, consolidatedQuery);
    // The .xlsx code loads only for a download, so the JSON path's cold start does not pay for it.
    if (format === 'xlsx')
      return (await import('../xlsx/routes')).consolidatedXlsxResult(event, ctx, caller, form, round);
    return pagedResult(event, (limit) => consolidatedPage(ctx, form, round, cursor, limit));
  },
  'GET /v1/status': async (event, ctx) =>
    json(event, 200, await statusBoard(ctx, queryParams(event, roundQuery).round)),
  'GET /v1/stats': async (event, ctx) => json(event, 200, await stats(ctx, queryParams(event, roundQuery).round)),
};

export const createHandler = (getContext: () => Context) => groupHandler('prefecture', prefectureRoutes, getContext);
export const handler = createHandler(contextFromEnv);
