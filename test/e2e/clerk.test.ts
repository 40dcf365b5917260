// Issue 14 in Chromium: the browser page (the same pane as in Excel) tried as a clerk would, against the real local
// stack. A clerk cannot send the wrong thing, and always knows where they stand. Screenshots in
// test-artifacts/e2e/clerk-*.png.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { call } from '../support/api';
import { fujian1Rows } from '../support/rows';
import { snapshot } from './browser';
import { enabled, markedCells, paneSession, SLOW, upload, XLSX, type Viewport } from './pane';
import { editedFixture, fixtureBytes, loadWorkbook, rowStartingWith } from './sheets';

// Noon in 黄南, two days before the 2019-11-14 round.
const NOW = new Date('2019-11-12T04:00:00Z');
const pane = paneSession('clerk', NOW);
const signIn = (unit: string, viewport?: Viewport) => pane.signIn(unit, { viewport });

async function contact(page: Page, name = '李明', phone = '0973-8722111转8001'): Promise<void> {
  await page.getByLabel('联系人').fill(name);
  await page.getByLabel('联系电话').fill(phone);
}

const history = async (unit: string, form: string) =>
  (
    await call(pane.stack.apiUrl, 'GET', `/v1/submissions?form=${form}&round=2019-11-14`, {
      token: pane.stack.tokens[unit],
    })
  ).body.submissions as { id: string; version: number; asOf: string }[];

describe('1. the unit on the sheet is the unit of the token', () => {
  it("refuses another unit's 附件1 and 附件2 in 校验, naming the cells and both names", async () => {
    const page = await signIn('jianzha');
    await upload(page, '同仁县附件1.xlsx', fixtureBytes('fujian1_tongren.xlsx'));
    await page.getByRole('button', { name: '校验' }).click();
    await expect.poll(() => markedCells(page), SLOW).toContain('A3');
    const line = page.getByRole('button', { name: /^A3「填报单位」写的是「同仁县人民政府」,而登录的单位是「尖扎县」/ });
    await line.waitFor();
    await snapshot(page, 'clerk-01-other-unit-fujian1');

    await upload(page, '同仁县附件2.xlsx', fixtureBytes('fujian2_tongren.xlsx'));
    await page.getByRole('button', { name: '校验' }).click();
    await expect.poll(() => markedCells(page), SLOW).toEqual(expect.arrayContaining(['A3', 'A6']));
    await page.getByRole('button', { name: /^A6「市\/州」写的是「同仁县」,而登录的单位是「尖扎县」/ }).waitFor();
    // 提交 refuses it too, and nothing reaches the store.
    await contact(page);
    await page.getByRole('button', { name: '提交附件2' }).click();
    await page.getByText(/^未提交,数据未发送:表格中有 2 处错误/).waitFor();
    expect(await history('jianzha', 'fujian2')).toEqual([]);
    await snapshot(page, 'clerk-02-other-unit-fujian2');
  });

  it("refuses a row of another unit in a county's own 附件2; its 合计 line is checked, not a unit", async () => {
    const page = await signIn('jianzha');
    const sheet = await editedFixture('fujian2_jianzha.xlsx', {
      A7: '同仁县',
      B7: 1,
      C7: 0,
      D7: 1,
      E7: 0,
      F7: 0,
      G7: 0,
      H7: 0,
      I7: 0,
      J7: 0,
      K7: 0,
      L7: 0,
      M7: 0,
      N7: 0,
    });
    await upload(page, '尖扎县附件2(多一行).xlsx', sheet);
    await page.getByRole('button', { name: '校验' }).click();
    await expect.poll(() => markedCells(page), SLOW).toEqual(['A7']);
    await page.getByRole('button', { name: /^A7「市\/州」写的是「同仁县」.*只填本单位一行/ }).waitFor();
    await snapshot(page, 'clerk-03-other-unit-row');
  });
});

