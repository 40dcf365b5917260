// One retry policy for every DynamoDB call of a request, bounded by the time the request has left.
//
// A request runs under a deadline: on Lambda the invocation's getRemainingTimeInMillis(), locally a budget like
// API Gateway's (29 s). The SDK's own retries (throttling, 5xx, timeouts; deadlineRetryStrategy below) and ours
// (BatchWriteItem leftovers, commit races: pauseBeforeRetry) wait only while the wait plus one more request
// (RETRY_POLICY.requestTimeoutMs, the SDK's per-request timeout) still leave RETRY_POLICY.answerReserveMs to
// answer. Past that the request ends with RetryBudgetSpent, which the handlers answer with 503 + Retry-After in
// Chinese well before API Gateway's 30 s; the add-in retries with the same Idempotency-Key, so nothing is doubled.
// Full jitter keeps concurrent writers from retrying in lockstep.
import { AsyncLocalStorage } from 'node:async_hooks';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { RetryErrorInfo, RetryStrategyV2, RetryToken } from '@smithy/types';

export const RETRY_POLICY = {
  /** The SDK gives up on one request after this long (then it is retried like any transient failure). */
  requestTimeoutMs: 4_000,
  connectionTimeoutMs: 1_000,
  /** Kept free at the end for the answer itself (and a Lambda that has been throttled on CPU). */
  answerReserveMs: 3_000,
  /** The budget of a request outside Lambda: API Gateway's HTTP API integration timeout is 30 s. */
  localBudgetMs: 29_000,
  /** Attempts per SDK call, including the first: enough that under throttling the deadline ends it first. */
  maxAttempts: 20,
  /** What the 503 asks the client to wait, in seconds. */
  retryAfterSeconds: 5,
} as const;

export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
export const systemClock: Clock = { now: () => Date.now(), sleep };

/**
 * DynamoDB kept throttling (or failing transiently) until the request's time or attempts ran out; nothing it
 * wrote is visible (DESIGN §5), so the client may send it again.
 */
export class RetryBudgetSpent extends Error {
  override readonly name = 'RetryBudgetSpent';
  constructor(readonly after?: unknown) {
    super('retry budget spent');
  }
}

export class Deadline {
  constructor(
    readonly clock: Clock,
    readonly endsAt: number,
  ) {}
  remainingMs(): number {
    return this.endsAt - this.clock.now();
  }
  /** Whether `ms` more work still leaves the answer its reserve. */
  allows(ms: number): boolean {
    return this.remainingMs() - ms >= RETRY_POLICY.answerReserveMs;
  }
}

const running = new AsyncLocalStorage<Deadline>();
/** Outside any request (admin command, seeding, tests of the store alone): no deadline. */
const unbounded = new Deadline(systemClock, Number.POSITIVE_INFINITY);

/** Runs `work` with `remainingMs` to go, measured on `clock`; every retry inside it obeys that deadline. */
export function withDeadline<T>(remainingMs: number, clock: Clock, work: () => Promise<T>): Promise<T> {
  return running.run(new Deadline(clock, clock.now() + remainingMs), work);
}

export const currentDeadline = (): Deadline => running.getStore() ?? unbounded;

/** Delay before retry `attempt` (0-based): random in [0, min(cap, base·2^attempt)). */
export function backoffMs(attempt: number, baseMs = 25, capMs = 2_000): number {
  return Math.random() * Math.min(capMs, baseMs * 2 ** attempt);
}

/** Waits before retry `attempt` when the wait and one more request fit the deadline; else RetryBudgetSpent. */
export async function pauseBeforeRetry(attempt: number, baseMs?: number, capMs?: number, after?: unknown) {
  const deadline = currentDeadline();
  const wait = backoffMs(attempt, baseMs, capMs);
  if (!deadline.allows(wait + RETRY_POLICY.requestTimeoutMs)) throw new RetryBudgetSpent(after);
  await deadline.clock.sleep(wait);
}

/**
 * The SDK's retry strategy: throttling, server errors and transient failures (the per-request timeout included)
 * are retried with backoff on the request's clock, as long as pauseBeforeRetry allows; client errors never.
 * The SDK itself then waits 0 ms (the wait already happened here).
 */
export function deadlineRetryStrategy(): RetryStrategyV2 {
  const token = (count: number): RetryToken => ({ getRetryCount: () => count, getRetryDelay: () => 0 });
  return {
    acquireInitialRetryToken: async () => token(0),
    refreshRetryTokenForRetry: async (previous: RetryToken, info: RetryErrorInfo) => {
      const attempt = previous.getRetryCount();
      if (info.errorType === 'CLIENT_ERROR') throw info.error;
      const gaveUp = (): never => {
        (info.error as { [GAVE_UP]?: boolean })[GAVE_UP] = true;
        throw info.error;
      };
      if (attempt + 1 >= RETRY_POLICY.maxAttempts) gaveUp();
      // Throttling backs off harder than a dropped connection.
      const base = info.errorType === 'THROTTLING' ? 100 : 25;
      await pauseBeforeRetry(attempt, base, 5_000, info.error).catch(gaveUp);
      return token(attempt + 1);
    },
    recordSuccess: () => {},
  };
}

const GAVE_UP = Symbol('baosong.retryGaveUp');

/**
 * After a retryable failure the retry strategy gave up on (time or attempts): RetryBudgetSpent instead of the
 * last throttling error, so the handler answers 503, not 500. A first attempt is never refused for time: a slow
 * but healthy request (DynamoDB Local on a busy machine) must not turn into a 503.
 */
export function addDeadlineMiddleware(client: DynamoDBClient): void {
  client.middlewareStack.add(
    (next) => async (args) => {
      try {
        return await next(args);
      } catch (err) {
        if ((err as { [GAVE_UP]?: boolean })[GAVE_UP]) throw new RetryBudgetSpent(err);
        throw err;
      }
    },
    { step: 'initialize', name: 'baosongDeadline' },
  );
}

/** Runs `task` over `items` with at most `limit` running at once; results keep the order of `items`. */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  task: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index], index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
