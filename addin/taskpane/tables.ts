// Sheets the prefecture pulls, laid out the way the office knows them: consolidated 附件1/附件2 through
// forms.renderSheet, the status board and statistics as simple titled tables in the same style.
import { columnLetter } from '../../forms/address';
import { consolidatedSheet } from '../../forms/consolidated';
import { CALLBACK_FLAG_LABEL, callbackFlagText, type CallbackFlag } from '../../forms/callback';
import type { FormCatalog, FormDefinition } from '../../forms/spec';
import type {
  CallbackTally,
  ConsolidatedResponse,
  ProgressResponse,
  RemindersResponse,
  StatsResponse,
  StatusResponse,
  UnitContact,
} from '../../contract/api';
import { STATUS_LABELS } from '../../contract/api';
import type { ChartSpec, LayoutValue, SheetLayout } from '../workbook/types';
import { formatDateTime, todayInShanghai } from './dates';

export interface TableColumn {
  label: string;
  width: number;
  /** Text columns are written as text; numbers get `format`. */
  kind: 'text' | 'number';
  format?: string;
}

/** A titled table: a tag line, a merged title, a subtitle line, the header, the rows, an optional 合计 line. */
export function tableLayout(opts: {
  sheetName: string;
  title: string;
  subtitle: string;
  columns: TableColumn[];
  rows: LayoutValue[][];
  total?: LayoutValue[];
}): SheetLayout {
  const { columns } = opts;
  const width = columns.length;
  const last = columnLetter(width);
  const body = opts.total ? [...opts.rows, opts.total] : opts.rows;
  const values: LayoutValue[][] = [
    [opts.sheetName],
    [opts.title],
    [opts.subtitle],
    columns.map((c) => c.label),
    ...body,
  ];
  const dataFirst = 5;
  const dataLast = 4 + body.length;
  return {
    sheetName: opts.sheetName,
    values: values.map((r) => [...r, ...Array(Math.max(0, width - r.length)).fill(null)]),
    merges: [`A2:${last}2`, `A3:${last}3`],
    columnWidths: columns.map((c) => c.width),
    header: { firstRow: 4, lastRow: 4 },
    data: { firstRow: dataFirst, lastRow: dataLast },
    textColumns: columns.flatMap((c, i) => (c.kind === 'text' ? [i] : [])),
    numberFormats: columns.map((c) => (c.kind === 'text' ? '@' : (c.format ?? null))),
    printTitleRows: '4:4',
    freeze: { rows: 4, columns: 0 },
    titleRow: 2,
    boldRows: [2, 4, ...(opts.total ? [dataLast] : [])],
    borders: `A4:${last}${Math.max(dataLast, 4)}`,
  };
}

const CALLBACK_STATS_COLUMNS: TableColumn[] = [
  { label: '回访样本', width: 8, kind: 'number', format: '0' },
  { label: '已回访', width: 8, kind: 'number', format: '0' },
  { label: '回访完成率', width: 10, kind: 'number', format: '0.0%' },
  { label: '不满意', width: 8, kind: 'number', format: '0' },
  { label: '满意率', width: 8, kind: 'number', format: '0.0%' },
];
const callbackCells = (t: CallbackTally | null | undefined): LayoutValue[] =>
  t ? [t.sampled, t.visited, t.coverage, t.dissatisfied, t.visited ? t.satisfaction : null] : [0, 0, null, 0, null];

/** The unit's registered contact (联系人), as the status and statistics sheets end. */
const CONTACT_COLUMNS: TableColumn[] = [
  { label: '登记联系人', width: 10, kind: 'text' },
  { label: '联系电话', width: 18, kind: 'text' },
];
const contactCells = (c: UnitContact | null | undefined): string[] => [c?.name ?? '未登记', c?.phone ?? ''];

/** Who reported the round: per form of the campaign, the status, when and who; then the registered contact. */
export function statusLayout(status: StatusResponse, forms: FormCatalog): SheetLayout {
  const cols: TableColumn[] = [
    { label: '单位', width: 18, kind: 'text' },
    ...forms.forms.flatMap((f): TableColumn[] => [
      { label: f.tag, width: 10, kind: 'text' },
      { label: `${f.tag}提交时间`, width: 18, kind: 'text' },
      { label: `${f.tag}联系人`, width: 10, kind: 'text' },
    ]),
    ...CONTACT_COLUMNS,
  ];
  const rows = status.units.map((u) => [
    u.unitName,
    ...forms.forms.flatMap((f) => {
      const s = u.forms[f.id];
      if (!s) return ['', '', ''];
      return [STATUS_LABELS[s.status], s.submittedAt ? formatDateTime(s.submittedAt) : '', s.contactName ?? ''];
    }),
    ...contactCells(u.contact),
  ]);
  return tableLayout({
    sheetName: `报送情况 ${status.round}`,
    title: `${status.round} 轮次报送情况`,
    subtitle: `截止时间:${formatDateTime(status.deadline)}`,
    columns: cols,
    rows,
  });
}

