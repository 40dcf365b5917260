// Reading submissions back: history, one submission with its rows (paged), the latest to pre-fill a round.
import type { FormId } from '../../forms/types';
import type { Review, SubmissionResponse, SubmissionSummary } from '../../contract/api';
import type { Caller } from '../auth';
import type { Context } from '../context';
import { Malformed, NotFound } from '../errors';
import { PAGE_BYTES } from '../http';
import { fillPage, PageRows, type Page, type LoadedChunks, type PageLimit } from '../page';
import { mapLimit } from '../store/retry';
import type { CampaignRecord, CurrentPointer, SubmissionHeader } from '../store/types';
import { assertMayRead, readableUnits } from './campaign';
import { campaignForm } from './forms';

const summaryOf = (
  h: Omit<SubmissionHeader, 'receipt'>,
  current: boolean,
  reviews: readonly Review[],
): SubmissionSummary => ({
  id: h.id,
  unit: h.unit,
  campaign: h.campaign,
  form: h.form,
  formVersion: h.formVersion,
  round: h.round,
  version: h.version,
  rowCount: h.rowCount,
  late: h.late,
  submittedAt: h.submittedAt,
  asOf: h.asOf,
  contact: h.contact,
  basedOn: h.basedOn,
  current,
  reviews: reviews.filter((r) => r.submissionId === h.id).sort((a, b) => a.at.localeCompare(b.at)),
});

const isCurrent = (pointers: CurrentPointer[], id: string): boolean => pointers.some((p) => p.currentId === id);

export async function history(
  ctx: Context,
  caller: Caller,
  filter: { campaign?: string; form?: FormId; round?: string; unit?: string },
): Promise<SubmissionSummary[]> {
  if (filter.unit) await assertMayRead(ctx, caller, filter.unit);
  const unitIds = filter.unit ? [filter.unit] : await readableUnits(ctx, caller);
  const perUnit = await mapLimit(unitIds, 16, async (unit) => {
    const [headers, pointers, reviews] = await Promise.all([
      ctx.store.listHeaders(unit),
      ctx.store.listPointers(unit),
      ctx.store.listReviews(unit),
    ]);
    return headers
      .filter(
        (h) =>
          (!filter.campaign || h.campaign === filter.campaign) &&
          (!filter.form || h.form === filter.form) &&
          (!filter.round || h.round === filter.round),
      )
      .map((h) => summaryOf(h, isCurrent(pointers, h.id), reviews));
  });
  // Same instant (an injected clock, or a very fast retry): the higher version is the newer one.
  return perUnit.flat().sort((a, b) => b.submittedAt.localeCompare(a.submittedAt) || b.version - a.version);
}

/** Cursors are the 0-based offset of the next row, kept opaque to clients. */
export const encodeCursor = (value: unknown): string =>
  Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');

export function decodeCursor<T>(cursor: string | undefined, valid: (v: unknown) => v is T): T | null {
  if (!cursor) return null;
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    value = undefined;
  }
  if (!valid(value)) throw new Malformed('翻页参数 cursor 无效。请从第一页重新读取。', { code: 'bad_cursor' });
  return value;
}

const isOffset = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 0;

/** Where a submission's rows [offset, upTo) lie: the chunks from the one holding row `offset` to the one holding the last. */
export function chunksFrom(
  header: Pick<SubmissionHeader, 'id' | 'chunks' | 'rowCount'>,
  offset: number,
  upTo = Infinity,
): { id: string; from: number; counts: number[]; skip: number; rows: number } {
  const end = Math.min(upTo, header.rowCount);
  if (offset >= end) return { id: header.id, from: header.chunks.length, counts: [], skip: 0, rows: 0 };
  let chunk = 0;
  let chunkStart = 0;
  while (chunk < header.chunks.length && chunkStart + header.chunks[chunk] <= offset)
    chunkStart += header.chunks[chunk++];
  let last = chunk;
  for (let lastStart = chunkStart; last < header.chunks.length - 1 && lastStart + header.chunks[last] < end;)
    lastStart += header.chunks[last++];
  return {
    id: header.id,
    from: chunk,
    counts: header.chunks.slice(chunk, last + 1),
    skip: offset - chunkStart,
    rows: end - offset,
  };
}

/** The stored chunks of those places, read together (batched, page.ts fillPage takes them from there). */
export async function readChunks(
  ctx: Context,
  places: readonly ReturnType<typeof chunksFrom>[],
): Promise<LoadedChunks[]> {
  const refs = places.flatMap((p) => p.counts.map((_count, i) => ({ id: p.id, index: p.from + i })));
  const members = await ctx.store.getStoredChunks(refs);
  let at = 0;
  return places.map((p) => {
    const own = members.slice(at, (at += p.counts.length));
    return { members: own, counts: p.counts, skip: p.skip, rows: p.rows };
  });
}

export async function submissionWithRows(
  ctx: Context,
  caller: Caller,
  id: string,
  cursor: string | undefined,
  limit: PageLimit = PAGE_BYTES,
): Promise<Page<SubmissionResponse>> {
  const header = await ctx.store.getHeader(id);
  if (!header) throw new NotFound(`找不到编号为 ${id} 的报送记录。请核对编号。`);
  await assertMayRead(ctx, caller, header.unit);
  const offset = decodeCursor(cursor, isOffset) ?? 0;
  if (offset > header.rowCount)
    throw new Malformed('翻页参数 cursor 超出范围。请从第一页重新读取。', { code: 'bad_cursor' });

  const [rest, pointer, reviews] = await Promise.all([
    readChunks(ctx, [chunksFrom(header, offset)]).then(([only]) => only),
    ctx.store.getPointer(header.unit, header.campaign, header.form, header.round),
    ctx.store.listSubmissionReviews(id),
  ]);
  const rows = new PageRows(limit);
  const taken = await fillPage(rows, rest);
  const next = offset + taken < header.rowCount ? encodeCursor(offset + taken) : null;
  return {
    fields: { ...summaryOf(header, pointer?.currentId === id, reviews), receipt: header.receipt, offset, next },
    rows,
  };
}

/** The unit's current submission of a form for the latest round it reported, to pre-fill the next round. */
export async function latest(
  ctx: Context,
  caller: Caller,
  campaign: CampaignRecord,
  unit: string,
  form: FormId,
  cursor: string | undefined,
  limit: PageLimit = PAGE_BYTES,
): Promise<Page<SubmissionResponse>> {
  await assertMayRead(ctx, caller, unit);
  const { tag } = campaignForm(campaign, form, { in: 'path' });
  if (!(await ctx.store.getUnit(unit))) throw new NotFound(`单位“${unit}”不存在。请核对单位编号。`);
  // The newest round's pointer: one item, however many rounds the unit has reported.
  const newest = await ctx.store.pointerAtOrBefore(unit, campaign.id, form, '~');
  if (!newest) throw new NotFound(`该单位还没有提交过${tag}。首次报送请插入空白表格填写。`);
  return submissionWithRows(ctx, caller, newest.currentId, cursor, limit);
}
