// What each button of the pane does, free of React: the components call these with the WorkbookHost and the
// ApiClient, so the Excel pane and the browser page behave the same.
import { columnLetter, parseAddress } from '../../forms/address';
import { parseSheet, type ParsedSheet } from '../../forms/parse';
import { renderSheet } from '../../forms/render';
import { callbackSheetLayout, callbackSheetName, caseKey, readCallbackSheet } from '../../forms/callback';
import type { FormCatalog, FormDefinition } from '../../forms/spec';
import { UNIT_LINE_KEY, unitIssues, unitLineCell, type SendingUnit } from '../../forms/unit-check';
import { sortIssues } from '../../forms/parse';
import type { FormId, FormRow, Grid, Issue, ValidationContext } from '../../forms/types';
import { ApiError, newIdempotencyKey, type ApiClient, type RequestProgress } from '../api/client';
import type {
  CallbackSampleResponse,
  MeResponse,
  Receipt,
  Review,
  SubmissionSummary,
  SubmitRequest,
} from '../../contract/api';
import type { FormSheet, WorkbookHost } from '../workbook/types';
import { formOf, orList, type PaneCampaign } from '../campaign';
import { consolidatedLayout, flagColumn, progressLayout, remindersLayout, statsLayout, statusLayout } from './tables';

/** Blank rows an inserted template offers for filling in. */
const TEMPLATE_BLANK_ROWS = 20;

/**
 * The 0-based columns of a pulled sheet that stay as first submitted: the serial and the columns the spec locks
 * after the first submission (附件1: 序号 … 具体整改措施及整改目标, template note 2).
 */
export function fixedColumns(form: FormDefinition): number[] {
  return form.columns.flatMap((c, i) => (c === form.serial || c.lockedAfterFirst ? [i] : []));
}

/** `前6栏` (or `第1、3栏`): the fixed columns as the template's notes name them; '' when there are none. */
export function fixedColumnsLabel(form: FormDefinition): string {
  const fixed = fixedColumns(form);
  if (fixed.length === 0) return '';
  return fixed.every((c, i) => c === i) ? `前${fixed.length}栏` : `第${fixed.map((c) => c + 1).join('、')}栏`;
}

/** What the clerk is told about a pulled sheet: `前6栏已锁定,请只更新「…」和「…」`; '' when nothing is locked. */
export function fixedColumnsText(form: FormDefinition): string {
  const label = fixedColumnsLabel(form);
  if (!label) return '';
  const fixed = fixedColumns(form);
  const editable = form.columns.filter((_, i) => !fixed.includes(i)).map((c) => `「${c.title}」`);
  return `${label}已锁定,请只更新${orList(editable, '和')}`;
}

export interface CheckResult {
  sheet: string;
  parsed: ParsedSheet;
  /** Where the 填报单位 line is (`A3`), for the server's issue about it. */
  unitLineCell?: string;
  errors: number;
  warnings: number;
}

export function insertTemplate(host: WorkbookHost, form: FormDefinition, unitName?: string): Promise<string> {
  return host.writeSheet(renderSheet(form, [], { unitName }, { blankRows: TEMPLATE_BLANK_ROWS }), {
    activate: true,
  });
}

/** The 附件 sheet to work on: the active sheet when it is one, else the first found. */
export async function findFormSheets(
  host: WorkbookHost,
  forms: FormCatalog,
): Promise<{ sheets: FormSheet[]; preferred: string | null }> {
  const [sheets, active] = await Promise.all([host.findFormSheets(forms.forms), host.activeSheet()]);
  const preferred = sheets.find((s) => s.name === active)?.name ?? sheets[0]?.name ?? null;
  return { sheets, preferred };
}

/** The connected unit as the sheet check needs it. */
export const sendingUnit = (me: MeResponse): SendingUnit => ({
  name: me.unit.name,
  aliases: me.unit.aliases ?? [],
  county: me.unit.role === 'county',
});

/** Reads the sheet without marking anything: what it says of itself (数据截至, 填报单位) before any check. */
export async function readSheetMeta(
  host: WorkbookHost,
  sheet: string,
  forms: FormCatalog,
): Promise<ParsedSheet['meta']> {
  const data = await host.readSheet(sheet);
  return parseSheet(data.grid, forms.forms, { origin: data.origin, merges: data.merges }).meta;
}

