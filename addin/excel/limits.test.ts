// The adapter within real Excel's documented limits, as the fake enforces them (addin/excel/test/fake-excel.ts cites the
// documentation of each): protection options, 5 MB per request and response, 5,000,000 cells per read, 512 merged
// areas, 32,767 characters per cell, and a request that fails halfway.
import { FUJIAN1 } from '../../test/support/forms-2019';
import { describe, expect, it } from 'vitest';
import { renderSheet } from '../../forms/render';
import type { Issue } from '../../forms/types';
import { fujian1Rows } from '../../test/support/sample-rows';
import { FakeExcel, PAYLOAD_LIMIT } from './test/fake-excel';
import { MARK_COLORS } from '../workbook/types';
import { ExcelWorkbookHost } from './host';
import { MAX_BLOCK_BYTES } from './plan';

function setup() {
  const xl = new FakeExcel('1.18');
  return { xl, host: new ExcelWorkbookHost(xl.env()) };
}

const closureIssue = (row: number, message = `H${row}「是否办结」应填写:已办结、阶段办结、正在办理`): Issue => ({
  code: 'closure.invalid',
  severity: 'error',
  message,
  cell: `H${row}`,
  row,
});

/** Largest request and response of the syncs since `from`. */
function peak(xl: FakeExcel, from: number) {
  const s = xl.syncs.slice(from);
  return {
    syncs: s.length,
    request: Math.max(0, ...s.map((x) => x.requestBytes)),
    response: Math.max(0, ...s.map((x) => x.responseBytes)),
  };
}

describe('protection', () => {
  it('marks a pulled 附件1 (protected by the pane) with colours and notes', async () => {
    const { xl, host } = setup();
    xl.addSheet('Sheet1');
    const name = await host.writeSheet(renderSheet(FUJIAN1, fujian1Rows(3)), {
      name: '附件1(上次填报)',
      lockColumns: [0, 1, 2, 3, 4, 5],
    });
    expect(xl.sheet(name).protection.options).toMatchObject({ allowFormatCells: true, allowEditObjects: true });
    await host.markIssues(name, [{ code: 'x', severity: 'error', message: 'D5 有误', cell: 'D5' }]);
    expect(xl.cell(name, 'D5')!.fill).toBe(MARK_COLORS.error);
    expect(xl.sheet(name).notes.get('D5')).toBe('D5 有误');
    await host.clearMarks(name);
    expect(xl.cell(name, 'D5')!.fill).toBeUndefined();
    expect(xl.sheet(name).notes.size).toBe(0);
  });

  it('on a sheet the user protected without "format cells" or "edit objects", 校验 changes nothing and fails nothing', async () => {
    const { xl, host } = setup();
    const sheet = xl.addSheet('我的附件1', [['附件1'], ['x']]);
    sheet.protection = { protected: true, options: {} };
    await host.markIssues('我的附件1', [closureIssue(6), closureIssue(7)]);
    expect(xl.cell('我的附件1', 'H6')?.fill).toBeUndefined();
    expect(sheet.notes.size).toBe(0);
    await host.clearMarks('我的附件1');
  });

  it('does what the user’s protection allows: colours with "format cells", no notes without "edit objects"', async () => {
    const { xl, host } = setup();
    const sheet = xl.addSheet('我的附件1', [['附件1']]);
    sheet.protection = { protected: true, options: { allowFormatCells: true } };
    await host.markIssues('我的附件1', [closureIssue(6)]);
    expect(xl.cell('我的附件1', 'H6')!.fill).toBe(MARK_COLORS.error);
    expect(sheet.notes.size).toBe(0);
    await host.clearMarks('我的附件1');
    expect(xl.cell('我的附件1', 'H6')!.fill).toBeUndefined();
  });

  it('marks on a sheet the user protected afterwards stay remembered until they can be taken back', async () => {
    const { xl, host } = setup();
    const sheet = xl.addSheet('附件1', [['附件1']]);
    await host.markIssues('附件1', [closureIssue(6)]);
    sheet.protection = { protected: true, options: {} };
    await host.clearMarks('附件1');
    expect(xl.cell('附件1', 'H6')!.fill).toBe(MARK_COLORS.error);
    sheet.protection = { protected: false };
    await new ExcelWorkbookHost(xl.env()).clearMarks('附件1');
    expect(xl.cell('附件1', 'H6')!.fill).toBeUndefined();
    expect(sheet.notes.size).toBe(0);
  });

  it('the fake refuses to protect a protected sheet again, as Excel does', async () => {
    const { xl } = setup();
    xl.addSheet('表');
    const run = () =>
      xl.env().run(async (context) => {
        context.workbook.worksheets.getItem('表').protection.protect();
        await context.sync();
      });
    await run();
    await expect(run()).rejects.toThrow(/already protected/);
  });
});

