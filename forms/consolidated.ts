// The prefecture-wide 附件 in the template's layout, each row followed by the unit it came from, that unit's own
// 序号 and whether it reported this round. One layout for the pane (written into Excel) and the server (.xlsx).
import { renderSheet, type RenderedSheet } from './render';
import type { FormId, Fujian1Row, Fujian2Row, SheetMeta } from './types';

interface Tagged<S extends string> {
  unitName: string;
  status: S;
}
export type ConsolidatedSheetRow<S extends string> =
  (Fujian1Row & Tagged<S> & { originalSeq: number }) | (Fujian2Row & Tagged<S>);

export function consolidatedSheet<S extends string>(
  table: { form: FormId; round: string; rows: ConsolidatedSheetRow<S>[] },
  statusLabels: Record<S, string>,
  meta: SheetMeta = {},
): RenderedSheet {
  const sheetName = `${table.form === 'fujian1' ? '附件1' : '附件2'}汇总 ${table.round}`;
  const status = { label: '报送情况', width: 10, values: table.rows.map((r) => statusLabels[r.status]) };
  if (table.form === 'fujian1') {
    const rows = table.rows as (Fujian1Row & Tagged<S> & { originalSeq: number })[];
    return renderSheet('fujian1', rows, meta, {
      sheetName,
      totalRow: true,
      extraColumns: [
        { label: '填报单位', width: 14, values: rows.map((r) => r.unitName) },
        { label: '本单位序号', width: 8, values: rows.map((r) => r.originalSeq) },
        status,
      ],
    });
  }
  return renderSheet('fujian2', table.rows as (Fujian2Row & Tagged<S>)[], meta, {
    sheetName,
    totalRow: true,
    extraColumns: [status],
  });
}
