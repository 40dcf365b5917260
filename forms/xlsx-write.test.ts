import { FUJIAN2 } from './test/forms-2019';
import { describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { renderSheet } from './render';
import { writeXlsx, type SheetLayout } from './xlsx-write';
import { FUJIAN1_LABELS } from './test/sheets';

// A 附件1 in the template's layout, built by hand so this test does not depend on the renderer.
function fujian1Layout(rows: (string | number | null)[][]): SheetLayout {
  const dataFirst = 5;
  const dataLast = dataFirst + rows.length - 1;
  return {
    sheetName: '附件1',
    values: [
      ['附件1'],
      ['第一轮中央环境保护督察尚未办结问题整改进展情况自查表'],
      ['填报单位(公章):同仁县', null, null, null, '填报日期:2019年11月14日'],
      FUJIAN1_LABELS,
      ...rows,
      ['备注:3、是否办结栏填写“已办结”“阶段办结”“正在办理”'],
    ],
    merges: ['A2:H2', 'A3:D3', 'E3:H3'],
    columnWidths: [6, 8, 24, 40, 30, 36, 30, 10],
    header: { firstRow: 4, lastRow: 4 },
    data: { firstRow: dataFirst, lastRow: dataLast },
    textColumns: [1, 2, 3, 4, 5, 6, 7],
    numberFormats: ['0', null, null, null, null, null, null, null],
    dropDowns: [{ column: 7, title: '是否办结', values: ['已办结', '阶段办结', '正在办理'] }],
    notes: { firstRow: dataLast + 1, lastRow: dataLast + 1 },
    printTitleRows: '4:4',
    freeze: { rows: 4, columns: 0 },
  };
}

async function readBack(bytes: Uint8Array): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  return workbook;
}

describe('writeXlsx', () => {
  const rows = [
    [1, '黄南州', '同仁县隆务镇', '=HYPERLINK("http://evil","点我")', '+86 0973-8722', '-整改', '@已验收', '已办结'],
    [2, '黄南州', '同仁县保安镇', '锅炉冒黑烟', '已淘汰', '改用电能', '待验收', '正在办理'],
  ];

  it('keeps text that looks like a formula as plain text, in text-formatted cells', async () => {
    const ws = (await readBack(await writeXlsx([fujian1Layout(rows)]))).getWorksheet('附件1')!;
    for (const address of ['D5', 'E5', 'F5', 'G5']) {
      const cell = ws.getCell(address);
      expect(cell.type, address).toBe(ExcelJS.ValueType.String);
      expect(cell.formula, address).toBeUndefined();
      expect(cell.numFmt, address).toBe('@');
    }
    expect(ws.getCell('D5').value).toBe('=HYPERLINK("http://evil","点我")');
    expect(ws.getCell('A5').value).toBe(1);
    expect(ws.getCell('A5').type).toBe(ExcelJS.ValueType.Number);
  });

  it('writes the template layout: merges, widths, bordered bold header, frozen header, A4 landscape with repeated header', async () => {
    const ws = (await readBack(await writeXlsx([fujian1Layout(rows)]))).getWorksheet('附件1')!;
    expect(ws.model.merges).toEqual(expect.arrayContaining(['A2:H2', 'A3:D3', 'E3:H3']));
    expect(ws.getColumn(4).width).toBe(40);
    expect(ws.getColumn(8).width).toBe(10);
    expect(ws.getCell('H4').value).toBe('是否办结');
    expect(ws.getCell('H4').font?.bold).toBe(true);
    expect(ws.getCell('H4').border?.bottom?.style).toBe('thin');
    expect(ws.getCell('C6').border?.left?.style).toBe('thin');
    expect(ws.getCell('A2').font?.size).toBe(16);
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 4 });
    expect(ws.pageSetup.orientation).toBe('landscape');
    expect(ws.pageSetup.paperSize).toBe(9);
    expect(ws.pageSetup.printTitlesRow).toBe('4:4');
    expect(ws.pageSetup.fitToWidth).toBe(1);
  });

  it('offers the 是否办结 drop-down on every data row and only there', async () => {
    const ws = (await readBack(await writeXlsx([fujian1Layout(rows)]))).getWorksheet('附件1')!;
    for (const address of ['H5', 'H6']) {
      expect(ws.getCell(address).dataValidation).toMatchObject({
        type: 'list',
        formulae: ['"已办结,阶段办结,正在办理"'],
      });
    }
    expect(ws.getCell('H4').dataValidation).toBeFalsy();
    expect(ws.getCell('G5').dataValidation).toBeFalsy();
  });

  it('writes several sheets and makes clashing or illegal names unique', async () => {
    const workbook = await readBack(
      await writeXlsx([
        fujian1Layout(rows),
        fujian1Layout(rows.slice(0, 1)),
        { ...fujian1Layout([]), sheetName: '状态/2019-11-14' },
      ]),
    );
    expect(workbook.worksheets.map((ws) => ws.name)).toEqual(['附件1', '附件1_2', '状态_2019-11-14']);
    expect(workbook.getWorksheet('附件1_2')!.getCell('C5').value).toBe('同仁县隆务镇');
  });

  it('writes numbers in number columns as numbers with their format', async () => {
    const layout: SheetLayout = {
      ...fujian1Layout([[3, '黄南州', 'x', 'y', 'z', 'w', 'v', '阶段办结']]),
      numberFormats: ['0', null, null, null, null, null, null, null],
    };
    const ws = (await readBack(await writeXlsx([layout]))).getWorksheet('附件1')!;
    expect(ws.getCell('A5').value).toBe(3);
    expect(ws.getCell('A5').numFmt).toBe('0');
  });
});

