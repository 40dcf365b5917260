// Sheets the prefecture pulls, laid out the way the office knows them: consolidated 附件1/附件2 through
// forms.renderSheet, the status board and statistics as simple titled tables in the same style.
import { columnLetter } from '../../forms/address';
import { consolidatedSheet } from '../../forms/consolidated';
import { renderSheet } from '../../forms/render';
import type { FormCatalog, FormDefinition } from '../../forms/spec';
import type { CallbackSample } from '../../forms/sample';
import type {
  ConsolidatedFujian1Row,
  ConsolidatedResponse,
  RemindersResponse,
  StatsResponse,
  StatusResponse,
  UnitContact,
} from '../../contract/api';
import { STATUS_LABELS } from '../../contract/api';
import type { LayoutValue, SheetLayout } from '../workbook/types';
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
  return consolidatedSheet(form, table, STATUS_LABELS, {
    unitName: prefectureName,
    fillDate: todayInShanghai(),
  });
}

/** The columns the office fills in after each visit; blank and text-formatted so whatever is typed stays as typed. */
export const CALLBACK_COLUMNS = ['回访方式', '回访结果', '群众满意度'] as const;

/**
 * The callback sample (回访样本) in the 附件1 layout, renumbered 1…M, with the unit and its own 序号 so each case can
 * be found in the county's sheet, blank columns for the visit, and the seed in the title and in a note so the
 * draw can be repeated and audited.
 */
export function callbackSampleLayout(
  form: FormDefinition,
  table: ConsolidatedResponse,
  sample: CallbackSample<ConsolidatedFujian1Row>,
  prefectureName: string,
  sampleNumber: string,
): SheetLayout {
  const rows = sample.rows.map((r, i) => ({ ...r, seq: i + 1 }));
  const layout = renderSheet(
    form,
    rows,
    { unitName: prefectureName },
    {
      sheetName: `回访样本 ${table.round}`,
      extraColumns: [
        { label: '填报单位', width: 16, values: rows.map((r) => r.unitName) },
        { label: '本单位序号', width: 8, values: rows.map((r) => r.originalSeq) },
        ...CALLBACK_COLUMNS.map((label) => ({
          label,
          width: label === '回访结果' ? 30 : 12,
          values: rows.map(() => null),
        })),
      ],
    },
  );
  const values = layout.values.map((r) => [...r]);
  const width = layout.columnWidths.length;
  const titleIndex = layout.titleRow - 1;
  values[titleIndex][0] = `${values[titleIndex][0]}——已办结案件回访样本(抽样种子 ${sample.seed})`;

  const names = new Map<string, string>([
    ...table.units.map((u) => [u.unit, u.unitName] as const),
    ...(table.rows as ConsolidatedFujian1Row[]).map((r) => [r.unit, r.unitName] as const),
  ]);
  const percent = `${Math.round(sample.ratio * 1000) / 10}%`;
  const perUnit = sample.units
    .map(
      (u) => `${names.get(u.unit) ?? u.unit}${u.closed ? `已办结 ${u.closed} 件、抽取 ${u.drawn} 件` : '无已办结案件'}`,
    )
    .join(';');
  const notes = [
    `抽样说明:抽样种子 ${sample.seed}(轮次 ${table.round},抽样号 ${sampleNumber})。按各单位已办结案件的 ${percent} 向上取整随机抽取:${perUnit}。` +
      `在「汇总」中选同一轮次、填写抽样号 ${sampleNumber},汇总数据不变时可重新抽出同一样本。`,
    '回访方式填写「电话」或「实地」;回访结果和群众满意度由回访人员填写。',
  ];
  const merges = [...layout.merges];
  for (const note of notes) {
    values.push([note, ...Array(width - 1).fill(null)]);
    merges.push(`A${values.length}:${columnLetter(width)}${values.length}`);
  }
  const formWidth = width - 2 - CALLBACK_COLUMNS.length;
  const callbackColumns = CALLBACK_COLUMNS.map((_, i) => formWidth + 2 + i);
  return {
    ...layout,
    values,
    merges,
    notes: { firstRow: layout.notes.firstRow, lastRow: values.length },
    textColumns: [...layout.textColumns, ...callbackColumns],
    numberFormats: layout.numberFormats.map((f, i) => (callbackColumns.includes(i) ? '@' : f)),
  };
}
