// Callbacks (回访, DESIGN §10): the round's sample of closed cases is drawn once and stored — drawing again answers
// the stored one, so nobody can redraw until the cases suit them — and the results of the visits come back per case
// (way, date, result, note), from the filled 回访样本 sheet or any client, checked by forms/callback. Each results
// request is kept whole (who, when, what); a case's newest result counts. A 不满意 case is flagged for its unit until
// a later callback finds the person satisfied; the county's next 附件1 pull and the consolidated 附件1 show the flag.
import { randomBytes, randomInt } from 'node:crypto';
import { caseKey, checkCallbackEntry, DISSATISFIED, listPlace, type CallbackFlag } from '../../forms/callback';
import { drawCallbackSample, sampleSeed } from '../../forms/sample';
import { isClosedRow, type FormDefinition } from '../../forms/spec';
import type { FormId, FormRow, Issue } from '../../forms/types';
import type {
  CallbackCase,
  CallbackResultRecord,
  CallbackResultsRequest,
  CallbackSampleResponse,
  CallbackTally,
  ConsolidatedFujian1Row,
  ConsolidatedResponse,
  DrawSampleRequest,
  StatsResponse,
  SubmissionResponse,
  UnitCallbackFlag,
} from '../../contract/api';
import type { Caller } from '../auth';
import type { Context } from '../context';
import { Conflict, Invalid, NotFound } from '../errors';
import type { FlagSet, ResultBatch, SampleRecord, StoredResult, TallyCounts } from '../store/callbacks';
import { pauseBeforeRetry } from '../store/retry';
import type { CampaignRecord } from '../store/types';
import { assertRound } from './campaign';
import { formsOf } from './forms';
import { consolidated } from './prefecture';
import { zoneDate } from './time';
import { requestHash } from './idempotency';

/** Flag items one results request may change: a transaction holds 100 actions, three of them are the request's own. */
const MAX_FLAG_UNITS = 97;
/** Attempts of a results write that keeps meeting concurrent ones (each loss means another write went through). */
const MAX_ATTEMPTS = 8;

/** The campaign's callback sampling: its ledger form and rate; 404 when its document has none. */
export function callbackSampling(campaign: CampaignRecord): { form: FormDefinition; rate: number } {
  const sampling = campaign.document.sampling?.callback;
  const form = sampling ? formsOf(campaign).get(sampling.form) : undefined;
  if (!sampling || !form)
    throw new NotFound(`专项行动“${campaign.document.name}”的文件没有规定回访抽样(sampling.callback),无需回访。`);
  return { form, rate: sampling.rate };
}

const noSample = (round: string): NotFound =>
  new NotFound(`${round} 轮还没有抽取回访样本。请先在「汇总」中抽取回访样本,再填写回访结果。`);

/** POST /v1/callbacks/sample: the round's stored sample, or a fresh one drawn from the consolidated ledger now. */
export async function drawSample(
  ctx: Context,
  caller: Caller,
  campaign: CampaignRecord,
  request: DrawSampleRequest,
): Promise<CallbackSampleResponse> {
  const { form, rate } = callbackSampling(campaign);
  assertRound(campaign, request.round);
  const stored = await sampleView(ctx, campaign, request.round);
  if (stored) return stored;

  const table = await consolidated(ctx, campaign, form.id, request.round, undefined, Infinity);
  const seed = sampleSeed(request.round, request.number ?? String(randomInt(1000, 10000)));
  const sample = drawCallbackSample(table.rows as ConsolidatedFujian1Row[], {
    seed,
    ratio: rate,
    isClosed: (row) => isClosedRow(form, row),
  });
  if (sample.rows.length === 0)
    throw new Conflict(
      `${request.round} 轮的汇总${form.tag}中还没有已办结的案件,无需抽取回访样本。各县报送已办结案件后再抽取。`,
      { code: 'nothing_to_draw' },
    );
  const names = new Map(table.units.map((u) => [u.unit, u.unitName]));
  const submissionOf = new Map(table.units.map((u) => [u.unit, u.submissionId ?? '']));
  const serial = form.serial?.key;
  const cases = sample.rows.map(({ originalSeq, unit, unitName, status: _status, ...row }) => ({
    unit,
    unitName,
    seq: originalSeq,
    row: { ...(row as FormRow), ...(serial ? { [serial]: originalSeq } : {}) },
    submissionId: submissionOf.get(unit) ?? '',
  }));
  const created = await ctx.store.callbacks.putSample(
    {
      campaign: campaign.id,
      round: request.round,
      form: form.id,
      seed,
      rate,
      drawnAt: ctx.now().toISOString(),
      drawnBy: caller.unit.id,
      drawnByName: caller.unit.name,
      tokenId: caller.tokenId,
      units: sample.units.map((u) => ({ ...u, unitName: names.get(u.unit) ?? u.unit })),
      tally: {},
      rev: 0,
    },
    cases,
  );
  const view = await sampleView(ctx, campaign, request.round);
  if (!view) throw new Error('callback sample vanished after it was stored');
  return { ...view, created };
}

