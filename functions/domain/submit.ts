// The submission flow (DESIGN §5), independent of how the rows arrived (JSON here; .xlsx via functions/xlsx).
// The receipt itself (changes, warnings) is built in receipt.ts.
//   1. Idempotency-Key seen before → the first receipt, nothing written.
//   2. Checks: unit, round, asOf, contact, rows (forms/validateRows — the same rules as the add-in).
//   3. Rows written as compressed chunks under a fresh id (invisible until step 4; they expire unless committed).
//   4. One transaction: header + current pointer (conditional) + latest/first pointer + idempotency record
//      + each chunk's expiresAt removed.
// A lost race without basedOn recomputes the receipt against the new state and tries again; with basedOn it is a 409.
import { randomBytes } from 'node:crypto';
import { unitIssues, unitNamesIn } from '../../forms/unit-check';
import { validateRows } from '../../forms/validate';
import type { FormDefinition } from '../../forms/spec';
import type { FormRow, Issue } from '../../forms/types';
import type { Receipt, SubmitRequest } from '../../contract/api';
import type { Caller } from '../auth';
import { seesAllUnits } from '../auth';
import type { Context } from '../context';
import { Conflict, Invalid, NotAllowed, TooLarge } from '../errors';
import { pauseBeforeRetry } from '../store/retry';
import type { CurrentPointer, PackedRows, SubmissionHeader, UnitRecord } from '../store/types';
import {
  assertRound,
  callerCampaigns,
  chooseCampaign,
  formVersionFor,
  publishedCampaigns,
  takesPart,
} from './campaign';
import { buildReceipt, summarize } from './receipt';
import { rowTextsIn } from '../row-texts';
import { sweepNowAndThen } from './sweep';
import { checkIdempotencyKey, requestHash } from './idempotency';
import { shanghaiDateTime, zoneDate } from './time';

/** The envelope of a submission as parsed at the edge (functions/requests.ts); rows not yet validated. */
export type SubmitInput = SubmitRequest;

/** Most rows one submission may hold; beyond it: 413. */
export const MAX_ROWS = 20_000;
/** Most JSON bytes of one row (a case description of a few pages still fits). */
const MAX_ROW_BYTES = 64 * 1024;
/**
 * Commit attempts of a sender without basedOn that keeps losing races (each loss means another commit won);
 * the request's deadline (store/retry.ts) usually ends it first.
 */
const MAX_ATTEMPTS = 30;

const invalid = (message: string, issues?: Issue[]): Invalid => new Invalid(message, { issues });

/** Characters of a row's text values: a cheap upper bound for its JSON size (UTF-8 takes ≤ 3 bytes each). */
function textLength(row: unknown): number {
  if (typeof row !== 'object' || row === null) return String(row).length;
  let n = 0;
  for (const v of Object.values(row)) n += typeof v === 'string' ? v.length + 8 : 24;
  return n;
}

/** Hash of what was submitted, when it came as rows rather than a body's bytes. */
export const submissionHash = (input: SubmitInput): string =>
  requestHash(
    JSON.stringify([
      input.campaign ?? null,
      input.form,
      input.round,
      input.asOf,
      input.contact,
      input.unit ?? null,
      input.basedOn ?? null,
      input.rows,
    ]),
  );

const newSubmissionId = (now: Date): string => `sub_${now.getTime().toString(36)}${randomBytes(8).toString('hex')}`;

/**
 * Submits already-parsed rows. `opts.bodyHash` identifies the request for Idempotency-Key replays (the JSON
 * handler passes the hash of the body bytes; default: a hash of `input`). `opts.packed`: the same rows already
 * compressing from the body (packSentRows), stored in their place if checking changes none of them.
 */
