// Reading a campaign document: the zod schema's findings and the cross-field rules, all of them at once, each
// as a Chinese message after the JSON path of the mistake (`forms[1].columns[3].type: 应为 …`). A document with
// any mistake is refused whole.
import type * as z from 'zod/mini';
import { campaignDocumentSchema, COLUMN_TYPES, isIsoDate, type CampaignDocument } from './schema';

export interface DocumentIssue {
  /** JSON path of the mistake, `forms[1].columns[3].type`; `` for the document itself. */
  path: string;
  /** Chinese: what is wrong and what to write instead. */
  message: string;
}

export type CampaignParseResult = { ok: true; campaign: CampaignDocument } | { ok: false; issues: DocumentIssue[] };

/** Checks a campaign document (already parsed from JSON) and lists every mistake. */
export function parseCampaignDocument(json: unknown): CampaignParseResult {
  const parsed = campaignDocumentSchema.safeParse(json);
  const issues: DocumentIssue[] = parsed.success ? [] : parsed.error.issues.flatMap((i) => fromZod(i, json));
  issues.push(...crossFieldIssues(json));
  if (issues.length > 0 || !parsed.success) return { ok: false, issues: dedupe(issues) };
  return { ok: true, campaign: parsed.data };
}

/** The issues as one Chinese text, one mistake per line, for the admin command and error answers. */
export function formatDocumentIssues(issues: DocumentIssue[]): string {
  return issues.map((i) => `${i.path || '(整个文件)'}: ${i.message}`).join('\n');
}

/** `['forms', 1, 'columns', 3, 'type']` → `forms[1].columns[3].type`. */
export function jsonPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? String(part) : `.${String(part)}`;
  }
  return out;
}

const KIND_NAMES: Record<string, string> = {
  string: '文字(加双引号的字符串)',
  number: '数字',
  int: '整数',
  boolean: 'true 或 false',
  array: '列表([…])',
  object: '对象({…})',
};

/** Whether the document has the field at `path` at all (a missing field fails its type check too). */
function present(json: unknown, path: readonly PropertyKey[]): boolean {
  let at: unknown = json;
  for (const part of path) {
    if (at === null || typeof at !== 'object' || !Object.prototype.hasOwnProperty.call(at, part)) return false;
    at = (at as Record<PropertyKey, unknown>)[part];
  }
  return at !== undefined;
}

function fromZod(issue: z.core.$ZodIssue, json: unknown): DocumentIssue[] {
  const path = jsonPath(issue.path);
  const missing = issue.code === 'invalid_type' && issue.path.length > 0 && !present(json, issue.path);
  // Messages this project wrote into the schema are Chinese already; zod's own defaults are translated here.
  if (/[\u4e00-\u9fff]/.test(issue.message)) {
    // A missing field fails the field's type check, whose message assumes a wrong value was written.
    if (issue.code === 'invalid_type' && missing)
      return [{ path, message: `缺少此项:应为${KIND_NAMES[issue.expected] ?? issue.expected}` }];
    return [{ path, message: issue.message }];
  }
  switch (issue.code) {
    case 'invalid_type':
      if (missing) return [{ path, message: `缺少此项:应为${KIND_NAMES[issue.expected] ?? issue.expected}` }];
      return [{ path, message: `应为${KIND_NAMES[issue.expected] ?? issue.expected}` }];
    case 'unrecognized_keys':
      return issue.keys.map((key) => ({
        path: jsonPath([...issue.path, key]),
        message: '不是可用的字段名(拼写错误?),请删除或改正',
      }));
    case 'too_small':
      return [{ path, message: `太小:至少为 ${String(issue.minimum)}` }];
    case 'too_big':
      return [{ path, message: `太大:最多为 ${String(issue.maximum)}` }];
    case 'invalid_value':
      return [{ path, message: `应为 ${issue.values.map(String).join('、')} 之一` }];
    default:
      return [{ path, message: '写法不正确,请对照 forms/README.md 中的说明修改' }];
  }
}

