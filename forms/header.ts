// Finding a 附件 table in a sheet by its labels, wherever it starts and however the clerk's copy of the
// template spells, breaks, widens or merges them.
import { cellText, labelKey } from './cells';
import type { ColumnDefinition, FormDefinition } from './spec';
import type { Grid } from './types';

export interface HeaderMatch {
  form: FormDefinition;
  /** 0-based grid rows of the header's first and last row. */
  firstRow: number;
  lastRow: number;
  /** 0-based grid column of each column key found. */
  columns: Map<string, number>;
  missing: ColumnDefinition[];
}

interface LabelGroup {
  label: string;
  keys: string[];
  /** The label without its unit (`交办数量` of `交办数量(件)`), matched as a prefix when long enough. */
  stem: string;
  columns: ColumnDefinition[];
}

/** Labels longer than this are data, not header text; skipping them keeps the scan cheap on big sheets. */
const MAX_LABEL_LENGTH = 40;

function stem(label: string): string {
  return label.replace(/[(（][^)）]*[)）]\s*$/, '');
}

const groupsCache = new WeakMap<FormDefinition, LabelGroup[]>();

/** A form's top-row labels, each with the columns under it (several for 交办数量(件) and 拘留(人)). */
function labelGroups(form: FormDefinition): LabelGroup[] {
  const cached = groupsCache.get(form);
  if (cached) return cached;
  const groups: LabelGroup[] = [];
  for (const column of form.columns) {
    const last = groups[groups.length - 1];
    if (last && last.label === column.label && column.subLabel !== undefined) {
      last.columns.push(column);
      continue;
    }
    const keys = new Set([labelKey(column.label), labelKey(stem(column.label)), ...column.aliases.map(labelKey)]);
    groups.push({ label: column.label, keys: [...keys], stem: labelKey(stem(column.label)), columns: [column] });
  }
  groupsCache.set(form, groups);
  return groups;
}

/**
 * The ways a sub-column is headed: `行政`, `行政(人)`, `行政拘留`, `拘留行政`, `拘留(人)行政`; with the
 * group's name only when it stands alone in a flattened header.
 */
function subLabelKeys(column: ColumnDefinition): Set<string> {
  const sub = column.subLabel!;
  const group = stem(column.label);
  return new Set(
    [sub, `${sub}${unitOf(column.label)}`, `${sub}${group}`, `${group}${sub}`, `${column.label}${sub}`].map(labelKey),
  );
}

function unitOf(label: string): string {
  return /[(（][^)）]*[)）]\s*$/.exec(label)?.[0] ?? '';
}

/** Which label of the form a header cell carries: exact first, then a long enough prefix (`是否办结(已办结/…)`). */
function matchGroup(groups: LabelGroup[], key: string): LabelGroup | undefined {
  for (const g of groups) if (g.keys.includes(key)) return g;
  for (const g of groups) {
    if (g.stem.length >= 4 && key.startsWith(g.stem)) return g;
  }
  return undefined;
}

function rowKeys(row: unknown[] | undefined): (string | null)[] {
  if (!row) return [];
  const keys: (string | null)[] = new Array(row.length);
  for (let c = 0; c < row.length; c++) {
    const text = cellText(row[c]);
    keys[c] = text === '' || text.length > MAX_LABEL_LENGTH ? null : labelKey(text);
  }
  return keys;
}

/** How many of a form's labels a row carries, and where. */
function scoreRow(groups: LabelGroup[], keys: (string | null)[]): Map<LabelGroup, number> {
  const found = new Map<LabelGroup, number>();
  for (let c = 0; c < keys.length; c++) {
    const key = keys[c];
    if (!key) continue;
    const g = matchGroup(groups, key);
    if (g && !found.has(g)) found.set(g, c);
  }
  return found;
}

/** A row counts as the header when it carries at least this share of the form's labels. */
const MIN_SHARE = 0.6;

