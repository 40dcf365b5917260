// The 州 office's callback sample (回访): of each unit's closed (已办结) cases, ceil(20 %) are drawn for a telephone or
// on-site visit (工作方案: 对已办结的举报案件,按20%的比例筛选…开展电话或实地回访工作). The draw is a pure function of
// the rows and a seed the office notes down, so the same sample can be drawn again and shown to an auditor.

/** What a consolidated ledger row needs for the draw: its unit (id) and the unit's own 序号. */
export interface SampleCandidate {
  /** The unit the case belongs to (its id). */
  unit: string;
  /** The unit's own 序号 (consolidated rows renumber the serial, so this one is preferred to order cases). */
  originalSeq?: number;
}

export interface SampleOptions<R> {
  /** Anything the office can write down and type again, e.g. `sampleSeed('2019-11-14', 4821)`. */
  seed: string;
  /** Share of each unit's closed cases to draw, 0 < ratio ≤ 1 (the campaign's `sampling.callback.rate`); default 0.2. */
  ratio?: number;
  /** Whether a case is closed (已办结): `row => isClosedRow(form, row)`. */
  isClosed: (row: R) => boolean;
  /** The case's number within its unit when it has no originalSeq (the form's serial column). */
  caseNumber?: (row: R) => unknown;
}

export interface UnitSample {
  unit: string;
  /** 已办结 cases of the unit. */
  closed: number;
  drawn: number;
}

export interface CallbackSample<R> {
  seed: string;
  ratio: number;
  /** Drawn rows, unit by unit in the order the units first appear in the input, each by the unit's 序号. */
  rows: R[];
  /** Every unit that has rows, also those with no 已办结 case (closed 0, drawn 0). */
  units: UnitSample[];
}

export const CALLBACK_RATIO = 0.2;

/** The seed text for a round and the number the office chose: `2019-11-14#4821`. */
export function sampleSeed(round: string, number: number | string): string {
  return `${round}#${String(number).trim()}`;
}

/**
 * ceil(ratio × n). Rounded to 1e-9 first because 0.2 × 15 is 3.0000000000000004 in floating point, which a
 * plain ceil would turn into 4.
 */
export function sampleSize(closed: number, ratio = CALLBACK_RATIO): number {
  return Math.min(closed, Math.ceil(Math.round(closed * ratio * 1e9) / 1e9));
}

export function drawCallbackSample<R extends SampleCandidate>(
  rows: readonly R[],
  opts: SampleOptions<R>,
): CallbackSample<R> {
  const ratio = opts.ratio ?? CALLBACK_RATIO;
  if (!(ratio > 0 && ratio <= 1)) throw new RangeError(`抽样比例应在 0 到 1 之间(不含 0),收到 ${ratio}`);
  const byUnit = new Map<string, { row: R; at: number }[]>();
  rows.forEach((row, at) => {
    const list = byUnit.get(row.unit) ?? [];
    byUnit.set(row.unit, list);
    if (opts.isClosed(row)) list.push({ row, at });
  });
  const drawn: R[] = [];
  const summary: UnitSample[] = [];
  // Units are listed as they come (the consolidated sheet's order); which cases are drawn does not depend on it.
  for (const [unit, list] of byUnit) {
    // Ordered by the unit's own 序号 rather than taken as sent, so the same data gives the same sample whatever
    // order the rows arrived in.
    const number = (row: R) => caseNumber(row.originalSeq ?? opts.caseNumber?.(row));
    const cases = list.sort((a, b) => number(a.row) - number(b.row) || a.at - b.at);
    const k = sampleSize(cases.length, ratio);
    // One stream per unit: a unit's sample does not move when another unit adds or closes cases.
    const random = mulberry32(fnv1a(`${opts.seed}|${unit}`));
    const picked = cases.map((_, i) => i);
    for (let i = 0; i < k; i++) {
      const j = i + Math.floor(random() * (picked.length - i));
      [picked[i], picked[j]] = [picked[j], picked[i]];
    }
    drawn.push(
      ...picked
        .slice(0, k)
        .sort((a, b) => a - b)
        .map((i) => cases[i].row),
    );
    summary.push({ unit, closed: cases.length, drawn: k });
  }
  return { seed: opts.seed, ratio, rows: drawn, units: summary };
}

function caseNumber(n: unknown): number {
  return typeof n === 'number' && Number.isFinite(n) ? n : Number.MAX_SAFE_INTEGER;
}

/** FNV-1a over the UTF-16 code units: turns the seed text into the PRNG's 32-bit state. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

/** mulberry32: small, fast and the same on every JavaScript engine, which is what an audit needs. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
