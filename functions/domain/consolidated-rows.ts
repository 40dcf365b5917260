// A unit's stored rows as rows of the consolidated ledger, written byte for byte: the serial (序号) renumbered
// across the prefecture, the unit's own kept as originalSeq, the unit's tags added. Stored rows start with the
// serial (`{"seq":12,…`, the validator's key order), so this is splicing of bytes, not parsing: the row text is
// never decoded (functions/page.ts says why).
import type { FormRow } from '../../forms/types';
import type { UnitRoundStatus } from '../../contract/api';
import type { PageRows } from '../page';

/** `"unit":…,"unitName":…,"status":…` of a unit, serialized once for all its rows. */
export const unitTag = (s: Pick<UnitRoundStatus, 'unit' | 'unitName' | 'status'>): Buffer =>
  Buffer.from(JSON.stringify({ unit: s.unit, unitName: s.unitName, status: s.status }).slice(1, -1), 'utf8');

/** Where tagged rows are written: slabs of memory handed out in pieces, so 50,000 rows are a few allocations. */
class Slab {
  private buf = Buffer.allocUnsafe(0);
  private used = 0;

  take(size: number): Buffer {
    if (this.used + size > this.buf.length) {
      this.buf = Buffer.allocUnsafe(Math.max(size, 1 << 20));
      this.used = 0;
    }
    const piece = this.buf.subarray(this.used, this.used + size);
    this.used += size;
    return piece;
  }
}

const DIGIT_0 = 0x30;
const DIGIT_9 = 0x39;
const COMMA = 0x2c;

/**
 * Appends a unit's rows (stored JSON lines) to the page as consolidated rows numbered from `firstSeq`, while they
 * fit. `done`: every row was taken.
 */
export function tagRows(
  page: PageRows,
  lines: Iterable<Buffer>,
  unit: { tag: Buffer; firstSeq: number; serialKey: string | undefined },
): { taken: number; done: boolean } {
  const slab = new Slab();
  const key = unit.serialKey === undefined ? undefined : JSON.stringify(unit.serialKey);
  const prefix = key === undefined ? undefined : Buffer.from(`{${key}:`, 'utf8');
  let taken = 0;
  for (const line of lines) {
    const seq = unit.firstSeq + taken;
    let row: Buffer | undefined;
    if (prefix === undefined) {
      // `{` + tags + the row's own fields (none: `{}`).
      const rest = line.subarray(1);
      const size = 1 + unit.tag.length + (line.length > 2 ? 1 : 0) + rest.length;
      if (!page.fits(size)) return { taken, done: false };
      row = slab.take(size);
      row[0] = 0x7b;
      let at = 1 + unit.tag.copy(row, 1);
      if (line.length > 2) row[at++] = COMMA;
      rest.copy(row, at);
    } else {
      let end = prefix.length;
      const starts = line.length > end && line.compare(prefix, 0, prefix.length, 0, prefix.length) === 0;
      while (starts && end < line.length && line[end] >= DIGIT_0 && line[end] <= DIGIT_9) end++;
      if (starts && end > prefix.length && line[end] === COMMA) {
        const head = `{${key}:${seq},"originalSeq":${line.toString('latin1', prefix.length, end)},`;
        const rest = line.subarray(end + 1);
        const size = Buffer.byteLength(head, 'utf8') + unit.tag.length + 1 + rest.length;
        if (!page.fits(size)) return { taken, done: false };
        row = slab.take(size);
        let at = row.write(head, 0, 'utf8');
        at += unit.tag.copy(row, at);
        row[at++] = COMMA;
        rest.copy(row, at);
      } else {
        // Not in the stored key order (never written by this service): parsed and rebuilt.
        const values = JSON.parse(line.toString('utf8')) as FormRow;
        const tags = JSON.parse(`{${unit.tag.toString('utf8')}}`) as Record<string, string>;
        row = Buffer.from(
          JSON.stringify({ ...values, [unit.serialKey!]: seq, originalSeq: values[unit.serialKey!], ...tags }),
          'utf8',
        );
        if (!page.fits(row.length)) return { taken, done: false };
      }
    }
    page.push(row);
    taken++;
  }
  return { taken, done: true };
}
