// The rules of DESIGN §2, applied to one row at a time. The sheet reader and validateRows both call these,
// so a row gets the same verdict (and the same codes and wording) in the add-in and on the server.
import { cellScalar, cellText, chineseNumeral, compact, readNumber, trimText } from './cells';
import { summedColumns, type ColumnDefinition, type FormDefinition, type RowRuleDefinition } from './spec';
import type { CellValue, FormRow, Issue, Severity, ValidationContext } from './types';
import { cellLineBreaks, cellTextProblem, isPlainText } from './xml-text';

/** Where a row's cells are, so messages can name them: `H6` in a sheet, `第3行` for submitted rows. */
export interface RowPlace {
  /** Sheet row, or 1-based position in the submitted rows. */
  row: number;
  /** How a message names one cell of the row. */
  at(column: ColumnDefinition): string;
  /** The A1 address of one cell, when the row lives in a sheet. */
  cell(column: ColumnDefinition): string | undefined;
  /** The A1 range covering several cells of the row (`B6:D6`), when the row lives in a sheet. */
  span(columns: ColumnDefinition[]): string | undefined;
  /** How a message names the whole span: the range, or `第3行`. */
  atSpan(columns: ColumnDefinition[]): string;
}

export type RowValues = FormRow;

function cellIssue(place: RowPlace, column: ColumnDefinition, code: string, severity: Severity, text: string): Issue {
  const issue: Issue = {
    code,
    severity,
    message: `${place.at(column)}「${column.title}」${text}`,
    row: place.row,
    column: column.title,
    key: column.key,
  };
  const cell = place.cell(column);
  if (cell) issue.cell = cell;
  return issue;
}

function spanIssue(place: RowPlace, columns: ColumnDefinition[], code: string, text: string): Issue {
  const issue: Issue = {
    code,
    severity: 'error',
    message: `${place.atSpan(columns)}${text}`,
    row: place.row,
    column: columns.map((c) => c.title).join('、'),
    key: columns[columns.length - 1].key,
  };
  const cell = place.span(columns);
  if (cell) issue.cell = cell;
  return issue;
}

const shown = (text: string) => (text.length > 20 ? `${text.slice(0, 20)}…` : text);

/** Reads and checks one cell; pushes what is wrong and returns the normalised value (null when unusable). */
export function checkCell(
  column: ColumnDefinition,
  raw: CellValue | unknown,
  place: RowPlace,
  ctx: ValidationContext,
  issues: Issue[],
): string | number | null {
  if (column.type === 'text' || column.type === 'choice') {
    const scalar = cellScalar(raw);
    if (scalar !== null && typeof scalar === 'object' && !(scalar instanceof Date)) {
      issues.push(cellIssue(place, column, 'cell.error', 'error', `是错误值「${scalar.error}」,请改为文字内容`));
      return null;
    }
    let text = typeof scalar === 'string' ? trimText(scalar) : cellText(scalar);
    // Most cells are plain text checked in one pass; line breaks, tabs and anything unusual take the full checks.
    if (!isPlainText(text)) {
      text = cellLineBreaks(text);
      // Text an .xlsx cannot hold is never stored: every workbook written from it would fail to open.
      const problem = cellTextProblem(text);
      if (problem) {
        issues.push(cellIssue(place, column, problem.code, 'error', problem.message));
        return null;
      }
    }
    if (column.type === 'choice') return checkChoice(column, text, place, ctx, issues);
    if (text === '') {
      const code = blankCode(column, ctx);
      if (code === 'required')
        issues.push(cellIssue(place, column, code, 'error', `不能为空,${column.hint ?? '请填写该项内容'}`));
      else if (code) issues.push(cellIssue(place, column, code, 'error', laterRoundsText(column.hint)));
    }
    return text;
  }
  return checkNumber(column, raw, place, ctx, issues);
}

/** The code for a blank cell of the column, or null when blank is allowed here. */
function blankCode(column: ColumnDefinition, ctx: ValidationContext): string | null {
  if (column.required === 'always') return 'required';
  if (column.required === 'fromSecondSubmission' && ctx.requireProgress) return `${column.key}.required`;
  return null;
}

/** `请填写本期整改进展` → `不能为空:首次报送后每一轮都要填写本期整改进展`. */
function laterRoundsText(hint: string | undefined): string {
  return `不能为空:首次报送后每一轮都要${hint ? hint.replace(/^请/, '') : '填写该项内容'}`;
}

const choiceSets = new WeakMap<ColumnDefinition, { set: Set<string>; list: string }>();

