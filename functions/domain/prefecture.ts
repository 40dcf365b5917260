// Prefecture-wide views of one round: who reported (status board), the consolidated 附件1/附件2, statistics.
// One index Query lists every unit's top pointer (per unit and form: its newest round), which decides on-time /
// late / carried forward (沿用上期) / missing without touching any rows or older rounds.
import { campaignRounds, dueDeadline } from '../../forms/calendar';
import { diffLedger } from '../../forms/compare';
import type { FormId, FormRow } from '../../forms/types';
import {
  consolidatedFromWire,
  type ConsolidatedFujian2Row,
  type ConsolidatedResponse,
  type ConsolidatedWirePage,
  type LedgerSegment,
  type StatsResponse,
  type StatusResponse,
  type UnitRoundStatus,
  type UnitStats,
  type UnitContact,
} from '../../contract/api';
import type { Context } from '../context';
import { PAGE_BYTES } from '../http';
import { fillPage, PageRows, pageValue, type Page, type PageLimit } from '../page';
import { mapLimit } from '../store/retry';
import type { CampaignRecord, CurrentPointer, SubmissionHeader, UnitRecord } from '../store/types';
import { assertRound, defaultRound, formVersionFor, publishedCampaigns, takesPart } from './campaign';
import { chunksFrom, decodeCursor, encodeCursor, readChunks } from './read';
import { sumColumns } from './receipt';
import { reviewState } from './review';
import { Invalid, Malformed } from '../errors';
import { statusLedger } from './forms';

interface UnitPointers {
  unit: UnitRecord;
  pointers: CurrentPointer[];
}

/** The round asked for, or the next due one (the last round once the campaign is over). */
export function resolveRound(ctx: Context, campaign: CampaignRecord, round: string | undefined): string {
  if (!round) return defaultRound(campaign, ctx.now());
  assertRound(campaign, round);
  return round;
}

export function statusFor(
  unit: UnitRecord,
  pointers: readonly CurrentPointer[],
  form: FormId,
  round: string,
): UnitRoundStatus {
  const own = pointers.find((p) => p.form === form && p.round === round);
  const earlier = pointers
    .filter((p) => p.form === form && p.round < round)
    .sort((a, b) => b.round.localeCompare(a.round))[0];
  const used = own ?? earlier;
  return {
    unit: unit.id,
    unitName: unit.name,
    status: own ? (own.late ? 'late' : 'ontime') : earlier ? 'carried' : 'missing',
    submissionId: used?.currentId ?? null,
    round: used?.round ?? null,
    submittedAt: used?.submittedAt ?? null,
    contactName: used?.contactName ?? null,
    version: used?.version ?? null,
    rowCount: used?.rowCount ?? null,
    // Only the round's own submission is reviewed for this round; a carried one was reviewed in its own round.
    review: own ? reviewState(own) : null,
    ...(own?.review ? { reviewComment: own.review.comment, reviewedAt: own.review.at } : {}),
  };
}

/**
 * The campaign's reporting units (counties) plus any other of its units that reported something up to this
 * round: in the document's order, then units no document lists (they take part in every campaign). Each with the
 * pointers statusFor needs for `rounds` (per form: the current one of each round, else the one carried forward):
 * the top pointers (one item per unit and form) answer for every round at or after a unit's newest; only a unit
 * that has reported after a round asked for costs one more single-item Query for it.
 */
async function unitsWithPointers(
  ctx: Context,
  campaign: CampaignRecord,
  rounds: readonly string[],
): Promise<UnitPointers[]> {
  const [tops, units] = await Promise.all([ctx.store.listTopPointers(campaign.id), campaignUnits(ctx, campaign)]);
  const byUnit = new Map<string, CurrentPointer[]>();
  await mapLimit(tops, 16, async (top) => {
    const found = await Promise.all(
      rounds.map((round) =>
        top.round <= round ? top : ctx.store.pointerAtOrBefore(top.unit, campaign.id, top.form, round),
      ),
    );
    const own = byUnit.get(top.unit) ?? [];
    for (const p of found) if (p && !own.some((o) => o.currentId === p.currentId)) own.push(p);
    byUnit.set(top.unit, own);
  });
  // Units that reported but are not listed (they take part in every campaign) come after the listed ones.
  const known = new Set(units.map((u) => u.id));
  const others = (await ctx.store.getUnits([...byUnit.keys()].filter((id) => !known.has(id))))
    .filter((u): u is UnitRecord => u !== null)
    .sort((a, b) => a.order - b.order);
  return [...units, ...others]
    .map((unit) => ({ unit, pointers: byUnit.get(unit.id) ?? [] }))
    .filter((u) => u.unit.role === 'county' || u.pointers.length > 0);
}

