// Units made for one test, so tests sharing a stack do not see each other's submissions.
import { randomBytes } from 'node:crypto';
import { issueToken } from '../../functions/auth';
import type { Store } from '../../functions/store/types';

/** A county of its own, with a token. */
export async function newCounty(store: Store, name = '测试县'): Promise<{ id: string; token: string }> {
  const id = `c${randomBytes(4).toString('hex')}`;
  await store.createUnit({ id, name, role: 'county', order: 100, createdAt: new Date().toISOString() });
  return { id, token: (await issueToken(store, id, 'county')).token };
}