/** GET /v1/callbacks/sample */
export async function getSample(
  ctx: Context,
  campaign: CampaignRecord,
  round: string,
): Promise<CallbackSampleResponse> {
  callbackSampling(campaign);
  assertRound(campaign, round);
  const view = await sampleView(ctx, campaign, round);
  if (!view) throw noSample(round);
  return view;
}

/** Each case's results, oldest first, from the round's batches. */
function resultsByCase(batches: readonly ResultBatch[]): Map<string, CallbackResultRecord[]> {
  const out = new Map<string, CallbackResultRecord[]>();
  const ordered = [...batches].sort((a, b) => a.at.localeCompare(b.at) || a.id.localeCompare(b.id));
  for (const batch of ordered)
    for (const r of batch.results) {
      const list = out.get(caseKey(r.unit, r.seq)) ?? [];
      list.push({ ...r.entry, by: batch.by, byName: batch.byName, tokenId: batch.tokenId, at: batch.at });
      out.set(caseKey(r.unit, r.seq), list);
    }
  return out;
}

const emptyCounts = (): TallyCounts => ({ visited: 0, satisfied: 0, basicallySatisfied: 0, dissatisfied: 0 });

/** Per unit: its sampled cases by their newest result. */
function tallyOf(newest: Iterable<{ unit: string; result: string }>): Record<string, TallyCounts> {
  const tally: Record<string, TallyCounts> = {};
  for (const { unit, result } of newest) {
    const t = (tally[unit] ??= emptyCounts());
    t.visited++;
    if (result === '满意') t.satisfied++;
    else if (result === '基本满意') t.basicallySatisfied++;
    else t.dissatisfied++;
  }
  return tally;
}

/** Coverage and satisfaction from counts. */
export function tallyFigures(sampled: number, counts: TallyCounts = emptyCounts()): CallbackTally {
  return {
    sampled,
    ...counts,
    coverage: sampled ? counts.visited / sampled : 0,
    satisfaction: counts.visited ? (counts.satisfied + counts.basicallySatisfied) / counts.visited : 0,
  };
}

const addCounts = (a: TallyCounts, b: TallyCounts): TallyCounts => ({
  visited: a.visited + b.visited,
  satisfied: a.satisfied + b.satisfied,
  basicallySatisfied: a.basicallySatisfied + b.basicallySatisfied,
  dissatisfied: a.dissatisfied + b.dissatisfied,
});

/** Per unit and for all: the sample head's figures (no case or result read). */
export function sampleFigures(sample: SampleRecord): { units: Map<string, CallbackTally>; totals: CallbackTally } {
  const units = new Map(sample.units.map((u) => [u.unit, tallyFigures(u.drawn, sample.tally[u.unit])]));
  const counts = sample.units.reduce((sum, u) => addCounts(sum, sample.tally[u.unit] ?? emptyCounts()), emptyCounts());
  return { units, totals: tallyFigures(sample.caseCount, counts) };
}

async function sampleView(
  ctx: Context,
  campaign: CampaignRecord,
  round: string,
): Promise<CallbackSampleResponse | null> {
  const sample = await ctx.store.callbacks.getSample(campaign.id, round);
  if (!sample) return null;
  const [cases, batches] = await Promise.all([
    ctx.store.callbacks.getCases(sample),
    ctx.store.callbacks.listBatches(campaign.id, round),
  ]);
  const results = resultsByCase(batches);
  const figures = sampleFigures(sample);
  return {
    campaign: campaign.id,
    round,
    form: sample.form,
    seed: sample.seed,
    rate: sample.rate,
    drawnAt: sample.drawnAt,
    drawnBy: sample.drawnBy,
    drawnByName: sample.drawnByName,
    created: false,
    cases: cases.map((c): CallbackCase => {
      const history = results.get(caseKey(c.unit, c.seq)) ?? [];
      return { ...c, result: history.at(-1) ?? null, history };
    }),
    units: sample.units.map((u) => ({
      unit: u.unit,
      unitName: u.unitName,
      closed: u.closed,
      ...figures.units.get(u.unit)!,
    })),
    totals: figures.totals,
  };
}

export const resultsHash = (request: CallbackResultsRequest): string =>
  requestHash(JSON.stringify([request.campaign ?? null, request.round, request.results]));