/**
 * Reads and validates the sheet with the campaign's forms and their rules — and, given the connected unit, that the
 * sheet is that unit's (填报单位 line, the cells of the form's unit column) — and marks every issue on it.
 */
export async function checkSheet(
  host: WorkbookHost,
  sheet: string,
  forms: FormCatalog,
  context: ValidationContext,
  unit?: SendingUnit,
): Promise<CheckResult> {
  const data = await host.readSheet(sheet);
  const parsed = parseSheet(data.grid, forms.forms, { origin: data.origin, merges: data.merges, context });
  if (unit && parsed.form) {
    const origin = parseAddress(data.origin);
    const lineCell = unitLineCell(data.grid, origin, parsed.headerRow ?? origin.row);
    const found = unitIssues(
      formOf(forms, parsed.form),
      parsed.rows.map((r) => r.values),
      parsed.meta.unitName,
      unit,
      lineCell,
    );
    parsed.issues.push(...placeServerIssues(found, parsed).map((i) => (i.cell ? i : { ...i, row: lineRow(lineCell) })));
    sortIssues(parsed.issues);
  }
  await host.markIssues(sheet, parsed.issues);
  const origin = parseAddress(data.origin);
  return {
    sheet,
    parsed,
    unitLineCell: parsed.form ? unitLineCell(data.grid, origin, parsed.headerRow ?? origin.row) : undefined,
    errors: parsed.issues.filter((i) => i.severity === 'error').length,
    warnings: parsed.issues.filter((i) => i.severity === 'warning').length,
  };
}

const lineRow = (cell: string | undefined): number | undefined => (cell ? parseAddress(cell).row : undefined);

/**
 * The server numbers issues by position in the submitted rows; on the sheet they belong to a cell.
 * `第3行「是否办结」…` for the third data row becomes `H8「是否办结」…` with cell H8.
 */
export function placeServerIssues(issues: Issue[], parsed: ParsedSheet, unitLineAt?: string): Issue[] {
  return issues.map((issue) => {
    if (issue.key === UNIT_LINE_KEY && unitLineAt && !issue.cell)
      return { ...issue, cell: unitLineAt, row: parseAddress(unitLineAt).row, message: unitLineAt + issue.message };
    const row = issue.row ? parsed.rows[issue.row - 1] : undefined;
    if (!row) return issue;
    const column = issue.key ? parsed.columns[issue.key] : undefined;
    const cell = column ? `${columnLetter(column)}${row.sheetRow}` : `A${row.sheetRow}`;
    return { ...issue, row: row.sheetRow, cell, message: issue.message.replace(/^第\s*\d+\s*行/, cell) };
  });
}

/**
 * Has the unit an accepted sheet of this form from an earlier round? Then the columns required from the second
 * submission on (附件1 整改进展) must be filled (DESIGN §2). Asked only of forms that have such a column.
 */
export async function progressRequired(
  api: ApiClient,
  me: MeResponse,
  form: FormDefinition,
  round: string,
): Promise<boolean> {
  if (!form.columns.some((c) => c.required === 'fromSecondSubmission')) return false;
  const history = await api.history({ form: form.id, unit: me.unit.id });
  return history.some((s) => s.round < round);
}

/** The unit's current submission for the form and round: what a new submission replaces (basedOn). */
export async function currentSubmission(
  api: ApiClient,
  me: MeResponse,
  form: FormId,
  round: string,
): Promise<SubmissionSummary | null> {
  const history = await api.history({ form, round, unit: me.unit.id });
  return history.find((s) => s.current) ?? null;
}

export interface SubmitInput {
  check: CheckResult;
  round: string;
  asOf: string;
  contact: { name: string; phone: string };
  basedOn: string | null;
  idempotencyKey: string;
  onProgress?: (p: RequestProgress) => void;
}

export function submitChecked(api: ApiClient, input: SubmitInput): Promise<Receipt> {
  return api.submit(submitBody(input), { idempotencyKey: input.idempotencyKey, onProgress: input.onProgress });
}

