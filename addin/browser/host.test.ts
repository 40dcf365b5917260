import { FORMS_2019 } from '../../test/support/forms-2019';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { BrowserWorkbookHost } from './host';
import type { SheetLayout } from '../workbook/types';

const fixture = (name: string) => readFileSync(new URL(`../../forms/testdata/fixtures/${name}`, import.meta.url));

function recordingHost() {
  const saved: { fileName: string; bytes: Uint8Array }[] = [];
  const host = new BrowserWorkbookHost((bytes, fileName) => {
    saved.push({ bytes, fileName });
  });
  return { host, saved };
}

async function load(bytes: Uint8Array) {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  return workbook;
}

const statusLayout: SheetLayout = {
  sheetName: '报送情况 2019-11-14',
  values: [
    ['报送情况'],
    ['单位', '附件1', '附件2'],
    ['同仁县', '按时报送', '=未报送'],
    ['尖扎县', '逾期报送', '按时报送'],
  ],
  merges: ['A1:C1'],
  columnWidths: [16, 12, 12],
  header: { firstRow: 2, lastRow: 2 },
  data: { firstRow: 3, lastRow: 4 },
  textColumns: [0, 1, 2],
  numberFormats: [null, null, null],
};

describe('BrowserWorkbookHost', () => {
  it('opens an uploaded 附件1 and finds it by its labels', async () => {
    const { host } = recordingHost();
    await host.open(fixture('fujian1_errors.xlsx'), 'fujian1_errors.xlsx');
    const found = await host.findFormSheets(FORMS_2019);
    expect(found).toEqual([{ name: expect.any(String), form: 'fujian1' }]);
    expect(await host.activeSheet()).toBe(found[0].name);
    const sheet = await host.readSheet(found[0].name);
    expect(sheet.grid.flat()).toContain('是否办结');
    expect(host.getState().fileName).toBe('fujian1_errors.xlsx');
  });

  it('tells the pane when another file is opened, so it looks for 附件 sheets again', async () => {
    const { host } = recordingHost();
    const opened: string[] = [];
    const stop = host.onWorkbookOpened(() => opened.push(host.getState().fileName ?? ''));
    await host.open(fixture('fujian1_errors.xlsx'), '第一次.xlsx');
    await host.open(fixture('fujian2_tongren.xlsx'), '第二次.xlsx');
    stop();
    await host.open(fixture('fujian2_zeku.xlsx'), '第三次.xlsx');
    expect(opened).toEqual(['第一次.xlsx', '第二次.xlsx']);
    expect(await host.findFormSheets(FORMS_2019)).toEqual([{ name: expect.any(String), form: 'fujian2' }]);
  });

  it('refuses a file that is not an .xlsx with a Chinese message naming the file', async () => {
    const { host } = recordingHost();
    await expect(host.open(new TextEncoder().encode('序号,市/州\n1,黄南州'), '附件1.csv')).rejects.toThrow(
      /无法读取「附件1\.csv」.*另存为/,
    );
    expect(await host.listSheets()).toEqual([]);
  });

  it('marks every cell an issue names, errors over warnings, and clears them', async () => {
    const { host } = recordingHost();
    await host.open(fixture('fujian2_errors.xlsx'), 'fujian2_errors.xlsx');
    const name = (await host.activeSheet())!;
    let notified = 0;
    const unsubscribe = host.subscribe(() => notified++);
    await host.markIssues(name, [
      { code: 'fujian2.sum_mismatch', severity: 'error', message: 'B7:D7 属实+不属实应等于合计', cell: 'B7:D7' },
      { code: 'changed', severity: 'warning', message: 'C7 与首次报送不同', cell: 'C7' },
      { code: 'x', severity: 'warning', message: '无单元格的问题只在列表里显示' },
    ]);
    const marks = host.getState().sheets.find((s) => s.name === name)!.marks;
    expect([...marks.keys()].sort()).toEqual(['B7', 'C7', 'D7']);
    expect(marks.get('C7')).toEqual({
      severity: 'error',
      messages: ['B7:D7 属实+不属实应等于合计', 'C7 与首次报送不同'],
    });
    await host.clearMarks(name);
    expect(host.getState().sheets.find((s) => s.name === name)!.marks.size).toBe(0);
    expect(notified).toBe(2);
    unsubscribe();
  });

  it('selecting a cell shows its sheet and remembers the cell', async () => {
    const { host } = recordingHost();
    await host.open(fixture('fujian1_errors.xlsx'), 'a.xlsx');
    const name = (await host.activeSheet())!;
    await host.writeSheet(statusLayout);
    await host.selectCell(name, 'H6');
    expect(host.getState()).toMatchObject({ active: name, selected: { sheet: name, address: 'H6' } });
  });

  it('writes a sheet as a tab and a downloaded .xlsx in its layout, formula-looking text kept as text', async () => {
    const { host, saved } = recordingHost();
    const first = await host.writeSheet(statusLayout);
    const second = await host.writeSheet(statusLayout, { activate: false });
    expect([first, second]).toEqual(['报送情况 2019-11-14', '报送情况 2019-11-14 (2)']);
    expect(saved.map((s) => s.fileName)).toEqual(['报送情况 2019-11-14.xlsx', '报送情况 2019-11-14 (2).xlsx']);
    expect(await host.activeSheet()).toBe(first);
    expect(await host.findFormSheets(FORMS_2019)).toEqual([]);
    const ws = (await load(saved[0].bytes)).worksheets[0];
    expect(ws.getCell('A3').value).toBe('同仁县');
    expect(ws.getCell('C3').value).toBe('=未报送');
    expect(ws.getCell('C3').formula).toBeUndefined();
    expect(ws.model.merges).toContain('A1:C1');
  });

  it('downloads an uploaded sheet with its values where they were', async () => {
    const { host, saved } = recordingHost();
    await host.open(fixture('fujian2_tongren.xlsx'), 'fujian2_tongren.xlsx');
    const name = (await host.activeSheet())!;
    await host.download(name);
    expect(saved[0].fileName).toBe(`${name}.xlsx`);
    const ws = (await load(saved[0].bytes)).worksheets[0];
    expect(ws.getCell('A6').value).toBe('同仁县');
    expect(ws.getCell('I6').value).toBe(12.17);
  });
});
