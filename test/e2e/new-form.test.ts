// A campaign whose forms exist only as JSON (test/support/campaigns/huifang-2020.json: a 回访情况表 ledger with a
// choice column and a date-like text column, a 回访汇总表 summary with 电话 + 实地 = 合计) goes the real path in
// Chromium with no TypeScript written for it: published with `npm run admin -- campaign publish`, blank templates
// downloaded from the browser page, filled the way a clerk fills them in WPS, errors marked on their cells with
// Chinese hints, submitted, consolidated by the prefecture and downloaded as .xlsx. Screenshots of every step are
// kept in test-artifacts/e2e/.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import type { Page } from 'playwright-core';
import { call } from '../support/api';
import { snapshot } from './browser';
import { download, markedCells, paneSession, SLOW, upload } from './pane';
import { formulaCells, loadWorkbook, rowStartingWith } from './sheets';

const CAMPAIGN_FILE = join(import.meta.dirname, '..', 'support', 'campaigns', 'huifang-2020.json');
const CAMPAIGN = JSON.parse(readFileSync(CAMPAIGN_FILE, 'utf8')) as { id: string; name: string };
// Noon in 黄南 five days before the campaign's 2020-03-15 round.
const NOW = new Date('2020-03-10T04:00:00Z');
const pane = paneSession('new-form', NOW);
const signIn = (unit: string) => pane.signIn(unit);

/** `npm run admin -- <args>` against the stack's DynamoDB Local, as an operator runs it. */
function admin(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'infra/admin/cli.ts', ...args], {
      cwd: join(import.meta.dirname, '..', '..'),
      env: { ...process.env, DYNAMODB_ENDPOINT: pane.stack.dynamodbEndpoint },
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (err += d.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, out, err }));
  });
}

/** The downloaded template with cells typed in (address → value), saved again as a clerk's WPS would. */
async function filled(template: ExcelJS.Workbook, cells: Record<string, string | number | null>): Promise<Buffer> {
  const copy = await loadWorkbook((await template.xlsx.writeBuffer()) as ArrayBuffer);
  const ws = copy.worksheets[0];
  for (const [address, value] of Object.entries(cells)) ws.getCell(address).value = value;
  return Buffer.from((await copy.xlsx.writeBuffer()) as ArrayBuffer);
}

async function submitSheet(page: Page): Promise<void> {
  await page.getByLabel('数据截至').fill('2020-03-09');
  await page.getByLabel('联系人').fill('卓玛');
  await page.getByLabel('联系电话').fill('0973-8722111');
  await page.getByRole('button', { name: /^提交附件[34]$/ }).click();
}

/** A row of the template from column A, as a clerk types it. */
const rowCells = (row: number, values: (string | number | null)[]): Record<string, string | number | null> =>
  Object.fromEntries(values.map((v, i) => [`${String.fromCharCode(65 + i)}${row}`, v]));

