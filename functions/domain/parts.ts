// A submission in parts (contract/api.ts MAX_COMPRESSED_REQUEST_BYTES): the parts are uploaded under the click's
// Idempotency-Key, then POST /v1/submissions names them (sha256 and row count, in order) instead of carrying rows.
// The commit is the ordinary one of submit.ts — one conditional transaction, replays answered from the
// idempotency record — so a submission in parts is as all-or-nothing as any other. Parts belong to the caller's
// own unit (scope) and expire unless committed (store/parts.ts).
import { MAX_PARTS, type PartReceipt, type PartRef } from '../../contract/api';
import type { Caller } from '../auth';
import type { Context } from '../context';
import { ApiError, badRequest, parseJson } from '../http';
import { MAX_ROWS } from './submit';
import { checkIdempotencyKey } from './idempotency';
import { utf8Text } from '../utf8';

export async function uploadPart(
  ctx: Context,
  caller: Caller,
  idempotencyKey: string | undefined,
  partParam: string,
  json: Buffer,
): Promise<PartReceipt> {
  const key = checkIdempotencyKey(idempotencyKey);
  const part = /^\d{1,3}$/.test(partParam) ? Number(partParam) : NaN;
  if (!(part < MAX_PARTS))
    throw badRequest(`分段编号“${partParam}”无效,应为 0 到 ${MAX_PARTS - 1} 的整数。`, 'part_invalid');
  const rows = parseJson(json);
  if (!Array.isArray(rows)) throw badRequest('分段内容应为数据行的 JSON 数组。', 'malformed_body');
  if (rows.length > MAX_ROWS)
    throw new ApiError(413, 'payload_too_large', `一个分段最多 ${MAX_ROWS} 行,本段有 ${rows.length} 行。`);
  const sha256 = await ctx.store.putPart(caller.unit.id, key, part, json);
  return { part, rows: rows.length, sha256 };
}

/** Checks the envelope's `parts` (shape only). */
export function parsePartRefs(value: unknown): PartRef[] | undefined {
  if (value === undefined) return undefined;
  const ok =
    Array.isArray(value) &&
    value.length > 0 &&
    value.length <= MAX_PARTS &&
    value.every(
      (p) =>
        typeof p === 'object' &&
        p !== null &&
        typeof (p as PartRef).sha256 === 'string' &&
        /^[0-9a-f]{64}$/.test((p as PartRef).sha256) &&
        Number.isSafeInteger((p as PartRef).rows) &&
        (p as PartRef).rows >= 0,
    );
  if (!ok)
    throw badRequest(
      `「parts」应为 1 到 ${MAX_PARTS} 个分段的列表,每段 {sha256, rows},按上传时的编号顺序排列。`,
      'malformed_body',
    );
  return value as PartRef[];
}

/** The rows of the parts the envelope names, joined in order; a 409 in Chinese when one is missing or differs. */
export async function rowsFromParts(ctx: Context, caller: Caller, key: string, refs: PartRef[]): Promise<unknown[]> {
  const stored = await ctx.store.getParts(caller.unit.id, key, refs.length);
  const rows: unknown[] = [];
  for (const [i, ref] of refs.entries()) {
    const part = stored.get(i);
    const got = part && part.sha256 === ref.sha256 ? (JSON.parse(utf8Text(part.json)) as unknown[]) : null;
    if (!got || got.length !== ref.rows) {
      throw new ApiError(
        409,
        'parts_incomplete',
        `分段提交的第 ${i + 1} 段(共 ${refs.length} 段)没有收到、内容不符或已过期(分段保留 2 天),本次未保存任何内容。请重新点击“提交”。`,
      );
    }
    rows.push(...got);
    if (rows.length > MAX_ROWS) break;
  }
  return rows;
}
