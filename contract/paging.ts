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

/**
 * Every page, in order. `chain(cursor)` reads the pages from a cursor on (null: the first page), following
 * `nextInChain`. When the first page plans ranges, RANGES_AT_ONCE of them are read at a time, joined in order.
 */
export async function pagesInOrder<P extends PageLinks>(chain: (cursor: string | null) => Promise<P[]>): Promise<P[]> {
  const pages = await chain(null);
  const ranges = pages[0]?.ranges ?? [];
  const reading: Promise<P[]>[] = [];
  const read = (k: number): Promise<P[]> => {
    if (!reading[k]) {
      reading[k] = chain(ranges[k]);
      reading[k].catch(() => {}); // awaited in order below; one that fails first must not go unhandled
    }
    return reading[k];
  };
  for (let k = 0; k < ranges.length; k++) {
    for (let ahead = k; ahead < Math.min(k + RANGES_AT_ONCE, ranges.length); ahead++) read(ahead);
    pages.push(...(await read(k)));
  }
  return pages;
}
