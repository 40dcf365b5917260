// `npm run validate -- <file.xlsx> [--campaign <campaign.json>] [--form <id>] [--json] [--require-progress]`:
// checks a workbook the way the add-in's 校验 does, against the forms of a campaign document (default: the 2019
// 黄南州 campaign). Exit 0: no errors; 1: errors; 2: unusable file, campaign document or command line.
import { formatDocumentIssues, parseCampaignDocument } from '../campaign/document';
import { HUANGNAN_2019_FORMS } from '../campaign/seed';
import { detectForm, parseSheet } from '../parse';
import { campaignForms, type FormCatalog, type FormDefinition } from '../spec';
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

const USAGE = `用法:npm run validate -- <文件.xlsx> [--campaign <专项行动.json>] [--form <表>] [--json] [--require-progress]
  --campaign         按该专项行动文件中的表校验(默认:2019 年黄南州专项整治的附件1、附件2)
  --form             只按其中一张表校验:表的 id 或标签,如 fujian1、附件1、1
  --json             以 JSON 输出结果
  --require-progress 按非首次报送校验:「主题教育期间整改进展」必须填写`;

interface Args {
  file: string;
  campaign?: string;
  form?: string;
  json: boolean;
  requireProgress: boolean;
}

/** The form a `--form` value names: its id, its tag (`附件1`) or the tag's number (`1`). */
function namedForm(forms: FormCatalog, value: string): FormDefinition | undefined {
  const wanted = value.trim().toLowerCase();
  return forms.forms.find((f) => f.id === wanted || f.tag === wanted || f.tag.replace(/^\D+/, '') === wanted);
}

function parseArgs(argv: string[]): Args | { help: true } | { error: string } {
  const args: Partial<Args> = { json: false, requireProgress: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '-h' || a === '--help') return { help: true };
    if (a === '--json') args.json = true;
    else if (a === '--require-progress') args.requireProgress = true;
    else if (a === '--form' || a.startsWith('--form=')) {
      args.form = (a === '--form' ? argv[++i] : a.slice('--form='.length)) ?? '';
    } else if (a === '--campaign' || a.startsWith('--campaign=')) {
      args.campaign = (a === '--campaign' ? argv[++i] : a.slice('--campaign='.length)) ?? '';
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
  let forms = HUANGNAN_2019_FORMS;
  if (args.campaign !== undefined) {
    const loaded = await loadCampaign(args.campaign, io);
    if (!loaded) return 2;
    forms = loaded;
  }
  const only = args.form === undefined ? undefined : namedForm(forms, args.form);
  if (args.form !== undefined && !only) {
    io.err(`--form 的值应为 ${forms.ids.join(' 或 ')},当前为「${args.form}」\n${USAGE}`);
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

  const verdicts = checkWorkbook(sheets, only ?? forms.forms, args.requireProgress);
  if (args.json) io.out(JSON.stringify(verdicts.length === 1 ? verdicts[0] : verdicts));
  else io.out(describe(verdicts, args.file, forms));
  return verdicts.some((v) => v.issues.some((i) => i.severity === 'error')) ? 1 : 0;
}

async function loadCampaign(path: string, io: CliIo): Promise<FormCatalog | null> {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(await io.readFile(path)));
  } catch {
    io.err(`无法读取专项行动文件「${path}」:请检查路径,文件应为 JSON`);
    return null;
  }
  const result = parseCampaignDocument(json);
  if (!result.ok) {
    io.err(`专项行动文件「${path}」有 ${result.issues.length} 处错误:\n${formatDocumentIssues(result.issues)}`);
    return null;
  }
  return campaignForms(result.campaign);
}

/** Every sheet that holds one of the forms, whatever its name; one verdict saying so when none does. */
export function checkWorkbook(
  sheets: XlsxSheet[],
  forms: FormDefinition | readonly FormDefinition[],
  requireProgress: boolean,
): SheetVerdict[] {
  const verdicts: SheetVerdict[] = [];
  for (const sheet of sheets) {
    if (!detectForm(sheet.grid, forms)) continue;
    const parsed = parseSheet(sheet.grid, forms, {
      origin: sheet.origin,
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
  const [notFound] = parseSheet([], forms).issues;
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

function describe(verdicts: SheetVerdict[], file: string, forms: FormCatalog): string {
  const lines: string[] = [];
  for (const v of verdicts) {
    const errors = v.issues.filter((i) => i.severity === 'error').length;
    const warnings = v.issues.length - errors;
    if (v.form)
      lines.push(
        `工作表「${v.sheet}」是${forms.get(v.form)?.tag ?? v.form}:数据 ${v.dataRows} 行,错误 ${errors} 处,提醒 ${warnings} 处`,
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
