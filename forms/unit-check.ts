// The unit on the sheet must be the unit that sends it: the 填报单位 line of every form and, in a form whose spec
// names a unit column (the 2019 附件2's 市/州), each row's cell of that column. A county's summary holds its own
// row only (and perhaps a 合计 line, which validateRows checks and never stores). Issues are numbered by position
// (`第3行`) like validateRows', so the pane and the .xlsx route move them onto cells the same way; the 填报单位
// line carries its cell when the caller knows it.
import { cellAddress } from './address';
import { cellText, trimText } from './cells';
import { isTotalLabel } from './rules';
import type { FormDefinition } from './spec';
import type { Issue } from './types';
import { namesUnit, type UnitNames } from './unit-name';

export interface SendingUnit extends UnitNames {
  /** Counties send their own rows only; the prefecture's own sheets are not held to it. */
  county: boolean;
}

/** The `key` of an issue about the 填报单位 line (no column of the form has it: keys are letters and digits). */
export const UNIT_LINE_KEY = '填报单位';

/** The 填报单位 line's text (`填报单位(公章):同仁县人民政府` → `同仁县人民政府`) is checked when filled. */
export function unitLineIssue(text: string | undefined, unit: UnitNames, cell?: string): Issue | null {
  const typed = trimText(text ?? '');
  if (typed === '' || namesUnit(typed, unit)) return null;
  const where = cell ? `${cell}「填报单位」` : '「填报单位」';
  return {
    code: 'unit.line_mismatch',
    severity: 'error',
    message: `${where}写的是「${typed}」,而登录的单位是「${unit.name}」:这可能是其他单位的表格。请打开本单位的表格,或把填报单位改为「${unit.name}」`,
    key: UNIT_LINE_KEY,
    column: '填报单位',
    ...(cell ? { cell } : {}),
  };
}

/**
 * Rows (as submitted: objects keyed by the form's columns) whose unit column names another unit; row = position
 * in `rows`, 1-based. Nothing to check for a form without a unit column, or for the prefecture.
 */
export function unitRowIssues(form: FormDefinition, rows: readonly unknown[], unit: SendingUnit): Issue[] {
  const column = form.unitColumn;
  if (!column || !unit.county) return [];
  const own = form.kind === 'summary' ? `本单位的${form.tag}只填本单位一行` : `本单位的${form.tag}只填本单位的行`;
  const issues: Issue[] = [];
  rows.forEach((row, i) => {
    if (row === null || typeof row !== 'object') return;
    const cells = row as Record<string, unknown>;
    // A 合计 line: checked against the sums by validateRows, never stored.
    if (isTotalLabel(cellText(cells[form.columns[0].key]))) return;
    const typed = trimText(cellText(cells[column.key]));
    // Blank: validateRows says the column is required.
    if (typed === '' || namesUnit(typed, unit)) return;
    issues.push({
      code: 'unit.row_mismatch',
      severity: 'error',
      message: `第${i + 1}行「${column.title}」写的是「${typed}」,而登录的单位是「${unit.name}」:${own}。请删除其他单位的行,或改为「${unit.name}」`,
      row: i + 1,
      key: column.key,
      column: column.title,
    });
  });
  return issues;
}

/** Both checks: the 填报单位 line first (it says the whole sheet is someone else's), then the rows. */
export function unitIssues(
  form: FormDefinition,
  rows: readonly unknown[],
  unitLine: string | undefined,
  unit: SendingUnit,
  unitLineCell?: string,
): Issue[] {
  const line = unitLineIssue(unitLine, unit, unitLineCell);
  return [...(line ? [line] : []), ...unitRowIssues(form, rows, unit)];
}

/** Where the 填报单位 line sits above the header: its first cell whose text starts the line, e.g. `A3`. */
export function unitLineCell(
  grid: readonly (readonly unknown[] | undefined)[],
  origin: { row: number; column: number },
  beforeRow: number,
): string | undefined {
  for (let r = 0; r < grid.length && origin.row + r < beforeRow; r++) {
    const row = grid[r];
    if (!row) continue;
    for (let c = 0; c < row.length; c++) {
      if (/填\s*报\s*单\s*位/.test(cellText(row[c]).normalize('NFKC')))
        return cellAddress(origin.row + r, origin.column + c);
    }
  }
  return undefined;
}

/** The names a campaign's unit list gives a unit (its aliases), or just its name when the list lacks it. */
export function unitNamesIn(
  units: readonly { id: string; name: string; aliases?: readonly string[] }[],
  unit: { id: string; name: string },
): UnitNames {
  const listed = units.find((u) => u.id === unit.id);
  return { name: unit.name, aliases: listed?.aliases ?? [] };
}
