// The two 附件 of the 2019 黄南州 campaign exactly as the government template lays them out.
import { CLOSURE_VALUES, type FormId } from './types';

export type ColumnKind = 'int' | 'number' | 'text' | 'closure';

export interface ColumnDefinition {
  key: string;
  /** The label in the (top) header row, as printed on the template. */
  label: string;
  /** The label in the second header row (附件2 only: 属实/不属实/合计, 行政/刑事). */
  subLabel?: string;
  /** How issues and messages name the column: the label, or `交办数量(件)/属实` for a sub-column. */
  title: string;
  /** Excel character width of the template column. */
  width: number;
  kind: ColumnKind;
  /** `always`: may not be blank; `progress`: only when ValidationContext.requireProgress; `never`: may be blank. */
  required: 'always' | 'progress' | 'never';
  /** Other labels clerks put over the same column (compared after labelKey). */
  aliases?: string[];
  /** The data cell is an integer greater than zero (序号). */
  positive?: boolean;
  /** Most decimals allowed (罚款金额: 4). */
  maxDecimals?: number;
  /** What to write when the cell is left blank, for the message. */
  fillHint?: string;
}

export interface FormDefinition {
  id: FormId;
  /** The line above the title, `附件1`. */
  tag: string;
  title: string;
  /** Name of the sheet a rendered template gets. */
  sheetName: string;
  columns: ColumnDefinition[];
  /** The header exactly as the template prints it: one row (附件1) or two (附件2); null where a merge continues. */
  headerRows: (string | null)[][];
  /** Header merges relative to the header's first row and column A, e.g. `A1:A2`, `B1:D1`. */
  headerMerges: string[];
  /** The lines under the table; `{asOf}` is replaced by the 数据截至 date. */
  notes: string[];
  /** Allowed values of a closure column. */
  closureValues?: readonly string[];
}

type ColumnSpec = Omit<ColumnDefinition, 'title' | 'required'> & Partial<Pick<ColumnDefinition, 'required'>>;

function column(spec: ColumnSpec): ColumnDefinition {
  return {
    required: spec.kind === 'text' || spec.kind === 'closure' ? 'always' : 'never',
    ...spec,
    title: spec.subLabel ? `${spec.label}/${spec.subLabel}` : spec.label,
  };
}

const PREFECTURE_ALIASES = [
  '市州',
  '市(州)',
  '州市',
  '地区',
  '县',
  '县区',
  '县(区)',
  '县市区',
  '单位',
  '单位名称',
  '填报单位',
  '地州',
  '县名',
  '县区名称',
];

const FUJIAN1_COLUMNS: ColumnDefinition[] = [
  column({ key: 'seq', label: '序号', width: 6, kind: 'int', positive: true, required: 'always', aliases: ['编号'] }),
  column({
    key: 'prefecture',
    label: '市/州',
    width: 8,
    kind: 'text',
    fillHint: '请填写所属市/州,如「黄南州」',
    aliases: PREFECTURE_ALIASES,
  }),
  column({
    key: 'address',
    label: '详细地址',
    width: 24,
    kind: 'text',
    fillHint: '请填写问题所在的详细地址(县、乡镇、村)',
    aliases: ['地址', '问题地址'],
  }),
  column({
    key: 'complaint',
    label: '群众举报问题具体内容',
    width: 40,
    kind: 'text',
    fillHint: '请填写群众举报的具体问题',
    aliases: ['举报问题具体内容', '群众举报问题内容', '举报内容'],
  }),
  column({
    key: 'currentState',
    label: '目前整改工作现状',
    width: 30,
    kind: 'text',
    fillHint: '请填写目前的整改工作现状',
    aliases: ['整改工作现状', '目前整改现状'],
  }),
  column({
    key: 'measures',
    label: '具体整改措施及整改目标',
    width: 36,
    kind: 'text',
    fillHint: '请填写具体整改措施和预期整改目标',
    aliases: ['整改措施及整改目标', '具体整改措施和整改目标'],
  }),
  column({
    key: 'progress',
    label: '主题教育期间整改进展',
    width: 30,
    kind: 'text',
    fillHint: '请填写本期整改进展',
    required: 'progress',
    aliases: ['整改进展'],
  }),
  column({ key: 'closure', label: '是否办结', width: 10, kind: 'closure' }),
];

