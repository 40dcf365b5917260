// POST /v1/campaigns (admin): publishes a campaign document. A group of its own: it alone writes campaigns and
// alone bundles the document's zod schema, so the pane's campaign lookups stay small and read-only.
import type { PublishResponse } from '../../contract/api';
import { formatDocumentIssues } from '../../forms/campaign';
import { contextFromEnv, type Context } from '../context';
import { campaignSummary } from '../domain/campaign';
import { publishCampaign } from '../domain/publish';
import { ApiError, groupHandler, json, jsonBody, type RouteHandler } from '../http';
import type { GroupRouteKey } from '../routes';
import { versionInfo } from './campaigns';

export const publishRoutes: Record<GroupRouteKey<'publish'>, RouteHandler> = {
  // Admin tokens only (routes.ts).
  'POST /v1/campaigns': async (event, ctx) => {
    const outcome = await publishCampaign(ctx.store, jsonBody(event), ctx.now());
    if (!outcome.ok) {
      throw new ApiError(
        422,
        'campaign_invalid',
        `专项行动文件有 ${outcome.issues.length} 处错误,未发布任何内容。请逐项改正后重新发布:\n${formatDocumentIssues(outcome.issues)}`,
        outcome.issues.map((i) => ({ code: 'campaign.invalid', severity: 'error', key: i.path, message: i.message })),
      );
    }
    ctx.log({
      level: 'info',
      event: 'campaign_published',
      campaign: outcome.campaign.id,
      revision: outcome.campaign.revision,
      forms: outcome.published.map((v) => `${v.form}@${v.version}`),
    });
    const body: PublishResponse = {
      campaign: campaignSummary(outcome.campaign, ctx.now()),
      published: outcome.published.map(versionInfo),
      unchanged: outcome.unchanged,
      createdUnits: outcome.createdUnits,
    };
    return json(event, 201, body);
  },
};

export const createHandler = (getContext: () => Context) => groupHandler('publish', publishRoutes, getContext);
export const handler = createHandler(contextFromEnv);
