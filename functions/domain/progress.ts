// Progress over a campaign's rounds (issue 11, part 4): per round, how many units reported and on time, the ledger's
// cases and how many are closed, and the callback sample's coverage and satisfaction; the same per unit. Read from the
// pointers (their summaries count cases by status) and the samples' heads — one Query per unit and one for the
// samples, never a row — so the picture of thirty rounds costs what one status board does.
import { campaignRounds, dueDeadline } from '../../forms/calendar';
import type { FormDefinition } from '../../forms/spec';
import type { ProgressResponse, RoundProgress, RoundStatus, UnitRoundProgress } from '../../contract/api';
import type { Context } from '../context';
import { NotFound } from '../errors';
import { mapLimit } from '../store/retry';
import type { CampaignRecord, CurrentPointer, UnitRecord } from '../store/types';
import { defaultRound } from './campaign';
import { sampleFigures } from './callbacks';
import { statusLedger } from './forms';
import { campaignUnits, statusFor } from './prefecture';

/** The ledger the statistics follow: the callback form, else the first ledger with a status column. */
function followedForm(campaign: CampaignRecord): FormDefinition {
  const form = statusLedger(campaign);
  if (!form?.status)
    throw new NotFound(`专项行动“${campaign.document.name}”没有带办结状态列的台账表,无法统计各轮办结情况。`);
  return form;
}

const rate = (part: number, whole: number): number => (whole ? part / whole : 0);

export async function roundsProgress(ctx: Context, campaign: CampaignRecord): Promise<ProgressResponse> {
  const form = followedForm(campaign);
  const closedValue = form.status!.closed;
  const current = defaultRound(campaign, ctx.now());
  const rounds = campaignRounds(campaign.document).filter((r) => r <= current);
  const formIds = campaign.document.forms.map((f) => f.id);

  const [listed, tops, samples] = await Promise.all([
    campaignUnits(ctx, campaign),
    ctx.store.listTopPointers(campaign.id),
    ctx.store.callbacks.listSamples(campaign.id),
  ]);
  // Units no document lists that reported anyway come after the listed ones, as on the status board.
  const known = new Set(listed.map((u) => u.id));
  const others = await ctx.store.getUnits([...new Set(tops.map((t) => t.unit))].filter((id) => !known.has(id)));
  const units = [...listed, ...others.filter((u): u is UnitRecord => u !== null).sort((a, b) => a.order - b.order)];
  const pointers = new Map<string, CurrentPointer[]>(
    await mapLimit(units, 16, async (u) => [u.id, await ctx.store.listPointers(u.id, campaign.id)] as const),
  );
  const reporting = units.filter((u) => u.role === 'county' || (pointers.get(u.id) ?? []).length > 0);
  const figures = new Map(samples.map((s) => [s.round, sampleFigures(s)]));

  const perUnit = reporting.map((unit) => {
    const own = pointers.get(unit.id) ?? [];
    return {
      unit: unit.id,
      unitName: unit.name,
      rounds: rounds.map((round): UnitRoundProgress & { all: RoundStatus[] } => {
        const status = statusFor(unit, own, form.id, round);
        const used = own.find((p) => p.currentId === status.submissionId);
        const cases = used?.summary.rows ?? 0;
        const closed = used?.summary[closedValue] ?? 0;
        const sample = figures.get(round);
        return {
          round,
          status: status.status,
          cases,
          closed,
          closedRate: rate(closed, cases),
          callback: sample ? (sample.units.get(unit.id) ?? null) : null,
          all: formIds.map((f) => (f === form.id ? status.status : statusFor(unit, own, f, round).status)),
        };
      }),
    };
  });

  const progress = rounds.map((round, i): RoundProgress => {
    const states = perUnit.map((u) => u.rounds[i]);
    const reported = states.filter((s) => s.all.every((x) => x === 'ontime' || x === 'late')).length;
    const onTime = states.filter((s) => s.all.every((x) => x === 'ontime')).length;
    const cases = states.reduce((n, s) => n + s.cases, 0);
    const closed = states.reduce((n, s) => n + s.closed, 0);
    const forms = Object.fromEntries(
      formIds.map((f, k) => {
        const counts: Record<RoundStatus, number> = { ontime: 0, late: 0, carried: 0, missing: 0 };
        for (const s of states) counts[s.all[k]]++;
        return [f, counts];
      }),
    );
    return {
      round,
      deadline: dueDeadline(round, campaign.document.timeZone).toISOString(),
      units: states.length,
      reported,
      onTime,
      late: reported - onTime,
      missing: states.length - reported,
      forms,
      cases,
      closed,
      closedRate: rate(closed, cases),
      callback: figures.get(round)?.totals ?? null,
    };
  });

  return {
    campaign: campaign.id,
    campaignName: campaign.document.name,
    form: form.id,
    formTag: form.tag,
    closedValue,
    rounds: progress,
    units: perUnit.map((u) => ({ ...u, rounds: u.rounds.map(({ all: _all, ...r }) => r) })),
  };
}
