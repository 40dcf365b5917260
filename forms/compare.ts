// Pure comparison of two submissions of the same unit: what a receipt reports as changed, and which frozen
// columns (附件1 columns 1–6) moved away from the unit's first accepted sheet. No I/O, no messages.
import type { Fujian1Row, Fujian2Row } from './types';

/** 附件1 columns 2–6: "in principle unchanged" after the first submission (序号, column 1, is the case's identity). */
export const FROZEN_FUJIAN1_KEYS = ['prefecture', 'address', 'complaint', 'currentState', 'measures'] as const;
export type FrozenKey = (typeof FROZEN_FUJIAN1_KEYS)[number];

const FUJIAN1_KEYS: readonly (keyof Fujian1Row)[] = [
  'seq',
  'prefecture',
  'address',
  'complaint',
  'currentState',
  'measures',
  'progress',
  'closure',
];

export interface Fujian1Changes {
  /** 序号 present now and not before. */
  added: number[];
  /** 序号 present in both whose content differs in any column. */
  changed: number[];
  /** 序号 that were not 已办结 before and are now. */
  newlyClosed: number[];
  /** 序号 that were 已办结 before and are not any more (反弹). */
  rebounds: number[];
  /** 序号 present before and not now. */
  removed: number[];
}

const bySeq = (rows: readonly Fujian1Row[]): Map<number, Fujian1Row> => new Map(rows.map((r) => [r.seq, r]));
const same = (a: unknown, b: unknown): boolean => (a ?? '') === (b ?? '');

export function diffFujian1(previous: readonly Fujian1Row[], current: readonly Fujian1Row[]): Fujian1Changes {
  const before = bySeq(previous);
  const now = bySeq(current);
  const out: Fujian1Changes = { added: [], changed: [], newlyClosed: [], rebounds: [], removed: [] };
  for (const row of current) {
    const old = before.get(row.seq);
    if (!old) {
      out.added.push(row.seq);
      continue;
    }
    if (FUJIAN1_KEYS.some((k) => !same(old[k], row[k]))) out.changed.push(row.seq);
    if (old.closure !== '已办结' && row.closure === '已办结') out.newlyClosed.push(row.seq);
    if (old.closure === '已办结' && row.closure !== '已办结') out.rebounds.push(row.seq);
  }
  for (const row of previous) if (!now.has(row.seq)) out.removed.push(row.seq);
  return out;
}

/** 附件2: the column keys whose value differs (rows compared by position; a unit normally has one row). */
export function diffFujian2(previous: readonly Fujian2Row[], current: readonly Fujian2Row[]): (keyof Fujian2Row)[] {
  const keys = new Set<keyof Fujian2Row>();
  const length = Math.max(previous.length, current.length);
  for (let i = 0; i < length; i++) {
    const a = previous[i];
    const b = current[i];
    for (const k of Object.keys({ ...a, ...b }) as (keyof Fujian2Row)[]) {
      if (!same(a?.[k], b?.[k])) keys.add(k);
    }
  }
  return [...keys];
}

export interface FrozenChange {
  /** 1-based position of the row in `current`. */
  row: number;
  seq: number;
  key: FrozenKey;
  first: string;
  now: string;
}

/** Frozen columns of `current` that differ from the same 序号 in the unit's first accepted 附件1. */
export function frozenChanges(first: readonly Fujian1Row[], current: readonly Fujian1Row[]): FrozenChange[] {
  const original = bySeq(first);
  const out: FrozenChange[] = [];
  current.forEach((row, index) => {
    const old = original.get(row.seq);
    if (!old) return;
    for (const key of FROZEN_FUJIAN1_KEYS) {
      if (!same(old[key], row[key]))
        out.push({ row: index + 1, seq: row.seq, key, first: old[key] ?? '', now: row[key] ?? '' });
    }
  });
  return out;
}