/**
 * POST /v1/callbacks/results: checks every entry (422 listing each, `第N条…`, nothing stored), then stores them as
 * one batch, updating the tally and the units' 回访不满意 flags in the same transaction. A replay of the same
 * Idempotency-Key and body answers the sample as it stands and writes nothing; another body: 409.
 */
export async function saveResults(
  ctx: Context,
  caller: Caller,
  campaign: CampaignRecord,
  request: CallbackResultsRequest,
  idempotencyKey: string,
): Promise<CallbackSampleResponse> {
  callbackSampling(campaign);
  assertRound(campaign, request.round);
  const bodyHash = resultsHash(request);
  const scope = caller.unit.id;
  const replay = async (): Promise<CallbackSampleResponse | null> => {
    const seen = await ctx.store.callbacks.getIdempotency(scope, idempotencyKey);
    if (!seen) return null;
    if (seen.bodyHash !== bodyHash)
      throw new Conflict('这个 Idempotency-Key 已用于另一份回访结果。每次提交请使用新的 Idempotency-Key。', {
        code: 'idempotency_key_reused',
      });
    return (await sampleView(ctx, campaign, request.round)) ?? null;
  };
  const replayed = await replay();
  if (replayed) return replayed;

  const sample = await ctx.store.callbacks.getSample(campaign.id, request.round);
  if (!sample) throw noSample(request.round);
  const cases = await ctx.store.callbacks.getCases(sample);
  const results = checkedResults(request, cases, zoneDate(ctx.now(), campaign.document.timeZone));

  const batch: ResultBatch = {
    id: `cbr_${randomBytes(8).toString('hex')}`,
    at: ctx.now().toISOString(),
    by: caller.unit.id,
    byName: caller.unit.name,
    tokenId: caller.tokenId,
    results,
  };
  const units = [...new Set(results.map((r) => r.unit))];
  for (let attempt = 0; ; attempt++) {
    if (attempt > 0) await pauseBeforeRetry(attempt);
    const [head, batches, flagSets] = await Promise.all([
      attempt === 0 ? sample : ctx.store.callbacks.getSample(campaign.id, request.round),
      ctx.store.callbacks.listBatches(campaign.id, request.round),
      Promise.all(units.map((u) => ctx.store.callbacks.getFlags(campaign.id, u))),
    ]);
    const newest = [...resultsByCase([...batches, batch]).entries()].map(([k, list]) => ({
      unit: k.slice(0, k.lastIndexOf('#')),
      result: list.at(-1)!.result,
    }));
    const flags = changedFlags(flagSets, results, request.round, batch.at);
    if (flags.length > MAX_FLAG_UNITS)
      throw new Invalid(
        `这次提交改变了 ${flags.length} 个单位的“回访不满意”标记,一次最多 ${MAX_FLAG_UNITS} 个单位。请按单位分批提交。`,
      );
    const outcome = await ctx.store.callbacks.saveResults({
      campaign: campaign.id,
      round: request.round,
      batch,
      tally: tallyOf(newest),
      expectedRev: head!.rev,
      flags,
      idempotency: { scope, key: idempotencyKey, bodyHash },
    });
    if (outcome === 'ok') break;
    if (outcome === 'idempotency') {
      const again = await replay();
      if (again) return again;
    }
    if (attempt + 1 >= MAX_ATTEMPTS)
      throw new Conflict('同时有其他人在提交本轮的回访结果,请稍后重试(已填写的内容不会丢失)。');
  }
  const view = await sampleView(ctx, campaign, request.round);
  return view!;
}

/** The request's entries checked against the sample: 422 with every problem, by entry (`第3条`). */
function checkedResults(
  request: CallbackResultsRequest,
  cases: readonly { unit: string; unitName: string; seq: number }[],
  today: string,
): StoredResult[] {
  const inSample = new Map(cases.map((c) => [caseKey(c.unit, c.seq), c]));
  const issues: Issue[] = [];
  const results: StoredResult[] = [];
  const seen = new Map<string, number>();
  request.results.forEach((input, i) => {
    const place = listPlace(i + 1);
    const k = caseKey(input.unit, input.seq);
    const caseIssue = (message: string) =>
      issues.push({
        code: 'callback.case',
        severity: 'error',
        message: `${place.at('way')}${message}`,
        row: i + 1,
        key: 'seq',
      });
    if (!inSample.has(k)) {
      caseIssue(
        `:单位 ${input.unit} 第 ${input.seq} 号案件不在 ${request.round} 轮的回访样本中。请核对单位编号和本单位序号。`,
      );
      return;
    }
    if (seen.has(k)) {
      caseIssue(`:${inSample.get(k)!.unitName}第 ${input.seq} 号案件与第${seen.get(k)}条重复,每个案件只填一条。`);
      return;
    }
    seen.set(k, i + 1);
    const { entry, issues: found } = checkCallbackEntry(input, place, today);
    issues.push(...found);
    if (entry) results.push({ unit: input.unit, seq: input.seq, entry });
    else if (found.length === 0)
      caseIssue(
        `:${inSample.get(k)!.unitName}第 ${input.seq} 号案件的回访方式、日期和结果都是空的。未回访的案件不要提交。`,
      );
  });
  if (issues.length > 0) throw new Invalid(`回访结果有 ${issues.length} 处需要修改,均未保存。`, { issues });
  return results;
}

