// Which campaign a request is about (DESIGN §9). Campaigns are published data (functions/domain/publish.ts);
// a request names one with `campaign`, or means the caller's only active one (or the latest).
import { campaignRounds, isRound, nextDueRound } from '../../forms/calendar';
import type { CampaignDocument } from '../../forms/campaign/schema';
import type { FormDefinition } from '../../forms/spec';
// The shipped file as it is: forms/test/campaign.test.ts checks it against the schema. Through forms/campaign it
// would bring the zod schema into every function's bundle (about 250 KB); only publishing needs that.
import huangnan2019 from '../../forms/campaigns/huangnan-2019.json';
import type { CampaignInfo, CampaignSummary } from '../../contract/api';
import type { Caller } from '../auth';
import type { Context } from '../context';
import { NotAllowed } from '../errors';
import { ApiError, forbidden, notFound } from '../http';
import type { CampaignRecord, FormVersionRecord } from '../store/types';
import { campaignForm, definitionOf } from './forms';
import { zoneDate } from './time';

/**
 * What a store that has no published campaign serves: the 2019 document, as before campaigns were data, so
 * that a table set up by hand (or by an older release) keeps working. Revision 0: nothing stored.
 */
const HUANGNAN_2019 = huangnan2019 as CampaignDocument;
export const BUILT_IN_CAMPAIGN: CampaignRecord = {
  id: HUANGNAN_2019.id,
  document: HUANGNAN_2019,
  revision: 0,
  publishedAt: '',
  forms: HUANGNAN_2019.forms.map((f) => ({ id: f.id, version: 1 })),
};

/**
 * The published campaigns as a unit sees them: with `unit`, those whose documents list it (one small Query and
 * one read per campaign — a prefecture's request touches its own campaigns, not the province's); without, or
 * for a unit no publication listed (it takes part in every campaign), every campaign (one Query). A publication
 * shows at once, on every container.
 */
export async function publishedCampaigns(ctx: Context, unit?: string): Promise<CampaignRecord[]> {
  const stored =
    (unit === undefined ? null : await ctx.store.listCampaignsOf(unit)) ?? (await ctx.store.listCampaigns());
  return stored.length > 0 ? stored : [BUILT_IN_CAMPAIGN];
}

/**
 * The campaigns a caller's requests may concern: its unit's (admin: all), plus the one it names if that is
 * another (so that chooseCampaign answers 403 for an existing campaign the unit is not in, 404 for none).
 */
export async function callerCampaigns(ctx: Context, caller: Caller, requested?: string): Promise<CampaignRecord[]> {
  const list = await publishedCampaigns(ctx, caller.role === 'admin' ? undefined : caller.unit.id);
  if (requested === undefined || list.some((c) => c.id === requested)) return list;
  const named = await ctx.store.getCampaign(requested);
  return named ? [...list, named] : list;
}

const names = (c: CampaignRecord, unit: string): boolean => c.document.units.some((u) => u.id === unit);

/**
 * Whether a unit reports in a campaign: when the document lists it. A unit that no campaign lists (added with
 * `unit add` outside any document) takes part in every campaign, as every unit did before campaigns were data.
 */
export function takesPart(c: CampaignRecord, unit: string, all: readonly CampaignRecord[]): boolean {
  return names(c, unit) || !all.some((other) => names(other, unit));
}

/** The campaigns a caller may see and act in; admin tokens see all. */
export function campaignsOf(caller: Caller, all: readonly CampaignRecord[]): CampaignRecord[] {
  return caller.role === 'admin' ? [...all] : all.filter((c) => takesPart(c, caller.unit.id, all));
}

/** Today (in the campaign's zone) lies inside its window. */
export function isActive(doc: CampaignDocument, now: Date): boolean {
  const today = zoneDate(now, doc.timeZone);
  return doc.window.start <= today && today <= doc.window.end;
}

/** Among several: the active ones if any, and of those the one that started last. */
function preferred(campaigns: CampaignRecord[], now: Date): CampaignRecord {
  const active = campaigns.filter((c) => isActive(c.document, now));
  const pool = active.length > 0 ? active : campaigns;
  return [...pool].sort(
    (a, b) =>
      b.document.window.start.localeCompare(a.document.window.start) ||
      b.document.window.end.localeCompare(a.document.window.end) ||
      a.id.localeCompare(b.id),
  )[0];
}

export interface CampaignHint {
  /** A round the request names: a campaign that has it is preferred (old clients send no `campaign`). */
  round?: string;
  form?: string;
}

/**
 * The campaign a request means: the one it names (which the caller must take part in), else the caller's only
 * active one, else the latest. `hint` narrows the choice for clients that send no `campaign` yet.
 */
export async function resolveCampaign(
  ctx: Context,
  caller: Caller,
  requested: string | undefined,
  hint: CampaignHint = {},
): Promise<CampaignRecord> {
  return chooseCampaign(await callerCampaigns(ctx, caller, requested), caller, requested, hint, ctx.now());
}

/**
 * Whether the caller may read a unit's submissions: its own unit; admin every unit; a prefecture the units that
 * take part in its campaigns (one deployment serves many prefectures: each sees only its own counties).
 */
export async function mayRead(ctx: Context, caller: Caller, unit: string): Promise<boolean> {
  if (caller.role === 'admin' || caller.unit.id === unit) return true;
  if (caller.role !== 'prefecture') return false;
  const [mine, theirs] = await Promise.all([callerCampaigns(ctx, caller), publishedCampaigns(ctx, unit)]);
  return campaignsOf(caller, mine).some((c) => takesPart(c, unit, theirs));
}

