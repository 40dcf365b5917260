// The limits checked before ExcelJS reads an upload (DESIGN §11): the largest real sheet passes, every hostile
// file is refused with the limit it passed — the same code runs on the server and in the browser page.
import { FUJIAN1 } from './forms-2019';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fujian1Rows } from '../../test/support/rows';
import { hostileXlsx, zipArchive } from '../../test/support/hostile-xlsx';
import { renderSheet } from '../render';
import { inspectXlsx, MAX_DATA_ROWS, XLSX_LIMITS, XlsxTooLarge } from '../xlsx-limits';
import { readXlsxSheets } from '../xlsx-read';
import { writeXlsx } from '../xlsx-write';

describe('inspectXlsx', () => {
  it('lets the largest real sheet through: 20,000 rows of 附件1 with real text', async () => {
    const bytes = await writeXlsx([renderSheet(FUJIAN1, fujian1Rows(MAX_DATA_ROWS), { unitName: '同仁县' })]);
    const seen = await inspectXlsx(bytes);
    expect(seen.rows).toBeGreaterThan(MAX_DATA_ROWS);
    expect(seen.rows).toBeLessThanOrEqual(XLSX_LIMITS.rows);
    expect(seen.cells).toBeLessThanOrEqual(XLSX_LIMITS.cells);
    expect(seen.inflatedBytes).toBeLessThanOrEqual(XLSX_LIMITS.inflatedBytes);
  }, 300_000);

  const files = hostileXlsx(64);
  const expected: Record<string, XlsxTooLarge['limit']> = {
    'sheet-bomb.xlsx': 'inflatedBytes',
    'shared-strings-bomb.xlsx': 'inflatedBytes',
    'styles-bomb.xlsx': 'inflatedBytes',
    'lying-size.xlsx': 'inflatedBytes',
    'million-empty-rows.xlsx': 'rows',
    'many-entries.xlsx': 'entries',
    'merge-everything.xlsx': 'cells',
    'far-column.xlsx': 'columns',
  };
  for (const [name, limit] of Object.entries(expected)) {
    it(`refuses ${name} (${limit}) before ExcelJS reads it`, async () => {
      const err = await readXlsxSheets(files[name]).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(XlsxTooLarge);
      expect((err as XlsxTooLarge).limit).toBe(limit);
      expect((err as XlsxTooLarge).message).toMatch(/上限/);
    });
  }

  it('counts an entry count that the end record understates', async () => {
    const many = zipArchive(Array.from({ length: 1500 }, (_, i) => ({ name: `x${i}.xml`, data: '<x/>' })));
    // Claim 10 entries in the end record; the directory itself holds 1,500.
    many.writeUInt16LE(10, many.length - 22 + 8);
    many.writeUInt16LE(10, many.length - 22 + 10);
    await expect(inspectXlsx(many)).rejects.toMatchObject({ limit: 'entries' });
  });

  describe('in a browser without DecompressionStream (Office’s old EdgeHTML webview)', () => {
    afterEach(() => vi.unstubAllGlobals());

    it('still refuses by declared sizes and entry count, and reads a real sheet', async () => {
      vi.stubGlobal('DecompressionStream', undefined);
      await expect(inspectXlsx(files['sheet-bomb.xlsx'])).rejects.toMatchObject({ limit: 'inflatedBytes' });
      await expect(inspectXlsx(files['many-entries.xlsx'])).rejects.toMatchObject({ limit: 'entries' });
      const bytes = await writeXlsx([renderSheet(FUJIAN1, fujian1Rows(3), { unitName: '同仁县' })]);
      const [sheet] = await readXlsxSheets(bytes);
      expect(sheet.grid.length).toBeGreaterThan(3);
    });
  });

  it('leaves files that are not zips to ExcelJS to refuse', async () => {
    await expect(inspectXlsx(new TextEncoder().encode('序号,市/州'))).resolves.toMatchObject({ entries: 0 });
  });
});
