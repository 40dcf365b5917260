// The .xlsx side of two routes, called from the JSON handlers when the request asks for a workbook:
// POST /v1/submissions with an .xlsx body, GET /v1/consolidated/{form}?format=xlsx.
import type { FormId } from '../../forms/types';
import type { ConsolidatedFujian1Row, ConsolidatedResponse } from '../../contract/api';
import type { Caller } from '../auth';
import type { Context } from '../context';
import type { CampaignRecord } from '../store/types';
import { formVersionFor, resolveCampaign } from '../domain/campaign';
import { campaignFlags, isCallbackForm } from '../domain/callbacks';
import { formsOf } from '../domain/forms';
import { consolidated } from '../domain/prefecture';
import { submit } from '../domain/submit';
import { roundQuery } from '../../contract/requests';
import { parseSubmitBody, queryParams } from '../requests';
import { shanghaiDate } from '../domain/time';
import { DomainError, Malformed, TooLarge, type ErrorDetails } from '../errors';
import { ApiError, bodyBytes, getHeader, json, query, type Event, type Result } from '../http';
import { consolidatedFileName, consolidatedXlsx } from './consolidated';
import { SheetRejected, sheetSubmission, XLSX_MIME } from './submission';

export { isXlsxContentType } from './submission';

/** POST /v1/submissions with an .xlsx body: answered exactly as the same rows sent as JSON, issues on cells. */
export async function submitXlsx(event: Event, ctx: Context, caller: Caller): Promise<Result> {
  const file = bodyBytes(event);
  if (file.byteLength === 0)
    throw new Malformed('请求体为空。请上传填好的附件表格(.xlsx)。', { code: 'malformed_body' });
  // The sheet is read with the forms of the campaign it is for: named, or the caller's that has the round.
  const { campaign: named, round } = queryParams(event, roundQuery);
  const form = query(event, 'form');
  const campaign = await resolveCampaign(ctx, caller, named, { round, form });
  let sheet: Awaited<ReturnType<typeof sheetSubmission>>;
  try {
    sheet = await sheetSubmission(
      new Uint8Array(file.buffer, file.byteOffset, file.byteLength),
      formsOf(campaign),
      {
        form,
        round,
        asOf: query(event, 'asOf'),
        contactName: query(event, 'contactName'),
        contactPhone: query(event, 'contactPhone'),
        basedOn: event.queryStringParameters?.basedOn,
        unit: query(event, 'unit'),
      },
      ctx.xlsx,
    );
  } catch (err) {
    if (err instanceof SheetRejected)
      throw new ApiError(err.status, err.code, err.message, err.issues.length ? err.issues : undefined);
    throw err;
  }
  try {
    const body = { ...sheet.body, campaign: campaign.id };
    const receipt = await submit(ctx, caller, parseSubmitBody(body), getHeader(event, 'idempotency-key'));
    return json(event, receipt.unchanged ? 200 : 201, { ...receipt, warnings: sheet.locate(receipt.warnings) });
  } catch (err) {
    // The same failure, its issues placed on the sheet's cells (every DomainError takes (message, details)).
    if (err instanceof DomainError && err.issues) {
      const Same = err.constructor as new (message: string, details: ErrorDetails) => DomainError;
      throw new Same(err.message, { code: err.code, issues: sheet.locate(err.issues), extra: err.extra });
    }
    throw err;
  }
}

/**
 * Rows a server-made consolidated workbook may hold. Lambda answers at most 6 MB counted as base64 (4.5 MB of
 * file); a 附件1 row takes about 105 bytes of .xlsx, so 30,000 rows (~3.2 MB) leave room for long texts. Larger
 * tables are built by the pane and the browser page from the JSON pages, on the user's machine.
 */
export const XLSX_EXPORT_MAX_ROWS = 30_000;
/** The base64 body Lambda can still return, with room for the headers. */
const XLSX_EXPORT_MAX_BASE64 = 5.5 * 1024 * 1024;

const tooLargeForServer = (rows: number, tag: string) =>
  new TooLarge(
    `汇总表共 ${rows.toLocaleString('en-US')} 行,超过服务器直接生成 Excel 文件的上限(${XLSX_EXPORT_MAX_ROWS.toLocaleString('en-US')} 行)。` +
      `请在报送网页或 Excel 任务窗格的州(市)页面点「汇总${tag}」,文件在您的电脑上生成,行数不限。`,
    { code: 'export_too_large' },
  );

/** GET /v1/consolidated/{form}?format=xlsx: every page joined into one workbook, when it fits a Lambda response. */
export async function consolidatedXlsxResult(
  event: Event,
  ctx: Context,
  caller: Caller,
  campaign: CampaignRecord,
  form: FormId,
  round: string | undefined,
): Promise<Result> {
  // The first page carries every unit with its row count: refuse before reading the rest of a table too big.
  const first = await consolidated(ctx, campaign, form, round, undefined);
  const tag = campaign.document.forms.find((f) => f.id === form)?.tag ?? form;
  const total = first.units.reduce((n, u) => n + (u.submissionId ? (u.rowCount ?? 0) : 0), 0);
  if (total > XLSX_EXPORT_MAX_ROWS) throw tooLargeForServer(total, tag);
  const rows = [...first.rows];
  for (let next = first.next; next;) {
    const page = await consolidated(ctx, campaign, form, round, next);
    rows.push(...(page.rows as ConsolidatedFujian1Row[]));
    next = page.next;
  }
  // The campaign's callback ledger carries its cases standing 回访不满意, as the pane's pull of the same table does.
  const callbackFlags = isCallbackForm(campaign, form) ? await campaignFlags(ctx, campaign) : undefined;
  const whole = { ...first, rows, next: null, ...(callbackFlags ? { callbackFlags } : {}) } as ConsolidatedResponse;
  // The same version of the form the page was laid out with (consolidatedPage checked that the campaign has it).
  const { form: definition } = await formVersionFor(ctx, campaign, form, whole.round, { in: 'path' });
  const meta = { unitName: caller.unit.name, fillDate: shanghaiDate(ctx.now()) };
  const bytes = await consolidatedXlsx(definition, whole, meta, ctx.xlsx);
  const body = Buffer.from(bytes).toString('base64');
  if (body.length > XLSX_EXPORT_MAX_BASE64) throw tooLargeForServer(rows.length, definition.tag);
  const fileName = consolidatedFileName(definition, whole);
  return {
    statusCode: 200,
    headers: {
      'content-type': XLSX_MIME,
      'content-disposition': `attachment; filename="${whole.form}-${whole.round}.xlsx"; filename*=UTF-8''${encodeURIComponent(fileName)}`,
    },
    body,
    isBase64Encoded: true,
  };
}
