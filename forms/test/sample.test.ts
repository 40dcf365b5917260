// The 20 % callback sample: what the 州 office draws from the consolidated 附件1 and must be able to draw again.
import { describe, expect, it } from 'vitest';
import { drawCallbackSample, isClosedRow, sampleSeed, sampleSize } from '../index';
import { CLOSURE_VALUES, FUJIAN1, type Closure } from './forms-2019';

type Row = {
  unit: string;
  unitName: string;
  seq: number;
  originalSeq: number;
  closure: Closure;
};

/** A unit's cases: `closed` 已办结 first, then `open` alternating 阶段办结/正在办理, numbered 1… in the unit. */
function unitRows(unit: string, closed: number, open = 0): Row[] {
  return Array.from({ length: closed + open }, (_, i) => ({
    unit,
    unitName: unit,
    seq: 0,
    originalSeq: i + 1,
    closure: i < closed ? '已办结' : CLOSURE_VALUES[1 + (i % 2)],
  }));
}

function consolidated(...units: Row[][]): Row[] {
  return units.flat().map((r, i) => ({ ...r, seq: i + 1 }));
}

const rows = consolidated(
  unitRows('tongren', 15, 4),
  unitRows('jianzha', 7, 3),
  unitRows('zeku', 0, 5),
  unitRows('henan', 1),
);
const seed = sampleSeed('2019-11-14', 4821);
/** The 2019 附件1's status column says which cases are closed. */
const isClosed = (row: Row) => isClosedRow(FUJIAN1, row);
// What seed 2019-11-14#4821 draws from `rows`; see the last test of drawCallbackSample.
const PINNED = ['tongren#3', 'tongren#10', 'tongren#15', 'jianzha#3', 'jianzha#7', 'henan#1'];

describe('drawCallbackSample', () => {
  it('draws ceil(20 %) of each unit’s 已办结 cases', () => {
    const sample = drawCallbackSample(rows, { seed, isClosed });
    const count = (unit: string) => sample.rows.filter((r) => r.unit === unit).length;
    expect(count('tongren')).toBe(3); // 15 × 0.2 = 3, not 4 (0.2 × 15 is 3.0000000000000004 in floating point)
    expect(count('jianzha')).toBe(2); // 7 × 0.2 = 1.4 → 2
    expect(count('henan')).toBe(1); // a single closed case is always visited
    expect(sample.rows).toHaveLength(6);
    expect(sample.units).toEqual([
      { unit: 'tongren', closed: 15, drawn: 3 },
      { unit: 'jianzha', closed: 7, drawn: 2 },
      { unit: 'zeku', closed: 0, drawn: 0 },
      { unit: 'henan', closed: 1, drawn: 1 },
    ]);
  });

  it('draws only 已办结 cases', () => {
    const sample = drawCallbackSample(rows, { seed, ratio: 1, isClosed });
    expect(sample.rows.every((r) => r.closure === '已办结')).toBe(true);
    expect(sample.rows).toHaveLength(15 + 7 + 1);
  });

  it('a unit with no 已办结 case gives none', () => {
    const sample = drawCallbackSample(rows, { seed, ratio: 1, isClosed });
    expect(sample.rows.some((r) => r.unit === 'zeku')).toBe(false);
    expect(drawCallbackSample(unitRows('zeku', 0, 9), { seed, isClosed }).rows).toEqual([]);
    expect(drawCallbackSample([], { seed, isClosed })).toEqual({ seed, ratio: 0.2, rows: [], units: [] });
  });

  it('takes the ratio as a parameter, still rounding up per unit', () => {
    const sample = drawCallbackSample(rows, { seed, ratio: 0.5, isClosed });
    expect(sample.units.map((u) => u.drawn)).toEqual([8, 4, 0, 1]);
    expect(() => drawCallbackSample(rows, { seed, ratio: 0, isClosed })).toThrow(/抽样比例/);
    expect(() => drawCallbackSample(rows, { seed, ratio: 1.5, isClosed })).toThrow(/抽样比例/);
  });

  it('the same seed draws the same cases again, whatever order the rows arrive in', () => {
    const first = drawCallbackSample(rows, { seed, isClosed });
    const again = drawCallbackSample(rows, { seed: sampleSeed('2019-11-14', ' 4821 '), isClosed });
    const shuffled = drawCallbackSample([...rows].reverse(), { seed, isClosed });
    const ids = (s: typeof first) => s.rows.map((r) => `${r.unit}#${r.originalSeq}`);
    expect(ids(again)).toEqual(ids(first));
    expect(ids(shuffled).sort()).toEqual(ids(first).sort());
  });

  it('a different seed draws different cases', () => {
    const many = unitRows('tongren', 200);
    const ids = (n: number) =>
      drawCallbackSample(many, { seed: sampleSeed('2019-11-14', n), isClosed })
        .rows.map((r) => r.originalSeq)
        .join(',');
    const draws = new Set([1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map(ids));
    expect(draws.size).toBe(10);
    expect(ids(1)).not.toBe(
      drawCallbackSample(many, { seed: sampleSeed('2019-11-24', 1), isClosed })
        .rows.map((r) => r.originalSeq)
        .join(','),
    );
  });

  it('a unit’s sample does not move when another unit’s cases change', () => {
    const before = drawCallbackSample(rows, { seed, isClosed }).rows.filter((r) => r.unit === 'tongren');
    const after = drawCallbackSample(consolidated(unitRows('tongren', 15, 4), unitRows('jianzha', 30)), {
      seed,
      isClosed,
    }).rows.filter((r) => r.unit === 'tongren');
    expect(after.map((r) => r.originalSeq)).toEqual(before.map((r) => r.originalSeq));
  });

  it('lists the units as they come and each unit’s cases in its own order, and is deterministic', () => {
    const sample = drawCallbackSample(rows, { seed, isClosed });
    for (const unit of ['tongren', 'jianzha']) {
      const seqs = sample.rows.filter((r) => r.unit === unit).map((r) => r.originalSeq);
      expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    }
    // Pinned: a change to the PRNG or the seeding would silently change every sample the office has noted down.
    expect(sample.rows.map((r) => `${r.unit}#${r.originalSeq}`)).toEqual(PINNED);
  });
});

describe('sampleSize', () => {
  it('rounds up without floating-point surprises', () => {
    expect([0, 1, 4, 5, 6, 10, 15, 35, 100].map((n) => sampleSize(n))).toEqual([0, 1, 1, 1, 2, 2, 3, 7, 20]);
    expect(sampleSize(3, 1)).toBe(3);
  });
});