/**
 * The units that take part in a campaign, the document's first in its order. A unit no document lists (added with
 * `unit add`, or dropped by its campaign) takes part in every campaign, so it is on every board and reminder list:
 * those come from the index of such units that each publication completes (functions/README.md, Partition keys),
 * checked against the campaigns; the document's units are read one by one. A table whose index no publication has
 * completed yet is read whole, as before the index.
 */
export async function campaignUnits(ctx: Context, campaign: CampaignRecord): Promise<UnitRecord[]> {
  const listed = campaign.document.units.map((u) => u.id);
  // The document's units are read beside the index, not after it (every page of a pull waits for them); a table
  // without the index reads them from its whole listing instead, and this read goes unused.
  const byId = ctx.store.getUnits(listed);
  byId.catch(() => undefined); // awaited below, or unused
  const [all, indexed] = await Promise.all([publishedCampaigns(ctx), ctx.store.listUnlistedUnits()]);
  const candidates = indexed ?? (await ctx.store.listUnits());
  const documentUnits = indexed
    ? (await byId).filter((u): u is UnitRecord => u !== null)
    : candidates.filter((u) => listed.includes(u.id));
  const others = candidates.filter((u) => !listed.includes(u.id) && takesPart(campaign, u.id, all));
  return [...documentUnits.sort((a, b) => listed.indexOf(a.id) - listed.indexOf(b.id)), ...others];
}

/** The units' registered contacts: one read per unit of the board (never every unit's of the table). */
async function contactsOf(ctx: Context, units: readonly UnitPointers[]): Promise<Map<string, UnitContact>> {
  const found = await mapLimit(units, 16, async ({ unit }) => [unit.id, await ctx.store.getContact(unit.id)] as const);
  return new Map(found.flatMap(([id, c]) => (c ? [[id, c] as const] : [])));
}

export async function statusBoard(
  ctx: Context,
  campaign: CampaignRecord,
  roundParam: string | undefined,
): Promise<StatusResponse> {
  const round = resolveRound(ctx, campaign, roundParam);
  const units = await unitsWithPointers(ctx, campaign, [round]);
  const contacts = await contactsOf(ctx, units);
  const forms = campaign.document.forms.map((f) => f.id as FormId);
  const board = units.map(({ unit, pointers }) => ({
    unit: unit.id,
    unitName: unit.name,
    contact: contacts.get(unit.id) ?? null,
    forms: Object.fromEntries(forms.map((f) => [f, statusFor(unit, pointers, f, round)])),
  }));
  // The office phones the contact of a late unit: the number is on the board, not only in a tooltip.
  await withSubmissionFacts(
    ctx,
    board.flatMap((u) => Object.values(u.forms)),
    pointersById(units),
  );
  return {
    campaign: campaign.id,
    round,
    deadline: dueDeadline(round, campaign.document.timeZone).toISOString(),
    units: board,
  };
}

const pointersById = (units: readonly UnitPointers[]): Map<string, CurrentPointer> =>
  new Map(units.flatMap(({ pointers }) => pointers.map((p) => [p.currentId, p] as const)));

/**
 * Adds 数据截至 and the contact's phone of each status's submission: from its pointer, or (pointers written before
 * they kept them) from its header.
 */
