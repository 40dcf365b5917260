// GET /v1/me
import { nextDueRound } from '../../forms/calendar';
import { unitNamesIn } from '../../forms/unit-check';
import type { MeResponse } from '../../contract/api';
import { contextFromEnv, type Context } from '../context';
import { callerCampaigns, campaignInfo, campaignsOf, campaignSummary, chooseCampaign } from '../domain/campaign';
import { returnedSubmissions } from '../domain/review';
import { groupHandler, json, type RouteHandler } from '../http';
import type { GroupRouteKey } from '../routes';

export const meRoutes: Record<GroupRouteKey<'me'>, RouteHandler> = {
  'GET /v1/me': async (event, ctx, caller) => {
    const now = ctx.now();
    // Read at once: the small request every pane makes first waits for one round of reads, not two.
    const [all, returned, contact] = await Promise.all([
      callerCampaigns(ctx, caller),
      // Only units report, so only they can have a submission sent back; an admin token stands for no unit's work.
      caller.role === 'admin' ? [] : returnedSubmissions(ctx, caller.unit.id),
      caller.role === 'admin' ? null : ctx.store.getContact(caller.unit.id),
    ]);
    // `campaign` and `nextDue` as old clients read them: the campaign a request without `campaign` means.
    const fallback = chooseCampaign(all, caller, undefined, {}, now);
    const mine = campaignsOf(caller, all);
    const listed = mine.flatMap((c) => c.document.units.filter((u) => u.id === caller.unit.id));
    const body: MeResponse = {
      unit: {
        id: caller.unit.id,
        name: caller.unit.name,
        role: caller.unit.role,
        // The names it goes by on sheets, from the unit lists of its campaigns.
        aliases: [...new Set(mine.flatMap((c) => unitNamesIn(c.document.units, caller.unit).aliases ?? []))],
        code: listed.find((u) => u.code)?.code ?? caller.unit.id.toUpperCase(),
      },
      role: caller.role,
      campaign: campaignInfo(fallback),
      nextDue: nextDueRound(fallback.document, now),
      campaigns: mine.map((c) => campaignSummary(c, now)),
      returned,
      contact,
    };
    return json(event, 200, body);
  },
};

export const createHandler = (getContext: () => Context) => groupHandler('me', meRoutes, getContext);
export const handler = createHandler(contextFromEnv);
