// GET /v1/consolidated/{form}, GET /v1/status, GET /v1/stats, GET /v1/stats/rounds, GET /v1/reminders — prefecture (and admin) tokens only (routes.ts).
import { campaignOnlyQuery, consolidatedQuery, roundQuery } from '../../contract/requests';
import { contextFromEnv, type Context } from '../context';
import { resolveCampaign } from '../domain/campaign';
import { withCallbackFigures, withConsolidatedFlags } from '../domain/callbacks';
import { reminders } from '../domain/contact';
import { roundsProgress } from '../domain/progress';
import { consolidatedPage, stats, statusBoard } from '../domain/prefecture';
import { groupHandler, json, pagedResult, type RouteHandler } from '../http';
import { formPathParam, queryParams } from '../requests';
import type { GroupRouteKey } from '../routes';

export const prefectureRoutes: Record<GroupRouteKey<'prefecture'>, RouteHandler> = {
  'GET /v1/consolidated/{form}': async (event, ctx, caller) => {
    const form = formPathParam(event);
    const { campaign: named, round, cursor, format } = queryParams(event, consolidatedQuery);
    const campaign = await resolveCampaign(ctx, caller, named, { round, form });
    // The .xlsx code loads only for a download, so the JSON path's cold start does not pay for it.
    if (format === 'xlsx')
      return (await import('../xlsx/routes')).consolidatedXlsxResult(event, ctx, caller, campaign, form, round);
    return pagedResult(event, async (limit) =>
      withConsolidatedFlags(ctx, campaign, form, consolidatedPage(ctx, campaign, form, round, cursor, limit)),
    );
  },
  'GET /v1/status': async (event, ctx, caller) => {
    const { campaign, round } = queryParams(event, roundQuery);
    return json(event, 200, await statusBoard(ctx, await resolveCampaign(ctx, caller, campaign, { round }), round));
  },
  'GET /v1/reminders': async (event, ctx, caller) => {
    const { campaign, round } = queryParams(event, roundQuery);
    return json(event, 200, await reminders(ctx, await resolveCampaign(ctx, caller, campaign, { round }), round));
  },
  'GET /v1/stats/rounds': async (event, ctx, caller) => {
    const { campaign } = queryParams(event, campaignOnlyQuery);
    return json(event, 200, await roundsProgress(ctx, await resolveCampaign(ctx, caller, campaign)));
  },
  'GET /v1/stats': async (event, ctx, caller) => {
    const { campaign, round } = queryParams(event, roundQuery);
    const resolved = await resolveCampaign(ctx, caller, campaign, { round });
    return json(event, 200, await withCallbackFigures(ctx, resolved, await stats(ctx, resolved, round)));
  },
};

export const createHandler = (getContext: () => Context) => groupHandler('prefecture', prefectureRoutes, getContext);
export const handler = createHandler(contextFromEnv);