async function withSubmissionFacts(
  ctx: Context,
  statuses: UnitRoundStatus[],
  pointerOf: ReadonlyMap<string, CurrentPointer>,
): Promise<void> {
  const known = (id: string | null): CurrentPointer | undefined => {
    const pointer = id ? pointerOf.get(id) : undefined;
    return pointer?.asOf !== null && pointer?.contactPhone !== null ? pointer : undefined;
  };
  const ids = [...new Set(statuses.flatMap((s) => (s.submissionId && !known(s.submissionId) ? [s.submissionId] : [])))];
  const headers = new Map(
    (await mapLimit(ids, 16, (id) => ctx.store.getHeader(id))).flatMap((h) => (h ? [[h.id, h] as const] : [])),
  );
  for (const s of statuses) {
    const pointer = known(s.submissionId);
    const header = s.submissionId ? headers.get(s.submissionId) : undefined;
    s.asOf = pointer?.asOf ?? header?.asOf ?? null;
    s.contactPhone = pointer?.contactPhone ?? header?.contact.phone ?? null;
  }
}

/** A place in the consolidated ledger: row `r` of the unit at index `u` of the round's reporting units. */
interface LedgerPlace {
  /** Index into the round's reporting units (a fallback: `unit` decides when present). */
  u: number;
  /** Rows of that unit before this place. */
  r: number;
  /**
   * The unit and, when the place splits it, the submission its rows come from. A unit that reports between two
   * page requests must neither shift a page onto another unit's rows nor mix two versions of one unit:
   * submissions are immutable, so both sides of a split unit are read from the same one.
   */
  unit?: string;
  id?: string;
}

interface Fujian1Cursor extends LedgerPlace {
  /** Rows of all units before this place (序号 continues from here). */
  s: number;
  /** Where the range of rows this cursor reads ends (a range planned on the first page); absent: the table's end. */
  e?: LedgerPlace;
}

const isCount = (v: unknown): boolean => Number.isInteger(v) && (v as number) >= 0;
const isOptionalText = (v: unknown): boolean => v === undefined || typeof v === 'string';
const isPlace = (v: unknown): v is LedgerPlace =>
  typeof v === 'object' &&
  v !== null &&
  isCount((v as LedgerPlace).u) &&
  isCount((v as LedgerPlace).r) &&
  isOptionalText((v as LedgerPlace).unit) &&
  isOptionalText((v as LedgerPlace).id);
const isFujian1Cursor = (v: unknown): v is Fujian1Cursor =>
  isPlace(v) &&
  isCount((v as Fujian1Cursor).s) &&
  ((v as Fujian1Cursor).e === undefined || isPlace((v as Fujian1Cursor).e));

/** Where a place lies in the reporting units as they stand now: by its unit, else by its index. */
const indexOf = (reporting: readonly UnitRoundStatus[], place: LedgerPlace): number => {
  const found = place.unit === undefined ? -1 : reporting.findIndex((s) => s.unit === place.unit);
  return found >= 0 ? found : place.u;
};

/** Bytes of JSON a row of the pointer's submission takes, on average (a guess for pointers that keep none). */
const perRowBytes = (pointer: CurrentPointer | undefined): number =>
  pointer?.bytes ? pointer.bytes / Math.max(1, pointer.rowCount) : 1000;

/** Rows planned into one range of a pull: this share of a page's budget, so that a range is mostly one page. */
const RANGE_SHARE = 0.9;

/**
 * The ranges of the ledger from `start` to its end, each about one page (`budget` bytes of JSON), as cursors a
 * client may fetch at the same time: planned from the pointers' row counts and bytes, split between units or at
 * a stored chunk's boundary. A range that turns out larger than a page continues with its own `next`.
 */
