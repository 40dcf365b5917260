// The Excel adapter against a fake of Excel's object model that applies queued commands on sync, coerces text the
// way Excel does and measures requests as Office.js builds them (limits.test.ts: the adapter at Excel's limits) (office-addin-mock cannot model collections or coercion; it is used below
// for the parts that need neither).
import { FORMS_2019, FUJIAN1, FUJIAN2 } from '../../test/support/forms-2019';
import { OfficeMockObject } from 'office-addin-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { parseSheet } from '../../forms/parse';
import { renderSheet } from '../../forms/render';
import type { Issue } from '../../forms/types';
import { fujian1Rows, fujian2Rows } from '../../test/support/sample-rows';
import { MARK_COLORS } from '../workbook/types';
import { coerce, FakeExcel } from './test/fake-excel';
import { ExcelWorkbookHost } from './host';
import { MAX_BLOCK_BYTES } from './plan';

const FIVE_MB = 5 * 1024 * 1024;

function setup(apiVersion = '1.18') {
  const xl = new FakeExcel(apiVersion);
  xl.addSheet('Sheet1');
  return { xl, host: new ExcelWorkbookHost(xl.env()) };
}

const value = (xl: FakeExcel, sheet: string, address: string) => xl.cell(sheet, address)?.value;

describe('inserting a blank template', () => {
  it('writes 附件1 in the template layout: title, merged header lines, widths, drop-down, frozen header, A4 landscape', async () => {
    const { xl, host } = setup();
    const name = await host.writeSheet(renderSheet(FUJIAN1, [], {}, { blankRows: 20 }));
    expect(name).toBe('附件1');
    const sheet = xl.sheet(name);
    expect(value(xl, name, 'A1')).toBe('附件1');
    expect(value(xl, name, 'A2')).toBe('第一轮中央环境保护督察尚未办结问题整改进展情况自查表');
    expect(sheet.merges).toContain('A2:H2');
    expect(value(xl, name, 'H4')).toBe('是否办结');
    expect(sheet.columnWidths.get(3)).toBeGreaterThan(sheet.columnWidths.get(0)!); // 群众举报问题具体内容 wider than 序号
    expect(sheet.validations).toHaveLength(1);
    expect(sheet.validations[0].address).toBe('H5:H24');
    expect(sheet.validations[0].rule).toEqual({ list: { inCellDropDown: true, source: '已办结,阶段办结,正在办理' } });
    expect(sheet.frozenRows).toBe(4);
    expect(sheet.page).toEqual({ orientation: 'Landscape', paperSize: 'A4', printTitleRows: '$4:$4' });
    expect(sheet.styles).toContain('A4:H4 font.bold=true');
    expect(xl.active).toBe(name);
    expect(xl.selected).toEqual({ sheet: name, address: 'A5' });
    // The header the pane writes is one the reader recognises.
    const read = await host.readSheet(name);
    expect(parseSheet(read.grid, FORMS_2019, { origin: read.origin }).form).toBe('fujian1');
  });

  it('writes 附件2 with its two header rows merged as in the template', async () => {
    const { xl, host } = setup();
    const name = await host.writeSheet(renderSheet(FUJIAN2, [], {}, { blankRows: 5 }));
    expect(xl.sheet(name).merges).toEqual(expect.arrayContaining(['A4:A5', 'B4:D4', 'K4:L4']));
    expect(value(xl, name, 'C5')).toBe('不属实');
    expect(xl.sheet(name).page.printTitleRows).toBe('$4:$5');
  });

  it('puts no drop-down on a 合计 line', async () => {
    const { xl, host } = setup();
    const name = await host.writeSheet(renderSheet(FUJIAN1, fujian1Rows(3), {}, { totalRow: true }));
    expect(value(xl, name, 'A8')).toBe('合计');
    expect(xl.sheet(name).validations.map((v) => v.address)).toEqual(['H5:H7']);
  });

  it('makes a sheet name Excel would refuse acceptable', async () => {
    const { host } = setup();
    const layout = { ...renderSheet(FUJIAN2, []), sheetName: '汇总[2019/11:14]?*' + '很长的名字'.repeat(8) };
    const name = await host.writeSheet(layout);
    expect(name).not.toMatch(/[\\/?*[\]:]/);
    expect(name.length).toBeLessThanOrEqual(31);
    expect(await host.listSheets()).toContain(name);
  });

  it('never overwrites an existing sheet: a second insert gets a new name', async () => {
    const { host } = setup();
    await host.writeSheet(renderSheet(FUJIAN1, []));
    expect(await host.writeSheet(renderSheet(FUJIAN1, []))).toBe('附件1 (2)');
    expect(await host.listSheets()).toEqual(['Sheet1', '附件1', '附件1 (2)']);
  });

  it('degrades on old Excel (ExcelApi 1.4): values and layout without drop-down, freeze or page setup', async () => {
    const { xl, host } = setup('1.4');
    const name = await host.writeSheet(renderSheet(FUJIAN1, fujian1Rows(3)));
    expect(value(xl, name, 'D5')).toContain('砂石料场');
    expect(xl.sheet(name).validations).toEqual([]);
    expect(xl.sheet(name).frozenRows).toBe(0);
    expect(xl.sheet(name).page).toEqual({});
    expect(await host.capabilities()).toMatchObject({
      dataValidation: false,
      notes: false,
      freeze: false,
      protection: true,
    });
  });
});

