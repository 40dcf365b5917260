// GET /v1/me
import { nextDueRound } from '../../forms/calendar';
import type { MeResponse } from '../../contract/api';
import { contextFromEnv, type Context } from '../context';
import { campaignInfo, loadCampaign } from '../domain/campaign';
import { groupHandler, json, type RouteHandler } from '../http';
import type { GroupRouteKey } from '../routes';

export const meRoutes: Record<GroupRouteKey<'me'>, RouteHandler> = {
  'GET /v1/me': async (event, ctx, caller) => {
    const campaign = await loadCampaign(ctx);
    const body: MeResponse = {
      unit: { id: caller.unit.id, name: caller.unit.name, role: caller.unit.role },
      role: caller.role,
      campaign: campaignInfo(campaign),
      nextDue: nextDueRound(campaign, ctx.now()),
    };
    return json(event, 200, body);
  },
};

export const createHandler = (getContext: () => Context) => groupHandler('me', meRoutes, getContext);
export const handler = createHandler(contextFromEnv);