describe('2, 4, 6. what is shown is sent; the receipt; failures and repeats', () => {
  let page: Page;

  it('the button names the form, the 数据截至 shown is the one stored, and the receipt is worth keeping', async () => {
    page = await signIn('jianzha');
    await upload(page, '尖扎县附件1.xlsx', fixtureBytes('fujian1_jianzha.xlsx'));
    const submit = page.getByRole('button', { name: '提交附件1' });
    await submit.waitFor();
    await page.getByLabel('数据截至').fill('2019-11-11');
    const shown = await page.getByLabel('数据截至').inputValue();
    await contact(page);
    await (await enabled(submit)).click();
    const receipt = page.getByRole('region', { name: '回执' });
    await receipt.waitFor();
    const text = await receipt.innerText();
    expect(text).toMatch(/JZ-20191114-附件1-v1/);
    expect(text).toMatch(/数据截至\s*2019年11月11日/);
    expect(text).toMatch(/首次报送 \d+ 件/);
    expect(text).not.toMatch(/\d{4}-\d{2}-\d{2}/);
    const [stored] = await history('jianzha', 'fujian1');
    expect(stored.asOf).toBe(shown);
    await snapshot(page, 'clerk-04-receipt');
    // Printed, only the receipt shows.
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('.sheet-view').evaluate((e) => getComputedStyle(e).visibility)).toBe('hidden');
    expect(await receipt.evaluate((e) => getComputedStyle(e).visibility)).toBe('visible');
    await page.screenshot({ path: join(process.cwd(), 'test-artifacts', 'e2e', 'clerk-05-receipt-print.png') });
    await page.emulateMedia({ media: 'screen' });
  });

  it('the same content again asks first, then says 与第 1 版相同 and stores no new version', async () => {
    await (await enabled(page.getByRole('button', { name: '提交附件1' }))).click();
    const confirm = page.getByRole('alertdialog', { name: '确认替换' });
    await confirm.waitFor();
    expect(await confirm.innerText()).toMatch(/已有第 1 版,由 李明 于 2019年11月12日 \d\d:\d\d 提交/);
    await confirm.getByRole('button', { name: '确认替换第 1 版' }).click();
    await page.getByText('与第 1 版相同,无需重复提交').waitFor();
    expect(await history('jianzha', 'fujian1')).toHaveLength(1);
    await snapshot(page, 'clerk-06-identical-resubmission');
  });

  it('a network failure says the result is unknown and a retry is safe; the retry stores one version', async () => {
    await page.getByLabel('数据截至').fill('2019-11-10');
    await page.route('**/v1/submissions', (route) =>
      route.request().method() === 'POST' ? route.abort('connectionreset') : route.continue(),
    );
    await (await enabled(page.getByRole('button', { name: '提交附件1' }))).click();
    await page.getByRole('button', { name: /确认替换第 1 版/ }).click();
    await page.getByText(/提交结果未知.*再次点击「提交附件1」是安全的/).waitFor({ timeout: 120_000 });
    await snapshot(page, 'clerk-07-network-failure');
    await page.unroute('**/v1/submissions');
    await (await enabled(page.getByRole('button', { name: '提交附件1' }))).click();
    await page.getByRole('button', { name: /确认替换第 1 版/ }).click();
    await page.getByText(/已按时提交:附件1 2019年11月14日轮次第 2 版/).waitFor();
    expect((await history('jianzha', 'fujian1')).map((s) => s.version)).toEqual([2, 1]);
  });

  it("after a colleague's submission (409) it shows their version and offers to open it", async () => {
    const [current] = await history('jianzha', 'fujian1');
    const colleague = await call(pane.stack.apiUrl, 'POST', '/v1/submissions', {
      token: pane.stack.tokens.jianzha,
      idempotencyKey: `colleague-${Date.now()}`,
      body: {
        form: 'fujian1',
        round: '2019-11-14',
        asOf: '2019-11-12',
        contact: { name: '卓玛', phone: '13800000000' },
        rows: fujian1Rows(2, { unitName: '尖扎县' }),
        basedOn: current.id,
      },
    });
    expect(colleague.status).toBe(201);
    await page.getByLabel('数据截至').fill('2019-11-09');
    await (await enabled(page.getByRole('button', { name: '提交附件1' }))).click();
    await page.getByRole('button', { name: /确认替换第 2 版/ }).click();
    const conflict = page.getByLabel('版本冲突');
    await conflict.waitFor();
    expect(await conflict.innerText()).toMatch(/卓玛 已于 2019年11月12日 \d\d:\d\d[\s\S]*第 3 版/);
    const [file] = await Promise.all([
      page.waitForEvent('download'),
      conflict.getByRole('button', { name: '打开第 3 版' }).click(),
    ]);
    expect(file.suggestedFilename()).toMatch(/附件1.*第3版.*\.xlsx$/);
    await snapshot(page, 'clerk-08-conflict');
  });
});