describe('text stays text', () => {
  const hostile = {
    ...fujian1Rows(1)[0],
    prefecture: '@SUM(A1:A9)',
    address: '+86 0973-8722000',
    complaint: '=HYPERLINK("http://example.invalid","点此查看")',
    currentState: '-已停产',
    measures: '12',
    progress: '=1+1',
  };

  it('a submitted value starting with =, +, -, @ or looking like a number is written as that exact text', async () => {
    const { xl, host } = setup();
    const name = await host.writeSheet(renderSheet(FUJIAN1, [hostile]));
    for (const [address, text] of [
      ['B5', hostile.prefecture],
      ['C5', hostile.address],
      ['D5', hostile.complaint],
      ['E5', hostile.currentState],
      ['F5', '12'],
      ['G5', '=1+1'],
    ]) {
      const cell = xl.cell(name, address)!;
      expect(cell.formula).toBeUndefined();
      expect(cell.value).toBe(text);
      expect(cell.format).toBe('@');
    }
  });

  it('would have turned into formulas without the text format (the hazard the adapter guards against)', () => {
    expect(coerce(hostile.complaint, 'General').formula).toBe(hostile.complaint);
    expect(coerce('12', 'General').value).toBe(12);
  });

  it('a clerk typing into a blank row of an inserted template keeps text as text', async () => {
    const { xl, host } = setup();
    const name = await host.writeSheet(renderSheet(FUJIAN1, [], {}, { blankRows: 5 }));
    xl.userEdit(name, 'D6', '=cmd|"/c calc"!A1');
    expect(xl.cell(name, 'D6')!.formula).toBeUndefined();
  });

  it('a consolidated extra column holding unit names is text too', async () => {
    const { xl, host } = setup();
    const sheet = renderSheet(
      FUJIAN2,
      fujian2Rows(),
      {},
      { extraColumns: [{ label: '报送状态', values: ['=逾期', '按时报送', '按时报送', '未报送'] }] },
    );
    const name = await host.writeSheet(sheet);
    expect(xl.cell(name, 'O6')!.value).toBe('=逾期');
    expect(xl.cell(name, 'O6')!.formula).toBeUndefined();
  });
});