/** The flag sets this request changes: 不满意 raises a case's flag, any other result lowers it. */
function changedFlags(
  sets: readonly FlagSet[],
  results: readonly StoredResult[],
  round: string,
  at: string,
): FlagSet[] {
  const changed: FlagSet[] = [];
  for (const set of sets) {
    const bySeq = new Map(set.flags.map((f) => [f.seq, f]));
    let touched = false;
    for (const r of results.filter((x) => x.unit === set.unit)) {
      if (r.entry.result === DISSATISFIED) {
        const flag: CallbackFlag = { seq: r.seq, round, way: r.entry.way, date: r.entry.date, note: r.entry.note, at };
        bySeq.set(r.seq, flag);
        touched = true;
      } else if (bySeq.delete(r.seq)) touched = true;
    }
    if (touched) changed.push({ ...set, flags: [...bySeq.values()].sort((a, b) => a.seq - b.seq) });
  }
  return changed;
}

/** Whether a form is the campaign's callback form (the one whose pulls and consolidated tables carry flags). */
export const isCallbackForm = (campaign: CampaignRecord, form: string): boolean =>
  campaign.document.sampling?.callback?.form === form;

/** The unit's cases standing 回访不满意 (GET …/latest of the callback form). */
export async function unitFlags(ctx: Context, campaign: CampaignRecord, unit: string): Promise<CallbackFlag[]> {
  return (await ctx.store.callbacks.getFlags(campaign.id, unit)).flags;
}

/** Every unit's cases standing 回访不满意 (consolidated callback form). */
export async function campaignFlags(ctx: Context, campaign: CampaignRecord): Promise<UnitCallbackFlag[]> {
  return (await ctx.store.callbacks.listFlags(campaign.id)).flatMap((set) =>
    set.flags.map((f) => ({ unit: set.unit, ...f })),
  );
}

/** Per unit, the round's callback figures for statistics; null when the round has no sample. */
export async function roundCallbackFigures(
  ctx: Context,
  campaign: CampaignRecord,
  round: string,
): Promise<{ units: Map<string, CallbackTally>; totals: CallbackTally } | null> {
  if (!campaign.document.sampling?.callback) return null;
  const sample = await ctx.store.callbacks.getSample(campaign.id, round);
  return sample ? sampleFigures(sample) : null;
}

/** Statistics with each unit's callback figures of the round (`callback`, null for every unit when none was drawn). */
export async function withCallbackFigures(
  ctx: Context,
  campaign: CampaignRecord,
  stats: StatsResponse,
): Promise<StatsResponse> {
  const figures = await roundCallbackFigures(ctx, campaign, stats.round);
  return {
    ...stats,
    units: stats.units.map((u) => ({
      ...u,
      callback: figures ? (figures.units.get(u.unit) ?? tallyFigures(0)) : null,
    })),
    totals: { ...stats.totals, callback: figures?.totals ?? null },
  };
}

/**
 * A page of the campaign's callback ledger with the 回访不满意 flags of its units (other forms: as it is). The
 * flags are read while the page is built, not after it: every page of a pull waits for both.
 */
export async function withConsolidatedFlags<T extends { fields: Omit<ConsolidatedResponse, 'rows'> }>(
  ctx: Context,
  campaign: CampaignRecord,
  form: FormId,
  building: Promise<T>,
): Promise<T> {
  if (!isCallbackForm(campaign, form)) return building;
  const flagsRead = campaignFlags(ctx, campaign);
  flagsRead.catch(() => undefined); // awaited below, once the page is built (or has failed)
  const page = await building;
  const units = new Set(page.fields.units.map((u) => u.unit));
  const flags = (await flagsRead).filter((f) => units.has(f.unit));
  return { ...page, fields: { ...page.fields, callbackFlags: flags } };
}

/** A unit's pull of the callback ledger with its cases standing 回访不满意 (other forms: as it is). */
export async function withUnitFlags<T extends { fields: Omit<SubmissionResponse, 'rows'> }>(
  ctx: Context,
  campaign: CampaignRecord,
  page: T,
): Promise<T> {
  if (!isCallbackForm(campaign, page.fields.form)) return page;
  return { ...page, fields: { ...page.fields, callbackFlags: await unitFlags(ctx, campaign, page.fields.unit) } };
}