describe('3. where do I stand', () => {
  it('shows the unit and role, days to the next round, each round per form, and opens own submissions', async () => {
    const page = await signIn('jianzha');
    const who = page.getByRole('status', { name: '当前登录' });
    await who.waitFor();
    expect(await who.innerText()).toMatch(/尖扎县\(县级\)[\s\S]*2019年11月14日\(还有 2 天\)/);
    const rounds = page.getByRole('table', { name: '各轮次报送情况' });
    await expect
      .poll(() => rounds.getByRole('row').filter({ hasText: '2019年11月14日' }).innerText(), SLOW)
      .toMatch(/已报\s+待报/);
    expect(await rounds.getByRole('row').filter({ hasText: '2019年11月4日' }).innerText()).toMatch(
      /逾期未报\s+逾期未报/,
    );
    const entries = page.getByRole('list', { name: '提交记录' });
    await expect.poll(() => entries.getByRole('listitem').count(), SLOW).toBeGreaterThanOrEqual(3);
    const [file] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: '打开附件1 2019年11月14日轮次第1版' }).click(),
    ]);
    const workbook = await loadWorkbook(await readBytes(await file.path()));
    expect(String(workbook.worksheets[0].getCell('A3').value)).toContain('尖扎县');
    await snapshot(page, 'clerk-09-where-i-stand');
  });
});