describe('a request that fails halfway', () => {
  it('leaves marks that the next 校验 still takes back', async () => {
    const { xl, host } = setup();
    xl.addSheet('附件1', [['附件1']]);
    xl.interruptSync(2);
    const issues = Array.from({ length: 10 }, (_, i) => closureIssue(6 + i));
    await expect(host.markIssues('附件1', issues)).rejects.toThrow();
    expect(xl.cell('附件1', 'H6')!.fill).toBe(MARK_COLORS.error);
    await new ExcelWorkbookHost(xl.env()).markIssues('附件1', []);
    for (let r = 6; r < 16; r++) expect(xl.cell('附件1', `H${r}`)?.fill, `H${r}`).toBeUndefined();
  });
});

describe('request size (5 MB per request on the web)', () => {
  it('marks 20,000 cells of a sheet that already has a note in requests under 4 MB each', async () => {
    const { xl, host } = setup();
    const sheet = xl.addSheet('附件1', [['附件1']]);
    sheet.notes.set('A1', '用户自己的批注');
    const from = xl.syncCount;
    await host.markIssues(
      '附件1',
      Array.from({ length: 20_000 }, (_, i) => closureIssue(5 + i)),
    );
    expect(peak(xl, from).request).toBeLessThanOrEqual(MAX_BLOCK_BYTES);
    expect(xl.cell('附件1', 'H20004')!.fill).toBe(MARK_COLORS.error);
    expect(sheet.notes.size).toBe(20_001);
  });

  it('marks 10,000 cells of a sheet without notes in 2 requests under 4 MB, without probing for notes', async () => {
    const { xl, host } = setup();
    xl.addSheet('附件1', [['附件1']]);
    const from = xl.syncCount;
    await host.markIssues(
      '附件1',
      Array.from({ length: 10_000 }, (_, i) => closureIssue(5 + i)),
    );
    const cost = peak(xl, from);
    expect(cost.request).toBeLessThanOrEqual(MAX_BLOCK_BYTES);
    expect(cost.syncs).toBeLessThanOrEqual(2);
  });
});

