// Request envelopes (bodies and query strings) parsed at the HTTP edge with the schemas of contract/requests.ts,
// so the handlers and the domain get typed values and a client gets every wrong field named at once.
import type * as z from 'zod/mini';
import { contactRequest, formId, reviewRequest, submitRequest } from '../contract/requests';
import type { ContactRequest, ReviewRequest, SubmitRequest } from '../contract/api';
import type { FormId, Issue } from '../forms/types';
import { Invalid, Malformed, NotFound } from './errors';
import { pathParam, type Event } from './http';

/**
 * A value parsed with its contract/ schema. One that is not even the right shape (a JSON array for an object) is a
 * 400 `malformed_body`; wrong or missing fields are a 422 `validation_failed` with one issue per field.
 */
export function parseRequest<S extends z.ZodMiniType>(schema: S, value: unknown, summary: string): z.output<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const root = parsed.error.issues.find((i) => i.path.length === 0);
  if (root) throw new Malformed(root.message, { code: 'malformed_body' });
  throw new Invalid(summary, {
    issues: parsed.error.issues.map((i): Issue => {
      const key = String(i.path[0]);
      return { code: `field.${key}`, severity: 'error', key, message: i.message };
    }),
  });
}

/** The query string parsed with its contract/ schema; an empty parameter (`?round=`) counts as absent. */
export function queryParams<S extends z.ZodMiniType>(event: Event, schema: S): z.output<S> {
  const given = Object.entries(event.queryStringParameters ?? {}).filter(([, v]) => v !== undefined && v !== '');
  return parseRequest(schema, Object.fromEntries(given), '请求参数有误,请按提示修改后重试。');
}

/** The envelope of a submission (rows not yet validated), from a JSON body or from an .xlsx sheet's fields. */
export const parseSubmitBody = (body: unknown): SubmitRequest =>
  parseRequest(submitRequest, body, '提交内容不完整,请按提示补全后重试。');

/** POST /v1/submissions/{id}/review */
export const parseReviewBody = (body: unknown): ReviewRequest =>
  parseRequest(reviewRequest, body, '审核内容不完整,请按提示修改后重试。');

/** POST /v1/units/{unit}/contact */
export const parseContactBody = (body: unknown): ContactRequest =>
  parseRequest(contactRequest, body, '联系人信息不完整,请按提示修改后重试。');

/**
 * The `{form}` path parameter. One that is not even a form id names nothing that exists: 404, like any unknown
 * path (whether the campaign has the form is checked with the campaign, functions/domain/forms.ts).
 */
export function formPathParam(event: Event): FormId {
  const form = formId().safeParse(pathParam(event, 'form'));
  if (!form.success) throw new NotFound(form.error.issues[0].message);
  return form.data;
}
