// readXlsxSheets reads files from writers ExcelJS alone chokes on.
import { FORMS_2019 } from './forms-2019';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { parseSheet, readXlsxSheets } from '../index';
import { FUJIAN1_LABELS, fujian1Row, xlsxBytes } from './sheets';

const fixture = readFileSync(
  join(dirname(fileURLToPath(import.meta.url)), '..', 'testdata', 'fixtures', 'fujian1_errors.xlsx'),
);

async function rewrite(bytes: Uint8Array, edit: (zip: JSZip) => Promise<void>): Promise<Uint8Array> {
  const zip = await JSZip.loadAsync(bytes);
  await edit(zip);
  return zip.generateAsync({ type: 'uint8array' });
}

/** Puts every element of the SpreadsheetML parts under the prefix `x:`, as OpenXML SDK based exporters write them. */
async function prefixElements(zip: JSZip): Promise<void> {
  for (const file of zip.file(/^xl\/.*\.xml$/)) {
    const xml = await file.async('string');
    if (!xml.includes('spreadsheetml/2006/main')) continue;
    zip.file(
      file.name,
      xml
        .replace(/<(\/?)(?![?!])([A-Za-z]+)([\s>/])/g, '<$1x:$2$3')
        .replace(
          'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"',
          'xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"',
        ),
    );
  }
}

const verdict = async (bytes: Uint8Array) => {
  const [sheet] = await readXlsxSheets(bytes);
  const parsed = parseSheet(sheet.grid, FORMS_2019, { origin: sheet.origin });
  return { name: sheet.name, rows: parsed.rows.length, cells: parsed.issues.map((i) => i.cell) };
};

describe('readXlsxSheets', () => {
  it('reads a file whose XML elements carry a namespace prefix (<x:workbook>)', async () => {
    const prefixed = await rewrite(fixture, prefixElements);
    expect(await JSZip.loadAsync(prefixed).then((z) => z.file('xl/workbook.xml')!.async('string'))).toContain(
      '<x:workbook',
    );
    expect(await verdict(prefixed)).toEqual({ name: '附件1', rows: 10, cells: ['H6', 'C8', 'A10', 'A12'] });
  });

  it('reads a file whose document properties ExcelJS does not recognise', async () => {
    const odd = await rewrite(fixture, async (zip) => {
      zip.file(
        'docProps/app.xml',
        '<?xml version="1.0"?><ap:Properties xmlns:ap="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"><ap:Application>WPS 表格</ap:Application></ap:Properties>',
      );
    });
    expect(await verdict(odd)).toEqual({ name: '附件1', rows: 10, cells: ['H6', 'C8', 'A10', 'A12'] });
  });

  it('gives every merged cell the merged value, lists the merges, and starts the grid at A1', async () => {
    const [sheet] = await readXlsxSheets(
      await xlsxBytes([{ rows: [[], FUJIAN1_LABELS, fujian1Row(1), fujian1Row(2, { 1: null })], merges: ['B3:B4'] }]),
    );
    expect(sheet.origin).toBe('A1');
    expect(sheet.merges).toEqual(['B3:B4']);
    expect(sheet.grid[3][1]).toBe('黄南州');
    expect(sheet.grid[0]).toEqual([]);
  });

  it('still refuses what is not a workbook', async () => {
    await expect(readXlsxSheets(new TextEncoder().encode('序号,市/州'))).rejects.toThrow();
    const notXlsx = await new JSZip().file('hello.txt', 'hi').generateAsync({ type: 'uint8array' });
    await expect(readXlsxSheets(notXlsx)).rejects.toThrow();
  });
});