describe('5. order and wording of checks', () => {
  it('says sheet errors and empty contact fields together, marks the fields, accepts 转 extensions', async () => {
    const page = await signIn('zeku');
    expect(await page.locator('body').innerText()).not.toMatch(/插入/);
    await upload(page, '泽库县附件1.xlsx', fixtureBytes('fujian1_errors.xlsx'));
    await page.getByLabel('联系人').fill('');
    await page.getByLabel('联系电话').fill('');
    await (await enabled(page.getByRole('button', { name: '提交附件1' }))).click();
    const message = page.getByText(/^未提交,数据未发送:表格中有 4 处错误.*「联系人」「联系电话」/);
    await message.waitFor();
    expect(await page.getByLabel('联系人').getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByLabel('联系电话').getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('body').innerText()).not.toMatch(/contact|phone/);
    await snapshot(page, 'clerk-10-errors-and-fields-together');

    await page.getByLabel('联系电话').fill('0973-8722111转8001');
    await page.getByLabel('联系人').click();
    expect(await page.getByLabel('联系电话').getAttribute('aria-invalid')).not.toBe('true');
    await page.getByLabel('联系电话').fill('12345');
    await page.getByLabel('联系人').click();
    await page.getByText(/联系电话「12345」不像一个可拨打的号码/).waitFor();

    // A new file: nothing said about the last one still stands.
    await upload(
      page,
      '说明.xlsx',
      await editedFixture('fujian1_errors.xlsx', { A4: null, B4: null, C4: null, D4: null }),
    );
    await expect.poll(() => message.count(), SLOW).toBe(0);
    await page.getByText(/上传的文件中没有找到附件1或附件2\(查找的是附件1的表头「序号」「市\/州」/).waitFor();
    await snapshot(page, 'clerk-11-no-sheet-found');
  });
});

describe('7. the prefecture’s board', () => {
  it('loads by itself with colours, a summary, contacts, and one click downloads every table of the round', async () => {
    const page = await signIn('huangnan');
    const board = page.getByRole('table', { name: '报送情况' });
    await board.waitFor();
    const summary = page.getByRole('status', { name: '报送情况摘要' });
    expect(await summary.innerText()).toMatch(/附件1 已报 \d\/4/);
    await expect
      .poll(() => board.getByRole('row').filter({ hasText: '尖扎县' }).innerText(), SLOW)
      .toMatch(/卓玛 13800000000/);
    const files: string[] = [];
    page.on('download', (d) => files.push(d.suggestedFilename()));
    const fujian2 = page.waitForEvent('download', { predicate: (d) => d.suggestedFilename().startsWith('附件2') });
    await page.getByRole('button', { name: '下载本轮全部汇总表' }).click();
    const workbook = await loadWorkbook(await readBytes(await (await fujian2).path()));
    await page.getByText(/已下载 3 个文件/).waitFor();
    expect(files.sort()).toEqual(
      [
        expect.stringMatching(/^报送情况/),
        expect.stringMatching(/^附件1汇总/),
        expect.stringMatching(/^附件2汇总/),
      ].sort(),
    );
    const ws = workbook.worksheets[0];
    // Every county has its line; those that have not reported are marked 未报送.
    for (const unit of ['同仁县', '尖扎县', '泽库县', '河南蒙古族自治县'])
      expect(rowStartingWith(ws, unit)).not.toBeNull();
    expect(rowStartingWith(ws, '同仁县')!.at(-1)).toBe('未报送');
    await snapshot(page, 'clerk-12-prefecture-board');
  });
});

describe('8. grid and access', () => {
  it('keeps the header rows in view, counts errors on the tab, explains .xls, and never asks for a missing config.json', async () => {
    const missing: string[] = [];
    const page = await pane.signIn('zeku', {
      viewport: { width: 1280, height: 520 },
      watch: (p) => p.on('response', (r) => r.status() === 404 && missing.push(r.url())),
    });
    expect(missing).toEqual([]);

    await page.getByTestId('upload').setInputFiles({
      name: '旧格式.xls',
      mimeType: 'application/vnd.ms-excel',
      buffer: Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]),
    });
    await page.getByText(/旧版 Excel 97-2003 格式\(\.xls\).*另存为/).waitFor();

    await upload(page, '泽库县附件1.xlsx', fixtureBytes('fujian1_errors.xlsx'));
    await page.getByRole('button', { name: '校验' }).click();
    const list = page.getByRole('list', { name: '问题列表' });
    await list.waitFor();
    // The badge counts errors as the list does (one per issue, not per marked cell).
    const errors = (await list.getByRole('listitem').allInnerTexts()).filter((t) => !t.includes('提醒:')).length;
    expect(errors).toBe(4);
    expect(await page.locator('.tab-badge').innerText()).toBe(String(errors));

    const grid = page.locator('.sheet-grid');
    await grid.evaluate((e) => e.scrollTo(0, e.scrollHeight));
    const header = page.locator('td[data-cell="A4"]');
    const [gridBox, headerBox] = [await grid.boundingBox(), await header.boundingBox()];
    expect(headerBox!.y).toBeGreaterThanOrEqual(gridBox!.y);
    expect(headerBox!.y).toBeLessThan(gridBox!.y + 60);
    await snapshot(page, 'clerk-13-sticky-header');

    // Keyboard focus is visible.
    await page.getByRole('button', { name: '校验' }).focus();
    await page.keyboard.press('Tab');
    const ring = await page.evaluate(() => {
      const s = getComputedStyle(document.activeElement!);
      return { style: s.outlineStyle, width: parseFloat(s.outlineWidth) };
    });
    expect(ring.style).not.toBe('none');
    expect(ring.width).toBeGreaterThanOrEqual(2);
  });

  for (const width of [375, 768]) {
    it(`at ${width} px the pane sits under the grid and no control overlaps another`, async () => {
      const page = await signIn('zeku', { width, height: 900 });
      await upload(page, '泽库县附件1.xlsx', fixtureBytes('fujian1_errors.xlsx'));
      await page.getByRole('button', { name: '提交附件1' }).waitFor();
      const boxes = await page
        .locator('button:visible, input:visible:not([type=file]), select:visible')
        .evaluateAll((els) =>
          els.map((e) => {
            const r = e.getBoundingClientRect();
            return {
              name: `${e.tagName}#${e.id}[${e.getAttribute('type') ?? ''}]${(e.textContent || e.getAttribute('aria-label') || '').trim()}`,
              x: r.x,
              y: r.y,
              w: r.width,
              h: r.height,
            };
          }),
        );
      const overlaps: string[] = [];
      for (let i = 0; i < boxes.length; i++)
        for (let j = i + 1; j < boxes.length; j++) {
          const [a, b] = [boxes[i], boxes[j]];
          if (a.w === 0 || b.w === 0) continue;
          const ix = Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x);
          const iy = Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y);
          if (ix > 1 && iy > 1) overlaps.push(`${a.name} × ${b.name}`);
        }
      expect(overlaps).toEqual([]);
      expect(boxes.every((b) => b.x >= 0 && b.x + b.w <= width + 1)).toBe(true);
      if (width === 375) {
        const [grid, pane] = [
          await page.locator('.page-workbook').boundingBox(),
          await page.locator('.page-pane').boundingBox(),
        ];
        expect(pane!.y).toBeGreaterThanOrEqual(grid!.y + grid!.height - 1);
      }
      await snapshot(page, `clerk-14-${width}px`);
    });
  }
});

