// Issue 11 in Chromium: the 州 office's review and return on the browser page (the same pane as in Excel), against
// the real local stack. The prefecture returns a county's 附件1 with a comment, the county sees it on its 填报 tab,
// submits again, and the board shows 待审核 again; contacts and 催报; the callback sample drawn, filled and submitted,
// and the statistics over rounds drawn as charts. Screenshots in test-artifacts/e2e/oversight-*.png.
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { call } from '../support/api';
import { snapshot } from './browser';
import { fujian1Rows } from '../support/rows';
import { download, enabled, markedCells, paneSession, SLOW, upload } from './pane';
import { fixtureBytes } from './sheets';

// Noon in 黄南, two days before the 2019-11-14 round.
const NOW = new Date('2019-11-12T04:00:00Z');
const pane = paneSession('oversight', NOW);
const signIn = (unit: string) => pane.signIn(unit);

/** 泽库县 uploads its 附件1 and submits it with 数据截至 `asOf`. */
async function submitZeku(page: Page, asOf: string): Promise<void> {
  await upload(page, '泽库县附件1.xlsx', fixtureBytes('fujian1_zeku.xlsx'));
  await page.getByLabel('数据截至').fill(asOf);
  await page.getByLabel('联系人').fill('才让');
  await page.getByLabel('联系电话').fill('0973-8766123');
  await (await enabled(page.getByRole('button', { name: '提交附件1' }))).click();
}

const zekuRow = (page: Page) =>
  page.getByRole('table', { name: '报送情况' }).getByRole('row').filter({ hasText: '泽库县' });

describe('review and return (审核/退回)', () => {
  it('the prefecture returns 附件1 with a comment, the county sees it and resubmits, the board waits again', async () => {
    const county = await signIn('zeku');
    await submitZeku(county, '2019-11-11');
    await county.getByRole('region', { name: '回执' }).waitFor();

    const office = await signIn('huangnan');
    await office.getByRole('tab', { name: '汇总' }).click();
    await expect.poll(() => zekuRow(office).innerText(), SLOW).toMatch(/待审核/);
    await office.getByRole('button', { name: '审核泽库县附件1' }).click();
    const box = office.getByRole('region', { name: '审核' });
    await box.waitFor();
    expect(await box.innerText()).toMatch(/审核 泽库县 附件1 第 1 版/);
    // A return without a comment is refused in the pane, nothing sent.
    await box.getByRole('button', { name: '退回' }).click();
    await office.getByText('退回时请在「审核意见」中写明需要修改的内容。').waitFor();
    await box.getByLabel('审核意见').fill('第2行「具体整改措施及整改目标」请写明完成时限。');
    await box.getByRole('button', { name: '退回' }).click();
    await office.getByText(/已退回泽库县附件1第 1 版/).waitFor();
    await expect.poll(() => zekuRow(office).innerText(), SLOW).toMatch(/已退回/);
    await snapshot(office, 'oversight-01-returned-on-board');

    // The county, opening the page again, sees the return and the comment where it fills in.
    const again = await signIn('zeku');
    await upload(again, '泽库县附件1.xlsx', fixtureBytes('fujian1_zeku.xlsx'));
    const alert = again.getByRole('alert', { name: '已退回' });
    await alert.waitFor();
    expect(await alert.innerText()).toMatch(
      /州级已退回本轮附件1第 1 版（黄南州.*第2行「具体整改措施及整改目标」请写明完成时限。/s,
    );
    await expect.poll(() => again.getByRole('table', { name: '各轮次报送情况' }).innerText(), SLOW).toMatch(/已退回/);
    const me = await call(pane.stack.apiUrl, 'GET', '/v1/me', { token: pane.stack.tokens.zeku });
    expect(me.body.returned).toMatchObject([{ form: 'fujian1', round: '2019-11-14', version: 1 }]);
    await snapshot(again, 'oversight-02-county-sees-return');

    await again.getByLabel('数据截至').fill('2019-11-12');
    await again.getByLabel('联系人').fill('才让');
    await again.getByLabel('联系电话').fill('0973-8766123');
    await (await enabled(again.getByRole('button', { name: '提交附件1' }))).click();
    await again.getByRole('button', { name: '确认替换第 1 版' }).click();
    await again.getByRole('region', { name: '回执' }).waitFor();
    expect(await again.getByRole('alert', { name: '已退回' }).count()).toBe(0);
    expect((await call(pane.stack.apiUrl, 'GET', '/v1/me', { token: pane.stack.tokens.zeku })).body.returned).toEqual(
      [],
    );

    await office.getByRole('button', { name: '刷新报送情况' }).click();
    await expect.poll(() => zekuRow(office).innerText(), SLOW).toMatch(/待审核/);
    expect(await zekuRow(office).innerText()).not.toMatch(/已退回/);
    await snapshot(office, 'oversight-03-board-pending-again');
  });
});

