// Callback results (回访, DESIGN §10): after the 州 office draws the sample of closed cases (sample.ts), someone
// phones or visits each complainant and writes down how (电话/实地), when, whether the person is satisfied
// (满意/基本满意/不满意) and a note. The office fills that into the 回访样本 sheet, or a client sends it as JSON; both
// go through checkCallbackEntry, so the pane, the browser page and the server say the same thing about the same
// mistake — the sheet naming the cell (`L5「回访结果」…`), JSON naming the entry (`第3条「回访结果」…`).
// A 不满意 case goes back to its county to be handled again (整改不到位不放过): the note says why.
import { cellAddress, columnLetter } from './address';
import { cellScalar, cellText, labelKey, serialToIsoDate, trimText } from './cells';
import { readDate } from './meta';
import type { SheetLayout } from './render';
import type { FormDefinition, FormRow } from './spec';
import type { Grid, Issue } from './types';
import { xmlInvalidIndex } from './xml-text';

export const CALLBACK_WAYS = ['电话', '实地'] as const;
export type CallbackWay = (typeof CALLBACK_WAYS)[number];
export const CALLBACK_OUTCOMES = ['满意', '基本满意', '不满意'] as const;
export type CallbackOutcome = (typeof CALLBACK_OUTCOMES)[number];
/** The outcome that sends a case back to its county. */
export const DISSATISFIED: CallbackOutcome = '不满意';
/** Characters of a note: a few sentences, as written on a callback record form (回访记录表). */
export const CALLBACK_NOTE_MAX = 500;
/** The earliest visit date taken: anything before is a typo, not a visit. */
const MIN_DATE = '2000-01-01';

/** One callback as recorded. `date` is `YYYY-MM-DD`; `note` may be empty unless the person was not satisfied. */
export interface CallbackEntry {
  way: CallbackWay;
  date: string;
  result: CallbackOutcome;
  note: string;
}
export type CallbackKey = keyof CallbackEntry;

/** The columns the office fills in, in sheet order, with the other labels clerks put over them. */
export const CALLBACK_COLUMNS: readonly { key: CallbackKey; label: string; aliases: string[]; width: number }[] = [
  { key: 'way', label: '回访方式', aliases: ['方式'], width: 10 },
  { key: 'date', label: '回访日期', aliases: ['回访时间', '日期'], width: 13 },
  { key: 'result', label: '回访结果', aliases: ['群众满意度', '满意度', '满意程度'], width: 11 },
  { key: 'note', label: '回访情况说明', aliases: ['情况说明', '说明', '备注', '回访情况'], width: 30 },
];
const LABEL: Record<CallbackKey, string> = Object.fromEntries(CALLBACK_COLUMNS.map((c) => [c.key, c.label])) as Record<
  CallbackKey,
  string
>;

/** Where an entry's fields are: cells of a sheet row, or the position of an entry in a JSON list. */
export interface EntryPlace {
  /** Sheet row, or the entry's 1-based position. */
  row: number;
  /** `L5` in a sheet, `第3条` in a list. */
  at(key: CallbackKey): string;
  /** The cell, in a sheet. */
  cell(key: CallbackKey): string | undefined;
}

/** The place of the n-th (1-based) entry of a JSON list. */
export const listPlace = (n: number): EntryPlace => ({ row: n, at: () => `第${n}条`, cell: () => undefined });

const oneOf = (values: readonly string[]): string =>
  values.length === 2 ? `${values[0]} 或 ${values[1]}` : `${values.slice(0, -1).join('、')} 或 ${values.at(-1)}`;

/** What was typed, as a clerk meant it: trimmed, full-width folded for comparisons. */
const typed = (value: unknown): string => trimText(cellText(value));

/** `电话回访` and `实地走访` are what clerks often write; the way is the first two characters. */
function readWay(text: string): CallbackWay | undefined {
  const t = text.normalize('NFKC').replace(/\s+/g, '');
  return CALLBACK_WAYS.find((w) => t === w || t === `${w}回访` || (w === '实地' && t === '实地走访'));
}

function readOutcome(text: string): CallbackOutcome | undefined {
  const t = text.normalize('NFKC').replace(/\s+/g, '');
  return CALLBACK_OUTCOMES.find((o) => t === o);
}

/** A visit date from what the cell holds: an Excel serial (Office.js), a Date (ExcelJS) or typed text. */
function readVisitDate(value: unknown): string | undefined {
  const s = cellScalar(value);
  if (typeof s === 'number') return s > 30000 && s < 80000 ? serialToIsoDate(Math.floor(s)) : undefined;
  if (s instanceof Date) return cellText(s);
  return typeof s === 'string' ? readDate(s) : undefined;
}

