// What a client sends, as zod schemas: the server parses every request envelope with these (functions/http.ts
// `parseRequest`), and each schema is checked against the request type of ./api.ts that the add-in builds its
// requests from. Kept apart from ./api.ts so that the add-in's bundle, which imports ./api.ts, carries no zod.
// Messages are Chinese and say what to send instead; the rows themselves are checked by forms/validateRows.
// zod/mini: these schemas go into the functions' bundles, where full zod would add ~430 KB to each.
import * as z from 'zod/mini';
import { phoneProblem } from '../forms/phone';
import type { FormId } from '../forms/types';
import { xmlInvalidIndex } from '../forms/xml-text';
import type { CallbackResultsRequest, ContactRequest, DrawSampleRequest, ReviewRequest, SubmitRequest } from './api';

/** True for a real calendar date written `YYYY-MM-DD`. */
export function isIsoDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}

const FORM_ID = /^[a-z][a-z0-9_]{0,31}$/;

/**
 * A form id (`fujian1`); `what` names the field in the message (「form」). Whether the campaign has such a form
 * is for the server to say (functions/domain/forms.ts), from the campaign's published forms.
 */
export const formId = (what = '「form」') =>
  z.custom<FormId>((v) => typeof v === 'string' && FORM_ID.test(v), {
    error: (issue) =>
      issue.input === undefined
        ? `${what}应为表格编号,例如 fujian1。`
        : `表格类型“${String(issue.input).slice(0, 40)}”无效,${what}应为表格编号(小写英文字母、数字和「_」),例如 fujian1。`,
  });

const isoDate = (message: string) => z.string({ error: message }).check(z.refine(isIsoDate, { error: message }));

/**
 * Lengths of the free-text fields of a submission (stated in functions/README.md). Row texts are limited by
 * forms/ (32,767 characters per cell, Excel's own limit) and by the row size.
 */
export const SUBMIT_LIMITS = {
  /** contact.name: a person's name; 50 leaves room for 少数民族 names written in full. */
  contactName: 50,
  /** contact.phone: one number a person can dial, extension included (forms/phone). */
  contactPhone: 40,
  /** unitLine: the 填报单位 line as typed. */
  unitLine: 200,
  /** basedOn and unit: ids (`sub_…`, `tongren`). */
  id: 64,
  /** The earliest 数据截至 accepted: anything before is a typo (`0000-01-01`), not data. */
  minAsOf: '2000-01-01',
} as const;

/** A campaign id (`huangnan-2019`); absent: the caller's campaign that has the round, the active one, or the latest. */
const campaign = z.optional(
  z
    .string({ error: '「campaign」应为专项行动编号,例如 huangnan-2019。' })
    .check(z.regex(/^[a-z0-9][a-z0-9-]{0,62}$/, { error: '「campaign」应为专项行动编号,例如 huangnan-2019。' })),
);

const PHONE_MESSAGE = '请填写联系电话(例如 0973-8722111、0973-8722111转8001 或 13800000000)。';

/** A person's name as a contact (a submission's, a unit's registered one); `label` names the field in messages. */
const contactName = (label: string) =>
  z.string({ error: `请填写${label}。` }).check(
    z.trim(),
    z.minLength(1, { error: `请填写${label}。` }),
    z.maxLength(SUBMIT_LIMITS.contactName, {
      error: (issue) =>
        `${label}最多 ${SUBMIT_LIMITS.contactName} 个字,现有 ${String(issue.input ?? '').length} 个字。`,
    }),
    z.refine((name) => xmlInvalidIndex(name) < 0, {
      error: `${label}中有不可见的控制字符,请手工重新输入姓名。`,
    }),
  );

/** A phone number one can dial, checked as the pane checks it (forms/phone). */
const contactPhone = () =>
  z.string({ error: PHONE_MESSAGE }).check(
    z.trim(),
    z.refine((phone) => phoneProblem(phone) === null, {
      error: (issue) => phoneProblem(String(issue.input ?? '')) ?? PHONE_MESSAGE,
    }),
  );

