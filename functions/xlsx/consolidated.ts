// GET /v1/consolidated/{form}?format=xlsx: the prefecture-wide table as an .xlsx in the template's layout,
// each row with the unit it came from and whether that unit reported this round.
import { renderSheet } from '../../forms/render';
import { writeXlsx } from '../../forms/xlsx-write';
import type { FormRow, SheetMeta } from '../../forms/types';
import { STATUS_LABELS, type ConsolidatedFujian1Row, type ConsolidatedFujian2Row, type ConsolidatedResponse } from '../api-types';

export interface ConsolidatedSheetOptions {
  /** Shown in 填报单位(公章):… — the prefecture's name. */
  unitName?: string;
  /** 填报日期, `YYYY-MM-DD`. */
  fillDate?: string;
}

/** The rendered sheet (also what the add-in writes into Excel for the same table). */
export function consolidatedSheet(data: ConsolidatedResponse, opts: ConsolidatedSheetOptions = {}) {
  const meta: SheetMeta = { unitName: opts.unitName, fillDate: opts.fillDate };
  if (data.form === 'fujian1') {
    const rows = data.rows as ConsolidatedFujian1Row[];
    return renderSheet('fujian1', rows as FormRow[], meta, {
      extraColumns: [
        { label: '填报单位', width: 14, values: rows.map((r) => r.unitName) },
        { label: '本单位序号', width: 8, values: rows.map((r) => r.originalSeq) },
        { label: '报送情况', width: 10, values: rows.map((r) => STATUS_LABELS[r.status]) },
      ],
    });
  }
  const rows = data.rows as ConsolidatedFujian2Row[];
  return renderSheet('fujian2', rows as FormRow[], meta, {
    totalRow: true,
    extraColumns: [{ label: '报送情况', width: 10, values: rows.map((r) => STATUS_LABELS[r.status]) }],
  });
}

export function consolidatedXlsx(data: ConsolidatedResponse, opts: ConsolidatedSheetOptions = {}): Promise<Uint8Array> {
  return writeXlsx([consolidatedSheet(data, opts)]);
}

/** `附件2_汇总_2019-11-14.xlsx` — the name the download is saved under. */
export function consolidatedFileName(data: Pick<ConsolidatedResponse, 'form' | 'round'>): string {
  return `${data.form === 'fujian1' ? '附件1' : '附件2'}_汇总_${data.round}.xlsx`;
}