describe('contacts and reminders (联系人/催报)', () => {
  it('a county registers its contact and sees what is due; the prefecture sees the contact and gets the 催报 text', async () => {
    const county = await signIn('henan');
    const banner = county.getByRole('status', { name: '即将截止' });
    await banner.waitFor();
    const due = await banner.innerText();
    expect(due).toContain('2019年11月14日');
    expect(due).toMatch(/还有 2 天截止.尚未报送.附件1、附件2。/);
    const panel = county.getByRole('region', { name: '本单位联系方式' });
    await panel.getByRole('button', { name: '登记联系人' }).click();
    await panel.getByLabel('姓名').fill('多杰');
    await panel.getByLabel('电话').fill('0973-8788123转802');
    await panel.getByLabel('科室/职务').fill('县生态环境局办公室');
    await panel.getByRole('button', { name: '保存联系人' }).click();
    await expect.poll(() => panel.innerText(), SLOW).toMatch(/多杰.县生态环境局办公室. 0973-8788123转802/);
    await snapshot(county, 'oversight-04-contact-and-due-soon');

    const office = await signIn('huangnan');
    await office.getByRole('tab', { name: '汇总' }).click();
    const row = office
      .getByRole('table', { name: '报送情况' })
      .getByRole('row')
      .filter({ hasText: '河南蒙古族自治县' });
    await expect.poll(() => row.innerText(), SLOW).toMatch(/联系人 多杰 0973-8788123转802/);
    await office.getByRole('button', { name: '生成本轮催报名单' }).click();
    const list = office.getByRole('region', { name: '催报名单' });
    await list.waitFor();
    const text = await list.getByRole('textbox').inputValue();
    expect(text).toMatch(/^【催报】.*2019年11月14日轮次截止日将到。/);
    expect(text).toContain('河南蒙古族自治县:附件1、附件2尚未报送。联系人:多杰(县生态环境局办公室) 0973-8788123转802');
    await snapshot(office, 'oversight-05-reminders');
  });
});

describe('callbacks and progress over rounds (回访, 各轮统计)', () => {
  it('the office draws the sample, fills and uploads the 回访样本 sheet (a mistake marked on its cell first), and sees the charts', async () => {
    // 同仁县 and 尖扎县 report closed cases for the round through the API.
    for (const [unit, name] of [
      ['tongren', '同仁县'],
      ['jianzha', '尖扎县'],
    ]) {
      const res = await call(pane.stack.apiUrl, 'POST', '/v1/submissions', {
        token: pane.stack.tokens[unit],
        body: {
          form: 'fujian1',
          round: '2019-11-14',
          asOf: '2019-11-11',
          contact: { name: '王芳', phone: '0973-8720000' },
          rows: fujian1Rows(6, { unitName: name, closure: (i) => (i < 4 ? '已办结' : '正在办理') }),
        },
        idempotencyKey: `e2e-callbacks-${unit}`,
      });
      expect(res.status).toBe(201);
    }
    const office = await signIn('huangnan');
    await office.getByRole('tab', { name: '汇总' }).click();
    await office.getByLabel('抽样号').fill('4821');
    const drawn = await download(office, '抽取回访样本(20%)');
    expect(drawn.fileName).toBe('回访样本 2019-11-14.xlsx');
    await office.getByText(/从 \d+ 件已办结案件中抽取 \d+ 件\(抽样种子 2019-11-14#4821\),样本已保存/).waitFor();
    const sheet = drawn.workbook.getWorksheet('回访样本 2019-11-14')!;
    expect(sheet.getCell('L3').value).toBe('回访结果');
    const fill = async (result: string) => {
      sheet.getCell('J4').value = '电话';
      sheet.getCell('K4').value = '2019-11-11';
      sheet.getCell('L4').value = result;
      sheet.getCell('M4').value = '噪声仍未消除';
      sheet.getCell('J5').value = '实地';
      sheet.getCell('K5').value = '2019年11月12日';
      sheet.getCell('L5').value = '满意';
      await upload(office, `回访样本-${result}.xlsx`, new Uint8Array(await drawn.workbook.xlsx.writeBuffer()));
    };

    await fill('很好');
    await office.getByRole('button', { name: '提交回访结果' }).click();
    await office.getByText(/有 1 处需要修改\(已在表中标出\),均未提交/).waitFor();
    expect(await markedCells(office)).toEqual(['L4']);
    await office.getByRole('button', { name: /L4「回访结果」只能是 满意、基本满意 或 不满意,现为“很好”/ }).waitFor();
    await snapshot(office, 'oversight-06-callback-mistake-marked');

    await fill('不满意');
    await office.getByRole('button', { name: '提交回访结果' }).click();
    await office
      .getByText(/已提交 2 条回访结果。回访完成率 [\d.]+%\(2\/\d+\),满意率 50%,不满意 1 件已通知相关县重新办理。/)
      .waitFor();

    const stats = await download(office, '各轮统计');
    expect(stats.fileName).toBe('各轮统计.xlsx');
    const charts = office.getByRole('region', { name: '各轮统计图' });
    await charts.getByRole('img', { name: '各县办结率' }).locator('svg').waitFor();
    await charts.getByRole('img', { name: '各轮办结率、按时报送率与回访情况' }).locator('svg').waitFor();
    expect(await charts.innerText()).toContain('各县办结率(2019-11-14)');
    await charts.scrollIntoViewIfNeeded();
    await snapshot(office, 'oversight-07-progress-charts');
  });
});
