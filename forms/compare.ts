// Pure comparison of two submissions of the same unit and form: what a receipt reports as changed, and which
// columns locked after the first submission (附件1 columns 2–6) moved away from the unit's first accepted
// sheet. No I/O, no messages.
import { isClosedRow, type FormDefinition } from './spec';
import type { FormRow } from './types';

/** A ledger's cases by identity: the serial column (序号), or the row's position when the form has none. */
export interface LedgerChanges {
  /** Cases present now and not before. */
  added: number[];
  /** Cases present in both whose content differs in any column. */
  changed: number[];
  /** Cases that were not closed before and are now (the form's status column). */
  newlyClosed: number[];
  /** Cases that were closed before and are not any more (反弹). */
  rebounds: number[];
  /** Cases present before and not now. */
  removed: number[];
}

const same = (a: unknown, b: unknown): boolean => (a ?? '') === (b ?? '');

/** A case's identity: its serial (序号), or its 1-based position when the form has no serial column. */
export function caseId(form: FormDefinition, row: FormRow, index: number): number {
  const id = form.serial ? row[form.serial.key] : undefined;
  return typeof id === 'number' ? id : index + 1;
}

function byCase(form: FormDefinition, rows: readonly FormRow[]): Map<number, FormRow> {
  return new Map(rows.map((r, i) => [caseId(form, r, i), r]));
}

export function diffLedger(
  form: FormDefinition,
  previous: readonly FormRow[],
  current: readonly FormRow[],
): LedgerChanges {
  const before = byCase(form, previous);
  const now = byCase(form, current);
  const out: LedgerChanges = { added: [], changed: [], newlyClosed: [], rebounds: [], removed: [] };
  current.forEach((row, i) => {
    const id = caseId(form, row, i);
    const old = before.get(id);
    if (!old) {
      out.added.push(id);
      return;
    }
    if (form.columns.some((c) => !same(old[c.key], row[c.key]))) out.changed.push(id);
    if (!form.status) return;
    const wasClosed = isClosedRow(form, old);
    const isClosed = isClosedRow(form, row);
    if (!wasClosed && isClosed) out.newlyClosed.push(id);
    if (wasClosed && !isClosed) out.rebounds.push(id);
  });
  previous.forEach((row, i) => {
    const id = caseId(form, row, i);
    if (!now.has(id)) out.removed.push(id);
  });
  return out;
}

/** A summary: the column keys whose value differs (rows compared by position; a unit normally has one row). */
export function diffSummary(previous: readonly FormRow[], current: readonly FormRow[]): string[] {
  const keys = new Set<string>();
  const length = Math.max(previous.length, current.length);
  for (let i = 0; i < length; i++) {
    const a = previous[i];
    const b = current[i];
    for (const k of Object.keys({ ...a, ...b })) {
      if (!same(a?.[k], b?.[k])) keys.add(k);
    }
  }
  return [...keys];
}

export interface LockedChange {
  /** 1-based position of the row in `current`. */
  row: number;
  /** The case's identity (序号). */
  seq: number;
  key: string;
  first: string;
  now: string;
}

const text = (v: unknown): string => (v === null || v === undefined ? '' : String(v));

/** Columns locked after the first submission whose value differs from the same case in the unit's first sheet. */
export function lockedChanges(
  form: FormDefinition,
  first: readonly FormRow[],
  current: readonly FormRow[],
): LockedChange[] {
  const locked = form.columns.filter((c) => c.lockedAfterFirst);
  if (locked.length === 0) return [];
  const original = byCase(form, first);
  const out: LockedChange[] = [];
  current.forEach((row, index) => {
    const seq = caseId(form, row, index);
    const old = original.get(seq);
    if (!old) return;
    for (const { key } of locked) {
      if (!same(old[key], row[key])) out.push({ row: index + 1, seq, key, first: text(old[key]), now: text(row[key]) });
    }
  });
  return out;
}
