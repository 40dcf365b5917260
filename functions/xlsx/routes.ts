// The .xlsx side of two routes, called from the JSON handlers when the request asks for a workbook:
// POST /v1/submissions with an .xlsx body, GET /v1/consolidated/{form}?format=xlsx.
import type { FormId } from '../../forms/types';
import type { ConsolidatedFujian1Row, ConsolidatedResponse } from '../../contract/api';
import type { Caller } from '../auth';
import type { Context } from '../context';
import type { CampaignRecord } from '../store/types';
import { consolidated } from '../domain/prefecture';
import { submit } from '../domain/submit';
import { parseSubmitBody } from '../requests';
import { shanghaiDate } from '../domain/time';
import { DomainError, Malformed, type ErrorDetails } from '../errors';
import { ApiError, bodyBytes, getHeader, json, query, type Event, type Result } from '../http';
import { consolidatedFileName, consolidatedXlsx } from './consolidated';
import { SheetRejected, sheetSubmission, XLSX_MIME } from './submission';

export { isXlsxContentType } from './submission';

/** POST /v1/submissions with an .xlsx body: answered exactly as the same rows sent as JSON, issues on cells. */
export async function submitXlsx(event: Event, ctx: Context, caller: Caller): Promise<Result> {
  const file = bodyBytes(event);
  if (file.byteLength === 0)
    throw new Malformed('请求体为空。请上传填好的附件1或附件2(.xlsx)。', { code: 'malformed_body' });
  let sheet: Awaited<ReturnType<typeof sheetSubmission>>;
  try {
    sheet = await sheetSubmission(new Uint8Array(file.buffer, file.byteOffset, file.byteLength), {
      form: query(event, 'form'),
      round: query(event, 'round'),
      asOf: query(event, 'asOf'),
      contactName: query(event, 'contactName'),
      contactPhone: query(event, 'contactPhone'),
      basedOn: event.queryStringParameters?.basedOn,
      unit: query(event, 'unit'),
    });
  } catch (err) {
    if (err instanceof SheetRejected)
      throw new ApiError(err.status, err.code, err.message, err.issues.length ? err.issues : undefined);
    throw err;
  }
  try {
    const body = { ...sheet.body, campaign: query(event, 'campaign') };
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

/** GET /v1/consolidated/{form}?format=xlsx: every page joined into one workbook. */
export async function consolidatedXlsxResult(
  event: Event,
  ctx: Context,
  caller: Caller,
  campaign: CampaignRecord,
  form: FormId,
  round: string | undefined,
): Promise<Result> {
  let data = await consolidated(ctx, campaign, form, round, undefined);
  const rows = [...data.rows];
  while (data.next) {
    data = await consolidated(ctx, campaign, form, round, data.next);
    rows.push(...(data.rows as ConsolidatedFujian1Row[]));
  }
  const whole = { ...data, rows, next: null } as ConsolidatedResponse;
  const bytes = await consolidatedXlsx(whole, { unitName: caller.unit.name, fillDate: shanghaiDate(ctx.now()) });
  const fileName = consolidatedFileName(whole);
  return {
    statusCode: 200,
    headers: {
      'content-type': XLSX_MIME,
      'content-disposition': `attachment; filename="${whole.form}-${whole.round}.xlsx"; filename*=UTF-8''${encodeURIComponent(fileName)}`,
    },
    body: Buffer.from(bytes).toString('base64'),
    isBase64Encoded: true,
  };
}