export function submitBody(input: Omit<SubmitInput, 'idempotencyKey' | 'onProgress'>): SubmitRequest {
  return {
    form: input.check.parsed.form!,
    round: input.round,
    asOf: input.asOf,
    contact: input.contact,
    rows: input.check.parsed.rows.map((r) => r.values),
    basedOn: input.basedOn,
    // The server checks it names the unit too (never trust the client).
    ...(input.check.parsed.meta.unitName !== undefined ? { unitLine: input.check.parsed.meta.unitName } : {}),
  };
}

/** One of the unit's own submissions, rows and all, as a sheet in the template (browser page: also a download). */
export async function openSubmission(
  host: WorkbookHost,
  api: ApiClient,
  me: MeResponse,
  forms: FormCatalog,
  id: string,
  onProgress?: (p: RequestProgress) => void,
): Promise<string> {
  const got = await api.submission(id, onProgress);
  const form = formOf(forms, got.form);
  const layout = renderSheet(
    form,
    got.rows as FormRow[],
    {
      unitName: me.unit.id === got.unit ? me.unit.name : undefined,
      fillDate: got.submittedAt.slice(0, 10),
      asOf: got.asOf,
    },
    { sheetName: `${form.tag}(${got.round}第${got.version}版)` },
  );
  return host.writeSheet(layout, { activate: true });
}

export type RoundStanding = 'ontime' | 'late' | 'returned' | 'overdue' | 'open' | 'future';

/** 已报 / 已报(逾期) / 逾期未报 (due date passed) / 待报 (this round) / — for each form and round, from the history. */
export const STANDING_LABELS: Record<RoundStanding, string> = {
  ontime: '已报',
  late: '已报(逾期)',
  returned: '已退回',
  overdue: '逾期未报',
  open: '待报',
  future: '—',
};

/** The newest review of a submission (history entries carry them), or null. */
export const lastReview = (s: Pick<SubmissionSummary, 'reviews'>): Review | null => s.reviews?.at(-1) ?? null;

/**
 * The forms the unit has not yet sent for the round due next, when it is due within `withinDays` days (the due-soon
 * banner); empty otherwise.
 */
export function dueSoonMissing(
  formIds: readonly FormId[],
  history: SubmissionSummary[],
  nextDue: string | null,
  daysLeft: number,
  withinDays = 3,
): FormId[] {
  if (!nextDue || daysLeft < 0 || daysLeft > withinDays) return [];
  return formIds.filter((form) => !history.some((s) => s.form === form && s.round === nextDue && s.current));
}

export function roundStandings(
  formIds: readonly FormId[],
  rounds: string[],
  history: SubmissionSummary[],
  today: string,
  nextDue: string | null,
): { round: string; forms: Record<FormId, RoundStanding> }[] {
  return rounds.map((round) => {
    const forms = {} as Record<FormId, RoundStanding>;
    for (const form of formIds) {
      const current = history.find((s) => s.form === form && s.round === round && s.current);
      forms[form] = current
        ? lastReview(current)?.decision === 'returned'
          ? 'returned'
          : current.late
            ? 'late'
            : 'ontime'
        : round < today
          ? 'overdue'
          : round === nextDue || round === today
            ? 'open'
            : 'future';
    }
    return { round, forms };
  });
}

/**
 * A short fingerprint of what is being submitted (FNV-1a over its JSON). When a click failed for the network's
 * sake and the clerk clicks again on the same content, the pane reuses that click's Idempotency-Key: had the
 * first one reached the server after all, the retry gets its receipt instead of a second submission.
 */
export function submissionFingerprint(body: SubmitRequest): string {
  const text = JSON.stringify(body);
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return `${text.length}:${hash.toString(16)}`;
}

export interface PulledSheet {
  form: FormDefinition;
  /** Cases marked 回访不满意 on the sheet. */
  flagged: number;
  sheet: string;
  rows: number;
  round: string;
}

/**
 * The unit's last sheet of each ledger form (附件1) in a new sheet, with the columns that stay as first submitted
 * locked; empty when the unit has submitted none yet.
 */
