// GET /v1/consolidated/{form}?format=xlsx: the prefecture-wide table as an .xlsx in the template's layout,
// each row with the unit it came from and whether that unit reported this round.
import { consolidatedSheet } from '../../forms/consolidated';
import type { SheetMeta } from '../../forms/types';
import { STATUS_LABELS, type ConsolidatedResponse } from '../../contract/api';
import type { FormDefinition } from '../../forms/spec';
import { IN_PROCESS_XLSX, type XlsxWork } from './work';

/** `meta`: 填报单位 (the prefecture's name) and 填报日期 of the sheet; `work`: where the file is written. */
export function consolidatedXlsx(
  form: FormDefinition,
  data: ConsolidatedResponse,
  meta: SheetMeta = {},
  work: Pick<XlsxWork, 'writeWorkbook'> = IN_PROCESS_XLSX,
): Promise<Uint8Array> {
  return work.writeWorkbook([consolidatedSheet(form, data, STATUS_LABELS, meta)]);
}

/** `附件2_汇总_2019-11-14.xlsx` — the name the download is saved under. */
export function consolidatedFileName(form: FormDefinition, data: Pick<ConsolidatedResponse, 'round'>): string {
  return `${form.tag}_汇总_${data.round}.xlsx`;
}
