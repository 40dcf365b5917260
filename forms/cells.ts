// Reading one cell the way a clerk meant it: whatever Office.js, ExcelJS, LibreOffice or WPS stored
// (rich text, hyperlinks, cached formula results, full-width digits, U+3000 padding), reduced to plain text
// or a number. Kept free of allocations on the common path because parse runs it on every cell.
import type { CellValue } from './types';

/** A cell reduced to a scalar: text, number, boolean, a date, an Excel error value, or nothing. */
export type Scalar = string | number | boolean | Date | null | { error: string };

export function cellScalar(value: CellValue | unknown): Scalar {
  if (value === null || value === undefined) return null;
  switch (typeof value) {
    case 'string':
    case 'number':
    case 'boolean':
      return value;
    case 'object':
      break;
    default:
      return null;
  }
  if (value instanceof Date) return value;
  const v = value as Record<string, unknown>;
  if (Array.isArray(v.richText)) {
    let text = '';
    for (const run of v.richText as { text?: unknown }[]) if (typeof run?.text === 'string') text += run.text;
    return text;
  }
  if ('formula' in v || 'sharedFormula' in v || 'result' in v) {
    // The result Excel/WPS cached when saving is what the clerk saw; a formula never recalculated has none.
    return cellScalar(v.result);
  }
  if ('text' in v) return cellScalar(v.text);
  if (typeof v.error === 'string') return { error: v.error };
  return null;
}

/** Plain text of a cell as a clerk reads it (numbers in their shortest form, dates as YYYY-MM-DD). */
export function cellText(value: CellValue | unknown): string {
  const s = cellScalar(value);
  if (s === null) return '';
  if (typeof s === 'string') return s;
  if (typeof s === 'number') return String(s);
  if (typeof s === 'boolean') return s ? 'TRUE' : 'FALSE';
  if (s instanceof Date) return isoDate(s);
  return s.error;
}

/** U+3000 (ideographic space) and no-break spaces count as spaces; clerks pad cells with them. */
const PAD = /^[\s\u3000\u00a0\ufeff\u200b]+|[\s\u3000\u00a0\ufeff\u200b]+$/g;

/** Text with leading/trailing spaces (ASCII, U+3000, NBSP, zero-width) removed; inner text untouched. */
export function trimText(s: string): string {
  if (s.length === 0) return s;
  const first = s.charCodeAt(0);
  const last = s.charCodeAt(s.length - 1);
  if (first > 0x20 && last > 0x20 && !isPad(first) && !isPad(last)) return s;
  return s.replace(PAD, '');
}

function isPad(code: number): boolean {
  return code === 0x3000 || code === 0xa0 || code === 0xfeff || code === 0x200b;
}

/** Folds full-width forms (`１２`, `（件）`, `：`) to ASCII and removes every kind of whitespace. */
export function compact(s: string): string {
  let ascii = true;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c > 0x7e || c <= 0x20) {
      ascii = false;
      break;
    }
  }
  if (ascii) return s;
  return s.normalize('NFKC').replace(/[\s\u3000\u00a0\ufeff\u200b]+/g, '');
}

/**
 * The form a header label is compared in: full/half width folded, whitespace and line breaks removed,
 * brackets and separators dropped (`交办数量（件）` = `交办数量(件)` = `交办数量\n(件)` → `交办数量件`).
 */
export function labelKey(s: string): string {
  return s
    .normalize('NFKC')
    .replace(/[\s\u3000\u00a0\ufeff\u200b()[\]{}<>〔〕【】「」『』/\\|、,.;:·•*_-]+/g, '')
    .toLowerCase();
}

/** Date → `YYYY-MM-DD` in the date's own calendar fields as Excel stored them (UTC for ExcelJS dates). */
export function isoDate(d: Date): string {
  return `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}`;
}

export function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** An Excel serial day number (1900 system, as Office.js hands dates over) → `YYYY-MM-DD`. */
export function serialToIsoDate(serial: number): string {
  return isoDate(new Date(Math.round((serial - 25569) * 86400_000)));
}

export type NumberReading =
  | { ok: true; value: number; decimals: number }
  | { ok: false; blank: true }
  | { ok: false; blank: false; text: string };

/** Words and marks clerks type into a count cell to mean "none". */
const NONE_MARKS = new Set(['-', '--', '—', '——', '/', '无', '－']);

/**
 * A number typed by a clerk: a real number, or text such as `12`, `１２`, ` 12 `, `1,200`, `11.05`.
 * `blank` covers empty cells and the dashes/无 that mean "none".
 */
export function readNumber(value: CellValue | unknown): NumberReading {
  const s = cellScalar(value);
  if (s === null) return { ok: false, blank: true };
  if (typeof s === 'number') {
    if (!Number.isFinite(s)) return { ok: false, blank: false, text: String(s) };
    return { ok: true, value: s, decimals: decimalsOf(s) };
  }
  if (typeof s !== 'string') return { ok: false, blank: false, text: cellText(s) };
  const t = compact(s).replace(/,/g, '');
  if (t === '' || NONE_MARKS.has(t)) return { ok: false, blank: true };
  if (!/^[+-]?(\d+\.?\d*|\.\d+)$/.test(t)) return { ok: false, blank: false, text: trimText(s) };
  const frac = t.includes('.') ? t.slice(t.indexOf('.') + 1).replace(/0+$/, '') : '';
  return { ok: true, value: Number(t), decimals: frac.length };
}

/** Decimal places of a stored double, ignoring binary noise such as 0.1 + 0.2. */
function decimalsOf(n: number): number {
  if (Number.isInteger(n)) return 0;
  for (let d = 0; d <= 10; d++) {
    const scaled = n * 10 ** d;
    if (Math.abs(scaled - Math.round(scaled)) < 1e-7 * Math.max(1, Math.abs(scaled))) return d;
  }
  return 11;
}

const CN_DIGITS: Record<string, number> = {
  零: 0,
  〇: 0,
  一: 1,
  二: 2,
  两: 2,
  三: 3,
  四: 4,
  五: 5,
  六: 6,
  七: 7,
  八: 8,
  九: 9,
};
const CN_UNITS: Record<string, number> = { 十: 10, 百: 100, 千: 1000 };

/** `八` → 8, `十二` → 12, `二十` → 20, `一百零五` → 105; anything else → null. Used to suggest what to type. */
export function chineseNumeral(text: string): number | null {
  const t = compact(text);
  if (!/^[零〇一二两三四五六七八九十百千]+$/.test(t)) return null;
  let total = 0;
  let digit = -1;
  for (const ch of t) {
    if (ch in CN_DIGITS) digit = CN_DIGITS[ch];
    else {
      total += (digit < 0 ? 1 : digit) * CN_UNITS[ch];
      digit = -1;
    }
  }
  if (digit > 0) total += digit;
  return total;
}