export async function pullLast(
  host: WorkbookHost,
  api: ApiClient,
  me: MeResponse,
  forms: FormCatalog,
): Promise<PulledSheet[]> {
  const pulled: PulledSheet[] = [];
  for (const form of forms.forms.filter((f) => f.kind === 'ledger')) {
    const latest = await api.latest(me.unit.id, form.id);
    if (!latest) continue;
    // Cases the 州 office's callback found not satisfied say so beside them: to be handled again.
    const flags = flagColumn(form, latest.rows, latest.callbackFlags ?? []);
    const layout = renderSheet(
      form,
      latest.rows as FormRow[],
      { unitName: me.unit.name },
      { sheetName: `${form.tag}(${latest.round}已报)`, ...(flags ? { extraColumns: [flags] } : {}) },
    );
    const sheet = await host.writeSheet(layout, { activate: true, lockColumns: fixedColumns(form) });
    pulled.push({
      form,
      sheet,
      rows: latest.rows.length,
      round: latest.round,
      flagged: latest.callbackFlags?.length ?? 0,
    });
  }
  return pulled;
}

/** What the 汇总 tab writes: the status board, a form's consolidated table, the statistics or the 催报 list. */
export type PrefectureSheet =
  { kind: 'status' } | { kind: 'stats'; form: FormDefinition } | { kind: 'form'; form: FormId } | { kind: 'reminders' };

export async function pullPrefectureSheet(
  host: WorkbookHost,
  api: ApiClient,
  me: MeResponse,
  campaign: PaneCampaign,
  what: PrefectureSheet,
  round: string,
  onProgress?: (p: RequestProgress) => void,
): Promise<string> {
  const layout =
    what.kind === 'status'
      ? statusLayout(await api.status(round), campaign.forms)
      : what.kind === 'stats'
        ? statsLayout(await api.stats(round), what.form)
        : what.kind === 'reminders'
          ? remindersLayout(await api.reminders(round))
          : consolidatedLayout(
              formOf(campaign.forms, what.form),
              await api.consolidated(what.form, round, onProgress),
              me.unit.name,
            );
  return host.writeSheet(layout, { activate: true });
}

/** A number the office can read out and note down; four digits are plenty to make each draw different. */
export function newSampleNumber(): string {
  return String(1000 + (crypto.getRandomValues(new Uint32Array(1))[0] % 9000));
}

/**
 * The number as the office typed it: full-width digits and spaces allowed, leading zeros dropped (so `0042` and `42`
 * are the same draw); null when it is not a whole number of at most 9 digits.
 */
export function normalizeSampleNumber(text: string): string | null {
  const digits = text.normalize('NFKC').replace(/\s+/g, '');
  return /^\d{1,9}$/.test(digits) ? String(Number(digits)) : null;
}

/** The campaign's callback sample (回访): which ledger, and what share of each unit's closed cases. */
export function callbackSampling(campaign: PaneCampaign): { form: FormDefinition; rate: number } | null {
  const callback = campaign.document.sampling?.callback;
  const form = callback ? campaign.forms.get(callback.form) : undefined;
  return callback && form?.status ? { form, rate: callback.rate } : null;
}

export interface CallbackSampleResult {
  /** The sheet written, or null when the round has no closed case to visit (nothing drawn). */
  sheet: string | null;
  sample: CallbackSampleResponse | null;
  /** Why nothing was drawn, as the server says it. */
  nothing?: string;
}

/** The 回访样本 sheet of a stored sample, with the results recorded so far filled in. */
export function callbackSheetOf(form: FormDefinition, sample: CallbackSampleResponse) {
  return callbackSheetLayout({
    form,
    round: sample.round,
    seed: sample.seed,
    rate: sample.rate,
    drawnByName: sample.drawnByName,
    drawnAt: sample.drawnAt,
    cases: sample.cases,
    results: new Map(sample.cases.flatMap((c) => (c.result ? [[caseKey(c.unit, c.seq), c.result] as const] : []))),
  });
}

/**
 * The round's callback sample: drawn by the server the first time (with the office's number, else one it picks) and
 * stored, so asking again — from any computer — answers the same cases. Written to a new sheet to fill in.
 */
export async function pullCallbackSample(
  host: WorkbookHost,
  api: ApiClient,
  sampling: { form: FormDefinition; rate: number },
  round: string,
  sampleNumber?: string,
): Promise<CallbackSampleResult> {
  let sample: CallbackSampleResponse;
  try {
    sample = await api.drawSample(round, sampleNumber);
  } catch (err) {
    if (err instanceof ApiError && err.code === 'nothing_to_draw')
      return { sheet: null, sample: null, nothing: err.serverMessage ?? err.message };
    throw err;
  }
  const sheet = await host.writeSheet(callbackSheetOf(sampling.form, sample), { activate: true });
  return { sheet, sample };
}

