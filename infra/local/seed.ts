// First-run data of the embedded stack: the 2019 黄南州 campaign (its units with it), the demo campaign around
// today with its submissions (infra/local/demo.ts), and one demo token per unit.
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { formatDocumentIssues, HUANGNAN_2019_DOCUMENT } from '../../forms/campaign';
import type { Role } from '../../contract/api';
import { hashToken, issueToken } from '../../functions/auth';
import { publishCampaign } from '../../functions/domain/publish';
import type { Store } from '../../functions/store/types';
import { DEMO_CAMPAIGN_ID, demoCampaignDocument, seedDemoSubmissions } from './demo';

/** The units demo tokens are issued for: those of the 2019 campaign. */
export const SEED_UNITS = HUANGNAN_2019_DOCUMENT.units.map(({ id, name, role }) => ({ id, name, role }));

/** The prefecture unit the admin token belongs to. */
const ADMIN_UNIT = 'huangnan';

async function publishShipped(store: Store, document: unknown, now: Date): Promise<void> {
  const outcome = await publishCampaign(store, document, now);
  if (!outcome.ok) throw new Error(`内置专项行动文件有误:\n${formatDocumentIssues(outcome.issues)}`);
}

/**
 * Publishes the 2019 campaign (creating its units) unless the store has it, and, with `demo`, the demo
 * campaign with its submissions unless the store has that. Returns true when it published anything.
 */
export async function seedCampaigns(store: Store, opts: { now?: Date; demo?: boolean } = {}): Promise<boolean> {
  const now = opts.now ?? new Date();
  let seeded = false;
  if (!(await store.getCampaign(HUANGNAN_2019_DOCUMENT.id))) {
    await publishShipped(store, HUANGNAN_2019_DOCUMENT, now);
    seeded = true;
  }
  if (opts.demo && !(await store.getCampaign(DEMO_CAMPAIGN_ID))) {
    await publishShipped(store, demoCampaignDocument(now), now);
    await seedDemoSubmissions(store, now);
    seeded = true;
  }
  return seeded;
}

async function stillValid(store: Store, tokens: Record<string, string>): Promise<boolean> {
  const wanted = [...SEED_UNITS.map((u) => u.id), 'admin'];
  if (!wanted.every((k) => typeof tokens[k] === 'string')) return false;
  const records = await Promise.all(wanted.map((k) => store.getTokenByHash(hashToken(tokens[k]))));
  return records.every((r) => r !== null && !r.revoked);
}

/**
 * The demo tokens: those in `tokensFile` when they still work (a restart keeps them), otherwise new ones,
 * written to `tokensFile` as {"<unit id>": "<token>", "admin": "<token>"}.
 */
export async function demoTokens(store: Store, tokensFile?: string): Promise<Record<string, string>> {
  if (tokensFile && existsSync(tokensFile)) {
    chmodSync(tokensFile, 0o600);
    try {
      const saved = JSON.parse(readFileSync(tokensFile, 'utf8')) as Record<string, string>;
      if (await stillValid(store, saved)) return saved;
    } catch {
      // unreadable file: issue new tokens below
    }
  }
  const tokens: Record<string, string> = {};
  for (const unit of SEED_UNITS) {
    if (!(await store.getUnit(unit.id))) continue;
    tokens[unit.id] = (await issueToken(store, unit.id, unit.role as Role)).token;
  }
  tokens.admin = (await issueToken(store, ADMIN_UNIT, 'admin')).token;
  if (tokensFile) {
    mkdirSync(dirname(tokensFile), { recursive: true });
    writeFileSync(tokensFile, JSON.stringify(tokens, null, 2) + '\n', { mode: 0o600 });
    // `mode` applies only when the file is created; one left by an older version may be readable by others.
    chmodSync(tokensFile, 0o600);
  }
  return tokens;
}
