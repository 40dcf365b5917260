// A form spec of a campaign document, compiled once into what the reader, the rules, the renderer and the
// comparisons use: column titles, the header rows and merges a two-row header needs, the serial, unit and status
// columns, and the row rules with their columns resolved. Every form goes through this one path.
import { rangeAddress } from './address';
import type {
  CampaignDocument,
  ColumnSpec,
  ColumnType,
  FormKind,
  FormSpec,
  RequiredMode,
  RowRule,
} from './campaign/schema';

/** A form's id within its campaign (`fujian1`). */
export type FormId = string;

/** One normalised cell: trimmed text, a number, or null (a blank optional number, or a cell with an error). */
export type CellData = string | number | null;

/** One row of any form, keyed by its columns' keys. Ready to store when its validation has no error. */
export type FormRow = Record<string, CellData>;

export interface ColumnDefinition {
  key: string;
  /** The label in the (top) header row: the group's label for a column under a group. */
  label: string;
  /** The label in the second header row, for a column under a group (属实/不属实/合计, 行政/刑事). */
  subLabel?: string;
  /** How issues and messages name the column: the label, or `交办数量(件)/属实` for a sub-column. */
  title: string;
  /** Excel character width of the template column. */
  width: number;
  type: ColumnType;
  required: RequiredMode;
  /** Other labels clerks put over the same column (compared after labelKey). */
  aliases: readonly string[];
  /** What to write, for the message of a blank required cell. */
  hint?: string;
  /** decimal: most decimal places allowed. */
  decimals?: number;
  /** choice: the allowed values. */
  choices?: readonly string[];
  /** integer/decimal: a blank cell counts as 0, with a warning. */
  blankAsZero: boolean;
  lockedAfterFirst: boolean;
}

export interface RowRuleDefinition {
  /** `<form id>.<rule id>`: `fujian2.sum_mismatch`. */
  code: string;
  kind: RowRule['kind'];
  terms: ColumnDefinition[];
  total: ColumnDefinition;
  /** The columns involved in sheet order: the span an issue covers. */
  span: ColumnDefinition[];
  message?: string;
}

export interface FormDefinition {
  id: FormId;
  /** The line above the title, `附件1`. */
  tag: string;
  title: string;
  sheetName: string;
  kind: FormKind;
  columns: ColumnDefinition[];
  /** The header exactly as the template prints it: one row, or two under groups; null where a merge continues. */
  headerRows: (string | null)[][];
  /** Header merges relative to the header's first row and column A, e.g. `A1:A2`, `B1:D1`. */
  headerMerges: string[];
  /** The lines under the table; `{asOf}` is replaced by the 数据截至 date. */
  notes: string[];
  rules: RowRuleDefinition[];
  /** The case's identity across rounds (序号): unique in a sheet, renumbered when consolidated. */
  serial?: ColumnDefinition;
  /** The column naming the reporting unit; absent: the 填报单位 line names it. */
  unitColumn?: ColumnDefinition;
  /** The column saying whether a case is done, and the value meaning done. */
  status?: { column: ColumnDefinition; closed: string };
  /** The spec it was compiled from, as published. */
  spec: FormSpec;
}

/** The forms of one campaign, in the document's order. */
export interface FormCatalog {
  forms: readonly FormDefinition[];
  ids: readonly FormId[];
  /** The form with this id, or undefined. */
  get(id: string): FormDefinition | undefined;
}

function compileColumn(spec: ColumnSpec): ColumnDefinition {
  const column: ColumnDefinition = {
    key: spec.key,
    label: spec.group ?? spec.label,
    title: spec.group ? `${spec.group}/${spec.label}` : spec.label,
    width: spec.width,
    type: spec.type,
    required: spec.type === 'serial' ? 'always' : (spec.required ?? 'always'),
    aliases: spec.aliases ?? [],
    blankAsZero: spec.blankAsZero ?? false,
    lockedAfterFirst: spec.lockedAfterFirst ?? false,
  };
  if (spec.group) column.subLabel = spec.label;
  if (spec.hint !== undefined) column.hint = spec.hint;
  if (spec.decimals !== undefined) column.decimals = spec.decimals;
  if (spec.choices !== undefined) column.choices = spec.choices;
  return column;
}

