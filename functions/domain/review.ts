// Review and return (审核/退回, DESIGN §10): the prefecture approves or returns a unit's current submission with a
// comment. Reviews are kept for good; the newest one marks the unit's pointer, so the board, the county's /v1/me and
// its 填报 tab see it without extra reads, and the unit's next submission of that form and round clears it.
import type { ReturnedSubmission, Review, ReviewRequest, ReviewState } from '../../contract/api';
import type { Caller } from '../auth';
import type { Context } from '../context';
import { Conflict, NotAllowed, NotFound } from '../errors';
import type { CurrentPointer } from '../store/types';
import { callerCampaigns, campaignsOf } from './campaign';
import { formName, formsOf } from './forms';
import { shanghaiDateTime } from './time';
import { checkIdempotencyKey, requestHash } from './idempotency';

/**
 * Records the prefecture's review of a submission. The click's Idempotency-Key makes a retry safe: a retry after
 * a lost answer gets the review the click recorded, and the history holds it once.
 */
export async function reviewSubmission(
  ctx: Context,
  caller: Caller,
  id: string,
  request: ReviewRequest,
  idempotencyHeader: string | undefined,
): Promise<Review> {
  const requestKey = {
    scope: caller.unit.id,
    key: checkIdempotencyKey(idempotencyHeader),
    bodyHash: requestHash(JSON.stringify([request.decision, request.comment])),
  };
  const replay = async (): Promise<Review | null> => {
    const seen = await ctx.store.getReviewRequest(id, requestKey);
    if (seen && seen.bodyHash !== requestKey.bodyHash)
      throw new Conflict('这个 Idempotency-Key 已用于另一次审核。每次点击“通过”或“退回”请使用新的 Idempotency-Key。', {
        code: 'idempotency_key_reused',
      });
    return seen?.review ?? null;
  };
  const header = await ctx.store.getHeader(id);
  if (!header) throw new NotFound(`找不到编号为 ${id} 的报送记录。请刷新报送情况后重试。`);
  // A prefecture reviews only within the campaigns it takes part in.
  const mine = campaignsOf(caller, await callerCampaigns(ctx, caller, header.campaign));
  const campaign = mine.find((c) => c.id === header.campaign);
  if (!campaign) throw new NotAllowed('这份报送不属于本单位参加的专项行动,不能审核。');
  // Before the pointer is checked: a retry whose first attempt was recorded answers it even if a newer version
  // has been submitted since.
  const earlier = await replay();
  if (earlier) return earlier;
  const target = { unit: header.unit, campaign: header.campaign, form: header.form, round: header.round };
  const review: Review = {
    submissionId: id,
    decision: request.decision,
    comment: request.comment,
    by: caller.unit.id,
    byName: caller.unit.name,
    tokenId: caller.tokenId,
    at: ctx.now().toISOString(),
  };
  const outcome = await ctx.store.putReview(review, target, requestKey);
  if (outcome === 'written') return review;
  // Two attempts of one click at once: the other one recorded it.
  if (outcome === 'replayed') return (await replay())!;
  const pointer = await ctx.store.getPointer(target.unit, target.campaign, target.form, target.round);
  throw notCurrent(header.round, formName(formsOf(campaign), header.form), header.version, pointer);
}

function notCurrent(round: string, formTag: string, version: number, pointer: CurrentPointer | null): Conflict {
  const newer = pointer
    ? `该单位已于 ${shanghaiDateTime(pointer.submittedAt)} 由 ${pointer.contactName} 提交了第 ${pointer.version} 版。`
    : '';
  return new Conflict(
    `${round} 轮${formTag}的第 ${version} 版已不是该单位的当前版本,不能再审核。${newer}请刷新报送情况,审核当前版本。`,
    {
      extra: {
        current: pointer
          ? {
              id: pointer.currentId,
              submittedAt: pointer.submittedAt,
              contactName: pointer.contactName,
              version: pointer.version,
            }
          : null,
      },
    },
  );
}

/** Where the review of a round's own submission stands. */
export const reviewState = (pointer: CurrentPointer): ReviewState => pointer.review?.decision ?? 'pending';

/** The unit's current submissions that stand returned (已退回), for GET /v1/me. */
export async function returnedSubmissions(ctx: Context, unit: string): Promise<ReturnedSubmission[]> {
  return (await ctx.store.listPointers(unit))
    .filter((p) => p.review?.decision === 'returned')
    .map((p) => ({
      campaign: p.campaign,
      form: p.form,
      round: p.round,
      submissionId: p.currentId,
      version: p.version,
      comment: p.review!.comment,
      byName: p.review!.byName,
      at: p.review!.at,
    }));
}
