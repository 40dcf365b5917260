// What each button of the pane does, free of React: the components call these with the WorkbookHost and the
// ApiClient, so the Excel pane and the browser page behave the same.
import { columnLetter, parseAddress } from '../../forms/address';
import { parseSheet, type ParsedSheet } from '../../forms/parse';
import { renderSheet } from '../../forms/render';
import { drawCallbackSample, sampleSeed } from '../../forms/sample';
import { isClosedRow } from '../../forms/spec';
import { UNIT_LINE_KEY, unitIssues, unitLineCell, type SendingUnit } from '../../forms/unit-check';
import { sortIssues } from '../../forms/parse';
import type { FormId, FormRow, Issue, ValidationContext } from '../../forms/types';
import type { ApiClient, RequestProgress } from '../api/client';
import type {
  ConsolidatedFujian1Row,
  MeResponse,
  Receipt,
  Review,
  SubmissionSummary,
  SubmitRequest,
} from '../../contract/api';
import type { FormSheet, WorkbookHost } from '../workbook/types';
import { FORMS, formOf } from '../forms';
import { callbackSampleLayout, consolidatedLayout, remindersLayout, statsLayout, statusLayout } from './tables';

export const FORM_NAMES: Record<FormId, string> = Object.fromEntries(FORMS.forms.map((f) => [f.id, f.tag]));
/** Blank rows an inserted template offers for filling in. */
const TEMPLATE_BLANK_ROWS = 20;
/** 序号 … 具体整改措施及整改目标: unchanged after the first submission (template note 2). */
export const FUJIAN1_FIXED_COLUMNS = [0, 1, 2, 3, 4, 5];

export interface CheckResult {
  sheet: string;
  parsed: ParsedSheet;
  /** Where the 填报单位 line is (`A3`), for the server's issue about it. */
  unitLineCell?: string;
  errors: number;
  warnings: number;
}

export function insertTemplate(host: WorkbookHost, form: FormId, unitName?: string): Promise<string> {
  return host.writeSheet(renderSheet(formOf(form), [], { unitName }, { blankRows: TEMPLATE_BLANK_ROWS }), {
    activate: true,
  });
}

