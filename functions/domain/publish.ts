// Publishing a campaign document (DESIGN §9): checked whole (every mistake listed), then written in one
// transaction — the campaign's new revision and the form versions it introduces — so nothing is half-published.
// A form whose spec changed gets a new immutable version that applies from the round after the one now open;
// an unchanged form keeps its version.
import { campaignRounds, nextDueRound } from '../../forms/calendar';
import { parseCampaignDocument, type CampaignDocument, type DocumentIssue, type FormSpec } from '../../forms/campaign';
import type { Store, CampaignRecord, FormVersionRecord, UnitRecord } from '../store/types';
import { zoneDate } from './time';

export type PublishOutcome =
  | {
      ok: true;
      campaign: CampaignRecord;
      published: FormVersionRecord[];
      unchanged: string[];
      createdUnits: string[];
    }
  | { ok: false; issues: DocumentIssue[] };

/** Publications that lose a race with another one read the new revision and try again, this many times. */
const MAX_ATTEMPTS = 5;

/** JSON with object keys sorted: two specs are the same form exactly when these texts are equal. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)))
      : v,
  );
}

/**
 * The first round a changed form applies to: the one after the round now open, so a clerk already filling the
 * open round with the old form is not caught out; every round while the campaign has not started ('').
 * Null when there is no such round.
 */
export function changeAppliesFrom(doc: CampaignDocument, now: Date): string | null {
  if (zoneDate(now, doc.timeZone) < doc.window.start) return '';
  const open = nextDueRound(doc, now);
  if (open === null) return null;
  return campaignRounds(doc).find((r) => r > open) ?? null;
}

/** Checks and publishes a campaign document (already parsed from JSON). */
export async function publishCampaign(store: Store, json: unknown, now: Date): Promise<PublishOutcome> {
  const parsed = parseCampaignDocument(json);
  if (!parsed.ok) return { ok: false, issues: parsed.issues };
  const doc = parsed.campaign;

  const units = await store.listUnits();
  const roleIssues = doc.units.flatMap((u, i): DocumentIssue[] => {
    const known = units.find((k) => k.id === u.id);
    return known && known.role !== u.role
      ? [
          {
            path: `units[${i}].role`,
            message: `单位「${u.id}」在系统中是 ${known.role}(${known.name}),不能改为 ${u.role}:请改正,或换一个单位编号`,
          },
        ]
      : [];
  });
  if (roleIssues.length > 0) return { ok: false, issues: roleIssues };

  for (let attempt = 0; ; attempt++) {
    const publishedAt = now.toISOString();
    const existing = await store.getCampaign(doc.id);
    const versions = existing ? await store.listFormVersions(doc.id) : [];
    const newVersions: FormVersionRecord[] = [];
    const unchanged: string[] = [];
    const issues: DocumentIssue[] = [];
    const current = doc.forms.map((spec: FormSpec, i): { id: string; version: number } => {
      const mine = versions.filter((v) => v.form === spec.id);
      const latest = mine.reduce<FormVersionRecord | null>((a, v) => (a && a.version > v.version ? a : v), null);
      if (latest && canonicalJson(latest.spec) === canonicalJson(spec)) {
        unchanged.push(spec.id);
        return { id: spec.id, version: latest.version };
      }
      const validFrom = latest ? changeAppliesFrom(doc, now) : '';
      if (validFrom === null) {
        issues.push({
          path: `forms[${i}]`,
          message: `「${spec.tag}」与已发布的第 ${latest!.version} 版不同,但本专项行动已没有下一轮报送,修改不会用于任何一轮:请撤回对此表的修改`,
        });
        return { id: spec.id, version: latest!.version };
      }
      const version = (latest?.version ?? 0) + 1;
      newVersions.push({ campaign: doc.id, form: spec.id, version, validFrom, spec, publishedAt });
      return { id: spec.id, version };
    });
    if (issues.length > 0) return { ok: false, issues };

    // Units the store does not know yet are created first: alone they are harmless (no campaign lists them
    // until the transaction below goes through), and they are what tokens are issued for.
    const createdUnits = await createMissingUnits(store, doc, now);
    // The boards find units no document lists through an index, completed before the revision goes in: a unit this
    // revision drops is in it before a board stops finding it through the document (a failed publication leaves
    // only entries that boards check against the campaigns and pass over).
    await store.indexUnlisted(await unlistedUnits(store, doc));
    const campaign: CampaignRecord = {
      id: doc.id,
      document: doc,
      revision: (existing?.revision ?? 0) + 1,
      publishedAt,
      forms: current,
    };
    if (await store.publishCampaign({ campaign, newVersions })) {
      return { ok: true, campaign, published: newVersions, unchanged, createdUnits };
    }
    if (attempt + 1 >= MAX_ATTEMPTS) throw new Error(`campaign ${doc.id}: publication kept losing to others`);
  }
}

async function createMissingUnits(store: Store, doc: CampaignDocument, now: Date): Promise<string[]> {
  const units = await store.listUnits();
  let order = units.reduce((max, u) => Math.max(max, u.order), -1);
  const created: string[] = [];
  for (const u of doc.units) {
    if (units.some((k) => k.id === u.id)) continue;
    const record: UnitRecord = { id: u.id, name: u.name, role: u.role, order: ++order, createdAt: now.toISOString() };
    if (await store.createUnit(record, { listed: true })) created.push(u.id);
  }
  return created;
}

/** The table's units that neither `doc` nor another published campaign lists. */
async function unlistedUnits(store: Store, doc: CampaignDocument): Promise<UnitRecord[]> {
  const [units, campaigns] = await Promise.all([store.listUnits(), store.listCampaigns()]);
  const named = new Set(
    [...campaigns.filter((c) => c.id !== doc.id).map((c) => c.document), doc].flatMap((d) => d.units.map((u) => u.id)),
  );
  return units.filter((u) => !named.has(u.id));
}
