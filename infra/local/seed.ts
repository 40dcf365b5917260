// First-run data of the embedded stack: the 黄南州 units, the 2019 campaign and one demo token per unit.
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { HUANGNAN_2019 } from '../../forms/calendar';
import type { Role } from '../../contract/api';
import { hashToken, issueToken } from '../../functions/auth';
import type { Store, UnitRecord } from '../../functions/store/types';

export const SEED_UNITS: Pick<UnitRecord, 'id' | 'name' | 'role'>[] = [
  { id: 'huangnan', name: '黄南州', role: 'prefecture' },
  { id: 'tongren', name: '同仁县', role: 'county' },
  { id: 'jianzha', name: '尖扎县', role: 'county' },
  { id: 'zeku', name: '泽库县', role: 'county' },
  { id: 'henan', name: '河南蒙古族自治县', role: 'county' },
];

/** The prefecture unit the admin token belongs to. */
const ADMIN_UNIT = 'huangnan';

/** Seeds units and campaign when the store has no units yet. Returns true when it did. */
export async function seedUnits(store: Store, now = new Date()): Promise<boolean> {
  if ((await store.listUnits()).length > 0) return false;
  await store.putCampaign({ ...HUANGNAN_2019, dueDays: [...HUANGNAN_2019.dueDays] });
  for (const [order, unit] of SEED_UNITS.entries())
    await store.createUnit({ ...unit, order, createdAt: now.toISOString() });
  return true;
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
