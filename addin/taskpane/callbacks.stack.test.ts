// The 州 office's callbacks in Excel, end to end: the real local backend (DynamoDB Local) and the Excel adapter over
// the in-memory Excel. The sample is drawn into a 回访样本 sheet, the office types the results, mistakes come back
// marked on their cells, the corrected sheet is submitted; the county's next 附件1 pull and the consolidated 附件1
// show the 不满意 case; the statistics sheet carries coverage and satisfaction.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalStack, type LocalStack } from '../../infra/local/stack';
import { fujian1Rows } from '../../test/support/rows';
import { FakeExcel } from '../excel/test/fake-excel';
import { campaignFor } from '../../test/support/pane-campaign';
import { ApiClient, newIdempotencyKey } from '../api/client';
import { ExcelWorkbookHost } from '../excel/host';
import { MARK_COLORS } from '../workbook/types';
import {
  callbackSampling,
  checkSheet,
  pullCallbackSample,
  pullLast,
  pullPrefectureSheet,
  pullProgressSheet,
  submitCallbackSheet,
} from './flows';

let stack: LocalStack;
const clock = new Date('2019-11-20T02:00:00Z');
const round = '2019-11-14';
const today = '2019-11-20';
const api = (unit: string) =>
  new ApiClient({ baseUrl: stack.apiUrl, token: stack.tokens[unit], sleep: async () => {} });

beforeAll(async () => {
  stack = await startLocalStack({ inMemory: true, port: 0, quiet: true, now: () => clock });
  for (const [unit, name, closed] of [
    ['tongren', '同仁县', 5],
    ['jianzha', '尖扎县', 10],
  ] as const) {
    await api(unit).submit(
      {
        form: 'fujian1',
        round,
        asOf: '2019-11-13',
        contact: { name: '王芳', phone: '0973-8720000' },
        rows: fujian1Rows(closed + 2, { unitName: name, closure: (i) => (i < closed ? '已办结' : '正在办理') }),
      },
      { idempotencyKey: newIdempotencyKey() },
    );
  }
});
afterAll(async () => {
  await stack?.stop();
});

function excel(apiVersion?: string) {
  const xl = new FakeExcel(apiVersion);
  xl.addSheet('Sheet1');
  return { xl, host: new ExcelWorkbookHost(xl.env()) };
}

const texts = (xl: FakeExcel, sheet: string) => [...xl.sheet(sheet).cells.values()].map((c) => String(c.value));

describe('callbacks in Excel', () => {
  const office = () => api('huangnan');

  it('draws the sample into a sheet, marks the mistakes typed into it by cell, then records the corrected results', async () => {
    const campaign = await campaignFor(office(), round);
    const sampling = callbackSampling(campaign)!;
    const { xl, host } = excel();
    const got = await pullCallbackSample(host, office(), sampling, round, '4821');
    const sheet = got.sheet!;
    expect(sheet).toBe('回访样本 2019-11-14');
    expect(got.sample!.seed).toBe('2019-11-14#4821');
    // ceil(5 × 20 %) + ceil(10 × 20 %) = 1 + 2 cases, rows 4–6 under the header on row 3.
    expect(['J3', 'K3', 'L3', 'M3'].map((a) => xl.cell(sheet, a)?.value)).toEqual([
      '回访方式',
      '回访日期',
      '回访结果',
      '回访情况说明',
    ]);
    expect(['B4', 'B5', 'B6'].map((a) => xl.cell(sheet, a)?.value)).toEqual(['同仁县', '尖扎县', '尖扎县']);
    expect(xl.sheet(sheet).validations.map((v) => v.address)).toEqual(['J4:J6', 'L4:L6']);

    // Drawing again (another number, another computer) writes the same cases.
    const again = excel();
    const second = await pullCallbackSample(again.host, office(), sampling, round, '1111');
    expect(second.sample!.created).toBe(false);
    expect(['C4', 'C5', 'C6'].map((a) => again.xl.cell(sheet, a)?.value)).toEqual(
      ['C4', 'C5', 'C6'].map((a) => xl.cell(sheet, a)?.value),
    );

    xl.userEdit(sheet, 'J4', '上门');
    xl.userEdit(sheet, 'K4', '2019-11-19');
    xl.userEdit(sheet, 'L4', '很好');
    xl.userEdit(sheet, 'J5', '电话');
    xl.userEdit(sheet, 'K5', '2019-11-19');
    xl.userEdit(sheet, 'L5', '不满意');
    const wrong = await submitCallbackSheet(host, office(), round, today);
    expect(wrong.sent).toBe(0);
    expect(wrong.issues.map((i) => i.message)).toEqual([
      'J4「回访方式」只能是 电话 或 实地,现为“上门”',
      'L4「回访结果」只能是 满意、基本满意 或 不满意,现为“很好”',
      'M5「回访情况说明」群众不满意时请写明不满意的原因,县级据此重新办理',
    ]);
    expect(['J4', 'L4', 'M5'].map((a) => xl.cell(sheet, a)?.fill)).toEqual(Array(3).fill(MARK_COLORS.error));
    expect((await office().callbackSample(round))!.totals.visited).toBe(0);

    xl.userEdit(sheet, 'J4', '实地');
    xl.userEdit(sheet, 'L4', '满意');
    xl.userEdit(sheet, 'M5', '噪声仍未消除');
    const done = await submitCallbackSheet(host, office(), round, today);
    expect(done.issues).toEqual([]);
    expect(done.sent).toBe(2);
    expect(done.sample!.totals).toMatchObject({ sampled: 3, visited: 2, satisfied: 1, dissatisfied: 1 });
    expect(xl.cell(sheet, 'J4')?.fill).not.toBe(MARK_COLORS.error);
    // The same sheet again: nothing new to record.
    expect((await submitCallbackSheet(host, office(), round, today)).sent).toBe(0);
  });

  it('the county’s next 附件1 pull and the consolidated 附件1 show the 不满意 case; 校验 passes the marked sheet', async () => {
    const flaggedUnit = (await office().callbackSample(round))!.cases.find((c) => c.result?.result === '不满意')!;
    const unit = flaggedUnit.unit;
    const county = api(unit);
    const me = await county.me();
    const campaign = await campaignFor(county, round);
    const { xl, host } = excel();
    const [pulled] = await pullLast(host, county, me, campaign.forms);
    expect(pulled.flagged).toBe(1);
    const flagText = '2019-11-19 电话回访不满意:噪声仍未消除。请重新办理。';
    expect(texts(xl, pulled.sheet)).toEqual(expect.arrayContaining(['回访不满意', flagText]));
    const checked = await checkSheet(host, pulled.sheet, campaign.forms, { requireProgress: false });
    expect(checked.errors).toBe(0);

    const prefecture = excel();
    const name = await pullPrefectureSheet(
      prefecture.host,
      office(),
      await office().me(),
      await campaignFor(office(), round),
      { kind: 'form', form: 'fujian1' },
      round,
    );
    expect(texts(prefecture.xl, name)).toEqual(expect.arrayContaining(['回访不满意', flagText]));
  });

  it('the statistics sheet gives each county its callback coverage and satisfaction', async () => {
    const campaign = await campaignFor(office(), round);
    const { xl, host } = excel();
    const name = await pullPrefectureSheet(
      host,
      office(),
      await office().me(),
      campaign,
      { kind: 'stats', form: campaign.forms.get('fujian1')! },
      round,
    );
    expect(texts(xl, name)).toEqual(expect.arrayContaining(['回访样本', '已回访', '回访完成率', '满意率']));
  });
});