/** POST /v1/submissions, JSON body (an .xlsx body is turned into the same envelope by functions/xlsx). */
export const submitRequest = z.object(
  {
    campaign,
    form: formId(),
    round: isoDate('「round」应填写本轮报送日,格式 YYYY-MM-DD,例如 2019-11-04。'),
    asOf: isoDate(
      `「asOf」(数据截至日期)应为 ${SUBMIT_LIMITS.minAsOf} 以后的日期,格式 YYYY-MM-DD,例如 2019-11-03。`,
    ).check(
      z.refine((d) => d >= SUBMIT_LIMITS.minAsOf, {
        error: `「asOf」(数据截至日期)应为 ${SUBMIT_LIMITS.minAsOf} 以后的日期,格式 YYYY-MM-DD,例如 2019-11-03。`,
      }),
    ),
    contact: z.object(
      {
        name: contactName('联系人姓名(contact.name)'),
        // The pane checks the same way before sending (forms/phone): landlines with 转 extensions, mobiles, +86.
        phone: contactPhone(),
      },
      { error: '请填写联系人姓名和联系电话。' },
    ),
    rows: z.array(z.unknown(), { error: '「rows」应为数据行的数组。' }),
    basedOn: z.optional(
      z.nullable(
        z
          .string({ error: '「basedOn」应为所替换报送的编号,或 null。' })
          .check(z.maxLength(SUBMIT_LIMITS.id, { error: '「basedOn」应为所替换报送的编号(sub_…),或 null。' })),
      ),
    ),
    unit: z.optional(
      z
        .string({ error: '「unit」应为单位编号,例如 tongren。' })
        .check(z.maxLength(SUBMIT_LIMITS.id, { error: '「unit」应为单位编号,例如 tongren。' })),
    ),
    unitLine: z.optional(
      z.string({ error: '「unitLine」应为表格中「填报单位」一行所填的单位名称。' }).check(
        z.maxLength(SUBMIT_LIMITS.unitLine, {
          error: `「unitLine」(填报单位)不超过 ${SUBMIT_LIMITS.unitLine} 个字。`,
        }),
      ),
    ),
  },
  { error: '请求体应为 JSON 对象:{form, round, asOf, contact:{name, phone}, rows}。' },
) satisfies z.ZodMiniType<SubmitRequest>;

/** Length of a review comment: a few sentences saying what to fix, as the office writes them in a letter. */
export const REVIEW_COMMENT_MAX = 500;
const REVIEW_COMMENT_MESSAGE = '退回时请在「审核意见」中写明需要修改的内容。';

/** POST /v1/submissions/{id}/review */
export const reviewRequest = z
  .object(
    {
      decision: z.enum(['approved', 'returned'], {
        error: '「decision」应为 approved(通过)或 returned(退回)。',
      }),
      comment: z._default(
        z.string({ error: '「comment」(审核意见)应为文字。' }).check(
          z.trim(),
          z.maxLength(REVIEW_COMMENT_MAX, {
            error: (issue) =>
              `审核意见最多 ${REVIEW_COMMENT_MAX} 个字,现有 ${String(issue.input ?? '').length} 个字。请精简后重试。`,
          }),
          z.refine((text) => xmlInvalidIndex(text) < 0, {
            error: '审核意见中有不可见的控制字符,请删除后重新输入。',
          }),
        ),
        '',
      ),
    },
    { error: '请求体应为 JSON 对象:{decision: "approved" 或 "returned", comment}。' },
  )
  .check(
    z.refine((r) => r.decision !== 'returned' || r.comment.length > 0, {
      error: REVIEW_COMMENT_MESSAGE,
      path: ['comment'],
    }),
  ) satisfies z.ZodMiniType<ReviewRequest>;

/** Length of the contact's 科室/职务. */
export const CONTACT_OFFICE_MAX = 50;

/** POST /v1/units/{unit}/contact */
export const contactRequest = z.object(
  {
    name: contactName('联系人姓名(name)'),
    phone: contactPhone(),
    office: z._default(
      z.string({ error: '「office」(科室/职务)应为文字。' }).check(
        z.trim(),
        z.maxLength(CONTACT_OFFICE_MAX, {
          error: `科室/职务最多 ${CONTACT_OFFICE_MAX} 个字,请写简称,例如「县生态环境局办公室」。`,
        }),
        z.refine((text) => xmlInvalidIndex(text) < 0, { error: '科室/职务中有不可见的控制字符,请重新输入。' }),
      ),
      '',
    ),
  },
  { error: '请求体应为 JSON 对象:{name, phone, office}。' },
) satisfies z.ZodMiniType<ContactRequest>;