/** The 附件 sheet to work on: the active sheet when it is one, else the first found. */
export async function findFormSheets(host: WorkbookHost): Promise<{ sheets: FormSheet[]; preferred: string | null }> {
  const [sheets, active] = await Promise.all([host.findFormSheets(), host.activeSheet()]);
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
export async function readSheetMeta(host: WorkbookHost, sheet: string): Promise<ParsedSheet['meta']> {
  const data = await host.readSheet(sheet);
  return parseSheet(data.grid, FORMS.forms, { origin: data.origin, merges: data.merges }).meta;
}

/**
 * Reads and validates the sheet with forms' rules — and, given the connected unit, that the sheet is that unit's
 * (填报单位 line, the cells of the form's unit column) — and marks every issue on it.
 */
export async function checkSheet(
  host: WorkbookHost,
  sheet: string,
  context: ValidationContext,
  unit?: SendingUnit,
): Promise<CheckResult> {
  const data = await host.readSheet(sheet);
  const parsed = parseSheet(data.grid, FORMS.forms, { origin: data.origin, merges: data.merges, context });
  if (unit && parsed.form) {
    const origin = parseAddress(data.origin);
    const lineCell = unitLineCell(data.grid, origin, parsed.headerRow ?? origin.row);
    const found = unitIssues(
      formOf(parsed.form),
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

/** Has the unit an accepted 附件1 from an earlier round? Then 整改进展 is required (DESIGN §2). */
export async function progressRequired(api: ApiClient, me: MeResponse, round: string): Promise<boolean> {
  const history = await api.history({ form: 'fujian1', unit: me.unit.id });
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
  id: string,
  onProgress?: (p: RequestProgress) => void,
): Promise<string> {
  const got = await api.submission(id, onProgress);
  const layout = renderSheet(
    formOf(got.form),
    got.rows as FormRow[],
    {
      unitName: me.unit.id === got.unit ? me.unit.name : undefined,
      fillDate: got.submittedAt.slice(0, 10),
      asOf: got.asOf,
    },
    { sheetName: `${FORM_NAMES[got.form]}(${got.round}第${got.version}版)` },
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
  history: SubmissionSummary[],
  nextDue: string | null,
  daysLeft: number,
  withinDays = 3,
): FormId[] {
  if (!nextDue || daysLeft < 0 || daysLeft > withinDays) return [];
  return FORMS.ids.filter((form) => !history.some((s) => s.form === form && s.round === nextDue && s.current));
}

export function roundStandings(
  rounds: string[],
  history: SubmissionSummary[],
  today: string,
  nextDue: string | null,
): { round: string; forms: Record<FormId, RoundStanding> }[] {
  return rounds.map((round) => {
    const forms = {} as Record<FormId, RoundStanding>;
    for (const form of FORMS.ids) {
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

/** The unit's last 附件1 in a new sheet, columns 1–6 locked; null when the unit has none yet. */
export async function pullLast(
  host: WorkbookHost,
  api: ApiClient,
  me: MeResponse,
): Promise<{ sheet: string; rows: number; round: string } | null> {
  const latest = await api.latest(me.unit.id, 'fujian1');
  if (!latest) return null;
  const layout = renderSheet(
    formOf('fujian1'),
    latest.rows as FormRow[],
    { unitName: me.unit.name },
    { sheetName: `附件1(${latest.round}已报)` },
  );
  const sheet = await host.writeSheet(layout, { activate: true, lockColumns: FUJIAN1_FIXED_COLUMNS });
  return { sheet, rows: latest.rows.length, round: latest.round };
}

export type PrefectureSheet = 'status' | 'fujian1' | 'fujian2' | 'stats' | 'reminders';

export async function pullPrefectureSheet(
  host: WorkbookHost,
  api: ApiClient,
  me: MeResponse,
  what: PrefectureSheet,
  round: string,
  onProgress?: (p: RequestProgress) => void,
): Promise<string> {
  const layout =
    what === 'status'
      ? statusLayout(await api.status(round))
      : what === 'stats'
        ? statsLayout(await api.stats(round))
        : what === 'reminders'
          ? remindersLayout(await api.reminders(round))
          : consolidatedLayout(await api.consolidated(what, round, onProgress), me.unit.name);
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

export interface CallbackSampleResult {
  /** The sheet written, or null when the round has no 已办结 case to visit. */
  sheet: string | null;
  seed: string;
  closed: number;
  drawn: number;
}

/**
 * Pulls the round's consolidated 附件1, draws ceil(20 %) of each unit's 已办结 cases with the seed made of the round
 * and the office's number, and writes them to a new sheet the office fills in after the visits.
 */
export async function pullCallbackSample(
  host: WorkbookHost,
  api: ApiClient,
  me: MeResponse,
  round: string,
  sampleNumber: string,
  onProgress?: (p: RequestProgress) => void,
): Promise<CallbackSampleResult> {
  const table = await api.consolidated('fujian1', round, onProgress);
  const form = formOf('fujian1');
  const sample = drawCallbackSample(table.rows as ConsolidatedFujian1Row[], {
    seed: sampleSeed(round, sampleNumber),
    isClosed: (row) => isClosedRow(form, row),
  });
  const closed = sample.units.reduce((n, u) => n + u.closed, 0);
  const result = { seed: sample.seed, closed, drawn: sample.rows.length };
  if (!sample.rows.length) return { ...result, sheet: null };
  const sheet = await host.writeSheet(callbackSampleLayout(table, sample, me.unit.name, sampleNumber), {
    activate: true,
  });
  return { ...result, sheet };
}