function dedupe(issues: DocumentIssue[]): DocumentIssue[] {
  const seen = new Set<string>();
  return issues.filter((i) => {
    const key = `${i.path}\u0000${i.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

// ---- cross-field rules, read from the raw JSON so they are reported even beside shape mistakes elsewhere ----

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v.trim() : undefined);
/** A column's type when it is a known one; checks that depend on the type skip a column whose type is wrong. */
const columnType = (v: unknown): string | undefined =>
  typeof v === 'string' && (COLUMN_TYPES as readonly string[]).includes(v) ? v : undefined;
const date = (v: unknown): string | undefined => (typeof v === 'string' && isIsoDate(v) ? v : undefined);

const NUMERIC_TYPES = new Set(['integer', 'decimal', 'serial']);
/** Excel refuses these in sheet names. */
const SHEET_NAME_FORBIDDEN = /[\\/?*[\]:]/;

function crossFieldIssues(doc: unknown): DocumentIssue[] {
  if (!isObject(doc)) return [];
  const issues: DocumentIssue[] = [];
  const add = (path: PropertyKey[], message: string) => issues.push({ path: jsonPath(path), message });

  const window = isObject(doc.window) ? doc.window : {};
  const start = date(window.start);
  const end = date(window.end);
  if (start && end && start > end) add(['window', 'end'], `结束日期 ${end} 早于开始日期 ${start}:请改正`);
  const inWindow = (d: string) => !start || !end || (d >= start && d <= end);
  const windowText = start && end ? `${start} 至 ${end}` : '';

  const due = isObject(doc.due) ? doc.due : undefined;
  if (due) {
    const days = list(due.daysOfMonth);
    const dates = list(due.dates);
    if (due.daysOfMonth === undefined && due.dates === undefined)
      add(['due'], '请写明报送日:每月固定日期 daysOfMonth(如 [4, 14, 24])和/或具体日期 dates');
    duplicates(days, (v) => (typeof v === 'number' ? String(v) : undefined)).forEach((i) =>
      add(['due', 'daysOfMonth', i], `每月 ${String(days[i])} 日重复出现,请删去重复的一个`),
    );
    dates.forEach((d, i) => {
      const iso = date(d);
      if (iso && !inWindow(iso)) add(['due', 'dates', i], `报送日 ${iso} 不在专项行动期间(${windowText})内`);
    });
    duplicates(dates, date).forEach((i) =>
      add(['due', 'dates', i], `报送日 ${String(dates[i])} 重复出现,请删去重复的一个`),
    );
    if (start && end && start <= end) {
      const anyRound =
        dates.some((d) => date(d) !== undefined) ||
        days.some((n) => typeof n === 'number' && monthDaysBetween(start, end).has(n));
      if (!anyRound) add(['due'], `专项行动期间(${windowText})内没有任何报送日:请调整 daysOfMonth 或 dates`);
    }
  }

  const milestones = list(doc.milestones);
  milestones.forEach((m, i) => {
    const iso = isObject(m) ? date(m.due) : undefined;
    if (iso && !inWindow(iso)) add(['milestones', i, 'due'], `日期 ${iso} 不在专项行动期间(${windowText})内`);
  });
  duplicates(milestones, (m) => (isObject(m) ? str(m.id) : undefined)).forEach((i) =>
    add(['milestones', i, 'id'], `id「${String((milestones[i] as Json).id)}」与前面的节点重复,请改为不同的 id`),
  );

  unitIssues(list(doc.units), add);

  const forms = list(doc.forms);
  duplicates(forms, (f) => (isObject(f) ? str(f.id) : undefined)).forEach((i) =>
    add(['forms', i, 'id'], `表 id「${String((forms[i] as Json).id)}」与前面的表重复,请改为不同的 id`),
  );
  duplicates(forms, (f) => (isObject(f) ? str(f.sheetName) : undefined)).forEach((i) =>
    add(
      ['forms', i, 'sheetName'],
      `工作表名「${String((forms[i] as Json).sheetName)}」与前面的表重复,同一工作簿中不能同名`,
    ),
  );
  forms.forEach((f, i) => {
    if (isObject(f)) formIssues(f, (path, message) => add(['forms', i, ...path], message));
  });

  const callback = isObject(doc.sampling) && isObject(doc.sampling.callback) ? doc.sampling.callback : undefined;
  const callbackForm = callback ? str(callback.form) : undefined;
  if (callbackForm !== undefined) {
    const form = forms.find((f) => isObject(f) && str(f.id) === callbackForm) as Json | undefined;
    const path = ['sampling', 'callback', 'form'];
    if (!form) add(path, `没有 id 为「${callbackForm}」的表:请写 forms 中某张台账表的 id`);
    else if (form.kind !== 'ledger')
      add(path, `「${callbackForm}」不是台账表(ledger):回访抽样只能从台账表的已办结案件中抽取`);
    else if (!isObject(form.status))
      add(path, `「${callbackForm}」没有写明办结状态列(status):回访抽样需要知道哪些案件已办结`);
  }
  return issues;
}

/** Positions of entries whose key already appeared earlier in the list. */
function duplicates(items: unknown[], keyOf: (item: unknown) => string | undefined): number[] {
  const seen = new Set<string>();
  const out: number[] = [];
  items.forEach((item, i) => {
    const key = keyOf(item);
    if (key === undefined) return;
    if (seen.has(key)) out.push(i);
    else seen.add(key);
  });
  return out;
}

/** The days of the month (1–31) that occur between two dates, inclusive. */
function monthDaysBetween(start: string, end: string): Set<number> {
  const days = new Set<number>();
  const last = Date.parse(`${end}T00:00:00Z`);
  for (let t = Date.parse(`${start}T00:00:00Z`); t <= last && days.size < 31; t += 86400_000)
    days.add(new Date(t).getUTCDate());
  return days;
}

/** Names are compared as clerks' spellings vary: full/half width folded, spaces dropped. */
const nameKey = (name: string) => name.normalize('NFKC').replace(/\s+/g, '');

function unitIssues(units: unknown[], add: (path: PropertyKey[], message: string) => void): void {
  duplicates(units, (u) => (isObject(u) ? str(u.id) : undefined)).forEach((i) =>
    add(['units', i, 'id'], `单位 id「${String((units[i] as Json).id)}」与前面的单位重复,请改为不同的 id`),
  );
  duplicates(units, (u) => (isObject(u) ? str(u.code) : undefined)).forEach((i) =>
    add(['units', i, 'code'], `回执字母「${String((units[i] as Json).code)}」与前面的单位重复,请改为不同的字母`),
  );
  // A name or alias must lead to one unit only, or a sheet's 填报单位 could not be told apart.
  const owner = new Map<string, number>();
  units.forEach((u, i) => {
    if (!isObject(u)) return;
    const names: [PropertyKey[], string | undefined][] = [
      [['name'], str(u.name)],
      ...list(u.aliases).map((a, j): [PropertyKey[], string | undefined] => [['aliases', j], str(a)]),
    ];
    for (const [path, name] of names) {
      if (!name) continue;
      const key = nameKey(name);
      const first = owner.get(key);
      if (first === undefined) owner.set(key, i);
      else if (first !== i)
        add(['units', i, ...path], `名称「${name}」已用于 units[${first}],同一名称只能指向一个单位`);
      else if (path[0] === 'aliases') add(['units', i, ...path], `别名「${name}」与本单位的名称或其他别名重复,请删去`);
    }
  });
}

function formIssues(form: Json, add: (path: PropertyKey[], message: string) => void): void {
  const columns = list(form.columns);
  const byKey = new Map<string, { at: number; type?: string; choices: unknown[] }>();
  columns.forEach((c, i) => {
    if (!isObject(c)) return;
    const key = str(c.key);
    if (key === undefined) return;
    if (byKey.has(key))
      add(['columns', i, 'key'], `列 key「${key}」与 columns[${byKey.get(key)!.at}] 重复,请改为不同的 key`);
    else byKey.set(key, { at: i, type: columnType(c.type), choices: list(c.choices) });
  });

  const sheetName = str(form.sheetName);
  if (sheetName && SHEET_NAME_FORBIDDEN.test(sheetName))
    add(['sheetName'], '工作表名不能含有 \\ / ? * [ ] : 这些字符,请删去');

  const titles = new Map<string, number>();
  const groupEnds = new Map<string, number>();
  let serials = 0;
  columns.forEach((c, i) => {
    if (!isObject(c)) return;
    const type = columnType(c.type);
    const label = str(c.label);
    const group = str(c.group);
    if (label) {
      const title = group ? `${group}/${label}` : label;
      if (titles.has(title))
        add(
          ['columns', i, 'label'],
          `表头「${title}」与 columns[${titles.get(title)}] 相同,无法区分两列,请改用不同的标签`,
        );
      else titles.set(title, i);
    }
    if (group) {
      const last = groupEnds.get(group);
      if (last !== undefined && last !== i - 1)
        add(['columns', i, 'group'], `分组「${group}」的列应相邻(合并表头),请把它们挪到一起`);
      groupEnds.set(group, i);
    }
    if (type === 'decimal' && c.decimals === undefined)
      add(['columns', i, 'decimals'], '小数列(decimal)要写明最多几位小数,如 "decimals": 4');
    if (type && type !== 'decimal' && c.decimals !== undefined)
      add(['columns', i, 'decimals'], '只有小数列(decimal)才能写 decimals,请删去');
    if (type === 'choice' && c.choices === undefined)
      add(['columns', i, 'choices'], '选项列(choice)要列出可选的值,如 "choices": ["已办结", "正在办理"]');
    if (type && type !== 'choice' && c.choices !== undefined)
      add(['columns', i, 'choices'], '只有选项列(choice)才能写 choices,请删去');
    duplicates(list(c.choices), str).forEach((j) =>
      add(['columns', i, 'choices', j], `选项「${String(list(c.choices)[j])}」重复,请删去`),
    );
    if (type && c.blankAsZero !== undefined && type !== 'integer' && type !== 'decimal')
      add(['columns', i, 'blankAsZero'], '只有整数列(integer)和小数列(decimal)才能把空白按 0 计算,请删去');
    if (type === 'serial') {
      serials++;
      if (serials > 1) add(['columns', i, 'type'], '一张表只能有一个序号列(serial)');
      if (c.required !== undefined && c.required !== 'always')
        add(['columns', i, 'required'], '序号列(serial)总是必填,请删去 required 或写 "always"');
    }
  });

  const numeric = (key: string, path: PropertyKey[]): boolean => {
    const column = byKey.get(key);
    if (!column) {
      add(path, `没有 key 为「${key}」的列:请写本表 columns 中某一列的 key`);
      return false;
    }
    if (!column.type) return false; // its type is reported already
    if (!NUMERIC_TYPES.has(column.type) || column.type === 'serial') {
      add(path, `「${key}」不是数字列(integer 或 decimal),不能参与加总`);
      return false;
    }
    return true;
  };
  const rules = list(form.rules);
  duplicates(rules, (r) => (isObject(r) ? str(r.id) : undefined)).forEach((i) =>
    add(['rules', i, 'id'], `规则 id「${String((rules[i] as Json).id)}」重复,请改为不同的 id`),
  );
  rules.forEach((r, i) => {
    if (!isObject(r)) return;
    const keys: string[] = [];
    list(r.terms).forEach((t, j) => {
      if (typeof t === 'string' && numeric(t, ['rules', i, 'terms', j])) keys.push(t);
    });
    duplicates(list(r.terms), str).forEach((j) =>
      add(['rules', i, 'terms', j], `「${String(list(r.terms)[j])}」重复出现`),
    );
    const total = str(r.total);
    if (total !== undefined && numeric(total, ['rules', i, 'total'])) {
      if (list(r.terms).includes(total)) add(['rules', i, 'total'], `「${total}」既是加数又是合计,请改正`);
      keys.push(total);
    }
    const message = str(r.message);
    if (message)
      for (const [, name] of message.matchAll(/\{([^{}]*)\}/g))
        if (name !== 'sum' && !list(r.terms).includes(name) && name !== total)
          add(['rules', i, 'message'], `占位符 {${name}} 不是本规则的列:只能用 {sum} 和参与本规则的列的 key`);
  });

  const unitColumn = str(form.unitColumn);
  if (unitColumn !== undefined) {
    const column = byKey.get(unitColumn);
    if (!column)
      add(
        ['unitColumn'],
        `没有 key 为「${unitColumn}」的列:请写填报单位所在列的 key,或删去此项(由「填报单位」一行说明)`,
      );
    else if (column.type && column.type !== 'text' && column.type !== 'choice')
      add(['unitColumn'], `「${unitColumn}」不是文字列,不能填写单位名称`);
  }

  if (isObject(form.status)) {
    const key = str(form.status.column);
    const closed = str(form.status.closed);
    const column = key !== undefined ? byKey.get(key) : undefined;
    if (key !== undefined && !column)
      add(['status', 'column'], `没有 key 为「${key}」的列:请写办结状态所在的选项列的 key`);
    else if (column && column.type && column.type !== 'choice')
      add(['status', 'column'], `「${key}」不是选项列(choice):办结状态应从固定选项中选择`);
    else if (column && closed !== undefined && !column.choices.some((v) => str(v) === closed))
      add(['status', 'closed'], `「${closed}」不在「${key}」列的选项(${column.choices.map(String).join('、')})中`);
  }

  if (form.kind === 'summary') {
    const first = columns[0];
    if (isObject(first) && columnType(first.type) !== undefined && first.type !== 'text' && first.type !== 'choice')
      add(['columns', 0, 'type'], '汇总表(summary)的第一列应为文字列:合计行在这一列写「合计」');
    if (serials > 0) add(['kind'], '汇总表(summary)每个单位只有一行,不能有序号列(serial):请改为 ledger 或删去序号列');
  }

  list(form.notes).forEach((note, i) => {
    if (typeof note !== 'string') return;
    for (const [, name] of note.matchAll(/\{([^{}]*)\}/g))
      if (name !== 'asOf') add(['notes', i], `占位符 {${name}} 不可用:只能用 {asOf}(数据截至日期)`);
  });
}