describe('keyboard only, from connect to receipt', () => {
  it('a clerk without a mouse connects, uploads, checks, fills the contact and gets the receipt', async () => {
    const page = await pane.open();
    const focused = () =>
      page.evaluate(
        () => document.activeElement?.getAttribute('aria-label') ?? document.activeElement?.textContent ?? '',
      );
    const tabTo = async (test: () => Promise<boolean>, limit = 40) => {
      for (let i = 0; i < limit && !(await test()); i++) await page.keyboard.press('Tab');
      expect(await test()).toBe(true);
    };
    await tabTo(() => page.getByLabel('访问令牌').evaluate((e) => e === document.activeElement));
    await page.keyboard.type(pane.stack.tokens.henan);
    await page.keyboard.press('Enter');
    // Connected: the keyboard is on the upload control.
    await expect.poll(focused, SLOW).toBe('上传 .xlsx 文件');
    // The operating system's file dialog is outside the page (and headless Chromium shows none): the file is handed
    // to the upload control the keyboard is on; everything before and after is keys only.
    await page.getByTestId('upload').setInputFiles({
      name: '河南县附件1.xlsx',
      mimeType: XLSX,
      buffer: Buffer.from(fixtureBytes('fujian1_henan.xlsx')),
    });
    // Uploaded: the keyboard is on 校验.
    await expect.poll(focused, SLOW).toBe('校验');
    await page.keyboard.press('Enter');
    // No errors: the keyboard is on 提交附件1.
    await expect.poll(focused, SLOW).toBe('提交附件1');
    await page.keyboard.press('Enter');
    // The contact is missing: the keyboard is on 联系人.
    await expect.poll(() => page.getByLabel('联系人').evaluate((e) => e === document.activeElement), SLOW).toBe(true);
    await page.keyboard.type('才让');
    await page.keyboard.press('Tab');
    await page.keyboard.type('0973-8722111转8001');
    await tabTo(async () => (await focused()) === '提交附件1');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('aria-label')), SLOW).toBe('回执');
    expect(await page.getByRole('region', { name: '回执' }).innerText()).toMatch(/HNM-20191114-附件1-v1/);
    await snapshot(page, 'clerk-15-keyboard-receipt');
  });
});

async function readBytes(path: string | null): Promise<Uint8Array> {
  const { readFile } = await import('node:fs/promises');
  return new Uint8Array(await readFile(path!));
}