/**
 * The statistics of the ledger whose status column they follow (附件1 是否办结): one column per status value;
 * 办结 is the status's closed value (已办结).
 */
export function statsLayout(stats: StatsResponse, form: FormDefinition): SheetLayout {
  const choices = form.status?.column.choices ?? [];
  // The round's 回访 figures, once a sample has been drawn for it.
  const withCallbacks = stats.totals.callback != null;
  const cols: TableColumn[] = [
    { label: '单位', width: 18, kind: 'text' },
    { label: '报送状态', width: 10, kind: 'text' },
    { label: '问题数', width: 8, kind: 'number', format: '0' },
    ...choices.map((c): TableColumn => ({
      label: c,
      width: Math.max(8, c.length * 2 + 2),
      kind: 'number',
      format: '0',
    })),
    { label: '办结率', width: 8, kind: 'number', format: '0.0%' },
    { label: '反弹', width: 6, kind: 'number', format: '0' },
    { label: '较上轮新增', width: 10, kind: 'number', format: '0' },
    { label: '较上轮修改', width: 10, kind: 'number', format: '0' },
    { label: '较上轮新办结', width: 10, kind: 'number', format: '0' },
    { label: '较上轮删除', width: 10, kind: 'number', format: '0' },
    ...(withCallbacks ? CALLBACK_STATS_COLUMNS : []),
    ...CONTACT_COLUMNS,
  ];
  const line = (s: Omit<StatsResponse['units'][number], 'unit' | 'unitName' | 'status' | 'contact'>) => [
    s.rows,
    ...choices.map((c) => s.byClosure[c] ?? 0),
    s.closedRate,
    s.rebounds,
    s.changesSinceLastRound.added,
    s.changesSinceLastRound.changed,
    s.changesSinceLastRound.newlyClosed,
    s.changesSinceLastRound.removed,
    ...(withCallbacks ? callbackCells(s.callback) : []),
  ];
  return tableLayout({
    sheetName: `统计 ${stats.round}`,
    title: `${stats.round} 轮次${form.tag}办理情况统计`,
    subtitle: stats.previousRound ? `对比上一轮次:${stats.previousRound}` : '本轮为第一轮次',
    columns: cols,
    rows: stats.units.map((u) => [u.unitName, STATUS_LABELS[u.status], ...line(u), ...contactCells(u.contact)]),
    total: ['合计', '', ...line(stats.totals), '', ''],
  });
}

/** The 催报 list as a sheet: one line per unit missing or late, with whom to call. */
export function remindersLayout(list: RemindersResponse): SheetLayout {
  const cols: TableColumn[] = [
    { label: '单位', width: 18, kind: 'text' },
    { label: list.overdue ? '逾期未报' : '尚未报送', width: 16, kind: 'text' },
    { label: '逾期报送', width: 12, kind: 'text' },
    { label: '联系人', width: 10, kind: 'text' },
    { label: '科室/职务', width: 20, kind: 'text' },
    { label: '联系电话', width: 20, kind: 'text' },
  ];
  return tableLayout({
    sheetName: `催报 ${list.round}`,
    title: `${list.round} 轮次催报名单`,
    subtitle: `截止时间:${formatDateTime(list.deadline)};共 ${list.units.length} 个单位`,
    columns: cols,
    rows: list.units.map((u) => [
      u.unitName,
      u.missing.join('、'),
      u.late.join('、'),
      u.contactName ?? '未登记',
      u.contactOffice ?? '',
      u.contactPhone ?? '',
    ]),
  });
}

export function consolidatedLayout(
  form: FormDefinition,
  table: ConsolidatedResponse,
  prefectureName: string,
): SheetLayout {
  return consolidatedSheet(form, table, STATUS_LABELS, { unitName: prefectureName, fillDate: todayInShanghai() });
}

/** The 回访不满意 column of a unit's pulled ledger: the flag's text on its case's row, or null when none is flagged. */
export function flagColumn(
  form: FormDefinition,
  rows: readonly Record<string, unknown>[],
  flags: readonly CallbackFlag[],
) {
  if (flags.length === 0 || !form.serial) return null;
  const bySeq = new Map(flags.map((f) => [f.seq, f]));
  const serial = form.serial.key;
  return {
    label: CALLBACK_FLAG_LABEL,
    width: 36,
    values: rows.map((r) => {
      const f = bySeq.get(Number(r[serial]));
      return f ? callbackFlagText(f) : null;
    }),
  };
}