/** Finds the header of whichever of the forms fits best in the grid; null when none. */
export function findHeader(grid: Grid, forms: readonly FormDefinition[]): HeaderMatch | null {
  for (let r = 0; r < grid.length; r++) {
    const keys = rowKeys(grid[r]);
    if (keys.every((k) => k === null)) continue;
    let best: { form: FormDefinition; found: Map<LabelGroup, number>; share: number } | null = null;
    for (const form of forms) {
      const groups = labelGroups(form);
      const found = scoreRow(groups, keys);
      const share = found.size / groups.length;
      if (share >= MIN_SHARE && (!best || share > best.share)) best = { form, found, share };
    }
    if (best) return mapColumns(grid, r, best.form, best.found, keys);
  }
  return null;
}

function mapColumns(
  grid: Grid,
  r: number,
  form: FormDefinition,
  found: Map<LabelGroup, number>,
  keys: (string | null)[],
): HeaderMatch {
  const columns = new Map<string, number>();
  const missing: ColumnDefinition[] = [];
  const below = rowKeys(grid[r + 1]);
  let usesSecondRow = false;
  const starts = [...found.values()].sort((a, b) => a - b);
  for (const [group, c] of found) {
    if (group.columns.length === 1) {
      columns.set(group.columns[0].key, c);
      continue;
    }
    // A merged group label spans until the next different label; its sub-labels sit in the row below.
    const nextStart = starts.find((s) => s > c) ?? Math.max(keys.length, below.length);
    let end = c + 1;
    while (end < nextStart && (keys[end] === null || keys[end] === keys[c])) end++;
    for (const [i, column] of group.columns.entries()) {
      const subs = subLabelKeys(column);
      let at = -1;
      for (let k = c; k < Math.max(end, c + group.columns.length); k++)
        if (below[k] !== null && subs.has(below[k]!)) at = k;
      const inSecondRow = at >= 0;
      if (at < 0)
        for (let k = c; k < keys.length; k++)
          if (keys[k] !== null && subs.has(keys[k]!) && keys[k] !== labelKey(column.subLabel!)) at = k;
      if (at >= 0) usesSecondRow ||= inSecondRow;
      // No sub-labels anywhere: trust the template's order inside the merged group.
      else if (end - c === group.columns.length) at = c + i;
      if (at >= 0) columns.set(column.key, at);
      else missing.push(column);
    }
  }
  // Sub-columns whose group label is gone (a header flattened to 属实/不属实/合计) are found by their own label.
  for (const column of form.columns) {
    if (columns.has(column.key) || missing.includes(column) || !column.subLabel) continue;
    const subs = subLabelKeys(column);
    const inRow = keys.findIndex((k) => k !== null && subs.has(k));
    const inBelow = below.findIndex((k) => k !== null && subs.has(k));
    if (inRow >= 0) columns.set(column.key, inRow);
    else if (inBelow >= 0) {
      columns.set(column.key, inBelow);
      usesSecondRow = true;
    }
  }
  for (const column of form.columns) if (!columns.has(column.key) && !missing.includes(column)) missing.push(column);
  let lastRow = usesSecondRow ? r + 1 : r;
  // A second header row that only repeats or blanks the labels (vertically merged cells) is header too.
  if (!usesSecondRow && continuesHeader(rowKeys(grid[r + 1]), keys, columns)) lastRow = r + 1;
  return { form, firstRow: r, lastRow, columns, missing };
}

function continuesHeader(next: (string | null)[], keys: (string | null)[], columns: Map<string, number>): boolean {
  let repeats = 0;
  for (const c of columns.values()) {
    if (next[c] === null || next[c] === undefined) continue;
    if (next[c] !== keys[c]) return false;
    repeats++;
  }
  return repeats > 0;
}

/** The labels a form's header must carry, for the message when none was found. */
export function expectedLabels(form: FormDefinition): string {
  return labelGroups(form)
    .map((g) => `「${g.label}」`)
    .join('');
}
