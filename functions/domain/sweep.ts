// Rows of submissions that never committed (a crash between rows and commit, a 409, a lost race) are deleted by a
// sweep, whatever their size (functions/README.md, Consistency). It runs where the platform gives us a turn: after
// a successful submit, at most once per SWEEP_EVERY_MS per process (one index Query that usually finds nothing),
// and when the local stack starts. DynamoDB TTL alone is not enough: only a leading run of chunks carries
// `expiresAt`, and DynamoDB Local never deletes by TTL.
import type { Context } from '../context';

/** A submission still writing after this long has died: its rows are swept. Submits take seconds. */
export const SWEEP_GRACE_MS = 60 * 60 * 1000;
const SWEEP_EVERY_MS = 10 * 60 * 1000;
let lastSweep = 0;

/** Sweeps rows of submissions started before now − grace (wall clock, like the markers); never throws. */
export async function sweepAbandonedRows(ctx: Context, wallNow = Date.now()): Promise<void> {
  try {
    const result = await ctx.store.sweepUncommitted(new Date(wallNow - SWEEP_GRACE_MS));
    if (result.submissions > 0) ctx.log({ level: 'info', event: 'swept', ...result });
  } catch (err) {
    ctx.log({ level: 'warn', event: 'sweep_failed', error: (err as Error).name });
  }
}

/** After a submit: a sweep when none ran in this process for SWEEP_EVERY_MS. */
export async function sweepNowAndThen(ctx: Context): Promise<void> {
  const now = Date.now();
  if (now - lastSweep < SWEEP_EVERY_MS) return;
  lastSweep = now;
  await sweepAbandonedRows(ctx, now);
}
