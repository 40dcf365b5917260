// The pane's flows end to end: the real local backend (DynamoDB Local) and the Excel adapter over the in-memory
// Excel — a clerk's round trip from a blank template to the prefecture's consolidated sheets.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalStack, type LocalStack } from '../../infra/local/stack';
import { ApiClient, newIdempotencyKey } from '../api/client';
import { FakeExcel } from '../excel/test/fake-excel';
import { campaignFor } from '../../test/support/pane-campaign';
import { ExcelWorkbookHost } from '../excel/host';
import { formOf } from '../campaign';
import {
  checkSheet,
  currentSubmission,
  fixedColumns,
  insertTemplate,
  pullLast,
  pullPrefectureSheet,
  submitChecked,
} from './flows';

let stack: LocalStack;
let clock = new Date('2019-11-03T02:00:00Z');
const contact = { name: '王芳', phone: '0973-8720000' };
const api = (unit: string) =>
  new ApiClient({ baseUrl: stack.apiUrl, token: stack.tokens[unit], sleep: async () => {} });

beforeAll(async () => {
  stack = await startLocalStack({ inMemory: true, port: 0, quiet: true, now: () => clock });
});
afterAll(async () => {
  await stack?.stop();
});

function excel() {
  const xl = new FakeExcel();
  xl.addSheet('Sheet1');
  return { xl, host: new ExcelWorkbookHost(xl.env()) };
}

/** A clerk typing a row into the sheet, cell by cell, as text. */
function type(xl: FakeExcel, sheet: string, row: number, values: string[]) {
  values.forEach((v, i) => xl.userEdit(sheet, `${String.fromCharCode(65 + i)}${row}`, v));
}