/**
 * Checks one callback. All four fields blank: not visited yet (null, no issue). Otherwise every field must be
 * right; `today` (`YYYY-MM-DD`, the office's day) bounds the date.
 */
export function checkCallbackEntry(
  raw: Partial<Record<CallbackKey, unknown>>,
  place: EntryPlace,
  today: string,
): { entry: CallbackEntry | null; issues: Issue[] } {
  const issues: Issue[] = [];
  const text = {
    way: typed(raw.way),
    date: typed(raw.date),
    result: typed(raw.result),
    note: typed(raw.note),
  };
  if (Object.values(text).every((t) => t === '')) return { entry: null, issues };
  const fail = (key: CallbackKey, message: string) =>
    issues.push({
      code: `callback.${key}`,
      severity: 'error',
      message: `${place.at(key)}「${LABEL[key]}」${message}`,
      row: place.row,
      key,
      column: LABEL[key],
      ...(place.cell(key) ? { cell: place.cell(key) } : {}),
    });

  const way = readWay(text.way);
  if (!way)
    fail('way', text.way ? `只能是 ${oneOf(CALLBACK_WAYS)},现为“${text.way}”` : `请填写 ${oneOf(CALLBACK_WAYS)}`);

  const date = text.date ? readVisitDate(raw.date) : undefined;
  if (!text.date) fail('date', '请填写回访的日期,例如 2019-11-20');
  else if (!date || date < MIN_DATE) fail('date', `“${text.date}”不是日期,请写成 2019-11-20 或 2019年11月20日`);
  else if (date > today) fail('date', `${date} 晚于今天(${today}),请填写实际回访的日期`);

  const result = readOutcome(text.result);
  if (!result)
    fail(
      'result',
      text.result ? `只能是 ${oneOf(CALLBACK_OUTCOMES)},现为“${text.result}”` : `请填写 ${oneOf(CALLBACK_OUTCOMES)}`,
    );

  const note = text.note;
  if (xmlInvalidIndex(note) >= 0) fail('note', '中有不可见的控制字符,请删除后重新输入');
  else if (note.length > CALLBACK_NOTE_MAX)
    fail('note', `最多 ${CALLBACK_NOTE_MAX} 个字,现有 ${note.length} 个字,请精简`);
  else if (result === DISSATISFIED && note === '') fail('note', '群众不满意时请写明不满意的原因,县级据此重新办理');

  if (issues.length > 0 || !way || !date || !result) return { entry: null, issues };
  return { entry: { way, date, result, note }, issues };
}

// ---- the 回访样本 sheet ------------------------------------------------------------------------------------

/** One sampled case as the sheet and the API show it. */
export interface CallbackSheetCase {
  unit: string;
  unitName: string;
  /** The unit's own 序号 of the case (its identity across rounds within the unit). */
  seq: number;
  /** The case's row as the unit last submitted it when the sample was drawn. */
  row: FormRow;
}

export interface CallbackSheetInput {
  form: FormDefinition;
  round: string;
  seed: string;
  rate: number;
  /** Who drew the sample and when (`黄南州`, ISO time). */
  drawnByName: string;
  drawnAt: string;
  cases: readonly CallbackSheetCase[];
  /** The results recorded so far, by case (`unit#seq`): the sheet starts from them. */
  results?: ReadonlyMap<string, CallbackEntry>;
  sheetName?: string;
}

export const caseKey = (unit: string, seq: number): string => `${unit}#${seq}`;

/** Labels of the identifying columns, read back by readCallbackSheet. */
const UNIT_LABEL = '填报单位';
const SEQ_LABEL = '本单位序号';
const HEADER_ROW = 3;

/** The sheet's name for a round: `回访样本 2019-11-14`. */
export const callbackSheetName = (round: string): string => `回访样本 ${round}`;

/** The form's columns the visitor reads from (what the case is about): all but the serial and the status. */
const caseColumns = (form: FormDefinition) =>
  form.columns.filter((c) => c.key !== form.serial?.key && c.key !== form.status?.column.key);

/**
 * The 回访样本 sheet: a title with the seed, a line saying who drew it and how, one row per case (序号, 填报单位,
 * 本单位序号, what the case is about) and the four columns to fill, with drop-downs for 回访方式 and 回访结果, then notes.
 */
