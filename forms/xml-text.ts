// Text that an .xlsx cell can hold. An .xlsx is XML 1.0, which has no way to write U+FFFE, U+FFFF, a lone
// surrogate half or a control character other than tab, newline and carriage return — not even escaped. ExcelJS
// writes them anyway and Excel, LibreOffice and openpyxl then refuse the whole file; clerks meet such characters
// when pasting from PDFs and web pages. Excel also stops a cell at 32,767 characters.

/** Excel's limit on the characters of one cell. */
export const MAX_CELL_TEXT = 32_767;

/** Is this UTF-16 code unit, at this place, a character XML 1.0 allows? (Surrogate pairs are checked together.) */
function allowedAt(text: string, i: number): 0 | 1 | 2 {
  const c = text.charCodeAt(i);
  if (c >= 0x20 && c < 0xd800) return 1;
  if (c === 0x09 || c === 0x0a || c === 0x0d) return 1;
  if (c >= 0xe000 && c <= 0xfffd) return 1;
  if (c >= 0xd800 && c <= 0xdbff) {
    const next = text.charCodeAt(i + 1);
    if (next >= 0xdc00 && next <= 0xdfff) return 2;
  }
  return 0;
}

/** Index of the first character XML 1.0 cannot hold, or -1. Plain text of any script passes at one compare per character. */
export function xmlInvalidIndex(text: string): number {
  for (let i = 0; i < text.length;) {
    const step = allowedAt(text, i);
    if (step === 0) return i;
    i += step;
  }
  return -1;
}

/** Any character outside printable, non-surrogate UTF-16 (a surrogate pair takes the full check, as a lone one). */
const NOT_PLAIN = /[^\x20-\ud7ff\ue000-\ufffd]/;

/**
 * True when every character is printable and outside the surrogates (any CJK text and full-width punctuation
 * qualify) and the text fits a cell: such text needs no other check. Validation runs it on every cell, so it is one
 * regular-expression scan (V8 compiles it to native code: about twice as fast as a charCodeAt loop).
 */
export function isPlainText(text: string): boolean {
  return text.length <= MAX_CELL_TEXT && !NOT_PLAIN.test(text);
}

/** The same text with every character XML 1.0 cannot hold replaced by U+FFFD (the writer's last line of defence). */
export function xmlSafeText(text: string): string {
  if (xmlInvalidIndex(text) < 0) return text;
  let out = '';
  for (let i = 0; i < text.length;) {
    const step = allowedAt(text, i);
    out += step === 0 ? '\ufffd' : text.slice(i, i + step);
    i += step || 1;
  }
  return out;
}

/**
 * Line breaks as a spreadsheet cell holds them: `\n` only. Excel breaks lines in a cell with LF; a CR (pasted
 * from Windows text) shows as nothing in Excel and is dropped by LibreOffice, so it is not kept.
 */
export function cellLineBreaks(text: string): string {
  return text.includes('\r') ? text.replace(/\r\n?/g, '\n') : text;
}

/** `U+0007`, as a clerk's helpdesk can look it up. */
const codePoint = (text: string, i: number): string =>
  `U+${text.charCodeAt(i).toString(16).toUpperCase().padStart(4, '0')}`;

/** What is wrong with a text for an .xlsx cell, in Chinese (to follow the cell's name), or null when nothing is. */
export function cellTextProblem(text: string): { code: string; message: string } | null {
  const bad = xmlInvalidIndex(text);
  if (bad >= 0) {
    return {
      code: 'text.invalid_char',
      message: `第 ${bad + 1} 个字符处含有无法保存到表格文件的不可见字符(${codePoint(text, bad)}),常见于从 PDF 或网页复制的文字:请删除该处字符或手工重新输入这段文字`,
    };
  }
  if (text.length > MAX_CELL_TEXT) {
    return {
      code: 'text.too_long',
      message: `有 ${text.length} 个字符,超过单元格最多 ${MAX_CELL_TEXT} 个字符的上限:请精简内容`,
    };
  }
  return null;
}
