// The county's due-soon banner: which forms are still missing when the round is due within three days.
import { describe, expect, it } from 'vitest';
import type { SubmissionSummary } from '../../contract/api';
import { dueSoonMissing } from './flows';

// The campaign's forms, in its document's order (the 2019 campaign's two).
const IDS = ['fujian1', 'fujian2'];
const sent = (form: 'fujian1' | 'fujian2', round: string, current = true) =>
  ({ form, round, current }) as SubmissionSummary;

describe('dueSoonMissing', () => {
  it('names the forms not yet sent for the next round when it is due within three days', () => {
    expect(dueSoonMissing(IDS, [sent('fujian1', '2019-11-14')], '2019-11-14', 2)).toEqual(['fujian2']);
    expect(dueSoonMissing(IDS, [], '2019-11-14', 0)).toEqual(['fujian1', 'fujian2']);
    // A replaced version or last round's sheet does not count for this round.
    expect(
      dueSoonMissing(IDS, [sent('fujian1', '2019-11-14', false), sent('fujian2', '2019-11-04')], '2019-11-14', 1),
    ).toEqual(['fujian1', 'fujian2']);
  });

  it('stays quiet when everything is sent, the round is further off, or no round is left', () => {
    expect(
      dueSoonMissing(IDS, [sent('fujian1', '2019-11-14'), sent('fujian2', '2019-11-14')], '2019-11-14', 1),
    ).toEqual([]);
    expect(dueSoonMissing(IDS, [], '2019-11-14', 4)).toEqual([]);
    expect(dueSoonMissing(IDS, [], null, 0)).toEqual([]);
  });
});
