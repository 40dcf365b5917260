// Backoff for the retries the SDK does not do itself: BatchWriteItem/BatchGetItem leftovers and transaction
// conflicts. Full jitter keeps concurrent writers from retrying in lockstep.

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Delay before attempt `attempt` (0-based): random in [0, min(cap, base·2^attempt)). */
export function backoffMs(attempt: number, baseMs = 25, capMs = 2_000): number {
  return Math.random() * Math.min(capMs, baseMs * 2 ** attempt);
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