describe('reading', () => {
  it('reads the used range with its top-left address, wherever the table starts', async () => {
    const { xl, host } = setup();
    xl.addSheet('我的附件', [['附件1'], [null, '标题']], 'C3');
    const read = await host.readSheet('我的附件');
    expect(read.origin).toBe('C3');
    expect(read.grid).toEqual([
      ['附件1', ''],
      ['', '标题'],
    ]);
  });

  it('returns an empty grid for an empty sheet', async () => {
    const { host } = setup();
    expect(await host.readSheet('Sheet1')).toEqual({ name: 'Sheet1', origin: 'A1', grid: [] });
  });

  it('hands over merged areas so a 市/州 merged down the rows reads in every row', async () => {
    const { host } = setup();
    const name = await host.writeSheet(renderSheet(FUJIAN1, fujian1Rows(2)));
    const read = await host.readSheet(name);
    expect(read.merges).toContain('A2:H2');
  });

  it('finds the 附件 sheets by their labels whatever their names, skipping other sheets', async () => {
    const { xl, host } = setup();
    const f1 = renderSheet(FUJIAN1, fujian1Rows(2));
    const f2 = renderSheet(FUJIAN2, fujian2Rows());
    xl.addSheet('同仁县11月', f1.values, 'B2');
    xl.addSheet('汇总表', f2.values);
    xl.addSheet('说明', [['填表说明:请勿修改表头']]);
    expect(await host.findFormSheets(FORMS_2019)).toEqual([
      { name: '同仁县11月', form: 'fujian1' },
      { name: '汇总表', form: 'fujian2' },
    ]);
  });
});

describe('marking issues', () => {
  const issues: Issue[] = [
    {
      code: 'closure.invalid',
      severity: 'error',
      message: 'H6「是否办结」应填写:已办结、阶段办结、正在办理',
      cell: 'H6',
      row: 6,
    },
    { code: 'progress.required', severity: 'warning', message: 'G7「主题教育期间整改进展」未填写', cell: 'G7', row: 7 },
    {
      code: 'fujian2.sum_mismatch',
      severity: 'error',
      message: 'B6:D6 属实 + 不属实 应等于 合计',
      cell: 'B6:D6',
      row: 6,
    },
    { code: 'header.not_found', severity: 'error', message: '未找到表头' },
  ];

  it('fills errors red and warnings yellow, with the message as a note, and clears exactly those marks', async () => {
    const { xl, host } = setup();
    const name = await host.writeSheet(renderSheet(FUJIAN1, fujian1Rows(5)));
    await host.markIssues(name, issues);
    expect(xl.cell(name, 'H6')!.fill).toBe(MARK_COLORS.error);
    expect(xl.cell(name, 'G7')!.fill).toBe(MARK_COLORS.warning);
    expect(['B6', 'C6', 'D6'].map((a) => xl.cell(name, a)!.fill)).toEqual(Array(3).fill(MARK_COLORS.error));
    expect(xl.sheet(name).notes.get('H6')).toContain('应填写');
    await host.clearMarks(name);
    expect(xl.cell(name, 'H6')!.fill).toBeUndefined();
    expect(xl.cell(name, 'C6')!.fill).toBeUndefined();
    expect(xl.sheet(name).notes.size).toBe(0);
    expect(xl.cell(name, 'A4')!.fill).toBe('#F2F2F2'); // the header's own fill is left alone
  });

  it('a second 校验 replaces the marks of the first', async () => {
    const { xl, host } = setup();
    const name = await host.writeSheet(renderSheet(FUJIAN1, fujian1Rows(5)));
    await host.markIssues(name, issues);
    await host.markIssues(name, [issues[1]]);
    expect(xl.cell(name, 'H6')!.fill).toBeUndefined();
    expect(xl.cell(name, 'G7')!.fill).toBe(MARK_COLORS.warning);
    expect([...xl.sheet(name).notes.keys()]).toEqual(['G7']);
  });

  it('takes back the marks of an earlier pane session (pane closed and reopened)', async () => {
    const { xl, host } = setup();
    const name = await host.writeSheet(renderSheet(FUJIAN1, fujian1Rows(5)));
    await host.markIssues(name, issues);
    const reopened = new ExcelWorkbookHost(xl.env());
    await reopened.markIssues(name, [issues[1]]);
    expect(xl.cell(name, 'H6')!.fill).toBeUndefined();
    expect(xl.cell(name, 'C6')!.fill).toBeUndefined();
    expect(xl.cell(name, 'G7')!.fill).toBe(MARK_COLORS.warning);
    expect([...xl.sheet(name).notes.keys()]).toEqual(['G7']);
  });

  it('keeps the user’s own note on a marked cell: the mark there is the colour, and clearing leaves the note', async () => {
    const { xl, host } = setup();
    const name = await host.writeSheet(renderSheet(FUJIAN1, fujian1Rows(5)));
    xl.sheet(name).notes.set('H6', '我的备注');
    await host.markIssues(name, [issues[0], issues[1]]);
    expect(xl.cell(name, 'H6')!.fill).toBe(MARK_COLORS.error);
    expect(xl.sheet(name).notes.get('H6')).toBe('我的备注');
    expect(xl.sheet(name).notes.get('G7')).toContain('整改进展');
    await host.clearMarks(name);
    expect(Object.fromEntries(xl.sheet(name).notes)).toEqual({ H6: '我的备注' });
  });

  it('on Excel without notes (ExcelApi 1.17) marks with colours only', async () => {
    const { xl, host } = setup('1.17');
    const name = await host.writeSheet(renderSheet(FUJIAN1, fujian1Rows(5)));
    await host.markIssues(name, issues);
    expect(xl.cell(name, 'H6')!.fill).toBe(MARK_COLORS.error);
    expect(xl.sheet(name).notes.size).toBe(0);
  });
});

