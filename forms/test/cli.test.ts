// The validator a clerk (or a script) runs on a workbook: its verdict, its wording and its exit code.
import {} from './forms-2019';
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { runCli } from '../cli/run';
import {
  FUJIAN1_LABELS,
  FUJIAN2_HEADER_MERGES,
  FUJIAN2_SUB,
  FUJIAN2_TOP,
  fujian1Row,
  fujian2Row,
  xlsxBytes,
} from './sheets';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const fixture = (name: string) => join(root, 'forms', 'testdata', 'fixtures', name);

async function run(argv: string[], files: Record<string, Uint8Array> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, {
    readFile: async (path) => files[path] ?? new Uint8Array(await readFile(path)),
    out: (t) => out.push(t),
    err: (t) => err.push(t),
  });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('npm run validate', () => {
  it('prints each error with its cell in Chinese and exits 1', async () => {
    const r = await run([fixture('fujian1_errors.xlsx')]);
    expect(r.code).toBe(1);
    expect(r.out).toContain('工作表「附件1」是附件1:数据 10 行,错误 4 处');
    expect(r.out).toContain('H6「是否办结」应填写:已办结、阶段办结、正在办理');
    expect(r.out).toContain('C8「详细地址」不能为空');
    expect(r.out).toContain('校验未通过:共 4 处错误');
  });

  it('exits 0 on a clean sheet', async () => {
    const r = await run([fixture('fujian2_tongren.xlsx')]);
    expect(r.code).toBe(0);
    expect(r.out).toContain('校验通过');
  });

  it('--json prints one object with form, sheet, dataRows and located issues', async () => {
    const r = await run([fixture('fujian2_errors.xlsx'), '--json']);
    expect(r.code).toBe(1);
    const verdict = JSON.parse(r.out);
    expect(Object.keys(verdict)).toEqual(['form', 'sheet', 'dataRows', 'issues']);
    expect(verdict).toMatchObject({ form: 'fujian2', sheet: '附件2', dataRows: 4 });
    expect(verdict.issues.map((i: { cell: string }) => i.cell)).toEqual(['B6:D6', 'G7', 'H8', 'D9:F9']);
    expect(verdict.issues[1]).toEqual({
      cell: 'G7',
      row: 7,
      column: '责令整改(家)',
      code: 'negative',
      severity: 'error',
      message: 'G7「责令整改(家)」不能为负数,应填写0或正整数,当前为「-1」',
    });
  });

  it('finds both forms in one workbook by their headers, whatever the sheets are called, and prints an array', async () => {
    const book = await xlsxBytes([
      { name: '说明', rows: [['本工作簿为11月14日报送材料']] },
      { name: '问题清单', rows: [['附件1'], FUJIAN1_LABELS, fujian1Row(1), fujian1Row(2, { 7: '办结' })] },
      { name: '汇总', rows: [FUJIAN2_TOP, FUJIAN2_SUB, fujian2Row('同仁县')], merges: FUJIAN2_HEADER_MERGES(1) },
    ]);
    const r = await run(['book.xlsx', '--json'], { 'book.xlsx': book });
    expect(r.code).toBe(1);
    const verdicts = JSON.parse(r.out);
    expect(
      verdicts.map((v: { form: string; sheet: string; dataRows: number }) => [v.form, v.sheet, v.dataRows]),
    ).toEqual([
      ['fujian1', '问题清单', 2],
      ['fujian2', '汇总', 1],
    ]);
    expect(verdicts[0].issues.map((i: { cell: string }) => i.cell)).toEqual(['H4']);

    const only2 = await run(['book.xlsx', '--json', '--form', 'fujian2'], { 'book.xlsx': book });
    expect(only2.code).toBe(0);
    expect(JSON.parse(only2.out)).toMatchObject({ form: 'fujian2', sheet: '汇总', issues: [] });
  });

  it('--require-progress makes 主题教育期间整改进展 required', async () => {
    const book = await xlsxBytes([{ rows: [FUJIAN1_LABELS, fujian1Row(1, { 6: null })] }]);
    expect((await run(['a.xlsx'], { 'a.xlsx': book })).code).toBe(0);
    const r = await run(['a.xlsx', '--require-progress'], { 'a.xlsx': book });
    expect(r.code).toBe(1);
    expect(r.out).toContain('G2「主题教育期间整改进展」不能为空');
  });

  it('a workbook without any 附件 header gets one issue naming the sheets and the labels, exit 1', async () => {
    const book = await xlsxBytes([{ name: '通讯录', rows: [['姓名', '电话']] }]);
    const r = await run(['x.xlsx', '--json'], { 'x.xlsx': book });
    expect(r.code).toBe(1);
    const verdict = JSON.parse(r.out);
    expect(verdict).toMatchObject({ form: null, sheet: null, dataRows: 0 });
    expect(verdict.issues).toHaveLength(1);
    expect(verdict.issues[0].code).toBe('header.not_found');
    expect(verdict.issues[0].message).toMatch(/^工作表「通讯录」中没有找到附件1或附件2的表头/);
  });

  it('exits 2 with a Chinese message for a missing file, a file that is not .xlsx, or a bad command line', async () => {
    const missing = await run(['/nonexistent/附件1.xlsx']);
    expect([missing.code, missing.err]).toEqual([2, '找不到文件「/nonexistent/附件1.xlsx」:请检查路径和文件名']);
    const notXlsx = await run(['old.xls'], { 'old.xls': new TextEncoder().encode('序号,市/州\n1,黄南州') });
    expect(notXlsx.code).toBe(2);
    expect(notXlsx.err).toContain('另存为」Excel 工作簿(.xlsx)');
    expect((await run([])).code).toBe(2);
    expect((await run(['a.xlsx', '--form', 'fujian3'])).err).toContain('--form 的值应为 fujian1 或 fujian2');
    expect((await run(['a.xlsx', '--verbose'])).err).toContain('不认识的选项「--verbose」');
  });

  it('runs as the npm script (tsx forms/cli/validate.ts) with those exit codes', async () => {
    const exec = promisify(execFile);
    const cli = (...args: string[]) =>
      exec(process.execPath, ['--import', 'tsx', 'forms/cli/validate.ts', ...args], { cwd: root }).catch((e) => e);
    const [ok, bad, unusable] = await Promise.all([
      cli(fixture('fujian1_tongren.xlsx'), '--json'),
      cli(fixture('fujian1_errors.xlsx')),
      cli(),
    ]);
    expect(JSON.parse(ok.stdout)).toEqual({ form: 'fujian1', sheet: '附件1', dataRows: 14, issues: [] });
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain('A12「序号」');
    expect(unusable.code).toBe(2);
    expect(unusable.stderr).toContain('请给出要校验的 .xlsx 文件');
  });
});
