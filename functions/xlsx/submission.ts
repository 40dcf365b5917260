// POST /v1/submissions with an .xlsx body: the uploaded sheet becomes the same request a JSON client sends,
// and every issue the submission flow reports is moved back onto the sheet (`第3行` → `H6`), so a WPS user
// uploading a file gets cell addresses exactly as the Excel pane shows them.
import { parseSheet } from '../../forms/parse';
import { MAX_DATA_ROWS, tooLarge, XlsxTooLarge } from '../../forms/xlsx-limits';
import { findHeader, expectedLabels } from '../../forms/header';
import { cellAddress, parseAddress } from '../../forms/address';
import { UNIT_LINE_KEY, unitLineCell } from '../../forms/unit-check';
import type { FormId, FormRow, Grid, Issue, SheetMeta } from '../../forms/types';
import type { FormCatalog } from '../../forms/spec';
import { formChoices } from '../domain/forms';
import { IN_PROCESS_XLSX, type XlsxWork } from './work';

export const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** The query parameters that carry what a JSON body would. */
export interface XlsxSubmissionParams {
  form?: string;
  round?: string;
  asOf?: string;
  contactName?: string;
  contactPhone?: string;
  /** `null`/empty = "I believe there is none yet"; absent = no check (DESIGN §5). */
  basedOn?: string;
  unit?: string;
}

export interface SheetSubmission {
  /** The body a JSON client would have sent. */
  body: {
    form: FormId;
    round: string | undefined;
    asOf: string | undefined;
    contact: { name: string; phone: string };
    rows: FormRow[];
    basedOn?: string | null;
    unit?: string;
    unitLine?: string;
  };
  sheetName: string;
  meta: SheetMeta;
  /** Moves issues about submitted rows (row = position in `rows`) onto the sheet's cells. */
  locate(issues: Issue[]): Issue[];
}

/** Why a file could not become a submission; `issues` carry cell addresses when the sheet itself is wrong. */
export class SheetRejected extends Error {
  constructor(
    readonly status: 400 | 413 | 422,
    readonly code: string,
    message: string,
    readonly issues: Issue[] = [],
  ) {
    super(message);
  }
}

export function isXlsxContentType(contentType: string | undefined): boolean {
  return (contentType ?? '').split(';')[0].trim().toLowerCase() === XLSX_MIME;
}

/**
 * `catalog`: the forms of the campaign the file is submitted to; the sheet must be one of them. `work`: where the
 * workbook is read (the request's Context says; in process by default).
 */
export async function sheetSubmission(
  file: Uint8Array,
  catalog: FormCatalog,
  params: XlsxSubmissionParams,
  work: Pick<XlsxWork, 'readSheets'> = IN_PROCESS_XLSX,
): Promise<SheetSubmission> {
  const wanted = params.form === undefined ? undefined : catalog.get(params.form);
  if (params.form !== undefined && !wanted) {
    throw new SheetRejected(400, 'bad_request', `参数 form 应为 ${formChoices(catalog)},收到「${params.form}」。`);
  }
  const forms = wanted ? [wanted] : catalog.forms;
  let sheets: { name: string; origin: string; grid: Grid }[];
  try {
    sheets = await work.readSheets(file);
  } catch (err) {
    if (err instanceof XlsxTooLarge) throw new SheetRejected(413, 'payload_too_large', err.message);
    throw new SheetRejected(
      400,
      'malformed_xlsx',
      '上传的文件不是有效的 .xlsx 工作簿。请在 WPS 或 Excel 中「另存为」Excel 工作簿(*.xlsx)后重新上传。',
    );
  }

  // The 附件 sheet is found by its labels, whatever it is called and wherever it sits in the workbook.
  const candidates = sheets
    .map((sheet) => ({ sheet, header: findHeader(sheet.grid, forms) }))
    .filter(
      (c): c is { sheet: (typeof sheets)[number]; header: NonNullable<ReturnType<typeof findHeader>> } =>
        c.header !== null,
    );
  const chosen = candidates[0];
  if (!chosen) {
    const which = forms.map((f) => f.tag).join('或');
    const labels = wanted ? `(应有表头${expectedLabels(wanted)})` : '';
    throw new SheetRejected(
      422,
      'validation_failed',
      `上传的文件中没有找到${which}的表头${labels}。请上传按模板填写的${which}。`,
      [
        {
          code: 'header.not_found',
          severity: 'error',
          message: `上传的文件中没有找到${which}的表头${labels}。请上传按模板填写的${which}。`,
        },
      ],
    );
  }

  const { sheet, header } = chosen;
  const form = header.form.id;
  const parsed = parseSheet(sheet.grid, header.form, { origin: sheet.origin });
  if (parsed.rows.length > MAX_DATA_ROWS) {
    throw new SheetRejected(413, 'payload_too_large', tooLarge('dataRows', parsed.rows.length).message);
  }
  const errors = parsed.issues.filter((i) => i.severity === 'error');
  if (errors.length > 0) {
    throw new SheetRejected(
      422,
      'validation_failed',
      `工作表「${sheet.name}」有 ${errors.length} 处错误,请按问题列表修改对应单元格后重新上传。`,
      parsed.issues,
    );
  }

  const origin = parseAddress(sheet.origin);
  const lineCell = unitLineCell(sheet.grid, origin, parsed.headerRow ?? origin.row);
  const sheetRows = parsed.rows.map((r) => r.sheetRow);
  const columnOf = (key: string | undefined): number | undefined => {
    const c = key === undefined ? undefined : header.columns.get(key);
    return c === undefined ? undefined : origin.column + c;
  };

  const basedOn =
    params.basedOn === undefined
      ? undefined
      : params.basedOn === '' || params.basedOn === 'null'
        ? null
        : params.basedOn;
  return {
    body: {
      form,
      round: params.round,
      asOf: params.asOf ?? parsed.meta.asOf ?? parsed.meta.fillDate,
      contact: {
        name: params.contactName ?? parsed.meta.contactName ?? '',
        phone: params.contactPhone ?? parsed.meta.contactPhone ?? '',
      },
      rows: parsed.rows.map((r) => r.values),
      ...(basedOn !== undefined ? { basedOn } : {}),
      ...(params.unit ? { unit: params.unit } : {}),
      ...(parsed.meta.unitName !== undefined ? { unitLine: parsed.meta.unitName } : {}),
    },
    sheetName: sheet.name,
    meta: parsed.meta,
    locate: (issues) =>
      issues.map((issue) =>
        issue.key === UNIT_LINE_KEY && lineCell && !issue.cell
          ? { ...issue, cell: lineCell, message: lineCell + issue.message }
          : locateIssue(issue, sheetRows, columnOf),
      ),
  };
}

function locateIssue(
  issue: Issue,
  sheetRows: number[],
  columnOf: (key: string | undefined) => number | undefined,
): Issue {
  if (issue.cell || issue.row === undefined) return issue;
  const sheetRow = sheetRows[issue.row - 1];
  if (sheetRow === undefined) return issue;
  const column = columnOf(issue.key);
  const place = column === undefined ? `第${sheetRow}行` : cellAddress(sheetRow, column);
  const rowPrefix = `第${issue.row}行`;
  const message = issue.message.startsWith(rowPrefix)
    ? place + issue.message.slice(rowPrefix.length)
    : `${place}:${issue.message}`;
  return { ...issue, row: sheetRow, message, ...(column === undefined ? {} : { cell: cellAddress(sheetRow, column) }) };
}
