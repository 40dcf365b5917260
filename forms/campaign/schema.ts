// The campaign document (DESIGN §9): one JSON file per campaign holding its calendar, units and 附件 forms.
// This zod schema checks each field's own shape; cross-field rules (duplicate keys, rules naming unknown
// columns, due dates outside the window…) live in document.ts, which also turns both into Chinese messages.
// zod/mini: the functions' bundles and the pane carry this schema; full zod would add ~430 KB to each.
import * as z from 'zod/mini';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** `YYYY-MM-DD` naming a real calendar day. */
export function isIsoDate(text: string): boolean {
  if (!ISO_DATE.test(text)) return false;
  const [y, m, d] = text.split('-').map(Number);
  const t = new Date(Date.UTC(y, m - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d;
}

/** An IANA time zone the JavaScript runtime knows (`Asia/Shanghai`). */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

const text = (max: number) =>
  z
    .string({ error: '应为文字(加双引号的字符串)' })
    .check(z.trim(), z.minLength(1, { error: '不能为空' }), z.maxLength(max, { error: `不能超过 ${max} 个字` }));
const isoDate = z
  .string({ error: '应为 YYYY-MM-DD 格式的日期字符串' })
  .check(z.refine(isIsoDate, { error: '应为 YYYY-MM-DD 格式的真实日期,如 2019-11-14' }));
const whole = z.refine<number>((n) => Number.isInteger(n), { error: '应为整数' });
/** Ids appear in URLs, store keys and file names: lower-case letters, digits and `-`. */
const slug = z
  .string({ error: '应为文字(加双引号的字符串)' })
  .check(
    z.regex(/^[a-z0-9][a-z0-9-]{0,62}$/, { error: '只能用小写英文字母、数字和「-」,以字母或数字开头,最长 63 个字符' }),
  );

/** Row keys become JSON property names of every submitted row; these would clash with what the server adds. */
export const RESERVED_COLUMN_KEYS = [
  'unitName',
  'status',
  'originalSeq',
  'sheetRow',
  '__proto__',
  'constructor',
  'prototype',
];

const columnKey = z.string({ error: '应为文字(加双引号的字符串)' }).check(
  z.regex(/^[A-Za-z][A-Za-z0-9_]{0,39}$/, { error: '只能用英文字母、数字和「_」,以字母开头,最长 40 个字符' }),
  z.refine((k) => !RESERVED_COLUMN_KEYS.includes(k), {
    error: `不能使用保留名称(${RESERVED_COLUMN_KEYS.join('、')}),请换一个`,
  }),
);

export const COLUMN_TYPES = ['text', 'integer', 'serial', 'decimal', 'choice'] as const;
export type ColumnType = (typeof COLUMN_TYPES)[number];

export const REQUIRED_MODES = ['always', 'fromSecondSubmission', 'never'] as const;
export type RequiredMode = (typeof REQUIRED_MODES)[number];

export const columnSpecSchema = z.strictObject({
  /** The row's property name (`closure`); also the stem of the column's own issue codes (`closure.invalid`). */
  key: columnKey,
  /** The header label as the template prints it; under `group`, the label in the second header row. */
  label: text(60),
  /** The first-row label shared by adjacent columns of a two-row header (`交办数量(件)` over 属实/不属实/合计). */
  group: z.optional(text(60)),
  /**
   * text: trimmed text. integer: whole number ≥ 0. serial: whole number ≥ 1, unique in the sheet, the case's
   * identity across rounds (序号). decimal: number ≥ 0 with at most `decimals` places. choice: one of `choices`.
   */
  type: z.enum(COLUMN_TYPES, { error: `应为 ${COLUMN_TYPES.join('、')} 之一` }),
  /** decimal only: most decimal places allowed (罚款金额: 4). */
  decimals: z.optional(
    z.number({ error: '应为数字' }).check(whole, z.gte(1, { error: '至少为 1' }), z.lte(10, { error: '不能超过 10' })),
  ),
  /** choice only: the allowed values, as the drop-down lists them. */
  choices: z.optional(
    z
      .array(text(40), { error: '应为文字列表' })
      .check(z.minLength(2, { error: '至少列出 2 个选项' }), z.maxLength(50, { error: '不能超过 50 个选项' })),
  ),
  /**
   * always: may not be blank. fromSecondSubmission: may be blank on the unit's first submission of the form, not
   * after (主题教育期间整改进展). never: may be blank. Default: always.
   */
  required: z.optional(z.enum(REQUIRED_MODES, { error: `应为 ${REQUIRED_MODES.join('、')} 之一` })),
  /** integer/decimal only: a blank cell (or `-`, `/`, `无`) counts as 0 with a `blank.as_zero` warning. */
  blankAsZero: z.optional(z.boolean({ error: '应为 true 或 false' })),
  /** Other labels clerks put over the same column (`编号` for 序号). */
  aliases: z.optional(z.array(text(60), { error: '应为文字列表' }).check(z.maxLength(50, { error: '不能超过 50 个' }))),
  /** What to write, ending the message for a blank required cell: `请填写问题所在的详细地址(县、乡镇、村)`. */
  hint: z.optional(text(100)),
  /** Excel character width of the template column. */
  width: z.number({ error: '应为数字' }).check(z.gte(2, { error: '至少为 2' }), z.lte(100, { error: '不能超过 100' })),
  /** After the unit's first accepted submission the value should stay as it was (附件1 columns 2–6): a change warns. */
  lockedAfterFirst: z.optional(z.boolean({ error: '应为 true 或 false' })),
});
export type ColumnSpec = z.infer<typeof columnSpecSchema>;

export const RULE_KINDS = ['sumEquals', 'sumAtMost'] as const;

export const rowRuleSchema = z.strictObject({
  /** The issue code is `<form id>.<id>` (`fujian2.sum_mismatch`). */
  id: z
    .string({ error: '应为文字(加双引号的字符串)' })
    .check(z.regex(/^[a-z][a-z0-9_]{0,39}$/, { error: '只能用小写英文字母、数字和「_」,以字母开头' })),
  /** sumEquals: the terms add up to `total` (属实 + 不属实 = 合计). sumAtMost: they do not exceed it (已办结 + 阶段办结 ≤ 合计). */
  kind: z.enum(RULE_KINDS, { error: `应为 ${RULE_KINDS.join('、')} 之一` }),
  /** Keys of the numeric columns added up. */
  terms: z
    .array(z.string({ error: '应为列的 key' }), { error: '应为列 key 的列表' })
    .check(z.minLength(2, { error: '至少 2 列' })),
  /** Key of the numeric column the sum is compared with. */
  total: z.string({ error: '应为列的 key' }),
  /**
   * The message after the cells (`B6:D6`), when the default wording does not fit: `{<key>}` is a column's value,
   * `{sum}` the sum of the terms.
   */
  message: z.optional(text(200)),
});
export type RowRule = z.infer<typeof rowRuleSchema>;

export const FORM_KINDS = ['ledger', 'summary'] as const;
export type FormKind = (typeof FORM_KINDS)[number];

export const formSpecSchema = z.strictObject({
  /** Stable id in URLs, store keys and submissions (`fujian1`). */
  id: z
    .string({ error: '应为文字(加双引号的字符串)' })
    .check(z.regex(/^[a-z][a-z0-9_]{0,31}$/, { error: '只能用小写英文字母、数字和「_」,以字母开头,最长 32 个字符' })),
  /** The line above the title, `附件1`. */
  tag: text(20),
  title: text(120),
  /** Name of the sheet a rendered template gets. */
  sheetName: text(31),
  /**
   * ledger: many rows per unit (cases); a 合计 line a clerk adds is skipped; consolidation appends units, tags
   * and renumbers. summary: one row per unit; a 合计 line must equal the column sums; consolidation adds a 合计
   * row and lists the units that have not reported.
   */
  kind: z.enum(FORM_KINDS, { error: `应为 ${FORM_KINDS.join('、')} 之一` }),
  columns: z
    .array(columnSpecSchema, { error: '应为列的列表' })
    .check(z.minLength(1, { error: '至少要有 1 列' }), z.maxLength(60, { error: '不能超过 60 列' })),
  rules: z.optional(
    z.array(rowRuleSchema, { error: '应为规则的列表' }).check(z.maxLength(50, { error: '不能超过 50 条' })),
  ),
  /** The column naming the reporting unit (附件2 `unit`); absent: the 填报单位(公章) line above the table names it. */
  unitColumn: z.optional(z.string({ error: '应为列的 key' })),
  /**
   * The choice column that says whether a case is done, and the value meaning done (附件1 是否办结 = 已办结):
   * what rebounds, newly closed cases, the callback sample and the 合计 line of a ledger count.
   */
  status: z.optional(
    z.strictObject({
      column: z.string({ error: '应为列的 key' }),
      closed: text(40),
    }),
  ),
  /** The lines under the table; `{asOf}` becomes the 数据截至 date. */
  notes: z.array(text(500), { error: '应为文字列表' }).check(z.maxLength(20, { error: '不能超过 20 行' })),
});
export type FormSpec = z.infer<typeof formSpecSchema>;

export const UNIT_ROLES = ['county', 'prefecture'] as const;

export const unitSpecSchema = z.strictObject({
  id: slug,
  /** The name consolidated sheets show (`同仁县`). */
  name: text(60),
  role: z.enum(UNIT_ROLES, { error: `应为 ${UNIT_ROLES.join('、')} 之一` }),
  /** Other names clerks write for the unit (`同仁县人民政府`, `同仁县环保局`). */
  aliases: z.optional(z.array(text(60), { error: '应为文字列表' }).check(z.maxLength(30, { error: '不能超过 30 个' }))),
  /** The unit's letters in receipt numbers (`TR` → `TR-20191114-附件1-v2`); default: its id in capitals. */
  code: z.optional(
    z
      .string({ error: '应为文字(加双引号的字符串)' })
      .check(z.regex(/^[A-Z]{1,6}$/, { error: '应为 1 至 6 个大写英文字母,如 TR' })),
  ),
});
export type UnitSpec = z.infer<typeof unitSpecSchema>;

export const milestoneSchema = z.strictObject({
  id: slug,
  /** `报送联系人`, `自查报告`, `工作总结`. */
  name: text(60),
  due: isoDate,
  note: z.optional(text(200)),
});
export type Milestone = z.infer<typeof milestoneSchema>;

export const campaignDocumentSchema = z.strictObject({
  id: slug,
  name: text(120),
  /** The issuing office (`黄南州生态环境局`). */
  issuer: text(60),
  /** The issuing document's number (`黄环督办〔2019〕4号`). */
  reference: z.optional(text(60)),
  /** IANA zone in which a round closes at the end of its due day. */
  timeZone: z
    .string({ error: '应为时区名称,如 Asia/Shanghai' })
    .check(z.refine(isTimeZone, { error: '不是可识别的时区名称,请写如 Asia/Shanghai' })),
  /** First and last day of the campaign, inclusive. */
  window: z.strictObject({ start: isoDate, end: isoDate }),
  /** When 附件 are due: every `daysOfMonth` inside the window, and/or the listed `dates`. */
  due: z.strictObject({
    daysOfMonth: z.optional(
      z.array(
        z
          .number({ error: '应为数字' })
          .check(whole, z.gte(1, { error: '应在 1 到 31 之间' }), z.lte(31, { error: '应在 1 到 31 之间' })),
        { error: '应为日期数字的列表,如 [4, 14, 24]' },
      ),
    ),
    dates: z.optional(
      z.array(isoDate, { error: '应为日期列表' }).check(z.maxLength(400, { error: '不能超过 400 个' })),
    ),
  }),
  milestones: z.optional(
    z.array(milestoneSchema, { error: '应为列表' }).check(z.maxLength(50, { error: '不能超过 50 个' })),
  ),
  units: z
    .array(unitSpecSchema, { error: '应为单位列表' })
    .check(z.minLength(1, { error: '至少要有 1 个单位' }), z.maxLength(500, { error: '不能超过 500 个单位' })),
  /** The 回访 sample: share of each unit's closed cases of a ledger form drawn for a callback. */
  sampling: z.optional(
    z.strictObject({
      callback: z.optional(
        z.strictObject({
          form: z.string({ error: '应为表的 id' }),
          rate: z
            .number({ error: '应为数字' })
            .check(z.gt(0, { error: '应大于 0' }), z.lte(1, { error: '不能大于 1' })),
        }),
      ),
    }),
  ),
  forms: z
    .array(formSpecSchema, { error: '应为表的列表' })
    .check(z.minLength(1, { error: '至少要有 1 张表' }), z.maxLength(20, { error: '不能超过 20 张表' })),
});
export type CampaignDocument = z.infer<typeof campaignDocumentSchema>;
