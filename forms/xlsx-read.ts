// .xlsx bytes → the values grid of every sheet, with ExcelJS (Node and browser alike). Each cell of a merged
// area reads as the area's value, as the clerk sees it; the merges are returned too.
import type { Workbook } from 'exceljs';
import type { Grid } from './types';

export interface XlsxSheet {
  name: string;
  /** Address of grid[0][0]: always `A1`, so grid rows and columns are sheet rows and columns minus one. */
  origin: string;
  grid: Grid;
  merges: string[];
}

async function loadExcelJs(): Promise<typeof import('exceljs')> {
  const mod = (await import('exceljs')) as unknown as { default?: typeof import('exceljs') } & typeof import('exceljs');
  // Node hands the CommonJS module over as `default`; browser bundles sometimes flatten it.
  return mod.default ?? mod;
}

export async function readXlsxSheets(data: ArrayBuffer | Uint8Array): Promise<XlsxSheet[]> {
  const ExcelJS = await loadExcelJs();
  const workbook: Workbook = new ExcelJS.Workbook();
  const bytes = data instanceof Uint8Array ? data : new Uint8Array(data);
  await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  return workbook.worksheets.map((ws) => {
    const grid: Grid = [];
    ws.eachRow({ includeEmpty: false }, (row, rowNumber) => {
      const values: Grid[number] = [];
      row.eachCell({ includeEmpty: false }, (cell, col) => {
        // Merged cells after the first report the first cell's value (ExcelJS resolves the master).
        values[col - 1] = cell.value as Grid[number][number];
      });
      for (let c = 0; c < values.length; c++) if (values[c] === undefined) values[c] = null;
      grid[rowNumber - 1] = values;
    });
    for (let r = 0; r < grid.length; r++) if (!grid[r]) grid[r] = [];
    const merges = ((ws.model as unknown as { merges?: string[] }).merges ?? []).slice();
    return { name: ws.name, origin: 'A1', grid, merges };
  });
}