export async function assertMayRead(ctx: Context, caller: Caller, unit: string): Promise<void> {
  if (await mayRead(ctx, caller, unit)) return;
  throw new NotAllowed(
    caller.role === 'prefecture'
      ? `单位“${unit}”不在本单位(${caller.unit.name})的专项行动中,不能查看其报送记录。`
      : `本单位的令牌只能查看本单位(${caller.unit.name})的报送记录。`,
  );
}

/**
 * The units a caller's unfiltered listing covers: its own; a prefecture's also those its campaigns list, or
 * every unit for a prefecture no publication lists (a deployment for one prefecture); admin every unit.
 */
export async function readableUnits(ctx: Context, caller: Caller): Promise<string[]> {
  if (caller.role === 'county') return [caller.unit.id];
  if (caller.role === 'prefecture') {
    const listed = await ctx.store.listCampaignsOf(caller.unit.id);
    if (listed)
      return [
        ...new Set([
          caller.unit.id,
          ...listed.filter((c) => names(c, caller.unit.id)).flatMap((c) => c.document.units.map((u) => u.id)),
        ]),
      ];
  }
  return (await ctx.store.listUnits()).map((u) => u.id);
}

export function chooseCampaign(
  all: readonly CampaignRecord[],
  caller: Caller,
  requested: string | undefined,
  hint: CampaignHint,
  now: Date,
): CampaignRecord {
  const mine = campaignsOf(caller, all);
  const list = mine.map((c) => `${c.id}(${c.document.name})`).join('、') || '无';
  if (requested !== undefined) {
    const found = all.find((c) => c.id === requested);
    if (!found) throw notFound(`专项行动“${requested}”不存在。本单位可用的有:${list}。`);
    if (!mine.includes(found))
      throw forbidden(`本单位(${caller.unit.name})不在专项行动“${found.document.name}”的单位名单中。`);
    return found;
  }
  if (mine.length === 0)
    throw forbidden(`本单位(${caller.unit.name})不在任何专项行动的单位名单中。请联系州办公室把本单位加入专项行动。`);
  let pool = mine;
  if (hint.round !== undefined) {
    const fitting = mine.filter(
      (c) => isRound(c.document, hint.round!) && (hint.form === undefined || c.forms.some((f) => f.id === hint.form)),
    );
    if (fitting.length > 0) pool = fitting;
  }
  return preferred(pool, now);
}

/** The version of a form that applies to a round: the newest whose first round is not after it. */
export function versionFor(
  versions: readonly FormVersionRecord[],
  form: string,
  round: string,
): FormVersionRecord | null {
  return (
    versions
      .filter((v) => v.form === form && (v.validFrom === '' || v.validFrom <= round))
      .sort((a, b) => b.version - a.version)[0] ?? null
  );
}

/**
 * The form version a submission for `round` is checked against (version 1 of the built-in campaign), compiled;
 * a form the campaign does not have is a 422 listing its forms (`in: 'path'`: a 404).
 */
export async function formVersionFor(
  ctx: Context,
  c: CampaignRecord,
  form: string,
  round: string,
  where: { in: 'body' | 'path' } = { in: 'body' },
): Promise<{ version: number; form: FormDefinition }> {
  const current = campaignForm(c, form, where);
  if (c.revision === 0) return { version: 1, form: current };
  const found = versionFor(await ctx.store.listFormVersions(c.id, c.revision), form, round);
  // Every listed form has a version from the revision that listed it; a round before it falls back to that one.
  return found
    ? { version: found.version, form: definitionOf(found.spec) }
    : { version: c.forms.find((f) => f.id === form)?.version ?? 1, form: current };
}

/** The round the API means when none is given: the next due one, or the last once the campaign is over. */
export function defaultRound(c: CampaignRecord, now: Date): string {
  const rounds = campaignRounds(c.document);
  return nextDueRound(c.document, now) ?? rounds[rounds.length - 1];
}

export function assertRound(c: CampaignRecord, round: string): void {
  if (isRound(c.document, round)) return;
  const rounds = campaignRounds(c.document);
  throw new ApiError(
    422,
    'validation_failed',
    `「round」${round} 不是专项行动“${c.document.name}”的报送日。应为以下日期之一:${rounds.join('、')}。`,
    [{ code: 'round.invalid', severity: 'error', key: 'round', message: `报送轮次应为:${rounds.join('、')}` }],
  );
}

/** The shape `GET /v1/me` had before campaigns were data (old clients read `campaign.rounds`). */
export const campaignInfo = (c: CampaignRecord): CampaignInfo => ({
  id: c.id,
  name: c.document.name,
  start: c.document.window.start,
  end: c.document.window.end,
  dueDays: [...(c.document.due.daysOfMonth ?? [])],
  timeZone: c.document.timeZone,
  rounds: campaignRounds(c.document),
});

export function campaignSummary(c: CampaignRecord, now: Date): CampaignSummary {
  return {
    id: c.id,
    name: c.document.name,
    issuer: c.document.issuer,
    timeZone: c.document.timeZone,
    window: { ...c.document.window },
    rounds: campaignRounds(c.document),
    nextDue: nextDueRound(c.document, now),
    active: isActive(c.document, now),
    revision: c.revision,
    publishedAt: c.publishedAt || null,
    forms: c.document.forms.map((f) => ({
      id: f.id,
      tag: f.tag,
      title: f.title,
      kind: f.kind,
      version: c.forms.find((v) => v.id === f.id)?.version ?? 1,
    })),
  };
}