/** A sheet with the native charts to add over its tables (where the host has them). */
export interface ChartedSheet {
  layout: SheetLayout;
  charts: ChartSpec[];
}

/**
 * Progress over the campaign's rounds: one line per round (办结率, 按时报送率, 回访完成率, 满意率 first, so one chart
 * draws them from a single block; then the counts), and below it each county's figures in the latest round. Two
 * charts: the rates over the rounds (lines) and 办结率 by county (columns).
 */
export function progressLayout(progress: ProgressResponse): ChartedSheet {
  const cols: TableColumn[] = [
    { label: '轮次', width: 12, kind: 'text' },
    { label: '办结率', width: 9, kind: 'number', format: '0.0%' },
    { label: '按时报送率', width: 10, kind: 'number', format: '0.0%' },
    { label: '回访完成率', width: 10, kind: 'number', format: '0.0%' },
    { label: '回访满意率', width: 10, kind: 'number', format: '0.0%' },
    { label: '参加单位', width: 9, kind: 'number', format: '0' },
    { label: '按时报齐', width: 9, kind: 'number', format: '0' },
    { label: '逾期报齐', width: 9, kind: 'number', format: '0' },
    { label: '未报齐', width: 8, kind: 'number', format: '0' },
    { label: `${progress.formTag}案件`, width: 9, kind: 'number', format: '0' },
    { label: progress.closedValue, width: 8, kind: 'number', format: '0' },
    { label: '回访样本', width: 9, kind: 'number', format: '0' },
    { label: '已回访', width: 8, kind: 'number', format: '0' },
  ];
  const rate = (t: CallbackTally | null, k: 'coverage' | 'satisfaction') =>
    t && (k === 'coverage' || t.visited > 0) ? t[k] : null;
  const roundRows: LayoutValue[][] = progress.rounds.map((r) => [
    r.round,
    r.closedRate,
    r.units ? r.onTime / r.units : 0,
    rate(r.callback, 'coverage'),
    rate(r.callback, 'satisfaction'),
    r.units,
    r.onTime,
    r.late,
    r.missing,
    r.cases,
    r.closed,
    r.callback?.sampled ?? null,
    r.callback?.visited ?? null,
  ]);
  const latest = progress.rounds.at(-1)?.round ?? '';
  // Each county in the latest round: its 办结率, its on-time share of the rounds so far, its callbacks.
  const countyHeader = ['单位', `办结率(${latest})`, '按时报送率', '回访完成率', '回访满意率'];
  const countyRows: LayoutValue[][] = progress.units.map((u) => {
    const last = u.rounds.at(-1);
    const sampled = [...u.rounds].reverse().find((r) => r.callback && r.callback.sampled > 0)?.callback ?? null;
    return [
      u.unitName,
      last?.closedRate ?? 0,
      u.rounds.length ? u.rounds.filter((r) => r.status === 'ontime').length / u.rounds.length : 0,
      rate(sampled, 'coverage'),
      rate(sampled, 'satisfaction'),
    ];
  });
  const layout = tableLayout({
    sheetName: '各轮统计',
    title: `${progress.campaignName}各轮报送与办理情况`,
    subtitle: `按时报送率 = 按时报齐全部表格的单位 / 参加单位;办结率 = ${progress.closedValue} / ${progress.formTag}案件(含沿用上期);回访满意率 = (满意 + 基本满意) / 已回访`,
    columns: cols,
    rows: [...roundRows, [], countyHeader, ...countyRows],
  });
  const roundsLast = 4 + roundRows.length;
  const countyFirst = roundsLast + 2;
  const countyLast = countyFirst + countyRows.length;
  layout.boldRows = [...(layout.boldRows ?? []), countyFirst];
  const right = columnLetter(cols.length + 2);
  const farRight = columnLetter(cols.length + 10);
  const charts: ChartSpec[] = [
    {
      title: '各轮办结率、按时报送率与回访情况',
      kind: 'line',
      source: `A4:E${roundsLast}`,
      position: [`${right}4`, `${farRight}20`],
      percent: true,
    },
    ...(countyRows.length
      ? [
          {
            title: `各县办结率(${latest})`,
            kind: 'column' as const,
            source: `A${countyFirst}:B${countyLast}`,
            position: [`${right}22`, `${farRight}38`] as [string, string],
            percent: true,
          },
        ]
      : []),
  ];
  return { layout, charts };
}
