// The sample sheets (copied from ../shared/fixtures into forms/testdata/fixtures), and copies of them with a few cells changed — the way a clerk
// corrects a sheet in WPS before uploading it again.
import { readFileSync } from 'node:fs';
import ExcelJS from 'exceljs';

export const FIXTURES_DIR = new URL('../../forms/testdata/fixtures/', import.meta.url);

export function fixtureBytes(name: string): Uint8Array {
  return new Uint8Array(readFileSync(new URL(name, FIXTURES_DIR)));
}

/** A fixture with the given cells set (address → value; null empties the cell), as new .xlsx bytes. */
export async function editedFixture(name: string, edits: Record<string, string | number | null>): Promise<Uint8Array> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(fixtureBytes(name) as unknown as ArrayBuffer);
  const ws = workbook.worksheets[0];
  for (const [address, value] of Object.entries(edits)) ws.getCell(address).value = value;
  return new Uint8Array((await workbook.xlsx.writeBuffer()) as ArrayBuffer);
}

export async function loadWorkbook(bytes: Uint8Array | ArrayBuffer): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes as ArrayBuffer);
  return workbook;
}

/** Every cell of the workbook that holds a formula, as `Sheet!A1`. */
export function formulaCells(workbook: ExcelJS.Workbook): string[] {
  const found: string[] = [];
  for (const ws of workbook.worksheets) {
    ws.eachRow((row) =>
      row.eachCell((cell) => {
        if (cell.type === ExcelJS.ValueType.Formula || cell.formula) found.push(`${ws.name}!${cell.address}`);
      }),
    );
  }
  return found;
}

/** The row whose first cell reads `label` (e.g. 合计), as values from column A. */
export function rowStartingWith(ws: ExcelJS.Worksheet, label: string): (ExcelJS.CellValue | undefined)[] | null {
  let found: (ExcelJS.CellValue | undefined)[] | null = null;
  ws.eachRow((row) => {
    if (!found && String(row.getCell(1).value ?? '').trim() === label)
      found = (row.values as ExcelJS.CellValue[]).slice(1);
  });
  return found;
}
