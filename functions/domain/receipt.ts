// The receipt of a submission (DESIGN §4/§5): version, lateness, what changed since the unit's previous
// submission of the form, and the warnings to show (frozen columns moved, rebounds), plus row summaries.
import { isLate } from '../../forms/calendar';
import { diffLedger, diffSummary, lockedChanges } from '../../forms/compare';
import { summedColumns, type ColumnDefinition, type FormDefinition } from '../../forms/spec';
import type { FormRow, Issue } from '../../forms/types';
import type { Changes, Receipt } from '../../contract/api';
import type { Context } from '../context';
import type { CurrentPointer, FormState, UnitRecord } from '../store/types';
import type { SubmitInput } from './submit';

/** Receipts list at most this many warnings (plus one line counting the rest). */
const MAX_WARNINGS = 500;

export function columnTitle(form: FormDefinition, key: string): string {
  return form.columns.find((c) => c.key === key)?.title ?? key;
}

/** `第1–6列`: the serial and the columns locked after the first submission, as the template's notes name them. */
function lockedColumnsText(form: FormDefinition): string {
  const at = form.columns.flatMap((c, i) => (c.lockedAfterFirst || c === form.serial ? [i + 1] : []));
  const contiguous = at.every((n, i) => i === 0 || n === at[i - 1] + 1);
  return contiguous && at.length > 1 ? `第${at[0]}–${at[at.length - 1]}列` : `第${at.join('、')}列`;
}

/** The case as a message names it: `(序号3)`, or nothing for a ledger without a serial column. */
const caseLabel = (form: FormDefinition, id: number): string => (form.serial ? `(${form.serial.label}${id})` : '');

/** The shortest name clerks use for a column that is part of its title (`整改进展` for 主题教育期间整改进展). */
function shortName(column: ColumnDefinition): string {
  return [column.title, ...column.aliases]
    .filter((n) => column.title.includes(n))
    .sort((a, b) => a.length - b.length)[0];
}

/** Where a rebound should be explained: the column filled every round after the first, when the form has one. */
function reboundHint(form: FormDefinition): string {
  const progress = form.columns.find((c) => c.required === 'fromSecondSubmission');
  return progress ? `请核实并在${shortName(progress)}中说明原因。` : '请核实并说明原因。';
}

export interface ReceiptInput {
  id: string;
  unit: UnitRecord;
  /** The campaign and the version of its form the rows were checked against. */
  campaign: { id: string; timeZone: string };
  /** The form version the rows were checked against. */
  form: FormDefinition;
  formVersion: number;
  input: SubmitInput;
  rows: unknown[];
  state: FormState;
  pointer: CurrentPointer | null;
  submittedAt: string;
  validatorWarnings: Issue[];
}

export async function buildReceipt(ctx: Context, r: ReceiptInput): Promise<Receipt> {
  const { input, form } = r;
  const locked = form.columns.some((c) => c.lockedAfterFirst);
  const [previous, first] = await Promise.all([
    r.state.latestId ? ctx.store.getRows(r.state.latestId) : Promise.resolve(null),
    locked && r.state.firstId
      ? r.state.firstId === r.state.latestId
        ? null
        : ctx.store.getRows(r.state.firstId)
      : Promise.resolve(null),
  ]);
  const warnings: Issue[] = [...r.validatorWarnings];
  let changes: Changes = { added: [], changed: [], newlyClosed: [], rebounds: [], removed: [] };
  if (form.kind === 'ledger') {
    const rows = r.rows as FormRow[];
    const before = (previous ?? []) as FormRow[];
    // The unit's first submission of the form: every case is new.
    changes = diffLedger(form, before, rows);
    const firstRows = (first ?? (r.state.firstId ? previous : null)) as FormRow[] | null;
    if (firstRows) {
      for (const c of lockedChanges(form, firstRows, rows)) {
        warnings.push({
          code: 'frozen.changed',
          severity: 'warning',
          row: c.row,
          key: c.key,
          column: columnTitle(form, c.key),
          message: `第${c.row}行${caseLabel(form, c.seq)}「${columnTitle(form, c.key)}」与首次报送不一致。${lockedColumnsText(form)}原则上不再修改,请核实。`,
        });
      }
    }
    if (form.status) {
      const status = form.status.column;
      const position = new Map(rows.map((row, i) => [row[form.serial?.key ?? ''] ?? i + 1, i + 1]));
      const statusBefore = new Map(before.map((p, i) => [p[form.serial?.key ?? ''] ?? i + 1, p[status.key]]));
      for (const seq of changes.rebounds) {
        const row = position.get(seq)!;
        warnings.push({
          code: `${status.key}.rebound`,
          severity: 'warning',
          row,
          key: status.key,
          column: status.title,
          message: `第${row}行${caseLabel(form, seq)}「${status.title}」由“${statusBefore.get(seq)}”变为“${rows[row - 1][status.key]}”(反弹),${reboundHint(form)}`,
        });
      }
    }
  } else if (previous) {
    changes = { ...changes, changed: diffSummary(previous as FormRow[], r.rows as FormRow[]) };
  }
  return {
    id: r.id,
    unit: r.unit.id,
    campaign: r.campaign.id,
    form: input.form,
    formVersion: r.formVersion,
    round: input.round,
    version: (r.pointer?.version ?? 0) + 1,
    rowCount: r.rows.length,
    late: isLate(input.round, new Date(r.submittedAt), r.campaign.timeZone),
    submittedAt: r.submittedAt,
    asOf: input.asOf,
    contact: input.contact,
    basedOn: input.basedOn ?? null,
    previousId: r.state.latestId,
    changes,
    warnings: capWarnings(warnings),
  };
}

function capWarnings(warnings: Issue[]): Issue[] {
  if (warnings.length <= MAX_WARNINGS) return warnings;
  const rest = warnings.length - MAX_WARNINGS;
  return [
    ...warnings.slice(0, MAX_WARNINGS),
    {
      code: 'warnings.truncated',
      severity: 'warning',
      message: `另有 ${rest} 条提示未列出。请在加载项中“校验”表格查看全部。`,
    },
  ];
}

/** A ledger: row count and rows per status value; a summary: the column sums. */
export function summarize(form: FormDefinition, rows: unknown[]): Record<string, number> {
  if (form.kind === 'ledger') {
    const out: Record<string, number> = { rows: rows.length };
    const status = form.status?.column;
    if (!status) return out;
    for (const v of status.choices ?? []) out[v] = 0;
    for (const row of rows as FormRow[]) {
      const v = String(row[status.key]);
      out[v] = (out[v] ?? 0) + 1;
    }
    return out;
  }
  return sumColumns(form, rows as FormRow[]);
}

/** The sums of a form's numeric columns, rounded back to each column's decimals (罚款金额: 4). */
export function sumColumns(form: FormDefinition, rows: readonly FormRow[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const column of summedColumns(form)) {
    const scale = 10 ** (column.decimals ?? 0);
    out[column.key] = Math.round(rows.reduce((sum, row) => sum + (Number(row[column.key]) || 0), 0) * scale) / scale;
  }
  return out;
}