function checkChoice(
  column: ColumnDefinition,
  text: string,
  place: RowPlace,
  ctx: ValidationContext,
  issues: Issue[],
): string | null {
  let choices = choiceSets.get(column);
  if (!choices) {
    choices = { set: new Set(column.choices), list: (column.choices ?? []).join('、') };
    choiceSets.set(column, choices);
  }
  if (choices.set.has(text)) return text;
  const choice = compact(text);
  if (choices.set.has(choice)) return choice;
  if (text === '') {
    const code = blankCode(column, ctx);
    if (code) issues.push(cellIssue(place, column, code, 'error', `应填写:${choices.list}`));
    return '';
  }
  issues.push(cellIssue(place, column, `${column.key}.invalid`, 'error', `应填写:${choices.list}`));
  return null;
}

/** Largest count or amount (万元) accepted: far above any real case count or fine, far below 2^53. */
export const MAX_NUMBER = 1_000_000_000;

function checkNumber(
  column: ColumnDefinition,
  raw: CellValue | unknown,
  place: RowPlace,
  ctx: ValidationContext,
  issues: Issue[],
): number | null {
  const reading = readNumber(raw);
  const serial = column.type === 'serial';
  const isInt = column.type !== 'decimal';
  const wanted = serial ? '正整数' : isInt ? '0或正整数' : '0或正数';
  if (!reading.ok) {
    if (reading.blank) {
      if (column.blankAsZero) {
        issues.push(cellIssue(place, column, 'blank.as_zero', 'warning', '未填写,已按 0 计算;如不是 0 请填写数字'));
        return 0;
      }
      const code = blankCode(column, ctx);
      if (code === 'required') issues.push(cellIssue(place, column, code, 'error', `不能为空,请填写${wanted}`));
      else if (code)
        issues.push(cellIssue(place, column, code, 'error', laterRoundsText(column.hint ?? `请填写${wanted}`)));
      return null;
    }
    const scalar = cellScalar(raw);
    if (scalar !== null && typeof scalar === 'object' && !(scalar instanceof Date)) {
      issues.push(
        cellIssue(place, column, 'cell.error', 'error', `是错误值「${scalar.error}」,请修正公式或直接填写${wanted}`),
      );
      return null;
    }
    const cn = chineseNumeral(reading.text);
    const hint = cn !== null ? `,如「${cn}」` : '';
    issues.push(
      cellIssue(
        place,
        column,
        isInt ? 'int.invalid' : 'number.invalid',
        'error',
        `应填写阿拉伯数字表示的${wanted}${hint},当前为「${shown(reading.text)}」`,
      ),
    );
    return null;
  }
  const { value, decimals } = reading;
  // Beyond this a number is a slip (or an attack: 1e305, 9007199254740993 past safe integers), not a count or 万元.
  if (Math.abs(value) > MAX_NUMBER) {
    issues.push(
      cellIssue(
        place,
        column,
        'number.too_large',
        'error',
        `数值过大,最大为 ${MAX_NUMBER.toLocaleString('en-US')},当前为「${shown(String(value))}」:请核对后填写`,
      ),
    );
    return null;
  }
  if (value < 0) {
    issues.push(cellIssue(place, column, 'negative', 'error', `不能为负数,应填写${wanted},当前为「${value}」`));
    return null;
  }
  if (isInt && decimals > 0) {
    issues.push(cellIssue(place, column, 'int.invalid', 'error', `应填写整数,当前为「${value}」`));
    return null;
  }
  if (serial && value === 0) {
    issues.push(cellIssue(place, column, `${column.key}.not_positive`, 'error', '应从 1 开始编号,请填写正整数'));
    return null;
  }
  if (column.decimals !== undefined && decimals > column.decimals) {
    issues.push(
      cellIssue(
        place,
        column,
        'decimals',
        'error',
        `最多保留 ${column.decimals} 位小数,当前为「${value}」,请四舍五入后填写`,
      ),
    );
    return null;
  }
  // Formulas leave binary noise (0.1 + 0.2); the value is what the clerk sees.
  return decimals === 0 ? Math.round(value) : Number(value.toFixed(Math.min(decimals, 10)));
}

/** How a rule's message names a column: its sub-label, or its label without the unit (`已办结(件)` → `已办结`). */
function shortName(column: ColumnDefinition): string {
  return column.subLabel ?? column.label.replace(/[(（][^)）]*[)）]\s*$/, '');
}

function ruleText(rule: RowRuleDefinition, values: RowValues, sum: number): string {
  const value = (c: ColumnDefinition) => values[c.key] as number;
  if (rule.message)
    return rule.message.replace(/\{([^{}]*)\}/g, (_, key: string) =>
      key === 'sum' ? String(sum) : String(values[key]),
    );
  const terms = rule.terms.map((c) => `「${shortName(c)}」${value(c)}`).join(' +');
  const names = rule.terms.map(shortName);
  const total = shortName(rule.total);
  if (rule.kind === 'sumEquals') {
    const joined = names.length > 2 ? `${names.slice(0, -1).join('、')}与${names[names.length - 1]}` : names.join('与');
    return `${terms} = ${sum},与「${total}」${value(rule.total)} 不一致:请核对,使${joined}之和等于${total}`;
  }
  const together = names.length === 2 ? '两者' : '各项';
  return `${terms} = ${sum},超过「${total}」${value(rule.total)}:请核对,${together}之和不能大于${total}`;
}