export interface CallbackSubmitResult {
  sheet: string;
  round: string;
  /** Mistakes in the sheet, each with its cell (also marked on the sheet); nothing was sent when there are any. */
  issues: Issue[];
  /** Entries sent (new or changed against what is stored). */
  sent: number;
  /** The sample as stored after the results, for its figures; null when nothing was sent. */
  sample: CallbackSampleResponse | null;
}

/** The round a 回访样本 sheet is for: from its name (`回访样本 2019-11-14`), else its title line. */
function sheetRound(name: string, grid: Grid): string | null {
  const fromName = /(\d{4}-\d{2}-\d{2})/.exec(name);
  if (fromName) return fromName[1];
  for (const row of grid.slice(0, 3)) {
    const m = /(\d{4}-\d{2}-\d{2}) 轮/.exec(row.map((v) => (typeof v === 'string' ? v : '')).join(' '));
    if (m) return m[1];
  }
  return null;
}

/**
 * Reads the filled 回访样本 sheet (the one on screen, else the round's), checks every filled row as the server will
 * (forms/callback: cell-addressed Chinese messages, marked on the sheet), and sends the entries that are new or
 * changed under one Idempotency-Key.
 */
export async function submitCallbackSheet(
  host: WorkbookHost,
  api: ApiClient,
  round: string,
  today: string,
): Promise<CallbackSubmitResult> {
  const [sheets, active] = await Promise.all([host.listSheets(), host.activeSheet()]);
  const isSample = (n: string) => n.startsWith('回访样本');
  const name =
    (active && isSample(active) ? active : null) ??
    sheets.find((n) => n === callbackSheetName(round)) ??
    sheets.find(isSample);
  if (!name) throw new Error('没有找到「回访样本」工作表。请先点「抽取回访样本」生成,填写回访结果后再提交。');
  const data = await host.readSheet(name);
  const forRound = sheetRound(name, data.grid) ?? round;
  const sample = await api.callbackSample(forRound);
  if (!sample) throw new Error(`${forRound} 轮还没有抽取回访样本。请先点「抽取回访样本」。`);
  const origin = parseAddress(data.origin);
  const read = readCallbackSheet(data.grid, sample.cases, today, origin);
  if (!read.found)
    throw new Error(`工作表「${name}」中找不到回访样本的表头(填报单位、本单位序号、回访方式、回访日期、回访结果)。`);
  await host.clearMarks(name);
  if (read.issues.length > 0) {
    await host.markIssues(name, read.issues);
    return { sheet: name, round: forRound, issues: read.issues, sent: 0, sample: null };
  }
  if (read.results.length === 0)
    throw new Error(`工作表「${name}」中还没有填写回访结果:请为已回访的案件填写回访方式、日期和结果。`);
  const stored = new Map(sample.cases.map((c) => [caseKey(c.unit, c.seq), c.result]));
  const changed = read.results.filter(({ unit, seq, entry }) => {
    const was = stored.get(caseKey(unit, seq));
    return (
      !was || was.way !== entry.way || was.date !== entry.date || was.result !== entry.result || was.note !== entry.note
    );
  });
  if (changed.length === 0) return { sheet: name, round: forRound, issues: [], sent: 0, sample };
  const answer = await api.callbackResults(
    forRound,
    changed.map(({ unit, seq, entry }) => ({ unit, seq, ...entry })),
    newIdempotencyKey(),
  );
  return { sheet: name, round: forRound, issues: [], sent: changed.length, sample: answer };
}

export interface ProgressSheetResult {
  sheet: string;
  /** Native charts added (0 where the host has none: the table alone). */
  charts: number;
}

/** The campaign's rounds side by side in a new sheet, with native charts where the Excel build has them. */
export async function pullProgressSheet(host: WorkbookHost, api: ApiClient): Promise<ProgressSheetResult> {
  const { layout, charts } = progressLayout(await api.progress());
  const sheet = await host.writeSheet(layout, { activate: true });
  const caps = await host.capabilities();
  const added = caps.charts && host.addCharts ? await host.addCharts(sheet, charts) : 0;
  return { sheet, charts: added };
}
