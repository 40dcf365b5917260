// How a client reads every page of a paged answer (GET /v1/submissions/{id}, …/latest, /v1/consolidated/{form}).
// Each page names the next one (`next`); the first page of a consolidated ledger also plans the rest in `ranges`
// of about a page each, so that the server builds several pages at the same time (on AWS, each in a Lambda of
// its own) instead of one after the other.

/** What paging needs of a page as sent. */
export interface PageLinks {
  next?: string | null;
  ranges?: string[];
}

/** How many ranges a client fetches at the same time. */
export const RANGES_AT_ONCE = 3;

/** Where a chain of pages goes on after this page: its `next`, unless the page plans the rest in ranges. */
export const nextInChain = (page: PageLinks): string | null => (page.ranges ? null : (page.next ?? null));

/** How a chain passes on the ranges a first page's headers plan, before that page's body is read. */
export type RangesHeard = (ranges: string[]) => void;

/** The cursors of a `page-ranges` header (contract/api.ts RANGES_HEADER), or null without one. */
export const rangesInHeader = (value: string | null): string[] | null => (value ? value.split(',') : null);

/**
 * Every page, in order. `chain(cursor)` reads the pages from a cursor on (null: the first page), following
 * `nextInChain`. When the first page plans ranges, RANGES_AT_ONCE of them are read at a time, joined in order; a
 * chain that hears them from the first page's headers (`heard`) lets the first ranges start while that page's
 * body is still being read and decoded.
 */
export async function pagesInOrder<P extends PageLinks>(
  chain: (cursor: string | null, heard?: RangesHeard) => Promise<P[]>,
): Promise<P[]> {
  const plan: { ranges?: string[] } = {};
  const reading: Promise<P[]>[] = [];
  const read = (k: number): Promise<P[]> => {
    if (!reading[k]) {
      reading[k] = chain(plan.ranges![k]);
      reading[k].catch(() => {}); // awaited in order below; one that fails first must not go unhandled
    }
    return reading[k];
  };
  const readAhead = (k: number): void => {
    for (let ahead = k; ahead < Math.min(k + RANGES_AT_ONCE, plan.ranges!.length); ahead++) read(ahead);
  };
  const pages = await chain(null, (ranges) => {
    plan.ranges ??= ranges;
    readAhead(0);
  });
  plan.ranges ??= pages[0]?.ranges ?? [];
  for (let k = 0; k < plan.ranges.length; k++) {
    readAhead(k);
    pages.push(...(await read(k)));
  }
  return pages;
}
