// The prefecture-wide 附件 in the template's layout, each row followed by the unit it came from, (a ledger) that
// unit's own 序号, and whether it reported this round. One layout for the pane (written into Excel) and the server
// (.xlsx).
import { CALLBACK_FLAG_LABEL, callbackFlagText, type CallbackFlag } from './callback';
import { chineseDate, renderSheet, type ExtraColumn, type RenderedSheet } from './render';
import type { FormDefinition } from './spec';
import type { FormRow, SheetMeta } from './types';

/** A consolidated row: the unit's row plus the unit's name, its status this round and (ledger) its own 序号. */
export type ConsolidatedSheetRow<S extends string> = FormRow & {
  unitName: string;
  status: S;
  originalSeq?: number;
  /** The unit's id (its callback flags are keyed by it). */
  unit?: string;
};

/** A case standing 回访不满意, with the unit it belongs to. */
export type UnitFlag = CallbackFlag & { unit: string };

/** A unit of the round as the status board sees it: a summary lists the ones without rows, its note their dates. */
export interface ConsolidatedUnit<S extends string> {
  unitName: string;
  status: S;
  /** 数据截至 of the submission used for the round. */
  asOf?: string | null;
}

export function consolidatedSheet<S extends string>(
  form: FormDefinition,
  table: {
    round: string;
    rows: ConsolidatedSheetRow<S>[];
    units?: ConsolidatedUnit<S>[];
    /** Cases standing 回访不满意 (the campaign's callback ledger): marked in a column of their own. */
    callbackFlags?: readonly UnitFlag[];
  },
  statusLabels: Record<S, string>,
  meta: SheetMeta = {},
): RenderedSheet {
  const units = table.units ?? [];
  const rows = form.kind === 'summary' ? everyUnit(form, table.rows, units) : table.rows;
  const status: ExtraColumn = { label: '报送情况', width: 10, values: rows.map((r) => statusLabels[r.status]) };
  const unitName: ExtraColumn = { label: '填报单位', width: 14, values: rows.map((r) => r.unitName) };
  const extraColumns: ExtraColumn[] =
    form.kind === 'ledger'
      ? [
          unitName,
          ...(form.serial ? [{ label: '本单位序号', width: 8, values: rows.map((r) => r.originalSeq ?? null) }] : []),
          status,
        ]
      : // A summary names its units in its unit column; one without says who each row is beside it.
        [...(form.unitColumn ? [] : [unitName]), status];
  const more = form.kind === 'ledger' ? flagColumn(rows, table.callbackFlags ?? []) : [];
  const dates = asOfByDate(units);
  const sheet = renderSheet(
    form,
    rows,
    { ...meta, ...(meta.asOf === undefined && dates.length === 1 ? { asOf: dates[0][0] } : {}) },
    { sheetName: `${form.tag}汇总 ${table.round}`, totalRow: true, extraColumns: [...extraColumns, ...more] },
  );
  if (meta.asOf === undefined && dates.length > 1) {
    // Units reported as of different days: the note says which data is as of when.
    const text = dates.map(([date, names]) => `${chineseDate(date)}(${names.join('、')})`).join(';');
    form.notes.forEach((note, i) => {
      if (note.includes('{asOf}')) sheet.values[sheet.notes.firstRow - 1 + i][0] = note.replace('{asOf}', text);
    });
  }
  return sheet;
}

/**
 * A summary has a line for every unit, in the board's order: one that has not reported shows an empty row marked
 * with its status (未报送), its name in the unit column. Rows of units not on the board follow.
 */
function everyUnit<S extends string>(
  form: FormDefinition,
  rows: ConsolidatedSheetRow<S>[],
  units: ConsolidatedUnit<S>[],
): ConsolidatedSheetRow<S>[] {
  const reported = new Map(rows.map((r) => [r.unitName, r]));
  const listed = new Set(units.map((u) => u.unitName));
  const unitKey = form.unitColumn?.key;
  return [
    ...units.map(
      (u): ConsolidatedSheetRow<S> =>
        reported.get(u.unitName) ?? {
          ...(unitKey ? { [unitKey]: u.unitName } : {}),
          unitName: u.unitName,
          status: u.status,
        },
    ),
    ...rows.filter((r) => !listed.has(r.unitName)),
  ];
}

/** The units' 数据截至 dates, latest first, each with the units whose data is as of that day. */
function asOfByDate<S extends string>(units: ConsolidatedUnit<S>[]): [string, string[]][] {
  const byDate = new Map<string, string[]>();
  for (const u of units) if (u.asOf) byDate.set(u.asOf, [...(byDate.get(u.asOf) ?? []), u.unitName]);
  return [...byDate.entries()].sort((a, b) => b[0].localeCompare(a[0]));
}

/** A case whose callback found the person not satisfied says so beside it, where the office reads the row. */
function flagColumn(rows: readonly ConsolidatedSheetRow<string>[], flags: readonly UnitFlag[]): ExtraColumn[] {
  if (flags.length === 0) return [];
  const byCase = new Map(flags.map((f) => [`${f.unit}#${f.seq}`, f]));
  const values = rows.map((r) => {
    const f = byCase.get(`${r.unit}#${r.originalSeq}`);
    return f ? callbackFlagText(f) : null;
  });
  return [{ label: CALLBACK_FLAG_LABEL, width: 36, values }];
}
