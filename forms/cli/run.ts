// `npm run validate -- <file.xlsx> [--form fujian1|fujian2] [--json] [--require-progress]`: checks a workbook
// the way the add-in's 校验 does. Exit 0: no errors; 1: errors; 2: unusable file or command line.
import { FORMS } from '../definitions';
import { detectForm, parseSheet } from '../parse';
import type { FormId, Issue } from '../types';
import { readXlsxSheets, type XlsxSheet } from '../xlsx-read';

export interface CliIo {
  readFile(path: string): Promise<Uint8Array>;
  out(text: string): void;
  err(text: string): void;
}

export interface SheetVerdict {
  form: FormId | null;
  sheet: string | null;
  dataRows: number;
  issues: Pick<Issue, 'cell' | 'row' | 'column' | 'code' | 'severity' | 'message'>[];
}

const USAGE = `用法:npm run validate -- <文件.xlsx> [--form fujian1|fujian2] [--json] [--require-progress]
  --form             只按附件1(fujian1)或附件2(fujian2)校验
  --json             以 JSON 输出结果
  --require-progress 按非首次报送校验:「主题教育期间整改进展」必须填写`;

interface Args {
  file: string;
  form?: FormId;
  json: boolean;
  requireProgress: boolean;
}

const FORM_NAMES: Record<string, FormId> = {
  fujian1: 'fujian1',
  fujian2: 'fujian2',
  附件1: 'fujian1',
  附件2: 'fujian2',
  '1': 'fujian1',
  '2': 'fujian2',
};

function parseArgs(argv: string[]): Args | { help: true } | { error: string } {
  const args: Partial<Args> = { json: false, requireProgress: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '-h' || a === '--help') return { help: true };
    if (a === '--json') args.json = true;
    else if (a === '--require-progress') args.requireProgress = true;
    else if (a === '--form' || a.startsWith('--form=')) {
      const value = a === '--form' ? argv[++i] : a.slice('--form='.length);
      const form = value === undefined ? undefined : FORM_NAMES[value.trim().toLowerCase()];
      if (!form) return { error: `--form 的值应为 fujian1 或 fujian2,当前为「${value ?? ''}」` };
      args.form = form;
    } else if (a.startsWith('-')) return { error: `不认识的选项「${a}」` };
    else if (args.file) return { error: `只能校验一个文件,多出了「${a}」` };
    else args.file = a;
  }
  if (!args.file) return { error: '请给出要校验的 .xlsx 文件' };
  return args as Args;
}

export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const args = parseArgs(argv);
  if ('help' in args) {
    io.out(USAGE);
    return 0;
  }
  if ('error' in args) {
    io.err(`${args.error}\n${USAGE}`);
    return 2;
  }
  let sheets: XlsxSheet[];
  try {
    sheets = await readXlsxSheets(await io.readFile(args.file));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    io.err(
      code === 'ENOENT'
        ? `找不到文件「${args.file}」:请检查路径和文件名`
        : code === 'EISDIR'
          ? `「${args.file}」是文件夹,不是 .xlsx 文件`
          : `无法读取「${args.file}」:它不是有效的 .xlsx 工作簿。如果是 .xls、.et 或 .csv 文件,请在 Excel 或 WPS 中「另存为」Excel 工作簿(.xlsx)后再校验`,
    );
    return 2;
  }

  const verdicts = checkWorkbook(sheets, args.form, args.requireProgress);
  if (args.json) io.out(JSON.stringify(verdicts.length === 1 ? verdicts[0] : verdicts));
  else io.out(describe(verdicts, args.file));
  return verdicts.some((v) => v.issues.some((i) => i.severity === 'error')) ? 1 : 0;
}

/** Every sheet that holds a 附件 (of the asked form), whatever its name; one verdict saying so when none does. */
export function checkWorkbook(sheets: XlsxSheet[], only: FormId | undefined, requireProgress: boolean): SheetVerdict[] {
  const verdicts: SheetVerdict[] = [];
  for (const sheet of sheets) {
    const form = only ?? detectForm(sheet.grid);
    if (!form) continue;
    const parsed = parseSheet(sheet.grid, {
      origin: sheet.origin,
      form,
      merges: sheet.merges,
      context: { requireProgress },
    });
    if (parsed.form === null) continue;
    verdicts.push({
      form: parsed.form,
      sheet: sheet.name,
      dataRows: parsed.rows.length,
      issues: parsed.issues.map(pickIssue),
    });
  }
  if (verdicts.length > 0) return verdicts;
  const names = sheets.map((s) => `「${s.name}」`).join('、');
  const [notFound] = parseSheet([], only ? { form: only } : {}).issues;
  return [
    {
      form: null,
      sheet: null,
      dataRows: 0,
      issues: [
        { ...pickIssue(notFound), message: `工作表${names}中${notFound.message.replace(/^未找到/, '没有找到')}` },
      ],
    },
  ];
}

function pickIssue(i: Issue): SheetVerdict['issues'][number] {
  const { cell, row, column, code, severity, message } = i;
  return { cell, row, column, code, severity, message };
}

function describe(verdicts: SheetVerdict[], file: string): string {
  const lines: string[] = [];
  for (const v of verdicts) {
    const errors = v.issues.filter((i) => i.severity === 'error').length;
    const warnings = v.issues.length - errors;
    if (v.form)
      lines.push(
        `工作表「${v.sheet}」是${FORMS[v.form].tag}:数据 ${v.dataRows} 行,错误 ${errors} 处,提醒 ${warnings} 处`,
      );
    for (const i of v.issues) lines.push(`  ${i.severity === 'error' ? '错误' : '提醒'}  ${i.message}`);
  }
  const errors = verdicts.reduce((n, v) => n + v.issues.filter((i) => i.severity === 'error').length, 0);
  lines.push(
    errors === 0
      ? `校验通过:「${file}」没有错误,可以报送。`
      : `校验未通过:共 ${errors} 处错误,请按上面的提示修改后再报送。`,
  );
  return lines.join('\n');
}
