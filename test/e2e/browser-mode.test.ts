// The browser page end to end, in Debian's Chromium against the local stack (DynamoDB Local in memory) serving
// the built page on the API's origin: a county fixes and submits its sheets, a second county submits, the
// prefecture reads the status board and downloads the consolidated tables. Screenshots of every step are kept in
// test-artifacts/e2e/.
import { describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import type { Page } from 'playwright-core';
import { snapshot } from './browser';
import { hostileXlsx } from '../support/hostile-xlsx';
import { FUJIAN1_LABELS } from '../../forms/test/sheets';
import { download, markedCells, paneSession, SLOW, upload, XLSX } from './pane';
import { editedFixture, fixtureBytes, formulaCells, rowStartingWith } from './sheets';

// Noon in 黄南 two days before the 2019-11-14 round: every submission below is on time.
const NOW = new Date('2019-11-12T04:00:00Z');
const FORMULA_LOOKING = '=群众反映养殖场粪污直排,夏季臭味严重';
const pane = paneSession('browser-mode', NOW);
const signIn = (unit: string) => pane.signIn(unit);

async function submitSheet(page: Page, asOf: string): Promise<void> {
  await page.getByLabel('数据截至').fill(asOf);
  await page.getByLabel('联系人').fill('李明');
  await page.getByLabel('联系电话').fill('0973-8722111');
  await page.getByRole('button', { name: /^提交附件[12]$/ }).click();
}

describe('browser mode, end to end in Chromium', () => {
  let county: Page;

  it('a county downloads a blank 附件1 in the template layout to fill in WPS', async () => {
    county = await signIn('zeku');
    const { fileName, workbook } = await download(county, '下载空白附件1');
    expect(fileName).toBe('附件1.xlsx');
    const ws = workbook.worksheets[0];
    expect(ws.getCell('A1').value).toBe('附件1');
    expect(ws.getCell('A3').value).toBe('填报单位(公章):泽库县');
    expect(ws.getRow(4).values).toEqual([undefined, ...FUJIAN1_LABELS]);
    expect(ws.getCell('H5').dataValidation).toMatchObject({ type: 'list', formulae: ['"已办结,阶段办结,正在办理"'] });
    expect(ws.getCell('D5').numFmt).toBe('@');
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 4 });
    expect(ws.pageSetup).toMatchObject({ orientation: 'landscape', paperSize: 9, printTitlesRow: '4:4' });
    await expect.poll(() => county.getByText(/已下载空白附件1「附件1\.xlsx」.*WPS/).count(), SLOW).toBe(1);
    await snapshot(county, '01-county-blank-template');
  });

  it('a county uploads a faulty 附件1 and sees the wrong cells marked and listed', async () => {
    await upload(county, '泽库县附件1.xlsx', fixtureBytes('fujian1_errors.xlsx'));
    await county.getByRole('button', { name: '校验' }).click();
    await expect.poll(() => markedCells(county), SLOW).toEqual(expect.arrayContaining(['H6', 'C8', 'A10', 'A12']));
    expect(await markedCells(county)).toHaveLength(4);
    await expect.poll(() => county.getByText('4 处错误').count(), SLOW).toBeGreaterThan(0);
    expect(await county.locator('td[data-cell="H6"]').getAttribute('title')).toMatch(
      /是否办结.*已办结、阶段办结、正在办理/,
    );

    // The issue list leads to the cell.
    await county.getByRole('button', { name: /A12「序号」/ }).click();
    await expect.poll(() => county.locator('td.selected').getAttribute('data-cell'), SLOW).toBe('A12');
    await snapshot(county, '02-county-faulty-sheet-marked');
  });

  it('the county uploads the corrected sheet (with text starting with =) and submits it', async () => {
    const corrected = await editedFixture('fujian1_errors.xlsx', {
      H6: '正在办理',
      C8: '黄南州泽库县泽曲镇10村',
      A10: 6,
      A12: 8,
      D5: FORMULA_LOOKING,
    });
    await upload(county, '泽库县附件1(已改).xlsx', corrected);
    await county.getByRole('button', { name: '校验' }).click();
    await expect.poll(() => county.getByText('没有错误').count(), SLOW).toBeGreaterThan(0);
    expect(await markedCells(county)).toEqual([]);
    expect(await county.locator('td[data-cell="D5"]').textContent()).toBe(FORMULA_LOOKING);

    await submitSheet(county, '2019-11-10');
    await expect.poll(() => county.getByText(/已按时提交.*附件1.*第 1 版/).count(), SLOW).toBe(1);
    await snapshot(county, '03-county-corrected-submitted');
  });

  it('the county pulls its last 附件1 as a download with columns 1–6 locked, for the next round', async () => {
    const { fileName, workbook } = await download(county, '拉取上次填报');
    expect(fileName).toMatch(/^附件1.*\.xlsx$/);
    const ws = workbook.worksheets[0];
    expect((ws as unknown as { sheetProtection?: { sheet?: boolean } }).sheetProtection?.sheet).toBe(true);
    expect(ws.getCell('D5').value).toBe(FORMULA_LOOKING);
    expect(ws.getCell('D5').type).toBe(ExcelJS.ValueType.String);
    expect(ws.getCell('D5').protection?.locked).not.toBe(false);
    expect(ws.getCell('G5').protection?.locked).toBe(false);
    expect(ws.getCell('H5').protection?.locked).toBe(false);
    await expect.poll(() => county.getByText(/已下载 2019-11-14 轮次的 10 行附件1/).count(), SLOW).toBe(1);
    await snapshot(county, '04-county-pulled-last-fujian1');
  });

  it('the county submits its 附件2 too', async () => {
    await upload(county, '泽库县附件2.xlsx', fixtureBytes('fujian2_zeku.xlsx'));
    await expect
      .poll(() => county.getByRole('combobox', { name: '要校验和提交的工作表' }).inputValue(), SLOW)
      .toBe('附件2');
    await submitSheet(county, '2019-11-10');
    await expect.poll(() => county.getByText(/已按时提交.*附件2.*第 1 版/).count(), SLOW).toBe(1);
    await snapshot(county, '05-county-fujian2-submitted');
  });

  it('a second county submits its 附件2', async () => {
    const second = await signIn('tongren');
    await upload(second, '同仁县附件2.xlsx', fixtureBytes('fujian2_tongren.xlsx'));
    await submitSheet(second, '2019-11-10');
    await expect.poll(() => second.getByText(/已按时提交.*附件2.*第 1 版/).count(), SLOW).toBe(1);
    await snapshot(second, '06-second-county-submitted');
  });

  let prefecture: Page;

  it('the prefecture sees who has reported', async () => {
    prefecture = await signIn('huangnan');
    await prefecture.getByRole('tab', { name: '汇总' }).waitFor();
    const board = prefecture.getByRole('table', { name: '报送情况' });
    await board.waitFor();
    const rowText = (unit: string) => board.getByRole('row').filter({ hasText: unit }).innerText();
    expect(await rowText('泽库县')).toMatch(/按时报送[\s\S]*按时报送/);
    expect(await rowText('同仁县')).toMatch(/未报送[\s\S]*按时报送/);
    expect(await rowText('尖扎县')).toMatch(/未报送\s+未报送/);
    await snapshot(prefecture, '07-prefecture-status-board');
  });

  it('the prefecture downloads consolidated 附件2: totals add up, every cell a value', async () => {
    const { fileName, workbook } = await download(prefecture, '汇总附件2');
    expect(fileName).toMatch(/\.xlsx$/);
    await expect.poll(() => prefecture.getByText(`已下载「${fileName}」。`).count(), SLOW).toBe(1);
    const ws = workbook.worksheets[0];
    expect(formulaCells(workbook)).toEqual([]);
    expect(String(ws.getCell('A2').value)).toContain('第二轮第一批中央生态环境保护督察群众举报问题办理情况汇总表');
    const tongren = rowStartingWith(ws, '同仁县');
    const zeku = rowStartingWith(ws, '泽库县');
    const total = rowStartingWith(ws, '合计');
    expect(tongren?.slice(1, 4)).toEqual([14, 2, 16]);
    for (let c = 1; c < 14; c++) expect(Number(total?.[c])).toBeCloseTo(Number(tongren?.[c]) + Number(zeku?.[c]), 4);
    expect(ws.pageSetup.orientation).toBe('landscape');
    expect(ws.model.merges.length).toBeGreaterThan(5);
    await snapshot(prefecture, '08-prefecture-downloaded-fujian2');
  });

  it('the prefecture downloads consolidated 附件1: text starting with = comes back as text', async () => {
    const { workbook } = await download(prefecture, '汇总附件1');
    expect(formulaCells(workbook)).toEqual([]);
    const cells: ExcelJS.Cell[] = [];
    workbook.worksheets[0].eachRow((row) =>
      row.eachCell((cell) => void (cell.value === FORMULA_LOOKING && cells.push(cell))),
    );
    expect(cells).toHaveLength(1);
    expect(cells[0].type).toBe(ExcelJS.ValueType.String);
    expect(cells[0].numFmt).toBe('@');
    await snapshot(prefecture, '09-prefecture-downloaded-fujian1');
  });

  it('the prefecture downloads the status board and the statistics as .xlsx', async () => {
    const status = await download(prefecture, '报送情况');
    const statusText = JSON.stringify(status.workbook.worksheets[0].getSheetValues());
    expect(statusText).toContain('泽库县');
    expect(statusText).toContain('未报送');
    const stats = await download(prefecture, '统计');
    expect(JSON.stringify(stats.workbook.worksheets[0].getSheetValues())).toContain('泽库县');
    await snapshot(prefecture, '10-prefecture-downloads');
  });
});

describe('limits and headers in the browser page', () => {
  it('refuses a zip bomb the clerk opens, saying which limit, and the page keeps working', async () => {
    const page = await signIn('henan');
    await page.getByTestId('upload').setInputFiles({
      name: '炸弹.xlsx',
      mimeType: XLSX,
      buffer: hostileXlsx(64)['sheet-bomb.xlsx'],
    });
    await expect
      .poll(() => page.getByRole('alert').first().textContent(), SLOW)
      .toMatch(/炸弹\.xlsx.*解压后超过 48 MB/);
    await upload(page, '附件1.xlsx', fixtureBytes('fujian1_errors.xlsx'));
    await snapshot(page, '11-zip-bomb-refused');
  });

  it('ran every page above without a Content Security Policy violation', () => {
    expect(pane.cspViolations).toEqual([]);
  });
});
