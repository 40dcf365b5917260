// Nothing left behind forever (issue 12): a server killed (SIGKILL) after writing a submission's rows and before
// committing it leaves chunks — more than DynamoDB TTL would ever delete, and DynamoDB Local deletes none — and the
// sweep removes all of them, leaving committed submissions alone. A commit racing the sweep of its rows fails.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMPRESSED_BODY_TYPE } from '../../contract/api';
import { issueToken } from '../../functions/auth';
import { submit } from '../../functions/domain/submit';
import { SWEEP_GRACE_MS } from '../../functions/domain/sweep';
import { freshStore, startDynamoLocal, storedChunks, type DynamoLocal } from '../../test/support/dynamo';
import { fujian1Rows } from '../../test/support/rows';
import { seedCampaigns } from './seed';

const root = join(import.meta.dirname, '..', '..');
let dynamo: DynamoLocal;

beforeAll(async () => {
  dynamo = await startDynamoLocal();
});
afterAll(async () => {
  await dynamo?.stop();
});

const body = (rows: unknown[]) => ({
  form: 'fujian1',
  round: '2019-11-04',
  asOf: '2019-11-03',
  contact: { name: '才让', phone: '13800000000' },
  rows,
});

describe('rows of a submission that never commits', () => {
  it('are swept after a server is killed between the row writes and the commit, whatever their size', async () => {
    const { store, client, tableName } = await freshStore(dynamo.endpoint);
    await seedCampaigns(store);
    const { token, record } = await issueToken(store, 'tongren', 'county');
    const ctx = { store, now: () => new Date('2019-11-04T10:00:00+08:00'), log: () => {} };
    const caller = { tokenId: record.id, role: record.role, unit: (await store.getUnit('tongren'))! };
    const kept = await submit(ctx, caller, body(fujian1Rows(50)) as never, 'before-crash');

    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'test/support/crash-server.ts', dynamo.endpoint, tableName],
      { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const died = new Promise<string | null>((done) => child.on('exit', (_code, signal) => done(signal)));
    const port = await new Promise<number>((done, fail) => {
      let out = '';
      child.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /port (\d+)/.exec(out);
        if (m) done(Number(m[1]));
      });
      child.on('exit', () => fail(new Error(`crash server exited early: ${out}`)));
    });
    // 12,000 rows of real text: 13 chunks, more than the leading run that carries a TTL.
    const answered = await fetch(`http://127.0.0.1:${port}/v1/submissions`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': COMPRESSED_BODY_TYPE,
        'content-encoding': 'gzip',
        'idempotency-key': 'crash-1',
      },
      body: gzipSync(JSON.stringify(body(fujian1Rows(12_000)))),
    }).then(
      (res) => `answered ${res.status}`,
      () => 'connection lost',
    );
    expect(answered).toBe('connection lost');
    expect(await died).toBe('SIGKILL');

    const left = [...(await storedChunks(client, tableName)).entries()].filter(([, s]) => !s.committed);
    expect(left).toHaveLength(1);
    const [leftId, leftover] = left[0];
    expect(leftover.pending).toBe(true);
    expect(leftover.expiresAt.length).toBeGreaterThan(10);
    // Chunks past the leading run carry no TTL: without the sweep they would stay for ever.
    expect(leftover.expiresAt.filter((at) => at === null).length).toBeGreaterThan(0);
    expect((await store.listHeaders('tongren')).map((h) => h.id)).toEqual([kept.id]);

    // Within the grace period a submit may still be running: the sweep leaves it.
    expect(await store.sweepUncommitted(new Date(Date.now() - SWEEP_GRACE_MS))).toEqual({ submissions: 0, chunks: 0 });
    // Once it has passed (the local stack sweeps at start and after submits), everything of it goes.
    expect(await store.sweepUncommitted(new Date(Date.now() + 1000))).toEqual({
      submissions: 1,
      chunks: leftover.expiresAt.length,
    });
    const after = await storedChunks(client, tableName);
    expect([...after.keys()]).toEqual([kept.id]);
    expect(after.has(leftId)).toBe(false);
    expect(await store.getRows(kept.id)).toHaveLength(50);
    client.destroy();
  }, 300_000);

  it('a commit that comes after the sweep took its rows fails instead of publishing missing rows', async () => {
    const { store, client } = await freshStore(dynamo.endpoint);
    await seedCampaigns(store);
    const { record } = await issueToken(store, 'zeku', 'county');
    const caller = { tokenId: record.id, role: record.role, unit: (await store.getUnit('zeku'))! };
    let swept = false;
    // The sweep runs between the row writes and the commit (as if the submit had hung for an hour).
    const slow = Object.create(store) as typeof store;
    slow.commit = async (input) => {
      swept = (await store.sweepUncommitted(new Date(Date.now() + 1000))).submissions === 1;
      return store.commit(input);
    };
    const ctx = { store: slow, now: () => new Date('2019-11-04T10:00:00+08:00'), log: () => {} };
    await expect(submit(ctx, caller, body(fujian1Rows(20)) as never, 'late-commit')).rejects.toThrow(/missing/);
    expect(swept).toBe(true);
    expect(await store.listHeaders('zeku')).toEqual([]);
    expect(await store.getPointer('zeku', 'huangnan-2019', 'fujian1', '2019-11-04')).toBeNull();
    client.destroy();
  });
});