export async function submit(
  ctx: Context,
  caller: Caller,
  input: SubmitInput,
  idempotencyHeader: string | undefined,
  opts: { bodyHash?: string; loadRows?: () => Promise<unknown[]>; packed?: PackedRows } = {},
): Promise<Receipt> {
  const idempotencyKey = checkIdempotencyKey(idempotencyHeader);
  const unit = await targetUnit(ctx, caller, input.unit);
  const scope = unit.id;
  const bodyHash = opts.bodyHash ?? submissionHash(input);

  // Independent reads at once: the key's first use, the published campaigns.
  const [replay, campaigns] = await Promise.all([
    replayed(ctx, scope, idempotencyKey, bodyHash),
    callerCampaigns(ctx, caller, input.campaign),
  ]);
  if (replay) return replay;
  const campaign = chooseCampaign(
    campaigns,
    caller,
    input.campaign,
    { round: input.round, form: input.form },
    ctx.now(),
  );
  // Another unit's part is decided on that unit's campaigns: a prefecture's list does not know other prefectures'.
  const unitCampaigns = unit.id === caller.unit.id ? campaigns : await publishedCampaigns(ctx, unit.id);
  if (!takesPart(campaign, unit.id, unitCampaigns))
    throw invalid(`${unit.name}不在专项行动“${campaign.document.name}”的单位名单中,不能为其提交。`, [
      { code: 'unit.not_in_campaign', severity: 'error', key: 'unit', message: `${unit.name}不参加该专项行动` },
    ]);
  // The form as the campaign published it for this round (a form it does not have: 422 listing its forms), read
  // beside the unit's pointers in the campaign.
  const pointersRead = ctx.store.listPointers(unit.id, campaign.id);
  // Awaited below; if the form is refused first, its failure must not count as unhandled.
  pointersRead.catch(() => undefined);
  const formVersion = await formVersionFor(ctx, campaign, input.form, input.round);
  const form = formVersion.form;
  assertRound(campaign, input.round);
  const pointers = await pointersRead;
  // Rows uploaded in parts (domain/parts.ts) are read only now: a replay above needs none of them.
  if (opts.loadRows) input = { ...input, rows: await opts.loadRows() };
  // The current submission moved under a basedOn: unless that was this very click sent twice, a 409.
  const replayOrConflict = async (pointer: CurrentPointer | null): Promise<Receipt> => {
    const first = await replayed(ctx, scope, idempotencyKey, bodyHash);
    if (first) return first;
    throw conflict(unit, input, form.tag, pointer);
  };

  const today = zoneDate(ctx.now(), campaign.document.timeZone);
  if (input.asOf > today) {
    throw invalid(`数据截至日期 ${input.asOf} 晚于今天(${today})。请填写今天或之前的日期。`, [
      { code: 'asOf.future', severity: 'error', key: 'asOf', message: `数据截至日期不能晚于 ${today}` },
    ]);
  }
  if (input.rows.length > MAX_ROWS) {
    throw new TooLarge(`一次最多提交 ${MAX_ROWS} 行,本次有 ${input.rows.length} 行。请拆分后分次提交。`);
  }
  const tooLong = input.rows.flatMap((row, i): Issue[] =>
    textLength(row) * 3 > MAX_ROW_BYTES && Buffer.byteLength(JSON.stringify(row ?? null), 'utf8') > MAX_ROW_BYTES
      ? [
          {
            code: 'row.too_long',
            severity: 'error',
            row: i + 1,
            message: `第${i + 1}行内容过长(超过 ${MAX_ROW_BYTES / 1024} KB),请精简后再提交。`,
          },
        ]
      : [],
  );
  if (tooLong.length > 0) throw invalid('有数据行内容过长。', tooLong);

  // A stale basedOn is the news the user needs first (someone else submitted meanwhile), before row issues.
  if (input.basedOn !== undefined) {
    const pointer = pointers.find((p) => p.form === input.form && p.round === input.round) ?? null;
    if ((input.basedOn ?? null) !== (pointer?.currentId ?? null)) return replayOrConflict(pointer);
  }
  // 整改进展 is required once the unit has an accepted 附件1 from an earlier round (DESIGN §2); replacing
  // the first round's sheet does not require it.
  const requireProgress = pointers.some((p) => p.form === form.id && p.round < input.round);
  const validated = validateRows(form, input.rows, { requireProgress });
  const { rows } = validated;
  // The unit on the sheet must be the sender's: another unit's sheet would land under this unit's name.
  const issues = [
    ...unitIssues(form, input.rows, input.unitLine, {
      ...unitNamesIn(campaign.document.units, unit),
      county: unit.role === 'county',
    }),
    ...validated.issues,
  ];
  const errors = issues.filter((i) => i.severity === 'error');
  if (errors.length > 0) {
    throw invalid(`表格有 ${errors.length} 处需要修改,请按提示逐项改正后再提交。`, issues);
  }
  if (rows.length === 0) {
    throw invalid('没有可提交的数据行。请至少填写一行后再提交。', [
      { code: 'rows.empty', severity: 'error', key: 'rows', message: '没有数据行' },
    ]);
  }

  // The same rows and 数据截至 as the current version: nothing to replace, no new version (said, not silent).
  const same = await sameAsCurrent(ctx, form, input, rows, pointers);
  if (same) return same;

  const now = ctx.now();
  const id = newSubmissionId(now);
  // The rows go out while the state is read and the receipt is built. Until the commit nothing refers to them,
  // and if it never comes (a 409, a lost race, a crash) they expire.
  // Rows already compressing from the text they were sent in are stored as they are, if checking changed none.
  const packed =
    opts.packed && opts.packed.rows === input.rows.length && !opts.loadRows && unchangedByChecks(form, input.rows, rows)
      ? opts.packed
      : undefined;
  const stored = ctx.store.putRows(id, packed ?? rows);
  // Awaited below; a failure before then (throttling past the retry budget) must not count as unhandled.
  stored.catch(() => undefined);
  try {
    for (let attempt = 0; ; attempt++) {
      // A retry may have lost to a concurrent request with the same key: then that one's receipt is the answer.
      if (attempt > 0) {
        const first = await replayed(ctx, scope, idempotencyKey, bodyHash);
        if (first) return first;
      }
      const [state, pointer] = await Promise.all([
        ctx.store.getFormState(unit.id, campaign.id, input.form),
        ctx.store.getPointer(unit.id, campaign.id, input.form, input.round),
      ]);
      if (input.basedOn !== undefined && (input.basedOn ?? null) !== (pointer?.currentId ?? null)) {
        // Awaited here, not returned as a promise: the finally below awaits the writes, and a rejection left
        // pending meanwhile would count as unhandled.
        return await replayOrConflict(pointer);
      }
      const submittedAt = (attempt === 0 ? now : ctx.now()).toISOString();
      const receipt = await buildReceipt(ctx, {
        id,
        unit,
        campaign: { id: campaign.id, timeZone: campaign.document.timeZone },
        form,
        formVersion: formVersion.version,
        input,
        rows,
        state,
        pointer,
        submittedAt,
        validatorWarnings: issues,
      });
      const { chunks, bytes, expiringChunks } = await stored;
      const header: SubmissionHeader = {
        id,
        unit: unit.id,
        campaign: campaign.id,
        form: input.form,
        formVersion: formVersion.version,
        round: input.round,
        version: receipt.version,
        rowCount: rows.length,
        late: receipt.late,
        submittedAt,
        asOf: input.asOf,
        contact: input.contact,
        basedOn: input.basedOn ?? null,
        chunks,
        bytes,
        tokenId: caller.tokenId,
        summary: summarize(form, rows),
        receipt,
      };
      const result = await ctx.store.commit({
        header,
        expiringChunks,
        expectedCurrentId: pointer?.currentId ?? null,
        expectedLatestId: state.latestId,
        raisesTop: state.topRound === null || input.round >= state.topRound,
        idempotency: { scope, key: idempotencyKey, bodyHash },
      });
      if (result.ok) {
        ctx.log({
          level: 'info',
          event: 'submitted',
          id,
          unit: unit.id,
          campaign: campaign.id,
          form: input.form,
          round: input.round,
          version: receipt.version,
          rows: rows.length,
          attempt,
        });
        await sweepNowAndThen(ctx);
        return receipt;
      }
      if (result.reason === 'idempotency') {
        const first = await replayed(ctx, scope, idempotencyKey, bodyHash);
        if (first) return first;
      }
      if (result.reason === 'current' && input.basedOn !== undefined) {
        return await replayOrConflict(await ctx.store.getPointer(unit.id, campaign.id, input.form, input.round));
      }
      if (attempt + 1 >= MAX_ATTEMPTS) {
        throw new Conflict('同时有其他提交正在进行,本次未能保存。请稍后重新点击“提交”。');
      }
      await pauseBeforeRetry(attempt, 20, 500);
    }
  } finally {
    // Never answer with writes still running behind the answer (a Lambda is frozen once it has answered).
    await stored.catch(() => undefined);
  }
}