describe('a form that exists only as JSON, end to end in Chromium', () => {
  let county: Page;
  let ledger: ExcelJS.Workbook;
  let summary: ExcelJS.Workbook;

  it('is published with the admin command', async () => {
    const published = await admin('campaign', 'publish', CAMPAIGN_FILE);
    expect(published.err).not.toMatch(/出错/);
    expect(published.code).toBe(0);
    expect(published.out).toContain(`(${CAMPAIGN.id}),第 1 次发布`);
    expect(published.out).toContain('附件3(huifang):第 1 版');
    expect(published.out).toContain('附件4(huifang_total):第 1 版');
  });

  it('a county in two campaigns chooses the new one and downloads its blank templates', async () => {
    county = await signIn('tongren');
    const choice = county.getByRole('combobox', { name: '专项行动' });
    await choice.waitFor(SLOW);
    expect(await choice.locator('option').allTextContents()).toEqual([
      expect.stringContaining('黄南州生态环境领域专项整治漠视侵害群众利益问题(已结束)'),
      `${CAMPAIGN.name}(下一轮 2020年3月15日)`,
    ]);
    await choice.selectOption(CAMPAIGN.id);
    await county.getByRole('button', { name: '下载空白附件3' }).waitFor(SLOW);
    expect(await county.getByRole('button', { name: '下载空白附件1' }).count()).toBe(0);

    const blank = await download(county, '下载空白附件3');
    expect(blank.fileName).toBe('回访情况表.xlsx');
    ledger = blank.workbook;
    const ws = ledger.worksheets[0];
    expect(ws.getCell('A1').value).toBe('附件3');
    expect(ws.getCell('A2').value).toBe('生态环境问题整改回访情况表');
    expect(ws.getCell('A3').value).toBe('填报单位(公章):同仁县');
    expect(ws.getRow(4).values).toEqual([
      undefined,
      '序号',
      '问题地点',
      '回访日期',
      '回访方式',
      '回访结果',
      '是否整改到位',
    ]);
    expect(ws.getCell('D5').dataValidation).toMatchObject({ type: 'list', formulae: ['"电话,实地"'] });
    expect(ws.getCell('F5').dataValidation).toMatchObject({ type: 'list', formulae: ['"已整改到位,未整改到位"'] });
    // The date-like column is text, so 2020-03-05 stays as typed instead of becoming a date serial.
    expect(ws.getCell('C5').numFmt).toBe('@');
    await expect.poll(() => county.getByText(/已下载空白附件3「回访情况表\.xlsx」/).count(), SLOW).toBe(1);

    const blankSummary = await download(county, '下载空白附件4');
    summary = blankSummary.workbook;
    const sws = summary.worksheets[0];
    // Two header rows from the spec's group: 回访(件) over 电话/实地/合计, the other labels merged down.
    expect(['A4', 'B4', 'E4', 'B5', 'C5', 'D5'].map((a) => sws.getCell(a).value)).toEqual([
      '单位',
      '回访(件)',
      '群众满意(件)',
      '电话',
      '实地',
      '合计',
    ]);
    expect(sws.model.merges).toEqual(expect.arrayContaining(['A4:A5', 'B4:D4', 'E4:E5']));
    await snapshot(county, 'new-form-01-county-blank-templates');
  });

  it('the filled 回访情况表 comes back with each mistake marked on its cell, with a Chinese hint', async () => {
    const faulty = await filled(ledger, {
      ...rowCells(5, [1, '同仁县隆务镇吾屯下庄村', '2020-03-05', '实地', '群众满意', '已整改到位']),
      ...rowCells(6, [2, '同仁县保安镇城内村', '2020-03-06', '上门', '', '未整改到位']),
      ...rowCells(7, [3, '', '2020-03-07', '电话', '', '已整改到位']),
    });
    await upload(county, '同仁县回访情况表.xlsx', faulty);
    await county.getByRole('button', { name: '校验' }).click();
    await expect.poll(() => markedCells(county), SLOW).toEqual(expect.arrayContaining(['D6', 'B7']));
    expect(await markedCells(county)).toHaveLength(2);
    expect(await county.locator('td[data-cell="D6"]').getAttribute('title')).toMatch(/回访方式.*应填写:电话、实地/);
    expect(await county.locator('td[data-cell="B7"]').getAttribute('title')).toMatch(
      /问题地点.*不能为空,请填写问题所在的乡镇、村/,
    );
    await expect.poll(() => county.getByText('2 处错误').count(), SLOW).toBeGreaterThan(0);
    await county.getByRole('button', { name: /D6「回访方式」/ }).click();
    await expect.poll(() => county.locator('td.selected').getAttribute('data-cell'), SLOW).toBe('D6');
    await snapshot(county, 'new-form-02-county-ledger-errors-marked');
  });

  it('corrected, it is submitted on time', async () => {
    const corrected = await filled(ledger, {
      ...rowCells(5, [1, '同仁县隆务镇吾屯下庄村', '2020-03-05', '实地', '群众满意', '已整改到位']),
      ...rowCells(6, [2, '同仁县保安镇城内村', '2020-03-06', '电话', '', '未整改到位']),
      ...rowCells(7, [3, '同仁县年都乎乡夏卜浪村', '2020-03-07', '电话', '', '已整改到位']),
    });
    await upload(county, '同仁县回访情况表(已改).xlsx', corrected);
    await county.getByRole('button', { name: '校验' }).click();
    await expect.poll(() => county.getByText('没有错误').count(), SLOW).toBeGreaterThan(0);
    await submitSheet(county);
    await expect.poll(() => county.getByText(/已按时提交.*附件3.*第 1 版/).count(), SLOW).toBe(1);
    await snapshot(county, 'new-form-03-county-ledger-submitted');
  });

  it('the 回访汇总表 is held to 电话 + 实地 = 合计, then submitted', async () => {
    const unbalanced = await filled(summary, rowCells(6, ['同仁县', 2, 1, 4, 2]));
    await upload(county, '同仁县回访汇总.xlsx', unbalanced);
    await county.getByRole('button', { name: '校验' }).click();
    await expect.poll(() => markedCells(county), SLOW).toEqual(['B6', 'C6', 'D6']);
    await expect
      .poll(() => county.getByRole('button', { name: /B6:D6/ }).textContent(), SLOW)
      .toMatch(/B6:D6.*电话.*实地.*合计/);
    await snapshot(county, 'new-form-04-county-summary-rule-marked');

    await upload(county, '同仁县回访汇总(已改).xlsx', await filled(summary, rowCells(6, ['同仁县', 2, 1, 3, 2])));
    await submitSheet(county);
    await expect.poll(() => county.getByText(/已按时提交.*附件4.*第 1 版/).count(), SLOW).toBe(1);
    await snapshot(county, 'new-form-05-county-summary-submitted');
  });

  it('the prefecture sees who reported and downloads both consolidated tables as .xlsx', async () => {
    // A second county reports its 回访情况表 through the API.
    const second = await call(pane.stack.apiUrl, 'POST', '/v1/submissions', {
      token: pane.stack.tokens.jianzha,
      idempotencyKey: 'jianzha-huifang-1',
      body: {
        campaign: CAMPAIGN.id,
        form: 'huifang',
        round: '2020-03-15',
        asOf: '2020-03-09',
        contact: { name: '才让', phone: '0973-8720001' },
        rows: [
          {
            seq: 1,
            address: '尖扎县马克唐镇',
            visitDate: '2020-03-08',
            method: '实地',
            result: '',
            rectified: '已整改到位',
          },
        ],
      },
    });
    expect(second.status).toBe(201);

    const prefecture = await signIn('huangnan');
    const choice = prefecture.getByRole('combobox', { name: '专项行动' });
    await choice.waitFor(SLOW);
    await choice.selectOption(CAMPAIGN.id);
    await prefecture.getByRole('button', { name: '汇总附件3' }).waitFor(SLOW);
    const board = prefecture.getByRole('table', { name: '报送情况' });
    await board.waitFor(SLOW);
    expect(await board.getByRole('row').first().innerText()).toMatch(/单位\s+附件3\s+附件4/);
    expect(await board.getByRole('row').filter({ hasText: '同仁县' }).innerText()).toMatch(/按时报送[\s\S]*按时报送/);
    expect(await board.getByRole('row').filter({ hasText: '尖扎县' }).innerText()).toMatch(/按时报送[\s\S]*未报送/);
    await expect
      .poll(() => prefecture.getByRole('status', { name: '报送情况摘要' }).textContent(), SLOW)
      .toBe('附件3 已报 2/2;附件4 已报 1/2,未报 1');
    await snapshot(prefecture, 'new-form-06-prefecture-status-board');

    const consolidatedLedger = await download(prefecture, '汇总附件3');
    expect(consolidatedLedger.fileName).toMatch(/\.xlsx$/);
    expect(formulaCells(consolidatedLedger.workbook)).toEqual([]);
    const lws = consolidatedLedger.workbook.worksheets[0];
    expect(lws.getCell('A2').value).toBe('生态环境问题整改回访情况表');
    const cases: string[] = [];
    lws.eachRow((row, n) => {
      if (n > 4 && typeof row.getCell(1).value === 'number')
        cases.push(`${row.getCell(1).value} ${row.getCell(2).value} ${row.getCell(4).value} ${row.getCell(7).value}`);
    });
    expect(cases).toEqual([
      '1 同仁县隆务镇吾屯下庄村 实地 同仁县',
      '2 同仁县保安镇城内村 电话 同仁县',
      '3 同仁县年都乎乡夏卜浪村 电话 同仁县',
      '4 尖扎县马克唐镇 实地 尖扎县',
    ]);

    const consolidatedSummary = await download(prefecture, '汇总附件4');
    const sws = consolidatedSummary.workbook.worksheets[0];
    expect(rowStartingWith(sws, '同仁县')?.slice(1, 5)).toEqual([2, 1, 3, 2]);
    expect(rowStartingWith(sws, '合计')?.slice(1, 5)).toEqual([2, 1, 3, 2]);
    expect(JSON.stringify(sws.getSheetValues())).toContain('尖扎县');

    const stats = await download(prefecture, '统计');
    const statsText = JSON.stringify(stats.workbook.worksheets[0].getSheetValues());
    expect(statsText).toContain('附件3办理情况统计');
    expect(statsText).toContain('已整改到位');
    expect(statsText).toContain('未整改到位');
    await snapshot(prefecture, 'new-form-07-prefecture-downloads');
  });
});
