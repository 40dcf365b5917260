// Rows submitted as JSON (the server's view): the same rules and codes as the sheet reader, located by
// position (`第3行`) instead of by cell.
import { cellText } from './cells';
import type { ColumnDefinition, FormDefinition } from './spec';
import { sortIssues } from './parse';
import {
  checkCell,
  checkRowRules,
  checkTotals,
  checkUniqueSeq,
  isTotalLabel,
  type RowPlace,
  type RowValues,
} from './rules';
import type { FormRow, Issue, ValidationContext } from './types';

export interface ValidatedRows {
  /** The data rows, normalised (a 合计 line is checked, then left out). Ready to store when no issue is an error. */
  rows: FormRow[];
  issues: Issue[];
}

/** A submitted row has no cells, only its position: `第3行`. */
class PositionPlace implements RowPlace {
  constructor(readonly row: number) {}

  at(): string {
    return `第${this.row}行`;
  }

  cell(): undefined {
    return undefined;
  }

  span(): undefined {
    return undefined;
  }

  atSpan(): string {
    return `第${this.row}行`;
  }
}

export function validateRows(form: FormDefinition, rows: unknown[], ctx: ValidationContext = {}): ValidatedRows {
  const issues: Issue[] = [];
  const data: { values: RowValues; place: RowPlace }[] = [];
  let total: { raw: Record<string, unknown>; place: RowPlace } | undefined;
  const firstKey = form.columns[0].key;
  rows.forEach((item, i) => {
    const place = new PositionPlace(i + 1);
    if (item === null || typeof item !== 'object' || Array.isArray(item)) {
      issues.push({
        code: 'row.invalid',
        severity: 'error',
        message: `第${i + 1}行不是一行表格数据:请按「${form.tag}」的列逐项填写`,
        row: i + 1,
      });
      return;
    }
    const raw = item as Record<string, unknown>;
    if (isTotalLabel(cellText(raw[firstKey]))) {
      total = { raw, place };
      return;
    }
    const values: RowValues = {};
    for (const column of form.columns) values[column.key] = checkCell(column, raw[column.key], place, ctx, issues);
    checkRowRules(form, values, place, issues);
    data.push({ values, place });
  });
  checkUniqueSeq(form, data, issues, (p) => `第${p.row}行`);
  if (total && form.kind === 'summary') {
    const raw = total.raw;
    checkTotals(
      form,
      (column: ColumnDefinition) => raw[column.key],
      total.place,
      data.map((d) => d.values),
      issues,
    );
  }
  sortIssues(issues);
  return { rows: data.map((d) => d.values), issues };
}
