// Row heights for wrapped text. ExcelJS cannot autofit, and a row left at the default 15 pt shows one line of a
// wrapped cell in Excel and lets the lines run over each other when LibreOffice prints it. So the height is
// estimated from the text and the column's width: an Excel width unit holds about one Latin character, and a
// CJK (or other full-width) character takes two.

/** Points per line of 11 pt 宋体 with the spacing Excel, WPS and LibreOffice all leave. */
const LINE_POINTS = 14.5;
/** Padding above and below the text. */
const PAD_POINTS = 4;
/** Excel's default row height, kept for rows whose text fits on one line. */
export const DEFAULT_ROW_POINTS = 15;
/** Excel refuses rows over 409 pt. */
const MAX_ROW_POINTS = 409;

/** Display width of a text in Excel width units: full-width and CJK characters count double. */
export function textWidth(text: string): number {
  let width = 0;
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    width +=
      (code >= 0x1100 && code <= 0x115f) ||
      (code >= 0x2e80 && code <= 0xa4cf) ||
      (code >= 0xac00 && code <= 0xd7a3) ||
      (code >= 0xf900 && code <= 0xfaff) ||
      (code >= 0xfe30 && code <= 0xfe4f) ||
      (code >= 0xff00 && code <= 0xff60) ||
      (code >= 0xffe0 && code <= 0xffe6) ||
      code >= 0x20000
        ? 2
        : 1;
  }
  return width;
}

/** Lines a wrapped cell of `columnWidth` units needs for `text` (its own line breaks included). */
export function wrappedLines(text: string, columnWidth: number): number {
  // A cell's margins take about one unit; wrapping breaks between words, so leave a little slack.
  const usable = Math.max(1, columnWidth - 1.5);
  return text.split(/\r?\n/).reduce((n, line) => n + Math.max(1, Math.ceil(textWidth(line) / usable)), 0);
}

/** Height in points for a row whose tallest wrapped cell needs `lines` lines (at least the default height). */
export function rowPoints(lines: number, fontSize = 11): number {
  const points = lines * LINE_POINTS * (fontSize / 11) + PAD_POINTS;
  return Math.min(MAX_ROW_POINTS, Math.max(DEFAULT_ROW_POINTS, Math.ceil(points * 2) / 2));
}
