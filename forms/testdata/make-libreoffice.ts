// Regenerates testdata/libreoffice/*.xlsx: quirky 附件 sheets built with ExcelJS, then opened and saved
// by LibreOffice Calc (headless), so the tests read files as LibreOffice writes them (its shared strings,
// rich-text runs, merges and its own cached formula results).
//   apt-get install libreoffice-calc-nogui && npx tsx forms/testdata/make-libreoffice.ts
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FUJIAN2_SUB, FUJIAN2_TOP, fujian1Row, fujian2Row, xlsxBytes, type Cell } from '../test/sheets';

const out = join(dirname(fileURLToPath(import.meta.url)), 'libreoffice');
const rich = (...parts: string[]): Cell => ({ richText: parts.map((text, i) => ({ text, font: { bold: i % 2 === 0, color: { argb: i ? 'FFFF0000' : 'FF000000' } } })) });
const wide = (label: string) => label.replace(/\(/g, '（').replace(/\)/g, '）');

const fujian1 = await xlsxBytes([
  { name: 'Sheet1', rows: [['请各县于每月4日、14日、24日报送']] },
  {
    name: '11月14日',
    startColumn: 2,
    rows: [
      [null, '附件1'],
      [null, '第一轮中央环境保护督察尚未办结问题整改进展情况自查表'],
      [],
      [null, '填报单位（公章）：', '泽库县人民政府', null, null, '填报日期：', '2019年11月14日'],
      [],
      ['核查人', rich('序', '号'), '市／州', '详细\n地址', '群众举报问题\n具体内容', '目前整改工作现状', '具体整改措施\n及整改目标', '主题教育期间整改进展', '是否\n办结'],
      ['卓玛', ...fujian1Row('１')],
      ['卓玛', ...fujian1Row({ formula: 'C7+1' } as Cell, { 1: null, 7: rich('阶段', '办结') })],
      [],
      ['扎西', ...fujian1Row(' 3 ', { 1: null, 7: '已完成' })],
      ['扎西', ...fujian1Row(4, { 2: '　', 7: '　正在办理　' })],
      ['合计', '合计', '4件'],
      [],
      [null, '备注:1、整改目标是指截至2019年11月底第二批主题教育活动结束前预期成效'],
      [null, '2、除第一次填报外,后续填报只填写最后两栏“整改进展”“是否办结”内容,其余栏目原则上保持不变'],
      [null, '填报人:卓玛', null, '联系电话:13897330001'],
    ],
    // Rows are offset by startRow 1; 市/州 merged down rows 7–9 of the sheet.
    merges: ['C2:J2', 'D7:D9'],
  },
]);

const fujian2 = await xlsxBytes([
  {
    name: '汇总表',
    rows: [
      ['附件2'],
      ['第二轮第一批中央生态环境保护督察群众举报问题办理情况汇总表'],
      ['填报单位(公章):黄南州生态环境局', null, null, null, null, null, null, '填报日期:2019年11月14日'],
      FUJIAN2_TOP.map((l) => (l ? wide(l) : l)),
      FUJIAN2_SUB,
      fujian2Row('同仁县', ['１４', '2', { formula: 'B6+C6' } as Cell, 8, 5, 4, 0, '12.17', 0, 2, 0, 1, 0]),
      fujian2Row('尖扎县', [11, 4, { formula: 'B7+C7' } as Cell, 9, 3, 1, 2, 7.36, 1, 1, 1, 4, 2]),
      fujian2Row('泽库县', [16, 2, 19, 10, 8, 6, 0, 11.05, 1, 0, 0, 1, 2]),
      ['合计', ...'BCDEFGHIJKLMN'.split('').map((c) => ({ formula: `SUM(${c}6:${c}8)` }) as Cell)],
      [],
      ['注:数据截至2019年11月10日'],
    ],
    merges: ['A2:N2', 'A3:G3', 'H3:N3', 'A4:A5', 'B4:D4', 'E4:E5', 'F4:F5', 'G4:G5', 'H4:H5', 'I4:I5', 'J4:J5', 'K4:L4', 'M4:M5', 'N4:N5'],
  },
]);

const work = mkdtempSync(join(tmpdir(), 'lo-'));
for (const [name, bytes] of [['fujian1_quirks.xlsx', fujian1], ['fujian2_quirks.xlsx', fujian2]] as const) {
  const src = join(work, 'src');
  execFileSync('mkdir', ['-p', src]);
  writeFileSync(join(src, name), bytes);
  execFileSync('soffice', ['--headless', '--norestore', `-env:UserInstallation=file://${work}/profile`, '--convert-to', 'xlsx:Calc MS Excel 2007 XML', '--outdir', work, join(src, name)], { stdio: 'ignore' });
  writeFileSync(join(out, name), readFileSync(join(work, name)));
  process.stderr.write(`wrote ${join(out, name)}\n`);
}