/** The form's rules across cells of one row (附件2: 属实+不属实=合计; 已办结+阶段办结 ≤ 合计). */
export function checkRowRules(form: FormDefinition, values: RowValues, place: RowPlace, issues: Issue[]): void {
  for (const rule of form.rules) {
    const total = values[rule.total.key];
    if (typeof total !== 'number') continue;
    let sum = 0;
    let known = true;
    for (const term of rule.terms) {
      const v = values[term.key];
      if (typeof v !== 'number') {
        known = false;
        break;
      }
      sum += v;
    }
    if (!known) continue;
    const scale = 10 ** Math.max(0, ...rule.terms.map((c) => c.decimals ?? 0), rule.total.decimals ?? 0);
    sum = Math.round(sum * scale) / scale;
    const broken = rule.kind === 'sumEquals' ? sum !== total : sum > total;
    if (broken) issues.push(spanIssue(place, rule.span, rule.code, ruleText(rule, values, sum)));
  }
}

/** The serial column (序号) must be unique in the sheet; every repeat after the first is reported. */
export function checkUniqueSeq(
  form: FormDefinition,
  rows: readonly { values: RowValues; place: RowPlace }[],
  issues: Issue[],
  nameRow: (place: RowPlace) => string,
): void {
  const seqColumn = form.serial;
  if (!seqColumn) return;
  // Numbered upwards, as sheets nearly always are, no 序号 can repeat: the rows are looked at only from the
  // first one that does not go up.
  let from = 0;
  let last = -Infinity;
  for (; from < rows.length; from++) {
    const seq = rows[from].values[seqColumn.key];
    if (typeof seq !== 'number') continue;
    if (!(seq > last)) break;
    last = seq;
  }
  if (from === rows.length) return;
  const firstSeen = new Map<number, RowPlace>();
  for (const { values, place } of rows) {
    const seq = values[seqColumn.key];
    if (typeof seq !== 'number') continue;
    const first = firstSeen.get(seq);
    if (!first) firstSeen.set(seq, place);
    else
      issues.push(
        cellIssue(
          place,
          seqColumn,
          `${seqColumn.key}.duplicate`,
          'error',
          `${seq} 与${nameRow(first)}重复,请改为本表中未用过的序号`,
        ),
      );
  }
}

/** A 合计 line must equal the column sums (summary forms: 附件2); columns with unreadable cells are left to those cells' issues. */
export function checkTotals(
  form: FormDefinition,
  totalRaw: (column: ColumnDefinition) => CellValue | unknown,
  totalPlace: RowPlace,
  rows: RowValues[],
  issues: Issue[],
  textNumberKeys?: Set<string>,
): void {
  for (const column of summedColumns(form)) {
    const raw = totalRaw(column);
    const reading = readNumber(raw);
    const scalar = cellScalar(raw);
    if (scalar !== null && typeof scalar === 'object' && !(scalar instanceof Date)) {
      issues.push(
        cellIssue(
          totalPlace,
          column,
          'cell.error',
          'error',
          `是错误值「${scalar.error}」:合计行应为各行之和,请修正公式或直接填写`,
        ),
      );
      continue;
    }
    if (!reading.ok) {
      if (!reading.blank)
        issues.push(
          cellIssue(
            totalPlace,
            column,
            column.type === 'integer' ? 'int.invalid' : 'number.invalid',
            'error',
            `合计行应填写各行之和(数字),当前为「${shown(reading.text)}」`,
          ),
        );
      continue;
    }
    let sum = 0;
    let known = true;
    for (const r of rows) {
      const v = r[column.key];
      if (typeof v !== 'number') {
        known = false;
        break;
      }
      sum += v;
    }
    if (!known) continue;
    const scale = 10 ** (column.decimals ?? 0);
    sum = Math.round(sum * scale) / scale;
    if (Math.abs(sum - reading.value) > 0.5 / scale / 10) {
      const hint = textNumberKeys?.has(column.key) ? '(本列有以文本形式填写的数字,SUM 公式不会计入它们)' : '';
      issues.push(
        cellIssue(
          totalPlace,
          column,
          'total.mismatch',
          'error',
          `合计为 ${reading.value},但各行相加为 ${sum}:请改为 ${sum}${hint}`,
        ),
      );
    }
  }
}

/** Is this row a 合计 line? Its first filled cell says 合计 (or 总计). */
export function isTotalLabel(text: string): boolean {
  const t = compact(text);
  return t === '合计' || t === '总计';
}