/**
 * Starts compressing the rows of a JSON body from its own bytes, before the body is parsed (row-texts.ts): they
 * compress on the thread pool while the main thread parses and checks them. For `submit`'s `opts.packed`.
 */
export function packSentRows(ctx: Context, body: Buffer): PackedRows | undefined {
  const texts = rowTextsIn(body);
  return texts && texts.starts.length > 0 ? ctx.store.packRowTexts(texts) : undefined;
}

/**
 * Whether the checked rows are the sent rows as they were: each sent row has exactly the form's columns, in its
 * order, with the very values checking kept. Then the row's JSON text as sent is the checked row's JSON (give or
 * take how a character is escaped), and it can be stored as it came.
 */
function unchangedByChecks(form: FormDefinition, sent: unknown[], checked: FormRow[]): boolean {
  if (sent.length !== checked.length) return false;
  const columns = form.columns;
  return checked.every((row, i) => {
    const raw = sent[i] as Record<string, unknown>;
    let n = 0;
    for (const key in raw) {
      if (key !== columns[n]?.key || raw[key] !== row[key]) return false;
      n++;
    }
    return n === columns.length;
  });
}

/** The current version's receipt, marked unchanged, when this submission holds exactly its rows and 数据截至. */
async function sameAsCurrent(
  ctx: Context,
  form: FormDefinition,
  input: SubmitInput,
  rows: FormRow[],
  pointers: CurrentPointer[],
): Promise<Receipt | null> {
  const pointer = pointers.find((p) => p.form === input.form && p.round === input.round);
  if (!pointer || pointer.rowCount !== rows.length) return null;
  const [header, stored] = await Promise.all([
    ctx.store.getHeader(pointer.currentId),
    ctx.store.getRows(pointer.currentId),
  ]);
  if (!header || header.asOf !== input.asOf || stored.length !== rows.length) return null;
  const same = (a: unknown, b: FormRow): boolean =>
    typeof a === 'object' && a !== null && form.columns.every((c) => (a as FormRow)[c.key] === b[c.key]);
  if (!rows.every((row, i) => same(stored[i], row))) return null;
  // Returned by the prefecture: the same content again changes nothing, and the answer says why it was returned.
  return { ...header.receipt, unchanged: true, ...(pointer.review ? { review: pointer.review } : {}) };
}