describe('reading blocks that shrink to what fits', () => {
  const heavyText = (n: number) => '群众反映养殖场粪污直排夏季臭味严重'.repeat(n);

  it('reads 500 heavy rows (about 10 KB each) with every response under 5 MB', async () => {
    const { xl, host } = setup();
    const grid = Array.from({ length: 500 }, (_, r) => [
      String(r + 1),
      ...Array.from({ length: 7 }, () => heavyText(28)),
    ]);
    xl.addSheet('附件1', grid);
    const read = await host.readSheet('附件1');
    expect(read.grid).toHaveLength(500);
    expect(read.grid[499][0]).toBe('500');
    expect(peak(xl, 0).response).toBeLessThan(PAYLOAD_LIMIT);
  });

  it('halves a block that turns out too heavy after light rows, and reads it again', async () => {
    const { xl, host } = setup();
    const light = Array.from({ length: 1000 }, (_, r) => [String(r + 1), '同仁县']);
    const heavy = Array.from({ length: 300 }, (_, r) => [String(r + 1001), heavyText(400)]);
    xl.addSheet('附件1', [...light, ...heavy]);
    const read = await host.readSheet('附件1');
    expect(read.grid).toHaveLength(1300);
    expect(read.grid[1299][1]).toBe(heavyText(400));
  });

  it('reads a sheet with 600 merged areas, and all of them (getMergedAreasOrNullObject returns at most 512)', async () => {
    const { xl, host } = setup();
    const sheet = xl.addSheet(
      '附件1',
      Array.from({ length: 600 }, (_, r) => [`第${r + 1}行`, null, '同仁县']),
    );
    sheet.merges.push(...Array.from({ length: 600 }, (_, r) => `A${r + 1}:B${r + 1}`));
    const read = await host.readSheet('附件1');
    expect(read.grid).toHaveLength(600);
    expect(new Set(read.merges)).toEqual(new Set(sheet.merges));
  });

  it('reads a sheet with a stray value in column XFD without asking for more than 5,000,000 cells at once', async () => {
    const { xl, host } = setup();
    const sheet = xl.addSheet(
      '附件1',
      Array.from({ length: 400 }, (_, r) => [String(r + 1), '同仁县']),
    );
    sheet.cells.set('0,16383', { value: '误填', format: 'General', locked: true });
    const read = await host.readSheet('附件1');
    expect(read.grid).toHaveLength(400);
    expect(read.grid[0][16383]).toBe('误填');
    expect(read.grid[399][1]).toBe('同仁县');
  });
});

describe('32,767 characters per cell', () => {
  it('refuses a value Excel cannot hold before writing anything, naming the cell in Chinese', async () => {
    const { xl, host } = setup();
    xl.addSheet('Sheet1');
    const rows = fujian1Rows(2);
    rows[1] = { ...rows[1], complaint: '很长的举报内容'.repeat(6000) };
    await expect(host.writeSheet(renderSheet(FUJIAN1, rows))).rejects.toThrow(/D6 的内容有 42000 个字符.*32767/);
    expect(await host.listSheets()).toEqual(['Sheet1']);
  });

  it('cuts a note with very many messages to what a note can hold', async () => {
    const { xl, host } = setup();
    xl.addSheet('附件1', [['附件1']]);
    const many = Array.from({ length: 1000 }, (_, i) => closureIssue(6, `H6 第 ${i + 1} 个问题:${'内容'.repeat(15)}`));
    await host.markIssues('附件1', many);
    const note = xl.sheet('附件1').notes.get('H6')!;
    expect(note.length).toBe(32_767);
    expect(note.endsWith('…')).toBe(true);
  });
});

describe('the clerk’s own fill', () => {
  it('comes back when the mark on the cell is cleared, also after two rounds of 校验', async () => {
    const { xl, host } = setup();
    xl.addSheet('附件1', [['附件1']]);
    xl.userFill('附件1', 'H6', '#00B0F0');
    xl.userFill('附件1', 'B6:D6', '#92D050');
    const issues: Issue[] = [
      closureIssue(6),
      { code: 's', severity: 'warning', message: 'B6:D6 合计不符', cell: 'B6:D6' },
    ];
    await host.markIssues('附件1', issues);
    expect(xl.cell('附件1', 'H6')!.fill).toBe(MARK_COLORS.error);
    expect(xl.cell('附件1', 'C6')!.fill).toBe(MARK_COLORS.warning);
    await new ExcelWorkbookHost(xl.env()).markIssues('附件1', issues);
    await new ExcelWorkbookHost(xl.env()).clearMarks('附件1');
    expect(xl.cell('附件1', 'H6')!.fill).toBe('#00B0F0');
    expect(['B6', 'C6', 'D6'].map((a) => xl.cell('附件1', a)!.fill)).toEqual(Array(3).fill('#92D050'));
  });
});
