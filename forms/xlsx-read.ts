// .xlsx bytes → the values grid of every sheet, with ExcelJS (Node and browser alike). Each cell of a merged
// area reads as the area's value, as the clerk sees it; the merges are returned too.
import type { Workbook } from 'exceljs';
import type { Grid } from './types';
import { inspectXlsx, XLSX_LIMITS } from './xlsx-limits';

export { XlsxTooLarge } from './xlsx-limits';

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

/**
 * Throws XlsxTooLarge (forms/xlsx-limits.ts, a Chinese message naming the limit) for a file past the limits,
 * before ExcelJS reads it; any other Error when the file is not an .xlsx workbook.
 */
export async function readXlsxSheets(data: ArrayBuffer | Uint8Array): Promise<XlsxSheet[]> {
  const bytes = data instanceof Uint8Array ? data : new Uint8Array(data);
  await inspectXlsx(bytes);
  const ExcelJS = await loadExcelJs();
  let workbook: Workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  } catch (err) {
    const repaired = await repairXlsx(bytes);
    if (!repaired) throw err;
    workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(repaired as unknown as ArrayBuffer);
  }
  // ExcelJS accepts any zip; a workbook without worksheets is not one a clerk made.
  if (workbook.worksheets.length === 0) throw new Error('文件中没有工作表:不是有效的 .xlsx 工作簿');
  return workbook.worksheets.map((ws) => {
    const grid: Grid = [];
    ws.eachRow({ includeEmpty: false }, (row, rowNumber) => {
      const values: Grid[number] = [];
      row.eachCell({ includeEmpty: false }, (cell, col) => {
        // A cell far to the right (XFD6) would make every grid row 16,384 wide; nothing of a form lives there.
        if (col > XLSX_LIMITS.columns) return;
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

const SPREADSHEET_NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';

/**
 * ExcelJS stops on two things valid .xlsx files from other writers contain: XML whose elements carry a
 * namespace prefix (`<x:workbook>`, OpenXML SDK and some export tools) and document properties it does not
 * recognise (`docProps/app.xml`). Returns the file with prefixes dropped and the properties left out, or
 * null when it is not a zip at all.
 */
async function repairXlsx(bytes: Uint8Array): Promise<Uint8Array | null> {
  const { default: JSZip } = await import('jszip');
  let zip: InstanceType<typeof JSZip>;
  try {
    zip = await JSZip.loadAsync(bytes);
  } catch {
    return null;
  }
  if (!zip.file('xl/workbook.xml') && !zip.file(/xl\/workbook\.xml$/i).length) return null;
  for (const name of ['docProps/app.xml', 'docProps/core.xml', 'docProps/custom.xml']) zip.remove(name);
  for (const file of zip.file(/^xl\/.*\.xml$/)) {
    const xml = await file.async('string');
    const prefixes = [...xml.matchAll(/xmlns:([A-Za-z_][\w.-]*)="([^"]+)"/g)]
      .filter((m) => m[2] === SPREADSHEET_NS)
      .map((m) => m[1]);
    if (prefixes.length === 0) continue;
    let fixed = xml;
    for (const p of prefixes) {
      fixed = fixed
        .replace(new RegExp(`<(/?)${p}:`, 'g'), '<$1')
        .replace(
          new RegExp(`xmlns:${p}="${SPREADSHEET_NS.replace(/[.]/g, '\\.')}"`, 'g'),
          /xmlns="/.test(fixed) ? '' : `xmlns="${SPREADSHEET_NS}"`,
        );
    }
    zip.file(file.name, fixed);
  }
  return zip.generateAsync({ type: 'uint8array' });
}
