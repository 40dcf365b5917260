// GET /v1/consolidated/{form}, GET /v1/status, GET /v1/stats — prefecture (and admin) tokens only.
import { FORM_IDS, type FormId } from '../../forms/types';
import { assertPrefecture, authenticate } from '../auth';
import { contextFromEnv, type Context } from '../context';
import { consolidatedPage, stats, statusBoard } from '../domain/prefecture';
import { ApiError, groupHandler, json, pagedResult, pathParam, query, type RouteHandler } from '../http';

export const prefectureRoutes: Record<string, RouteHandler> = {
  'GET /v1/consolidated/{form}': async (event, ctx) => {
    const caller = await authenticate(event, ctx);
    assertPrefecture(caller);
    const form = pathParam(event, 'form') as FormId;
    if (!FORM_IDS.includes(form))
      throw new ApiError(404, 'not_found', `表格类型“${form}”不存在,应为 fujian1(附件1)或 fujian2(附件2)。`);
    // The .xlsx code loads only for a download, so the JSON path's cold start does not pay for it.
    if (query(event, 'format') === 'xlsx')
      return (await import('../xlsx/routes')).consolidatedXlsxResult(event, ctx, caller, form);
    return pagedResult(event, (limit) =>
      consolidatedPage(ctx, form, query(event, 'round'), query(event, 'cursor'), limit),
    );
  },
  'GET /v1/status': async (event, ctx) => {
    assertPrefecture(await authenticate(event, ctx));
    return json(event, 200, await statusBoard(ctx, query(event, 'round')));
  },
  'GET /v1/stats': async (event, ctx) => {
    assertPrefecture(await authenticate(event, ctx));
    return json(event, 200, await stats(ctx, query(event, 'round')));
  },
};

export const createHandler = (getContext: () => Context) => groupHandler(prefectureRoutes, getContext);
export const handler = createHandler(contextFromEnv);
