// The consolidated 附件1 as another program prints it: LibreOffice (Debian's libreoffice-calc-nogui, headless)
// converts the .xlsx the service writes to PDF, poppler renders page 1 to test-artifacts/print/ for a person to
// look at, and the text poppler finds on the page shows that no wrapped cell was cut off. Every data row's height
// is checked against the text it holds.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { HUANGNAN_2019_FORMS } from '../../forms/campaign/seed';
import { consolidatedSheet } from '../../forms/consolidated';
import { rowPoints, wrappedLines } from '../../forms/row-height';
import { writeXlsx } from '../../forms/xlsx-write';
import { STATUS_LABELS } from '../../contract/api';
import { fujian1Rows } from '../support/rows';

const run = promisify(execFile);
const ARTIFACTS = join(process.cwd(), 'test-artifacts', 'print');

function consolidatedFujian1() {
  const units = [
    ['同仁县', 6],
    ['尖扎县', 4],
    ['泽库县', 5],
  ] as const;
  let seq = 0;
  const rows = units.flatMap(([unitName, count]) =>
    fujian1Rows(count, { unitName }).map((row) => ({
      ...row,
      // Generated texts repeat their openings: a case number makes each findable on the printed page.
      complaint: `第${seq + 1}件:${row.complaint}`,
      seq: ++seq,
      originalSeq: row.seq,
      unitName,
      status: 'ontime' as const,
    })),
  );
  return consolidatedSheet(HUANGNAN_2019_FORMS.get('fujian1')!, { round: '2019-11-14', rows }, STATUS_LABELS, {
    unitName: '黄南州',
    fillDate: '2019-11-15',
  });
}

/** Text without any whitespace: what poppler extracts breaks lines wherever the cell wrapped them. */
const squeeze = (text: string) => text.replace(/\s+/g, '');

describe('the consolidated 附件1 printed by LibreOffice', () => {
  it('sets every data row as tall as its wrapped text, and page 1 shows each printed cell whole', async () => {
    const sheet = consolidatedFujian1();
    const bytes = await writeXlsx([sheet]);
    const dir = mkdtempSync(join(tmpdir(), 'baosong-print-'));
    const xlsx = join(dir, 'consolidated-fujian1.xlsx');
    writeFileSync(xlsx, bytes);

    // Each data row: its height covers the most lines any of its wrapped cells needs.
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
    const ws = workbook.worksheets[0];
    const textRows = sheet.data.lastRow - 1; // the last data row is the 合计 line
    for (let r = sheet.data.firstRow; r <= textRows; r++) {
      const lines = Math.max(
        ...sheet.textColumns.map((c) => wrappedLines(String(sheet.values[r - 1][c] ?? ''), sheet.columnWidths[c])),
      );
      expect(lines, `row ${r}`).toBeGreaterThan(1);
      expect(ws.getRow(r).height, `row ${r}`).toBeGreaterThanOrEqual(rowPoints(lines));
    }

    // LibreOffice prints it (its own profile, so a running instance or another test does not interfere).
    await run(
      'soffice',
      [
        `-env:UserInstallation=file://${join(dir, 'profile')}`,
        '--headless',
        '--norestore',
        '--convert-to',
        'pdf',
        '--outdir',
        dir,
        xlsx,
      ],
      { timeout: 300_000 },
    );
    const pdf = join(dir, 'consolidated-fujian1.pdf');
    mkdirSync(ARTIFACTS, { recursive: true });
    await run(
      'pdftoppm',
      ['-png', '-r', '80', '-f', '1', '-l', '1', '-singlefile', pdf, join(ARTIFACTS, 'consolidated-fujian1-page1')],
      {
        timeout: 120_000,
      },
    );
    expect(readFileSync(join(ARTIFACTS, 'consolidated-fujian1-page1.png')).subarray(1, 4).toString()).toBe('PNG');

    // A cell whose row is too low is clipped when printed: its last words never reach the page.
    const { stdout } = await run('pdftotext', ['-raw', '-f', '1', '-l', '1', pdf, '-'], { timeout: 120_000 });
    const page = squeeze(stdout);
    const printed = [];
    for (let r = sheet.data.firstRow; r <= textRows; r++) {
      const seq = sheet.values[r - 1][0];
      if (!page.includes(`第${seq}件:`)) continue;
      printed.push(r);
      for (const c of sheet.textColumns) {
        const text = squeeze(String(sheet.values[r - 1][c] ?? ''));
        expect(page.includes(text), `row ${r}, column ${c + 1}: ${text}`).toBe(true);
      }
    }
    expect(printed.length).toBeGreaterThanOrEqual(2);
  }, 600_000);
});