describe('writeXlsx with locked columns', () => {
  it('protects the sheet and leaves only the unlocked columns editable', async () => {
    const layout = {
      ...fujian1Layout([[1, '黄南州', 'a', 'b', 'c', 'd', '', '正在办理']]),
      lockedColumns: [0, 1, 2, 3, 4, 5],
    };
    const ws = (await readBack(await writeXlsx([layout]))).getWorksheet('附件1')!;
    expect((ws as unknown as { sheetProtection?: { sheet?: boolean } }).sheetProtection?.sheet).toBe(true);
    expect(ws.getCell('C5').protection?.locked).not.toBe(false);
    expect(ws.getCell('G5').protection?.locked).toBe(false);
    expect(ws.getCell('H5').protection?.locked).toBe(false);
  });
});

describe('writeXlsx of a rendered 附件2', () => {
  it('keeps the two-row header merged, repeats both header rows in print and writes the 合计 line as values', async () => {
    const row = {
      unit: '同仁县',
      verified: 14,
      unfounded: 2,
      assigned: 16,
      closed: 8,
      phaseClosed: 5,
      orderedToRectify: 4,
      penalized: 0,
      fineWan: 12.17,
      investigated: 0,
      detainedAdmin: 2,
      detainedCriminal: 0,
      interviewed: 1,
      heldAccountable: 0,
    };
    const sheet = renderSheet(
      FUJIAN2,
      [row, { ...row, unit: '泽库县', fineWan: 0.0005 }],
      { unitName: '黄南州', asOf: '2019-11-10' },
      { totalRow: true },
    );
    const ws = (await readBack(await writeXlsx([sheet]))).worksheets[0];
    expect(ws.model.merges).toEqual(expect.arrayContaining(['A4:A5', 'B4:D4', 'K4:L4']));
    expect(ws.pageSetup.printTitlesRow).toBe('4:5');
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 5 });
    expect(ws.getCell('A8').value).toBe('合计');
    expect(ws.getCell('I8').value).toBeCloseTo(12.1705, 4);
    expect(ws.getCell('I8').formula).toBeUndefined();
    expect(ws.getCell('B5').font?.bold).toBe(true);
    expect(ws.getCell('H6').dataValidation).toBeFalsy();
  });
});