function planRanges(
  reporting: readonly UnitRoundStatus[],
  pointerOf: ReadonlyMap<string, CurrentPointer>,
  start: Fujian1Cursor,
  budget: number,
): Fujian1Cursor[] {
  const starts: Fujian1Cursor[] = [start];
  let weight = 0;
  let seq = start.s;
  const from = indexOf(reporting, start);
  for (let j = from; j < reporting.length; j++) {
    const s = reporting[j];
    const first = j === from;
    const pointer = pointerOf.get(s.submissionId!);
    const rowCount = pointer?.rowCount ?? s.rowCount ?? 0;
    const perRow = perRowBytes(pointer);
    // A unit splits only where its pointer says a chunk ends (a pinned older submission: not at all).
    const pinned = first && start.id !== undefined && start.id !== s.submissionId;
    const chunks = pointer?.chunks && !pinned ? pointer.chunks : [rowCount];
    let end = 0;
    for (const count of chunks) {
      const chunkStart = end;
      end += count;
      const rows = end - Math.max(chunkStart, first ? start.r : 0);
      if (rows <= 0) continue;
      if (weight > 0 && weight + rows * perRow > budget) {
        const split = chunkStart > 0 ? { id: s.submissionId! } : {};
        starts.push({ u: j, r: chunkStart, s: seq, unit: s.unit, ...split });
        weight = 0;
      }
      weight += rows * perRow;
      seq += rows;
    }
  }
  return starts.map((place, k) => {
    const next = starts[k + 1];
    return next
      ? { ...place, e: { u: next.u, r: next.r, unit: next.unit, ...(next.id ? { id: next.id } : {}) } }
      : place;
  });
}

/**
 * One page of the consolidated table as sent (ConsolidatedWirePage). `limit` bounds the page's rows (default
 * PAGE_BYTES of JSON; Infinity = all rows at once, for in-process callers such as the .xlsx export). The first
 * page of a ledger that has more also names `ranges`: cursors of the rest, which a client may fetch at once.
 */
