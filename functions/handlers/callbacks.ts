// POST /v1/callbacks/sample, GET /v1/callbacks/sample, POST /v1/callbacks/results — the 州 office's callbacks
// (回访); prefecture tokens only (routes.ts).
import { callbackResultsRequest, drawSampleRequest, roundQuery } from '../../contract/requests';
import type { CallbackResultsRequest } from '../../contract/api';
import { contextFromEnv, type Context } from '../context';
import { resolveCampaign } from '../domain/campaign';
import { callbackSampling, drawSample, getSample, saveResults } from '../domain/callbacks';
import { resolveRound } from '../domain/prefecture';
import { checkIdempotencyKey } from '../domain/idempotency';
import { bodyBytes, getHeader, groupHandler, json, parseJson, type RouteHandler } from '../http';
import { parseRequest, queryParams } from '../requests';
import type { GroupRouteKey } from '../routes';

export const callbackRoutes: Record<GroupRouteKey<'callbacks'>, RouteHandler> = {
  'POST /v1/callbacks/sample': async (event, ctx, caller) => {
    const request = parseRequest(drawSampleRequest, parseJson(bodyBytes(event)), '抽样请求有误,请按提示修改后重试。');
    const campaign = await resolveCampaign(ctx, caller, request.campaign, { round: request.round });
    const sample = await drawSample(ctx, caller, campaign, request);
    return json(event, sample.created ? 201 : 200, sample);
  },
  'GET /v1/callbacks/sample': async (event, ctx, caller) => {
    const { campaign: named, round } = queryParams(event, roundQuery);
    const campaign = await resolveCampaign(ctx, caller, named, { round });
    callbackSampling(campaign);
    return json(event, 200, await getSample(ctx, campaign, resolveRound(ctx, campaign, round)));
  },
  'POST /v1/callbacks/results': async (event, ctx, caller) => {
    const key = checkIdempotencyKey(getHeader(event, 'idempotency-key'));
    const request = parseRequest(
      callbackResultsRequest,
      parseJson(bodyBytes(event)),
      '回访结果不完整,请按提示修改后重试。',
    ) as CallbackResultsRequest;
    const campaign = await resolveCampaign(ctx, caller, request.campaign, { round: request.round });
    return json(event, 201, await saveResults(ctx, caller, campaign, request, key));
  },
};

export const createHandler = (getContext: () => Context) => groupHandler('callbacks', callbackRoutes, getContext);
export const handler = createHandler(contextFromEnv);
