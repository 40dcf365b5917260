import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { XlsxTooLarge } from '../../forms/xlsx-limits';
import { readXlsxSheets } from '../../forms/xlsx-read';
import { IN_PROCESS_XLSX } from '../../functions/xlsx/work';
import { renderSheet } from '../../forms/render';
import { FUJIAN1 } from '../../test/support/forms-2019';
import { hostileXlsx } from '../../test/support/hostile-xlsx';
import { fujian1Rows } from '../../test/support/rows';
import { XlsxWorker } from './xlsx-worker';

const fixture = (name: string) =>
  new Uint8Array(readFileSync(new URL(`../../forms/testdata/fixtures/${name}`, import.meta.url)));

describe('XlsxWorker (the local server reads and writes .xlsx on a worker thread)', () => {
  const worker = new XlsxWorker();
  afterAll(() => worker.close());

  it('reads a workbook exactly as the in-process reader does', async () => {
    const file = fixture('fujian1_tongren.xlsx');
    expect(await worker.readSheets(file)).toEqual(await readXlsxSheets(file));
  });

  it('writes a workbook that reads back with the same cells as one written in process', async () => {
    const layout = [renderSheet(FUJIAN1, fujian1Rows(200), { unitName: '同仁县' })];
    const [viaThread, inProcess] = await Promise.all([
      worker.writeWorkbook(layout),
      IN_PROCESS_XLSX.writeWorkbook(layout),
    ]);
    expect((await readXlsxSheets(viaThread))[0].grid).toEqual((await readXlsxSheets(inProcess))[0].grid);
  });

  it('refuses a file past the limits with the same XlsxTooLarge (limit and Chinese message), and goes on working', async () => {
    const bomb = hostileXlsx(64)['sheet-bomb.xlsx'];
    const inProcess = await readXlsxSheets(bomb).catch((e: unknown) => e);
    const viaThread = await worker.readSheets(bomb).catch((e: unknown) => e);
    expect(inProcess).toBeInstanceOf(XlsxTooLarge);
    expect(viaThread).toBeInstanceOf(XlsxTooLarge);
    expect((viaThread as XlsxTooLarge).limit).toBe((inProcess as XlsxTooLarge).limit);
    expect((viaThread as XlsxTooLarge).message).toBe((inProcess as XlsxTooLarge).message);
    expect(await worker.readSheets(fixture('fujian2_tongren.xlsx'))).toHaveLength(1);
  });

  it('a file that is not a workbook fails with an Error, not a crash of the server', async () => {
    await expect(worker.readSheets(new TextEncoder().encode('not a zip'))).rejects.toThrow(Error);
    expect(await worker.readSheets(fixture('fujian1_tongren.xlsx'))).not.toHaveLength(0);
  });
});
