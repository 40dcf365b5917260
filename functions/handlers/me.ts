// GET /v1/me
import { nextDueRound } from '../../forms/calendar';
import type { MeResponse } from '../../contract/api';
import { authenticate } from '../auth';
import { contextFromEnv, type Context } from '../context';
import { campaignInfo, loadCampaign } from '../domain/campaign';
import { groupHandler, json, type RouteHandler } from '../http';

export const meRoutes: Record<string, RouteHandler> = {
  'GET /v1/me': async (event, ctx) => {
    const caller = await authenticate(event, ctx);
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

export const createHandler = (getContext: () => Context) => groupHandler(meRoutes, getContext);
export const handler = createHandler(contextFromEnv);
