// The receipt of a submission (DESIGN §4/§5): version, lateness, what changed since the unit's previous
// submission of the form, and the warnings to show (frozen columns moved, rebounds), plus row summaries.
import { isLate } from '../../forms/calendar';
import { diffFujian1, diffFujian2, frozenChanges } from '../../forms/compare';
import { FORMS } from '../../forms/definitions';
import { CLOSURE_VALUES, type Fujian1Row, type Fujian2Row, type FormId, type Issue } from '../../forms/types';
import type { Changes, Receipt } from '../../contract/api';
import type { Context } from '../context';
import type { CurrentPointer, FormState, UnitRecord } from '../store/types';
import type { SubmitInput } from './submit';

/** Receipts list at most this many warnings (plus one line counting the rest). */
const MAX_WARNINGS = 500;

export function columnTitle(form: FormId, key: string): string {
  return FORMS[form].columns.find((c) => c.key === key)?.title ?? key;
}

export interface ReceiptInput {
  id: string;
  unit: UnitRecord;
  input: SubmitInput;
  rows: unknown[];
  state: FormState;
  pointer: CurrentPointer | null;
  submittedAt: string;
  validatorWarnings: Issue[];
}

export async function buildReceipt(ctx: Context, r: ReceiptInput): Promise<Receipt> {
  const { input } = r;
  const [previous, first] = await Promise.all([
    r.state.latestId ? ctx.store.getRows(r.state.latestId) : Promise.resolve(null),
    input.form === 'fujian1' && r.state.firstId
      ? r.state.firstId === r.state.latestId
        ? null
        : ctx.store.getRows(r.state.firstId)
      : Promise.resolve(null),
  ]);
  const warnings: Issue[] = [...r.validatorWarnings];
  let changes: Changes = { added: [], changed: [], newlyClosed: [], rebounds: [], removed: [] };
  if (input.form === 'fujian1') {
    const rows = r.rows as Fujian1Row[];
    // The unit's first 附件1: every case is new.
    changes = diffFujian1((previous ?? []) as Fujian1Row[], rows);
    const firstRows = (first ?? (r.state.firstId ? previous : null)) as Fujian1Row[] | null;
    if (firstRows) {
      for (const c of frozenChanges(firstRows, rows)) {
        warnings.push({
          code: 'frozen.changed',
          severity: 'warning',
          row: c.row,
          key: c.key,
          column: columnTitle('fujian1', c.key),
          message: `第${c.row}行(序号${c.seq})「${columnTitle('fujian1', c.key)}」与首次报送不一致。第1–6列原则上不再修改,请核实。`,
        });
      }
    }
    const position = new Map(rows.map((row, i) => [row.seq, i + 1]));
    const closureByPrev = new Map((previous as Fujian1Row[] | null)?.map((p) => [p.seq, p.closure]) ?? []);
    for (const seq of changes.rebounds) {
      const row = position.get(seq)!;
      warnings.push({
        code: 'closure.rebound',
        severity: 'warning',
        row,
        key: 'closure',
        column: columnTitle('fujian1', 'closure'),
        message: `第${row}行(序号${seq})「是否办结」由“${closureByPrev.get(seq)}”变为“${rows[row - 1].closure}”(反弹),请核实并在整改进展中说明原因。`,
      });
    }
  } else if (previous) {
    changes = { ...changes, changed: diffFujian2(previous as Fujian2Row[], r.rows as Fujian2Row[]) };
  }
  return {
    id: r.id,
    unit: r.unit.id,
    form: input.form,
    round: input.round,
    version: (r.pointer?.version ?? 0) + 1,
    rowCount: r.rows.length,
    late: isLate(input.round, new Date(r.submittedAt)),
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

const FUJIAN2_NUMBER_KEYS = (): string[] =>
  FORMS.fujian2.columns.filter((c) => c.kind === 'int' || c.kind === 'number').map((c) => c.key);

/** 附件1: row count and rows per 是否办结; 附件2: the column sums. */
export function summarize(form: FormId, rows: unknown[]): Record<string, number> {
  if (form === 'fujian1') {
    const out: Record<string, number> = { rows: rows.length };
    for (const v of CLOSURE_VALUES) out[v] = 0;
    for (const row of rows as Fujian1Row[]) out[row.closure] = (out[row.closure] ?? 0) + 1;
    return out;
  }
  return sumColumns(rows as Fujian2Row[]);
}

export function sumColumns(rows: readonly Fujian2Row[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const key of FUJIAN2_NUMBER_KEYS()) {
    // 罚款金额 has up to 4 decimals: round the float sum back to them.
    out[key] =
      Math.round(
        rows.reduce((sum, row) => sum + (Number((row as unknown as Record<string, unknown>)[key]) || 0), 0) * 10_000,
      ) / 10_000;
  }
  return out;
}