/** One header row, or two with every ungrouped label merged down and every group merged across. */
function header(columns: ColumnDefinition[]): { rows: (string | null)[][]; merges: string[] } {
  if (!columns.some((c) => c.subLabel)) return { rows: [columns.map((c) => c.label)], merges: [] };
  const top: (string | null)[] = [];
  const merges: string[] = [];
  columns.forEach((c, i) => {
    const continues =
      i > 0 && c.subLabel !== undefined && columns[i - 1].subLabel !== undefined && columns[i - 1].label === c.label;
    top.push(continues ? null : c.label);
    if (c.subLabel === undefined) merges.push(rangeAddress(1, i + 1, 2, i + 1));
    else if (!continues) {
      let last = i;
      while (columns[last + 1]?.subLabel !== undefined && columns[last + 1].label === c.label) last++;
      if (last > i) merges.push(rangeAddress(1, i + 1, 1, last + 1));
    }
  });
  return { rows: [top, columns.map((c) => c.subLabel ?? null)], merges };
}

/** Compiles a form spec that parseCampaignDocument accepted. */
export function compileForm(spec: FormSpec): FormDefinition {
  const columns = spec.columns.map(compileColumn);
  const byKey = new Map(columns.map((c) => [c.key, c]));
  const order = new Map(columns.map((c, i) => [c.key, i]));
  const { rows, merges } = header(columns);
  const form: FormDefinition = {
    id: spec.id,
    tag: spec.tag,
    title: spec.title,
    sheetName: spec.sheetName,
    kind: spec.kind,
    columns,
    headerRows: rows,
    headerMerges: merges,
    notes: spec.notes,
    rules: (spec.rules ?? []).map((r) => {
      const terms = r.terms.map((k) => byKey.get(k)!);
      const total = byKey.get(r.total)!;
      const span = [...terms, total].sort((a, b) => order.get(a.key)! - order.get(b.key)!);
      return {
        code: `${spec.id}.${r.id}`,
        kind: r.kind,
        terms,
        total,
        span,
        ...(r.message ? { message: r.message } : {}),
      };
    }),
    spec,
  };
  const serial = columns.find((c) => c.type === 'serial');
  if (serial) form.serial = serial;
  if (spec.unitColumn) form.unitColumn = byKey.get(spec.unitColumn)!;
  if (spec.status) form.status = { column: byKey.get(spec.status.column)!, closed: spec.status.closed };
  return form;
}

const catalogs = new WeakMap<CampaignDocument, FormCatalog>();

/** The compiled forms of a campaign document (compiled once per document object). */
export function campaignForms(doc: Pick<CampaignDocument, 'forms'>): FormCatalog {
  const cached = catalogs.get(doc as CampaignDocument);
  if (cached) return cached;
  const forms = doc.forms.map(compileForm);
  const byId = new Map(forms.map((f) => [f.id, f]));
  const catalog: FormCatalog = { forms, ids: forms.map((f) => f.id), get: (id) => byId.get(id) };
  catalogs.set(doc as CampaignDocument, catalog);
  return catalog;
}

/** Every numeric column a 合计 adds up (integer and decimal; not the serial). */
export function summedColumns(form: FormDefinition): ColumnDefinition[] {
  return form.columns.filter((c) => c.type === 'integer' || c.type === 'decimal');
}

/** Is this row a closed case of the form (its status column holds the closed value)? */
export function isClosedRow(form: FormDefinition, row: object): boolean {
  return form.status !== undefined && (row as Record<string, unknown>)[form.status.column.key] === form.status.closed;
}