export async function consolidatedPage(
  ctx: Context,
  campaign: CampaignRecord,
  form: FormId,
  roundParam: string | undefined,
  cursor: string | undefined,
  limit: PageLimit = PAGE_BYTES,
): Promise<Page<ConsolidatedWirePage>> {
  const round = resolveRound(ctx, campaign, roundParam);
  // Laid out as the version of the form that applies to the round (a form the campaign lacks: 404).
  const [{ form: definition }, units] = await Promise.all([
    formVersionFor(ctx, campaign, form, round, { in: 'path' }),
    unitsWithPointers(ctx, campaign, [round]),
  ]);
  const statuses = units.map(({ unit, pointers }) => statusFor(unit, pointers, form, round));
  const reporting = statuses.filter((s) => s.submissionId !== null);
  // Each unit's 数据截至 dates the consolidated table's note. Clients keep the first page's units (from the
  // pointers; a header read for older ones); later pages of a ledger send rows only, so their units carry no
  // 数据截至 or phone. Read while the rows are, and awaited before the page is answered.
  const pointerOf = pointersById(units);
  const facts = cursor === undefined ? withSubmissionFacts(ctx, statuses, pointerOf) : Promise.resolve();
  facts.catch(() => undefined);

  if (definition.kind === 'summary') {
    const perUnit = await mapLimit(reporting, 16, async (s) => ({
      s,
      rows: (await ctx.store.getRows(s.submissionId!)) as FormRow[],
    }));
    const unitKey = definition.unitColumn?.key;
    const rows: ConsolidatedFujian2Row[] = perUnit.map(({ s, rows: unitRows }) => ({
      ...sumColumns(definition, unitRows),
      // The name of the unit that sent it, never the text typed in its unit column.
      ...(unitKey ? { [unitKey]: s.unitName } : {}),
      unitId: s.unit,
      unitName: s.unitName,
      status: s.status,
    }));
    await facts;
    return {
      fields: { campaign: campaign.id, form, round, units: statuses, totals: sumColumns(definition, rows), next: null },
      rows: PageRows.of(rows),
    };
  }

  // Totals from the pointers' summaries: identical on every page without reading any rows.
  const totals: Record<string, number> = { rows: 0 };
  for (const v of definition.status?.column.choices ?? []) totals[v] = 0;
  for (const [i, { pointers }] of units.entries()) {
    const used = pointers.find((p) => p.currentId === statuses[i].submissionId);
    for (const [k, v] of Object.entries(used?.summary ?? {})) totals[k] = (totals[k] ?? 0) + v;
  }

  const at = decodeCursor(cursor, isFujian1Cursor) ?? { u: 0, r: 0, s: 0 };
  const rows = new PageRows(limit);
  const segments: LedgerSegment[] = [];
  let next: Fujian1Cursor | null = null;
  let u = indexOf(reporting, at);
  let skip = at.r;
  let seq = at.s;
  // The range ends before row `endRow` of the unit at `endAt` (the table's end when the cursor names none).
  const endAt = at.e ? indexOf(reporting, at.e) : reporting.length;
  const endRow = at.e?.r ?? 0;
  const lastUnit = endRow > 0 ? Math.min(endAt, reporting.length - 1) : endAt - 1;
  // Where a submission's rows lie: from its pointer (no read), else from its header (pointers written earlier, or
  // a split unit's earlier submission named by the cursor, which must be that unit's, of this form and campaign).
  const layoutOf = async (
    id: string,
    unit: string,
  ): Promise<Pick<SubmissionHeader, 'id' | 'chunks' | 'rowCount'> | null> => {
    const pointer = pointerOf.get(id);
    if (pointer?.chunks && pointer.unit === unit) return { id, chunks: pointer.chunks, rowCount: pointer.rowCount };
    const header = await ctx.store.getHeader(id);
    if (header && (header.unit !== unit || header.form !== form || header.campaign !== campaign.id))
      throw new Malformed('翻页参数 cursor 无效。请从第一页重新读取。', { code: 'bad_cursor' });
    return header;
  };
  // Pages are planned in bytes of JSON; stored text compresses about 3.5× (level 4), which converts a page counted
  // in compressed bytes.
  const asJson = (weight: number): number => (rows.compressed ? weight * 3.5 : weight);
  const budget = asJson(typeof limit === 'object' ? limit.compressed : limit);
  // Bytes of JSON the page's rows stand for (by the pointers), to size the ranges planned after it.
  let jsonSent = 0;
  outer: while (u <= lastUnit) {
    // Plan from the pointers' byte counts which units this page needs, then read exactly those in parallel.
    const batch: UnitRoundStatus[] = [];
    for (let j = u, estimate = asJson(rows.weight); j <= lastUnit && (batch.length === 0 || estimate < budget); j++) {
      const s = reporting[j];
      const pointer = pointerOf.get(s.submissionId!);
      const count = (j === endAt ? endRow : (pointer?.rowCount ?? s.rowCount ?? 0)) - (j === u ? skip : 0);
      estimate += count * perRowBytes(pointer);
      batch.push(s);
    }
    // Both sides of a split unit are read from the same submission, from the chunk holding the first row wanted
    // to the one holding the last.
    const ids = batch.map((s, i) =>
      i === 0 && skip > 0 && at.id ? at.id : u + i === endAt && at.e?.id ? at.e.id : s.submissionId!,
    );
    const layouts = await mapLimit(batch, 8, (s, i) => layoutOf(ids[i], s.unit));
    const loaded = await readChunks(
      ctx,
      layouts.map((layout, i) =>
        layout
          ? chunksFrom(layout, i === 0 ? skip : 0, u + i === endAt ? endRow : Infinity)
          : { id: ids[i], from: 0, counts: [], skip: 0, rows: 0 },
      ),
    );
    for (let i = 0; i < batch.length; i++, u++) {
      const expected = loaded[i].rows ?? 0;
      const taken = await fillPage(rows, loaded[i]);
      if (taken > 0) {
        const { unit, unitName, status } = batch[i];
        segments.push({ unit, unitName, status, rows: taken, firstSeq: seq + 1 });
        jsonSent += taken * perRowBytes(pointerOf.get(batch[i].submissionId!));
      }
      seq += taken;
      if (taken < expected) {
        next = { u, r: skip + taken, s: seq, unit: batch[i].unit, id: ids[i], ...(at.e ? { e: at.e } : {}) };
        break outer;
      }
      skip = 0;
    }
  }
  // The first page plans the rest as ranges a client may fetch at the same time (each continues with its `next`),
  // each about a page: a compressed page's rows stand for as much JSON as this one's did.
  const rangeBytes =
    rows.compressed && rows.weight > 0 && jsonSent > 0 ? (budget / asJson(rows.weight)) * jsonSent : budget;
  const ranges = cursor === undefined && next ? planRanges(reporting, pointerOf, next, rangeBytes * RANGE_SHARE) : null;
  await facts;
  return {
    fields: {
      campaign: campaign.id,
      form,
      round,
      units: statuses,
      totals,
      next: next ? encodeCursor(next) : null,
      ...(ranges ? { ranges: ranges.map(encodeCursor) } : {}),
      serial: definition.serial?.key ?? null,
      segments,
    },
    rows,
  };
}

