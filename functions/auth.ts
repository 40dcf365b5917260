// Bearer tokens: 32 random bytes (base64url) handed out once; the store keeps only their SHA-256 hash, scoped
// to one unit and one role. A lookup by hash needs no constant-time compare of secrets.
import { createHash, randomBytes } from 'node:crypto';
import type { Role } from '../contract/api';
import type { Context } from './context';
import { Unauthenticated } from './errors';
import type { Store, TokenRecord, UnitRecord } from './store/types';

export interface Caller {
  tokenId: string;
  role: Role;
  unit: UnitRecord;
}

export const hashToken = (token: string): string => createHash('sha256').update(token, 'utf8').digest('hex');

/** Creates and stores a token; the secret is returned once and never stored. */
export async function issueToken(
  store: Store,
  unit: string,
  role: Role,
  now = new Date(),
): Promise<{ token: string; record: TokenRecord }> {
  const token = randomBytes(32).toString('base64url');
  const record: TokenRecord = {
    id: `tok_${randomBytes(6).toString('hex')}`,
    hash: hashToken(token),
    unit,
    role,
    createdAt: now.toISOString(),
    revoked: false,
  };
  await store.putToken(record);
  return { token, record };
}

const unauthorized = (message: string): Unauthenticated => new Unauthenticated(message);

/** The caller behind an `Authorization: Bearer <token>` header (functions/http.ts, once per request). */
export async function authenticate(authorization: string | undefined, ctx: Context): Promise<Caller> {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  if (!match) throw unauthorized('缺少访问令牌。请在加载项“连接”页填写管理员发给本单位的令牌。');
  const record = await ctx.store.getTokenByHash(hashToken(match[1]));
  if (!record) throw unauthorized('访问令牌无效。请核对令牌是否完整,或向管理员申请新的令牌。');
  if (record.revoked) throw unauthorized('访问令牌已被吊销。请向管理员申请新的令牌。');
  const unit = await ctx.store.getUnit(record.unit);
  if (!unit) throw unauthorized('令牌所属的单位已不存在。请联系管理员。');
  return { tokenId: record.id, role: record.role, unit };
}

/** Prefecture and admin tokens act beyond their own unit (which units: domain/campaign.ts mayRead). */
export const seesAllUnits = (caller: Caller): boolean => caller.role === 'prefecture' || caller.role === 'admin';
