// POST /v1/submissions, POST /v1/submissions/parts/{part}, GET /v1/submissions, GET /v1/submissions/{id},
// GET /v1/units/{unit}/forms/{form}/latest, POST /v1/submissions/{id}/review (prefecture), POST /v1/units/{unit}/contact
import { historyQuery, latestQuery, pageQuery } from '../../contract/requests';
import { contextFromEnv, type Context } from '../context';
import { resolveCampaign } from '../domain/campaign';
import { history, latest, submissionWithRows } from '../domain/read';
import { reviewSubmission } from '../domain/review';
import { withUnitFlags } from '../domain/callbacks';
import { saveContact } from '../domain/contact';
import { parsePartRefs, rowsFromParts, uploadPart } from '../domain/parts';
import { packSentRows, submit } from '../domain/submit';
import { requestHash } from '../domain/idempotency';
import { Malformed } from '../errors';
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
import { formPathParam, parseContactBody, parseReviewBody, parseSubmitBody, queryParams } from '../requests';
import type { GroupRouteKey } from '../routes';

export const submissionRoutes: Record<GroupRouteKey<'submissions'>, RouteHandler> = {
  'POST /v1/submissions': async (event, ctx, caller) => {
    // The .xlsx code loads only for an .xlsx body, so the JSON path's cold start does not pay for it.
    if (isXlsxContentType(getHeader(event, 'content-type')))
      return (await import('../xlsx/routes')).submitXlsx(event, ctx, caller);
    const bytes = bodyBytes(event);
    // The rows start compressing now, while the body is parsed and checked.
    const packed = packSentRows(ctx, bytes);
    const body = parseJson(bytes);
    const input = parseSubmitBody(body);
    const parts = parsePartRefs((body as { parts?: unknown }).parts);
    if (parts && input.rows.length > 0) throw new Malformed('分段提交时「rows」应为空数组,数据行在各分段中。');
    const key = getHeader(event, 'idempotency-key');
    // Replays are recognised by the body's bytes: hashing them is cheaper than re-serializing 10,000 rows. The
    // envelope of a submission in parts names each part's hash, so its bytes identify the rows as well.
    const receipt = await submit(ctx, caller, input, key, {
      bodyHash: requestHash(bytes),
      loadRows: parts && (() => rowsFromParts(ctx, caller, key!, parts)),
      packed,
    });
    return json(event, receipt.unchanged ? 200 : 201, receipt);
  },
  'POST /v1/submissions/parts/{part}': async (event, ctx, caller) => {
    const part = await uploadPart(
      ctx,
      caller,
      getHeader(event, 'idempotency-key'),
      pathParam(event, 'part'),
      bodyBytes(event),
    );
    return json(event, 201, part);
  },
  'GET /v1/submissions': async (event, ctx, caller) => {
    const submissions = await history(ctx, caller, queryParams(event, historyQuery));
    return json(event, 200, { submissions });
  },
  'GET /v1/submissions/{id}': async (event, ctx, caller) => {
    const { cursor } = queryParams(event, pageQuery);
    return pagedResult(event, (limit) => submissionWithRows(ctx, caller, pathParam(event, 'id'), cursor, limit));
  },
  'POST /v1/submissions/{id}/review': async (event, ctx, caller) => {
    const request = parseReviewBody(parseJson(bodyBytes(event)));
    const key = getHeader(event, 'idempotency-key');
    const review = await reviewSubmission(ctx, caller, pathParam(event, 'id'), request, key);
    return json(event, 201, { review });
  },
  'POST /v1/units/{unit}/contact': async (event, ctx, caller) => {
    const request = parseContactBody(parseJson(bodyBytes(event)));
    return json(event, 200, { contact: await saveContact(ctx, caller, pathParam(event, 'unit'), request) });
  },
  'GET /v1/units/{unit}/forms/{form}/latest': async (event, ctx, caller) => {
    const form = formPathParam(event);
    const { campaign: named, cursor } = queryParams(event, latestQuery);
    const campaign = await resolveCampaign(ctx, caller, named, { form });
    return pagedResult(event, async (limit) =>
      withUnitFlags(ctx, campaign, await latest(ctx, caller, campaign, pathParam(event, 'unit'), form, cursor, limit)),
    );
  },
};

export const createHandler = (getContext: () => Context) => groupHandler('submissions', submissionRoutes, getContext);
export const handler = createHandler(contextFromEnv);