describe('protection of a pulled 附件1', () => {
  it('locks columns 1–6 so only 整改进展 and 是否办结 can be edited', async () => {
    const { xl, host } = setup();
    const name = await host.writeSheet(renderSheet(FUJIAN1, fujian1Rows(3)), {
      name: '附件1(上次填报)',
      lockColumns: [0, 1, 2, 3, 4, 5],
    });
    expect(xl.sheet(name).protection.protected).toBe(true);
    expect(() => xl.userEdit(name, 'D5', '改掉举报内容')).toThrow(/受保护/);
    expect(() => xl.userEdit(name, 'A6', '99')).toThrow(/受保护/);
    xl.userEdit(name, 'G5', '已完成植被恢复');
    xl.userEdit(name, 'H5', '已办结');
    expect(value(xl, name, 'G5')).toBe('已完成植被恢复');
    // 校验 must still be able to colour cells of the protected sheet.
    await host.markIssues(name, [{ code: 'x', severity: 'error', message: 'D5 有误', cell: 'D5' }]);
    expect(xl.cell(name, 'D5')!.fill).toBe(MARK_COLORS.error);
  });
});

describe('requests stay few and small', () => {
  async function writeCost(rows: number) {
    const { xl, host } = setup();
    await host.writeSheet(renderSheet(FUJIAN1, fujian1Rows(rows)));
    return { syncs: xl.syncCount, maxRequest: Math.max(...xl.syncs.map((s) => s.requestBytes)) };
  }

  it('splits rows with very long text into more blocks so no request reaches 5 MB', async () => {
    const { xl, host } = setup();
    const heavy = fujian1Rows(3000).map((r) => ({ ...r, complaint: r.complaint.repeat(12) })); // ~4.5 KB per row
    const name = await host.writeSheet(renderSheet(FUJIAN1, heavy));
    const writes = xl.syncs.filter((s) => s.requestBytes > 1_000_000);
    expect(writes.length).toBeGreaterThanOrEqual(3);
    for (const s of xl.syncs) expect(s.requestBytes).toBeLessThan(FIVE_MB);
    expect(xl.cell(name, 'D3004')!.value).toBe(heavy[2999].complaint);
    const before = xl.syncCount;
    const read = await host.readSheet(name);
    expect(read.grid).toHaveLength(3000 + 4 + 4);
    for (const s of xl.syncs.slice(before)) expect(s.responseBytes).toBeLessThan(FIVE_MB);
  });

  it('writing 10 or 4,000 rows costs the same number of syncs; 10,000 rows add one per extra 5,000-row block', async () => {
    const small = await writeCost(10);
    const mid = await writeCost(4000);
    const large = await writeCost(10_000);
    expect(mid.syncs).toBe(small.syncs);
    // 10,000 data rows + title, header and notes lines: three blocks of at most 5,000 rows.
    expect(large.syncs).toBe(small.syncs + 2);
    expect(large.maxRequest).toBeLessThan(FIVE_MB);
  });

  async function validateCost(rows: number) {
    const { xl, host } = setup();
    const name = await host.writeSheet(renderSheet(FUJIAN1, fujian1Rows(rows)));
    let before = xl.syncCount;
    const read = await host.readSheet(name);
    const readSyncs = xl.syncCount - before;
    const parsed = parseSheet(read.grid, FORMS_2019, { origin: read.origin });
    const issues = parsed.rows.map((r) => ({
      code: 'x',
      severity: 'error' as const,
      message: `H${r.sheetRow}「是否办结」应填写:已办结、阶段办结、正在办理`,
      cell: `H${r.sheetRow}`,
    }));
    before = xl.syncCount;
    await host.markIssues(name, issues);
    const markSyncs = xl.syncCount - before;
    const maxBytes = Math.max(...xl.syncs.map((s) => Math.max(s.requestBytes, s.responseBytes)));
    return { readSyncs, markSyncs, rows: parsed.rows.length, maxBytes };
  }

  it('marking 10 or 4,000 rows costs the same number of syncs; so does reading 1,000 or 4,000', async () => {
    const tiny = await validateCost(10);
    const small = await validateCost(1000);
    const large = await validateCost(4000);
    expect(large.rows).toBe(4000);
    expect(large.markSyncs).toBe(tiny.markSyncs);
    expect(large.readSyncs).toBe(small.readSyncs);
  });

  it('validating a 10,000-row 附件1 stays within 4 syncs per 5,000 rows and 4 MB per request and response', async () => {
    const cost = await validateCost(10_000);
    expect(cost.rows).toBe(10_000);
    expect(cost.readSyncs + cost.markSyncs).toBeLessThanOrEqual(8);
    expect(cost.maxBytes).toBeLessThanOrEqual(MAX_BLOCK_BYTES);
  });
});