describe('progress over rounds in Excel', () => {
  it('writes the rounds side by side with two native charts where the build has them', async () => {
    const { xl, host } = excel();
    const got = await pullProgressSheet(host, api('huangnan'));
    expect(got).toEqual({ sheet: '各轮统计', charts: 2 });
    const rows = xl.sheet('各轮统计');
    expect(['A4', 'B4', 'C4', 'D4', 'E4'].map((a) => xl.cell('各轮统计', a)?.value)).toEqual([
      '轮次',
      '办结率',
      '按时报送率',
      '回访完成率',
      '回访满意率',
    ]);
    // 2019-11-14 (row 7): 15 closed of 19 cases; 2 of 3 sampled cases visited, 1 of them satisfied.
    expect(['A7', 'B7', 'D7', 'E7', 'J7', 'K7'].map((a) => xl.cell('各轮统计', a)?.value)).toEqual([
      '2019-11-14',
      15 / 19,
      2 / 3,
      0.5,
      19,
      15,
    ]);
    expect(rows.charts).toEqual([
      expect.objectContaining({
        type: 'LineMarkers',
        source: 'A4:E8',
        seriesBy: 'Columns',
        series: ['办结率', '按时报送率', '回访完成率', '回访满意率'],
        title: '各轮办结率、按时报送率与回访情况',
        valueAxisFormat: '0%',
        position: { start: 'O4', end: 'W20' },
      }),
      expect.objectContaining({
        type: 'ColumnClustered',
        source: 'A10:B14',
        series: ['办结率(2019-11-24)'],
        title: '各县办结率(2019-11-24)',
      }),
    ]);
  });

  it('on an Excel build without chart axes formats (ExcelApi below 1.8) writes the table alone, without an error', async () => {
    const { xl, host } = excel('1.4');
    const got = await pullProgressSheet(host, api('huangnan'));
    expect(got).toEqual({ sheet: '各轮统计', charts: 0 });
    expect(xl.sheet('各轮统计').charts).toEqual([]);
    expect(xl.cell('各轮统计', 'A7')?.value).toBe('2019-11-14');
  });

  it('the workbook fake refuses what Excel refuses: an unknown chart type, several areas as the source, a percentage axis below 1.8', async () => {
    const { xl, host } = excel();
    xl.addSheet('表', [
      ['轮次', '办结率'],
      ['a', 0.5],
    ]);
    const env = xl.env();
    const add = (type: string, source: (s: Excel.Worksheet) => Excel.Range) =>
      env.run(async (context) => {
        const sheet = context.workbook.worksheets.getItem('表');
        sheet.charts.add(type as Excel.ChartType, source(sheet), 'Columns' as Excel.ChartSeriesBy);
        await context.sync();
      });
    await expect(add('Columns3D', (s) => s.getRange('A1:B2'))).rejects.toThrow(/InvalidArgument/);
    await expect(add('Line', (s) => s.getRanges('A1:A2, B1:B2') as unknown as Excel.Range)).rejects.toThrow(
      /InvalidArgument/,
    );
    await expect(add('Line', (s) => s.getRange('A1:B2'))).resolves.toBeUndefined();
    const old = new FakeExcel('1.7');
    old.addSheet('表', [['轮次', '办结率']]);
    await expect(
      new ExcelWorkbookHost({ ...old.env(), isSetSupported: () => true }).addCharts('表', [
        { title: 't', kind: 'line', source: 'A1:B1', position: ['D1', 'H9'], percent: true },
      ]),
    ).rejects.toThrow(/ApiNotFound/);
    expect(host.kind).toBe('excel');
  });
});