describe('a county round trip and the prefecture’s sheets', () => {
  it('fills a blank 附件1, checks it, submits it; next round pulls it back locked and submits the update', async () => {
    const county = api('tongren');
    const me = await county.me();
    const { forms } = await campaignFor(county, '2019-11-04');
    expect(forms.ids).toEqual(['fujian1', 'fujian2']);
    const { xl, host } = excel();
    const sheet = await insertTemplate(host, formOf(forms, 'fujian1'), me.unit.name);
    type(xl, sheet, 5, [
      '1',
      '黄南州',
      '同仁县隆务镇',
      '=HYPERLINK("http://x","夜间噪声")',
      '已停产',
      '-安装隔音设施',
      '',
      '正在办理',
    ]);
    type(xl, sheet, 6, ['2', '黄南州', '同仁县保安镇', '砂石料场扬尘', '已覆盖', '限期整改', '', '办完了']);

    let check = await checkSheet(host, sheet, forms, { requireProgress: false });
    expect(check.parsed.issues.map((i) => i.cell)).toEqual(['H6']);
    expect(xl.cell(sheet, 'H6')!.fill).toBeDefined();
    xl.userEdit(sheet, 'H6', '阶段办结');
    check = await checkSheet(host, sheet, forms, { requireProgress: false });
    expect(check.errors).toBe(0);
    expect(xl.cell(sheet, 'H6')!.fill).toBeUndefined();

    const first = await submitChecked(county, {
      check,
      round: '2019-11-04',
      asOf: '2019-11-02',
      contact,
      basedOn: null,
      idempotencyKey: newIdempotencyKey(),
    });
    expect(first).toMatchObject({ version: 1, rowCount: 2, late: false });
    expect(first.changes.added).toEqual([1, 2]);

    // Next round: pull, only 整改进展 and 是否办结 editable.
    clock = new Date('2019-11-12T02:00:00Z');
    const [pulled, ...more] = await pullLast(host, county, me, forms);
    expect(more).toEqual([]);
    expect(pulled).toMatchObject({ rows: 2, round: '2019-11-04' });
    expect(xl.cell(pulled.sheet, 'D5')!.value).toBe('=HYPERLINK("http://x","夜间噪声")');
    expect(xl.cell(pulled.sheet, 'D5')!.formula).toBeUndefined();
    expect(fixedColumns(pulled.form)).toEqual([0, 1, 2, 3, 4, 5]);
    for (const col of fixedColumns(pulled.form))
      expect(() => xl.userEdit(pulled.sheet, `${String.fromCharCode(65 + col)}5`, 'x')).toThrow();
    xl.userEdit(pulled.sheet, 'G5', '已安装隔音设施');
    xl.userEdit(pulled.sheet, 'H5', '已办结');
    xl.userEdit(pulled.sheet, 'G6', '已完成覆盖');
    const update = await checkSheet(host, pulled.sheet, forms, { requireProgress: true });
    expect(update.errors).toBe(0);
    const basedOn = (await currentSubmission(county, me, 'fujian1', '2019-11-14'))?.id ?? null;
    const second = await submitChecked(county, {
      check: update,
      round: '2019-11-14',
      asOf: '2019-11-11',
      contact,
      basedOn,
      idempotencyKey: newIdempotencyKey(),
    });
    expect(second.changes.newlyClosed).toEqual([1]);
    expect(second.late).toBe(false);
  });

  it('writes the status board, consolidated 附件1 and 附件2, and statistics as sheets', async () => {
    await api('jianzha').submit(
      {
        form: 'fujian2',
        round: '2019-11-14',
        asOf: '2019-11-11',
        contact,
        basedOn: null,
        rows: [
          {
            // What a clerk typed in 市/州; the consolidated sheet names the unit by its token, never by this text.
            unit: '尖扎县环保局',
            verified: 5,
            unfounded: 1,
            assigned: 6,
            closed: 3,
            phaseClosed: 2,
            orderedToRectify: 1,
            penalized: 1,
            fineWan: 1.5,
            investigated: 0,
            detainedAdmin: 0,
            detainedCriminal: 0,
            interviewed: 2,
            heldAccountable: 1,
          },
        ],
      },
      { idempotencyKey: newIdempotencyKey() },
    );
    const prefecture = api('huangnan');
    const me = await prefecture.me();
    const campaign = await campaignFor(prefecture, '2019-11-14');
    const { xl, host } = excel();

    const status = await pullPrefectureSheet(host, prefecture, me, campaign, { kind: 'status' }, '2019-11-14');
    expect(status).toBe('报送情况 2019-11-14');
    const statusRows = xl.sheet(status);
    expect(xl.cell(status, 'A4')!.value).toBe('单位');
    const units = [5, 6, 7, 8].map((r) => xl.cell(status, `A${r}`)!.value);
    expect(units).toEqual(['同仁县', '尖扎县', '泽库县', '河南蒙古族自治县']);
    expect(xl.cell(status, 'B5')!.value).toBe('按时报送');
    expect(xl.cell(status, 'E6')!.value).toBe('按时报送');
    expect(xl.cell(status, 'B7')!.value).toBe('未报送');
    expect(statusRows.frozenRows).toBe(4);

    const f1 = await pullPrefectureSheet(
      host,
      prefecture,
      me,
      campaign,
      { kind: 'form', form: 'fujian1' },
      '2019-11-14',
    );
    expect(xl.cell(f1, 'A2')!.value).toBe('第一轮中央环境保护督察尚未办结问题整改进展情况自查表');
    expect(xl.cell(f1, 'D5')!.value).toBe('=HYPERLINK("http://x","夜间噪声")');
    expect(xl.cell(f1, 'D5')!.formula).toBeUndefined();
    expect(xl.cell(f1, 'I5')!.value).toBe('同仁县');
    expect(xl.cell(f1, 'A7')!.value).toBe('合计');

    const f2 = await pullPrefectureSheet(
      host,
      prefecture,
      me,
      campaign,
      { kind: 'form', form: 'fujian2' },
      '2019-11-14',
    );
    expect(xl.cell(f2, 'C5')!.value).toBe('不属实');
    // Every county has its line, in the board's order; one that has not reported is an empty row marked 未报送.
    const names = [6, 7, 8, 9].map((r) => xl.cell(f2, `A${r}`)?.value);
    expect(names).toEqual(['同仁县', '尖扎县', '泽库县', '河南蒙古族自治县']);
    expect(xl.cell(f2, 'D7')!.value).toBe(6);
    expect(xl.cell(f2, 'O7')!.value).toBe('按时报送');
    expect(xl.cell(f2, 'O8')!.value).toBe('未报送');
    expect(xl.cell(f2, 'D8')?.value ?? '').toBe('');

    const stats = await pullPrefectureSheet(
      host,
      prefecture,
      me,
      campaign,
      { kind: 'stats', form: formOf(campaign.forms, 'fujian1') },
      '2019-11-14',
    );
    expect(xl.cell(stats, 'A5')!.value).toBe('同仁县');
    expect(xl.cell(stats, 'C5')!.value).toBe(2);
    expect(xl.cell(stats, 'D5')!.value).toBe(1);
    expect(xl.cell(stats, 'A9')!.value).toBe('合计');
  });
});