export function callbackSheetLayout(input: CallbackSheetInput): SheetLayout {
  const { form, cases } = input;
  const about = caseColumns(form);
  const labels = ['序号', UNIT_LABEL, SEQ_LABEL, ...about.map((c) => c.title), ...CALLBACK_COLUMNS.map((c) => c.label)];
  const width = labels.length;
  const last = columnLetter(width);
  const percent = `${Math.round(input.rate * 1000) / 10}%`;
  const values: (string | number | null)[][] = [
    [`${form.tag}已办结案件回访样本(${input.round} 轮,抽样种子 ${input.seed})`, ...Array(width - 1).fill(null)],
    [
      `抽样单位:${input.drawnByName}  抽样时间:${input.drawnAt.slice(0, 10)}  抽样比例:各单位已办结案件的 ${percent}(向上取整)`,
      ...Array(width - 1).fill(null),
    ],
    labels,
  ];
  for (const [i, c] of cases.entries()) {
    const done = input.results?.get(caseKey(c.unit, c.seq));
    values.push([
      i + 1,
      c.unitName,
      c.seq,
      ...about.map((col) => c.row[col.key] ?? null),
      done?.way ?? null,
      done?.date ?? null,
      done?.result ?? null,
      done ? done.note || null : null,
    ]);
  }
  const dataLast = HEADER_ROW + cases.length;
  const notes = [
    `填写说明:回访方式填 ${oneOf(CALLBACK_WAYS)};回访日期写成 2019-11-20;回访结果填 ${oneOf(CALLBACK_OUTCOMES)};` +
      '不满意的请在「回访情况说明」中写明原因,提交后该案件在县级下次拉取附件1和州级汇总附件1中标记为“回访不满意”,需重新办理。',
    '未回访的案件四栏留空;已提交的结果可修改后再次提交,以最后一次为准,历次记录均保留。',
  ];
  const merges = [`A1:${last}1`, `A2:${last}2`];
  for (const note of notes) {
    values.push([note, ...Array(width - 1).fill(null)]);
    merges.push(`A${values.length}:${last}${values.length}`);
  }
  const fillFrom = 3 + about.length;
  const fillColumns = CALLBACK_COLUMNS.map((_, i) => fillFrom + i);
  const textAbout = about.flatMap((c, i) => (c.type === 'text' || c.type === 'choice' ? [3 + i] : []));
  return {
    sheetName: input.sheetName ?? callbackSheetName(input.round),
    values,
    merges,
    columnWidths: [6, 14, 8, ...about.map((c) => Math.min(c.width, 30)), ...CALLBACK_COLUMNS.map((c) => c.width)],
    header: { firstRow: HEADER_ROW, lastRow: HEADER_ROW },
    data: { firstRow: HEADER_ROW + 1, lastRow: dataLast },
    textColumns: [1, ...textAbout, ...fillColumns],
    numberFormats: labels.map((_, i) => (i === 1 || textAbout.includes(i) || fillColumns.includes(i) ? '@' : null)),
    dropDowns: cases.length
      ? [
          { column: fillColumns[0], title: '回访方式', values: CALLBACK_WAYS },
          { column: fillColumns[2], title: '回访结果', values: CALLBACK_OUTCOMES },
        ]
      : [],
    notes: { firstRow: dataLast + 1, lastRow: values.length },
    printTitleRows: `${HEADER_ROW}:${HEADER_ROW}`,
    freeze: { rows: HEADER_ROW, columns: 3 },
    titleRow: 1,
    boldRows: [1, HEADER_ROW],
    borders: `A${HEADER_ROW}:${last}${Math.max(dataLast, HEADER_ROW)}`,
  };
}

/** One filled row of a 回访样本 sheet, matched to its case of the sample. */
export interface CallbackSheetResult {
  unit: string;
  seq: number;
  entry: CallbackEntry;
  /** Its sheet row. */
  row: number;
}

export interface ReadCallbackSheet {
  /** False when no row of the sheet has the 回访样本 header (填报单位, 本单位序号, 回访结果…). */
  found: boolean;
  /** The filled rows (blank ones are cases not visited yet). */
  results: CallbackSheetResult[];
  issues: Issue[];
}

/**
 * Reads a filled 回访样本 sheet (from A1 unless `origin` says where the grid starts): finds the header by its labels
 * (in whatever columns the office left them), matches each filled row to a case of the sample by 填报单位 and
 * 本单位序号, and checks it with checkCallbackEntry. Every issue names its cell.
 */
