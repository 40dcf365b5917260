// Builds real .xlsx files with ExcelJS the way clerks' copies of the template come in, and reads them back
// through readXlsxSheets — so tests see what the add-in and the CLI see.
import ExcelJS from 'exceljs';
import { readXlsxSheets, type XlsxSheet } from '../xlsx-read';

export type Cell = ExcelJS.CellValue;

export interface SheetSpec {
  name?: string;
  /** Rows from row `startRow` (default 1), cells from column `startColumn` (default 1). */
  rows: Cell[][];
  startRow?: number;
  startColumn?: number;
  merges?: string[];
}

export async function xlsxBytes(specs: SheetSpec[]): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  for (const spec of specs) {
    const ws = wb.addWorksheet(spec.name ?? 'Sheet1');
    spec.rows.forEach((cells, r) =>
      cells.forEach((value, c) => {
        if (value !== null && value !== undefined)
          ws.getCell((spec.startRow ?? 1) + r, (spec.startColumn ?? 1) + c).value = value;
      }),
    );
    for (const m of spec.merges ?? []) ws.mergeCells(m);
  }
  return new Uint8Array(await wb.xlsx.writeBuffer());
}

/** Writes the sheets to .xlsx and reads them back. */
export async function roundTrip(...specs: SheetSpec[]): Promise<XlsxSheet[]> {
  return readXlsxSheets(await xlsxBytes(specs));
}

export const FUJIAN1_LABELS = [
  '序号',
  '市/州',
  '详细地址',
  '群众举报问题具体内容',
  '目前整改工作现状',
  '具体整改措施及整改目标',
  '主题教育期间整改进展',
  '是否办结',
];

export const FUJIAN2_TOP = [
  '市/州',
  '交办数量(件)',
  null,
  null,
  '已办结(件)',
  '阶段办结(件)',
  '责令整改(家)',
  '立案处罚(家)',
  '罚款金额(万元)',
  '立案侦查(件)',
  '拘留(人)',
  null,
  '约谈(人)',
  '问责(人)',
];
export const FUJIAN2_SUB = [
  null,
  '属实',
  '不属实',
  '合计',
  null,
  null,
  null,
  null,
  null,
  null,
  '行政',
  '刑事',
  null,
  null,
];
export const FUJIAN2_HEADER_MERGES = (row: number) =>
  ['A', 'E', 'F', 'G', 'H', 'I', 'J', 'M', 'N']
    .map((c) => `${c}${row}:${c}${row + 1}`)
    .concat([`B${row}:D${row}`, `K${row}:L${row}`]);

export function fujian1Row(seq: Cell, overrides: Partial<Record<number, Cell>> = {}): Cell[] {
  const row: Cell[] = [
    seq,
    '黄南州',
    '同仁县隆务镇吾屯村',
    '群众反映砂石料场无序开采,破坏隆务河河道,扬尘污染严重。',
    '已下达停产整改通知。',
    '依法查处非法采砂,2019年11月底前完成河道生态修复。',
    '已完成河道清理。',
    '正在办理',
  ];
  for (const [i, v] of Object.entries(overrides)) row[Number(i)] = v as Cell;
  return row;
}

export function fujian2Row(unit: string, numbers: Cell[] = [14, 2, 16, 8, 5, 4, 0, 12.17, 0, 2, 0, 1, 0]): Cell[] {
  return [unit, ...numbers];
}