const ROUND_MESSAGE = '「round」应填写轮次(报送日),格式 YYYY-MM-DD,例如 2019-11-14。';

/** POST /v1/callbacks/sample */
export const drawSampleRequest = z.object(
  {
    campaign,
    round: isoDate(ROUND_MESSAGE),
    number: z.optional(
      z
        .string({ error: '「number」(抽样号)应为 1 到 9 位数字,例如 4821。' })
        .check(z.regex(/^\d{1,9}$/, { error: '「number」(抽样号)应为 1 到 9 位数字,例如 4821。' })),
    ),
  },
  { error: '请求体应为 JSON 对象:{round, number?}。' },
) satisfies z.ZodMiniType<DrawSampleRequest>;

/** Most callbacks one request may record (a prefecture's round samples a few hundred cases). */
export const MAX_CALLBACK_RESULTS = 2000;

/** POST /v1/callbacks/results: the entries' fields are checked by forms/callback (per entry, `第N条`), not here. */
export const callbackResultsRequest = z.object(
  {
    campaign,
    round: isoDate(ROUND_MESSAGE),
    results: z
      .array(
        z.object(
          {
            unit: z.string({ error: '每条回访结果应有「unit」(单位编号)。' }).check(z.maxLength(SUBMIT_LIMITS.id)),
            seq: z
              .number({ error: '每条回访结果应有「seq」(本单位序号,正整数)。' })
              .check(
                z.int({ error: '「seq」(本单位序号)应为正整数。' }),
                z.positive({ error: '「seq」(本单位序号)应为正整数。' }),
              ),
            way: z.unknown(),
            date: z.unknown(),
            result: z.unknown(),
            note: z.optional(z.unknown()),
          },
          { error: '每条回访结果应为 JSON 对象:{unit, seq, way, date, result, note}。' },
        ),
        { error: '「results」应为回访结果的数组。' },
      )
      .check(
        z.minLength(1, { error: '「results」中没有回访结果:请至少填写一个案件的回访方式、日期和结果。' }),
        z.maxLength(MAX_CALLBACK_RESULTS, {
          error: `一次最多提交 ${MAX_CALLBACK_RESULTS} 条回访结果,请分批提交。`,
        }),
      ),
  },
  { error: '请求体应为 JSON 对象:{round, results: [{unit, seq, way, date, result, note}]}。' },
  // The entries' way/date/result/note stay unknown here: they are read like sheet cells, so `CallbackResultsRequest`
  // (what the add-in sends) is narrower than what this accepts.
) satisfies z.ZodMiniType<Omit<CallbackResultsRequest, 'results'> & { results: { unit: string; seq: number }[] }>;

const round = z.optional(z.string());
const cursor = z.optional(z.string());

/** GET /v1/submissions?form=&round=&unit= */
export const historyQuery = z.object({ campaign, form: z.optional(formId()), round, unit: z.optional(z.string()) });

/** GET /v1/submissions/{id}?cursor= */
export const pageQuery = z.object({ cursor });

/** GET /v1/units/{unit}/forms/{form}/latest?campaign=&cursor= */
export const latestQuery = z.object({ campaign, cursor });

/** GET /v1/status?campaign=&round=, GET /v1/stats?campaign=&round= (default: the round due next, or the last one). */
export const roundQuery = z.object({ campaign, round });

/** GET /v1/stats/rounds?campaign= */
export const campaignOnlyQuery = z.object({ campaign });

/** GET /v1/campaigns/{id}?round= (default: the forms at their current versions). */
export const campaignQuery = z.object({ round });

/** GET /v1/consolidated/{form}?campaign=&round=&cursor=&format= */
export const consolidatedQuery = z.object({
  campaign,
  round,
  cursor,
  format: z.optional(z.enum(['json', 'xlsx'], { error: '「format」应为 json 或 xlsx(下载 Excel 文件)。' })),
});