export function readCallbackSheet(
  grid: Grid,
  cases: readonly Pick<CallbackSheetCase, 'unit' | 'unitName' | 'seq'>[],
  today: string,
  origin: { row: number; column: number } = { row: 1, column: 1 },
): ReadCallbackSheet {
  const wanted = [
    { key: 'unit', labels: [UNIT_LABEL, '单位'] },
    { key: 'seq', labels: [SEQ_LABEL, '原序号'] },
    ...CALLBACK_COLUMNS.map((c) => ({ key: c.key, labels: [c.label, ...c.aliases] })),
  ].map((w) => ({ key: w.key, labels: w.labels.map(labelKey) }));
  let headerAt = -1;
  const at: Record<string, number> = {};
  for (let r = 0; r < grid.length && headerAt < 0; r++) {
    const keys = (grid[r] ?? []).map((v) => labelKey(cellText(v)));
    const found: Record<string, number> = {};
    for (const w of wanted) {
      // The first column carrying one of its labels, preferring the main label over an alias.
      for (const label of w.labels) {
        const i = keys.indexOf(label);
        if (i >= 0 && !Object.values(found).includes(i)) {
          found[w.key] = i;
          break;
        }
      }
    }
    if (wanted.every((w) => found[w.key] !== undefined)) {
      headerAt = r;
      Object.assign(at, found);
    }
  }
  if (headerAt < 0) return { found: false, results: [], issues: [] };

  const byKey = new Map(cases.map((c) => [caseKey(c.unit, c.seq), c]));
  const unitIds = new Map<string, string>();
  for (const c of cases) unitIds.set(labelKey(c.unitName), c.unit);
  const address = (r: number, key: string) => cellAddress(origin.row + r, origin.column + at[key]);
  const results: CallbackSheetResult[] = [];
  const issues: Issue[] = [];
  const seen = new Map<string, number>();
  for (let r = headerAt + 1; r < grid.length; r++) {
    const row = grid[r] ?? [];
    const sheetRow = origin.row + r;
    const raw = Object.fromEntries(CALLBACK_COLUMNS.map((c) => [c.key, row[at[c.key]]]));
    const unitText = typed(row[at.unit]);
    const seqText = typed(row[at.seq]);
    const filled = Object.values(raw).some((v) => typed(v) !== '');
    if (!filled) continue;
    // A note line merged across the table: readers that spread a merged value (ExcelJS, the browser page) give
    // every cell the same text. It is not a case.
    const texts = row.map(typed).filter((t) => t !== '');
    if (texts.length > 1 && texts.every((t) => t === texts[0])) continue;
    const place: EntryPlace = { row: sheetRow, at: (key) => address(r, key), cell: (key) => address(r, key) };
    const { entry, issues: found } = checkCallbackEntry(raw, place, today);
    issues.push(...found);
    const unit = unitIds.get(labelKey(unitText));
    const seq = Number(seqText.normalize('NFKC'));
    const unknown = (key: 'unit' | 'seq', message: string) =>
      issues.push({
        code: 'callback.case',
        severity: 'error',
        message: `${address(r, key)}${message}`,
        row: sheetRow,
        cell: address(r, key),
        key,
      });
    if (!unit) {
      unknown(
        'unit',
        `「${UNIT_LABEL}」“${unitText}”不是本轮回访样本中的单位:请勿修改样本的单位和序号,重新获取回访样本后再填写`,
      );
      continue;
    }
    if (!Number.isInteger(seq) || !byKey.has(caseKey(unit, seq))) {
      unknown(
        'seq',
        `「${SEQ_LABEL}」${unitText}第 ${seqText || '(空)'} 号案件不在本轮回访样本中:请勿修改样本的单位和序号`,
      );
      continue;
    }
    const k = caseKey(unit, seq);
    const before = seen.get(k);
    if (before !== undefined) {
      unknown('seq', `「${SEQ_LABEL}」${unitText}第 ${seq} 号案件在第 ${before} 行已经填写过,每个案件只填一行`);
      continue;
    }
    seen.set(k, sheetRow);
    if (entry) results.push({ unit, seq, entry, row: sheetRow });
  }
  return { found: true, results, issues };
}

/** What a county's 附件1 and the consolidated 附件1 say about a case whose callback found the person not satisfied. */
export interface CallbackFlag {
  /** The unit's 序号 of the case. */
  seq: number;
  /** The round whose sample the case was in. */
  round: string;
  way: CallbackWay;
  date: string;
  note: string;
  /** When the result was recorded (ISO). */
  at: string;
}

/** The marker column's label on pulled and consolidated ledgers. */
export const CALLBACK_FLAG_LABEL = '回访不满意';

/** One line a clerk reads beside the case: `2019-11-20 电话回访不满意:…,请重新办理`. */
export function callbackFlagText(flag: CallbackFlag): string {
  return `${flag.date} ${flag.way}回访不满意${flag.note ? `:${flag.note}` : ''}。请重新办理。`;
}