describe('with office-addin-mock as the Office runtime', () => {
  afterEach(() => {
    delete (globalThis as Record<string, unknown>).Excel;
    delete (globalThis as Record<string, unknown>).Office;
  });

  it('reads capabilities from Office.context.requirements (ExcelApi 1.7: no drop-down, no notes, no charts)', async () => {
    (globalThis as Record<string, unknown>).Office = new OfficeMockObject({
      context: {
        requirements: {
          isSetSupported: (name: string, v: string) => name === 'ExcelApi' && Number(v.split('.')[1]) <= 7,
        },
      },
    });
    const caps = await new ExcelWorkbookHost().capabilities();
    expect(caps).toEqual({
      protection: true,
      freeze: true,
      dataValidation: false,
      pageLayout: false,
      notes: false,
      charts: false,
      download: false,
    });
  });

  it('selectCell activates the sheet and selects the cell the user clicked in the issue list', async () => {
    const mock = new OfficeMockObject({
      context: {
        workbook: {
          worksheets: {
            sheet: {
              activated: false,
              range: { selected: '' },
              activate() {
                this.activated = true;
              },
              getRange(address: string) {
                this.range.selected = address;
                return { select() {} };
              },
            },
            getItem(name: string) {
              this.requested = name;
              return this.sheet;
            },
            requested: '',
          },
        },
        sync: async () => {},
      },
      run: async function (callback: (ctx: unknown) => Promise<unknown>) {
        return callback(this.context);
      },
    }) as unknown as {
      context: {
        workbook: { worksheets: { requested: string; sheet: { activated: boolean; range: { selected: string } } } };
      };
    };
    (globalThis as Record<string, unknown>).Excel = mock;
    await new ExcelWorkbookHost().selectCell('附件1', 'H6');
    const ws = mock.context.workbook.worksheets;
    expect(ws.requested).toBe('附件1');
    expect(ws.sheet.activated).toBe(true);
    expect(ws.sheet.range.selected).toBe('H6');
  });
});