async function targetUnit(ctx: Context, caller: Caller, requested: string | undefined): Promise<UnitRecord> {
  if (!requested || requested === caller.unit.id) return caller.unit;
  if (!seesAllUnits(caller))
    throw new NotAllowed(`本单位的令牌只能为本单位(${caller.unit.name})提交,不能为“${requested}”提交。`);
  const unit = await ctx.store.getUnit(requested);
  if (!unit) {
    throw invalid(`单位“${requested}”不存在。请核对单位编号。`, [
      { code: 'unit.unknown', severity: 'error', key: 'unit', message: `单位“${requested}”不存在` },
    ]);
  }
  return unit;
}

async function replayed(ctx: Context, scope: string, key: string, bodyHash: string): Promise<Receipt | null> {
  const seen = await ctx.store.getIdempotency(scope, key);
  if (!seen) return null;
  if (seen.bodyHash !== bodyHash) {
    throw new Conflict(
      '这个 Idempotency-Key 已用于另一份不同的提交。重新提交修改后的表格时,请生成新的 Idempotency-Key(重新点击“提交”)。',
      { code: 'idempotency_key_reused', extra: { submissionId: seen.submissionId } },
    );
  }
  const header = await ctx.store.getHeader(seen.submissionId);
  if (!header) throw new Error(`idempotency record points at missing submission ${seen.submissionId}`);
  return header.receipt;
}

function conflict(unit: UnitRecord, input: SubmitInput, formName: string, pointer: CurrentPointer | null): Conflict {
  if (!pointer) {
    return new Conflict(
      `${unit.name}${input.round} 轮的${formName}目前没有可替换的报送(所依据的编号 ${input.basedOn} 不是当前版本)。请重新拉取后再提交。`,
      { extra: { current: null } },
    );
  }
  return new Conflict(
    `${unit.name}${input.round} 轮的${formName}已由 ${pointer.contactName} 于 ${shanghaiDateTime(pointer.submittedAt)} 提交(第 ${pointer.version} 版),` +
      '与您据以修改的版本不同。请先拉取最新版本,核对后再提交。',
    {
      extra: {
        current: {
          id: pointer.currentId,
          submittedAt: pointer.submittedAt,
          contactName: pointer.contactName,
          version: pointer.version,
        },
      },
    },
  );
}
