// POST /v1/submissions, GET /v1/submissions, GET /v1/submissions/{id}, GET /v1/units/{unit}/forms/{form}/latest
import { FORM_IDS, type FormId } from '../../forms/types';
import { authenticate } from '../auth';
import { contextFromEnv, type Context } from '../context';
import { history, latest, submissionWithRows } from '../domain/read';
import { bytesHash, parseSubmitBody, submit } from '../domain/submit';
import { isXlsxContentType } from '../xlsx/submission';
import {
  ApiError,
  bodyBytes,
  getHeader,
  groupHandler,
  json,
  pagedResult,
  parseJson,
  pathParam,
  query,
  type RouteHandler,
} from '../http';

function formParam(value: string | undefined): FormId | undefined {
  if (value === undefined) return undefined;
  if (!FORM_IDS.includes(value as FormId))
    throw new ApiError(422, 'validation_failed', `表格类型“${value}”无效,应为 fujian1(附件1)或 fujian2(附件2)。`);
  return value as FormId;
}

export const submissionRoutes: Record<string, RouteHandler> = {
  'POST /v1/submissions': async (event, ctx) => {
    const caller = await authenticate(event, ctx);
    // The .xlsx code loads only for an .xlsx body, so the JSON path's cold start does not pay for it.
    if (isXlsxContentType(getHeader(event, 'content-type')))
      return (await import('../xlsx/routes')).submitXlsx(event, ctx, caller);
    const bytes = bodyBytes(event);
    const input = parseSubmitBody(parseJson(bytes));
    // Replays are recognised by the body's bytes: hashing them is cheaper than re-serializing 10,000 rows.
    const receipt = await submit(ctx, caller, input, getHeader(event, 'idempotency-key'), {
      bodyHash: bytesHash(bytes),
    });
    return json(event, 201, receipt);
  },
  'GET /v1/submissions': async (event, ctx) => {
    const caller = await authenticate(event, ctx);
    const submissions = await history(ctx, caller, {
      form: formParam(query(event, 'form')),
      round: query(event, 'round'),
      unit: query(event, 'unit'),
    });
    return json(event, 200, { submissions });
  },
  'GET /v1/submissions/{id}': async (event, ctx) => {
    const caller = await authenticate(event, ctx);
    return pagedResult(event, (limit) =>
      submissionWithRows(ctx, caller, pathParam(event, 'id'), query(event, 'cursor'), limit),
    );
  },
  'GET /v1/units/{unit}/forms/{form}/latest': async (event, ctx) => {
    const caller = await authenticate(event, ctx);
    const form = formParam(pathParam(event, 'form'))!;
    return pagedResult(event, (limit) =>
      latest(ctx, caller, pathParam(event, 'unit'), form, query(event, 'cursor'), limit),
    );
  },
};

export const createHandler = (getContext: () => Context) => groupHandler(submissionRoutes, getContext);
export const handler = createHandler(contextFromEnv);