/** The same page as a plain object, consolidated (in-process callers such as the .xlsx export). */
export async function consolidated(
  ctx: Context,
  campaign: CampaignRecord,
  form: FormId,
  round: string | undefined,
  cursor: string | undefined,
  limit: PageLimit = PAGE_BYTES,
): Promise<ConsolidatedResponse> {
  return consolidatedFromWire(await pageValue(await consolidatedPage(ctx, campaign, form, round, cursor, limit)));
}

export async function stats(
  ctx: Context,
  campaign: CampaignRecord,
  roundParam: string | undefined,
): Promise<StatsResponse> {
  const round = resolveRound(ctx, campaign, roundParam);
  const rounds = campaignRounds(campaign.document);
  const previousRound = rounds[rounds.indexOf(round) - 1] ?? null;
  const units = await unitsWithPointers(ctx, campaign, previousRound ? [round, previousRound] : [round]);
  const contacts = await contactsOf(ctx, units);
  // The statistics follow the cases of the ledger form that has a status column (附件1 是否办结).
  const form = statusLedger(campaign);
  if (!form)
    throw new Invalid(
      `专项行动“${campaign.document.name}”没有标明办理状态(status)的台账表,无法统计办结情况。可下载各表的汇总表查看。`,
    );
  const { column: statusColumn, closed } = form.status!;
  const emptyCounts = () => Object.fromEntries((statusColumn.choices ?? []).map((v) => [v, 0]));
  const perUnit = await mapLimit(units, 16, async ({ unit, pointers }): Promise<UnitStats> => {
    const now = statusFor(unit, pointers, form.id, round);
    const before = previousRound ? statusFor(unit, pointers, form.id, previousRound) : null;
    const rowsNow = now.submissionId ? ((await ctx.store.getRows(now.submissionId)) as FormRow[]) : [];
    const rowsBefore =
      before?.submissionId && before.submissionId !== now.submissionId
        ? ((await ctx.store.getRows(before.submissionId)) as FormRow[])
        : null;
    const diff = rowsBefore ? diffLedger(form, rowsBefore, rowsNow) : null;
    const byClosure = emptyCounts();
    for (const row of rowsNow) byClosure[String(row[statusColumn.key])]++;
    return {
      unit: unit.id,
      unitName: unit.name,
      contact: contacts.get(unit.id) ?? null,
      status: now.status,
      rows: rowsNow.length,
      byClosure,
      closedRate: rowsNow.length ? byClosure[closed] / rowsNow.length : 0,
      rebounds: diff?.rebounds.length ?? 0,
      changesSinceLastRound: {
        added: diff?.added.length ?? 0,
        changed: diff?.changed.length ?? 0,
        newlyClosed: diff?.newlyClosed.length ?? 0,
        removed: diff?.removed.length ?? 0,
      },
    };
  });
  const totals: StatsResponse['totals'] = {
    rows: 0,
    byClosure: emptyCounts(),
    closedRate: 0,
    rebounds: 0,
    changesSinceLastRound: { added: 0, changed: 0, newlyClosed: 0, removed: 0 },
  };
  for (const s of perUnit) {
    totals.rows += s.rows;
    for (const v of statusColumn.choices ?? []) totals.byClosure[v] += s.byClosure[v];
    totals.rebounds += s.rebounds;
    for (const k of ['added', 'changed', 'newlyClosed', 'removed'] as const)
      totals.changesSinceLastRound[k] += s.changesSinceLastRound[k];
  }
  totals.closedRate = totals.rows ? totals.byClosure[closed] / totals.rows : 0;
  return { campaign: campaign.id, round, previousRound, units: perUnit, totals };
}
