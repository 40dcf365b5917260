// The prefecture-wide 附件 in the template's layout, each row followed by the unit it came from, (a ledger) that
// unit's own 序号, and whether it reported this round. One layout for the pane (written into Excel) and the server
// (.xlsx).
import { renderSheet, type ExtraColumn, type RenderedSheet } from './render';
import type { FormDefinition } from './spec';
import type { FormRow, SheetMeta } from './types';

/** A consolidated row: the unit's row plus the unit's name, its status this round and (ledger) its own 序号. */
export type ConsolidatedSheetRow<S extends string> = FormRow & { unitName: string; status: S; originalSeq?: number };

export function consolidatedSheet<S extends string>(
  form: FormDefinition,
  table: { round: string; rows: ConsolidatedSheetRow<S>[] },
  statusLabels: Record<S, string>,
  meta: SheetMeta = {},
): RenderedSheet {
  const { rows } = table;
  const status: ExtraColumn = { label: '报送情况', width: 10, values: rows.map((r) => statusLabels[r.status]) };
  const extraColumns: ExtraColumn[] =
    form.kind === 'ledger'
      ? [
          { label: '填报单位', width: 14, values: rows.map((r) => r.unitName) },
          ...(form.serial ? [{ label: '本单位序号', width: 8, values: rows.map((r) => r.originalSeq ?? null) }] : []),
          status,
        ]
      : [status];
  return renderSheet(form, rows, meta, { sheetName: `${form.tag}汇总 ${table.round}`, totalRow: true, extraColumns });
}