const FUJIAN2_COLUMNS: ColumnDefinition[] = [
  column({
    key: 'unit',
    label: '市/州',
    width: 16,
    kind: 'text',
    fillHint: '请填写填报单位名称,如「同仁县」',
    aliases: PREFECTURE_ALIASES,
  }),
  column({ key: 'verified', label: '交办数量(件)', subLabel: '属实', width: 8, kind: 'int', required: 'always' }),
  column({ key: 'unfounded', label: '交办数量(件)', subLabel: '不属实', width: 8, kind: 'int', required: 'always' }),
  column({ key: 'assigned', label: '交办数量(件)', subLabel: '合计', width: 8, kind: 'int', required: 'always' }),
  column({ key: 'closed', label: '已办结(件)', width: 10, kind: 'int', required: 'always' }),
  column({ key: 'phaseClosed', label: '阶段办结(件)', width: 10, kind: 'int', required: 'always' }),
  column({ key: 'orderedToRectify', label: '责令整改(家)', width: 10, kind: 'int', required: 'always' }),
  column({ key: 'penalized', label: '立案处罚(家)', width: 10, kind: 'int', required: 'always' }),
  column({ key: 'fineWan', label: '罚款金额(万元)', width: 12, kind: 'number', required: 'always', maxDecimals: 4 }),
  column({ key: 'investigated', label: '立案侦查(件)', width: 10, kind: 'int', required: 'always' }),
  column({ key: 'detainedAdmin', label: '拘留(人)', subLabel: '行政', width: 8, kind: 'int', required: 'always' }),
  column({ key: 'detainedCriminal', label: '拘留(人)', subLabel: '刑事', width: 8, kind: 'int', required: 'always' }),
  column({ key: 'interviewed', label: '约谈(人)', width: 8, kind: 'int', required: 'always' }),
  column({ key: 'heldAccountable', label: '问责(人)', width: 8, kind: 'int', required: 'always' }),
];

export const FORMS: Record<FormId, FormDefinition> = {
  fujian1: {
    id: 'fujian1',
    tag: '附件1',
    title: '第一轮中央环境保护督察尚未办结问题整改进展情况自查表',
    sheetName: '附件1',
    columns: FUJIAN1_COLUMNS,
    headerRows: [FUJIAN1_COLUMNS.map((c) => c.label)],
    headerMerges: [],
    notes: [
      '备注:1、整改目标是指截至2019年11月底第二批主题教育活动结束前预期成效',
      '2、除第一次填报外,后续填报只填写最后两栏“整改进展”“是否办结”内容,其余栏目原则上保持不变',
      '3、是否办结栏填写“已办结”“阶段办结”“正在办理”',
    ],
    closureValues: CLOSURE_VALUES,
  },
  fujian2: {
    id: 'fujian2',
    tag: '附件2',
    title: '第二轮第一批中央生态环境保护督察群众举报问题办理情况汇总表',
    sheetName: '附件2',
    columns: FUJIAN2_COLUMNS,
    headerRows: [
      FUJIAN2_COLUMNS.map((c, i) => (i > 0 && c.subLabel && FUJIAN2_COLUMNS[i - 1].label === c.label ? null : c.label)),
      FUJIAN2_COLUMNS.map((c) => c.subLabel ?? null),
    ],
    headerMerges: ['A1:A2', 'B1:D1', 'E1:E2', 'F1:F2', 'G1:G2', 'H1:H2', 'I1:I2', 'J1:J2', 'K1:L1', 'M1:M2', 'N1:N2'],
    notes: ['注:数据截至{asOf}'],
  },
};

/** The 数据截至 placeholder of a blank template, as the government document prints it. */
export const BLANK_DATE = '    年  月  日';
