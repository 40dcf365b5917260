// GET /v1/campaigns, GET /v1/campaigns/{id}: published campaign documents (publishing is handlers/publish.ts).
import type { CampaignResponse, CampaignsResponse } from '../../contract/api';
import { campaignQuery } from '../../contract/requests';
import { contextFromEnv, type Context } from '../context';
import { callerCampaigns, campaignSummary, campaignsOf, resolveCampaign, versionFor } from '../domain/campaign';
import { groupHandler, json, pathParam, type RouteHandler } from '../http';
import { queryParams } from '../requests';
import type { GroupRouteKey } from '../routes';
import type { FormVersionRecord } from '../store/types';

export const versionInfo = (v: FormVersionRecord) => ({
  form: v.form,
  version: v.version,
  validFrom: v.validFrom || null,
  publishedAt: v.publishedAt || null,
});

export const campaignRoutes: Record<GroupRouteKey<'campaigns'>, RouteHandler> = {
  'GET /v1/campaigns': async (event, ctx, caller) => {
    const body: CampaignsResponse = {
      campaigns: campaignsOf(caller, await callerCampaigns(ctx, caller)).map((c) => campaignSummary(c, ctx.now())),
    };
    return json(event, 200, body);
  },
  'GET /v1/campaigns/{id}': async (event, ctx, caller) => {
    const campaign = await resolveCampaign(ctx, caller, pathParam(event, 'id'));
    const { round } = queryParams(event, campaignQuery);
    const versions = campaign.revision === 0 ? [] : await ctx.store.listFormVersions(campaign.id, campaign.revision);
    // With a round: each form as the version that applies to it (what its submissions are checked against).
    const applying = campaign.document.forms.map((spec) => {
      const found = round ? versionFor(versions, spec.id, round) : null;
      return found
        ? { spec: found.spec, version: found.version }
        : { spec, version: campaign.forms.find((f) => f.id === spec.id)?.version ?? 1 };
    });
    const body: CampaignResponse = {
      campaign: campaignSummary(campaign, ctx.now()),
      document: { ...campaign.document, forms: applying.map((a) => a.spec) },
      formVersions: applying.map((a) => a.version),
      versions: versions.map(versionInfo),
    };
    return json(event, 200, body);
  },
};

export const createHandler = (getContext: () => Context) => groupHandler('campaigns', campaignRoutes, getContext);
export const handler = createHandler(contextFromEnv);
