// Round trips over form specs nobody wrote by hand: a seeded generator makes campaign documents with ledgers and
// summaries of every column type, two-row group headers, optional columns and sum rules; each is published the
// way an office would (parseCampaignDocument), rendered as a blank template and as a filled sheet, written to
// .xlsx, read back and parsed — and must give back exactly the rows that went in, with no issue. A failure names
// the seed, so the failing spec can be regenerated and read.
import { describe, expect, it } from 'vitest';
import {
  campaignForms,
  parseCampaignDocument,
  parseSheet,
  readXlsxSheets,
  renderSheet,
  validateRows,
  type FormDefinition,
  type FormRow,
} from '../index';
import { writeXlsx } from '../xlsx-write';

/** mulberry32: small, fast and the same on every machine. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = [
  '整改',
  '督办',
  '回访',
  '核查',
  '举报',
  '问题',
  '措施',
  '进展',
  '结果',
  '群众',
  '乡镇',
  '企业',
  '污染',
  '处罚',
];
const TEXTS = [
  '同仁县隆务镇',
  '锅炉冒黑烟,已责令停产整改',
  '=SUM(A1:A9)',
  '+86 0973-8722111',
  '-规范施工',
  '@已验收',
  '2019-11-14',
  '2019年11月3日电话回访',
  '第1段\n第2段',
  '12.50',
  '0001',
  'TRUE',
  '"引号"与\'单引号\'',
  '河南蒙古族自治县 优干宁镇',
];

interface Generated {
  doc: Record<string, unknown>;
  /** Rows per form id, valid for the form. */
  rows: Record<string, FormRow[]>;
}

function generate(seed: number): Generated {
  const rnd = random(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rnd() * items.length)];
  const int = (lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1));
  let labelCount = 0;
  const label = () => `${pick(WORDS)}${pick(WORDS)}${++labelCount}`;

  const forms: Record<string, unknown>[] = [];
  const rows: Record<string, FormRow[]> = {};
  const formCount = int(1, 3);
  for (let f = 0; f < formCount; f++) {
    const id = `form${f}`;
    const kind = rnd() < 0.5 ? 'ledger' : 'summary';
    const columns: Record<string, unknown>[] = [];
    const make: ((i: number) => unknown)[] = [];
    if (kind === 'ledger' && rnd() < 0.7) {
      columns.push({ key: 'seq', label: '序号', type: 'serial', width: 6 });
      make.push((i) => i + 1);
    }
    if (kind === 'summary') {
      columns.push({ key: 'unit', label: '单位名称', type: 'text', width: 14 });
      make.push((i) => `第${i + 1}县`);
    }
    const numericKeys: string[] = [];
    const count = int(2, 9);
    for (let c = 0; c < count; c++) {
      const key = `c${c}`;
      const type = pick(['text', 'text', 'integer', 'decimal', 'choice'] as const);
      // The first column is always filled: a row holding only its 序号 reads as one of the template's pre-numbered
      // blank rows, by design.
      const required = c === 0 ? 'always' : pick(['always', 'always', 'never', 'fromSecondSubmission'] as const);
      const column: Record<string, unknown> = { key, label: label(), type, width: int(6, 30) };
      if (required !== 'always') column.required = required;
      if (type === 'decimal') column.decimals = int(1, 4);
      if (type === 'choice') column.choices = Array.from({ length: int(2, 5) }, () => label());
      columns.push(column);
      const blankable = required !== 'always';
      if (type === 'text') make.push(() => (blankable && rnd() < 0.3 ? '' : pick(TEXTS)));
      else if (type === 'choice') make.push(() => (blankable && rnd() < 0.3 ? '' : pick(column.choices as string[])));
      else if (type === 'integer') make.push(() => (blankable && rnd() < 0.2 ? null : int(0, 5000)));
      else {
        const scale = 10 ** (column.decimals as number);
        make.push(() => (blankable && rnd() < 0.2 ? null : Math.round(rnd() * 1000 * scale) / scale));
      }
      if (type === 'integer' && required === 'always') numericKeys.push(key);
    }
    // A group over adjacent columns makes the two-row header with its merges.
    if (columns.length >= 3 && rnd() < 0.5) {
      const first = int(0, columns.length - 2);
      const group = `${pick(WORDS)}情况(件)`;
      for (let g = first; g < Math.min(columns.length, first + int(2, 3)); g++) columns[g].group = group;
    }
    // A rule A + B = C over three whole-number columns, rows made to satisfy it.
    const rules: Record<string, unknown>[] = [];
    let total: string | undefined;
    let terms: string[] = [];
    if (numericKeys.length >= 3) {
      terms = numericKeys.slice(0, 2);
      total = numericKeys[2];
      rules.push({ id: 'sum_check', kind: pick(['sumEquals', 'sumAtMost']), terms, total });
    }
    const n = kind === 'ledger' ? int(1, 40) : int(1, 8);
    rows[id] = Array.from({ length: n }, (_, i) => {
      const row: Record<string, unknown> = {};
      columns.forEach((c, j) => (row[c.key as string] = make[j](i)));
      if (total)
        row[total] =
          terms.reduce((s, k) => s + (row[k] as number), 0) + (rules[0].kind === 'sumAtMost' ? int(0, 3) : 0);
      return row as FormRow;
    });
    forms.push({
      id,
      tag: `附件${f + 1}`,
      title: `${label()}情况${kind === 'ledger' ? '台账' : '汇总表'}`,
      sheetName: `表${f + 1}`,
      kind,
      columns,
      ...(rules.length ? { rules } : {}),
      ...(kind === 'summary' ? { unitColumn: 'unit' } : {}),
      notes: ['注:数据截至{asOf}'],
    });
  }
  const doc = {
    id: `generated-${seed}`,
    name: `生成的专项行动 ${seed}`,
    issuer: '某州生态环境局',
    timeZone: 'Asia/Shanghai',
    window: { start: '2026-11-01', end: '2027-01-31' },
    due: { daysOfMonth: [5, 20] },
    units: [
      { id: 'pref', name: '某州', role: 'prefecture' },
      { id: 'county', name: '某县', role: 'county' },
    ],
    forms,
  };
  return { doc, rows };
}

async function roundTrip(form: FormDefinition, catalog: readonly FormDefinition[], rows: readonly FormRow[]) {
  const sheet = renderSheet(form, rows, { unitName: '某县', fillDate: '2026-12-01', asOf: '2026-11-30' });
  const [read] = await readXlsxSheets(await writeXlsx([sheet]));
  return parseSheet(read.grid, catalog, { origin: read.origin });
}

const SEEDS = Array.from({ length: 60 }, (_, i) => 1000 + i * 7919);

describe('form specs made by a generator', () => {
  it.each(SEEDS)('seed %i: published, rendered, written to .xlsx and parsed back to the same rows', async (seed) => {
    const { doc, rows } = generate(seed);
    const published = parseCampaignDocument(doc);
    expect(published.ok ? [] : published.issues).toEqual([]);
    if (!published.ok) return;
    const catalog = campaignForms(published.campaign);
    for (const form of catalog.forms) {
      // The rows are what validation would store: checking them first keeps the generator honest.
      const valid = validateRows(form, rows[form.id]);
      expect(valid.issues.filter((i) => i.severity === 'error')).toEqual([]);

      const parsed = await roundTrip(form, catalog.forms, valid.rows);
      expect(parsed.form, `seed ${seed} ${form.id}`).toBe(form.id);
      expect(parsed.issues.filter((i) => i.severity === 'error')).toEqual([]);
      expect(parsed.rows.map((r) => r.values)).toEqual(valid.rows);

      // The blank template of the same form is recognised as that form and reads as empty.
      const blank = renderSheet(form, [], {}, { blankRows: 5 });
      const [read] = await readXlsxSheets(await writeXlsx([blank]));
      const empty = parseSheet(read.grid, catalog.forms, { origin: read.origin });
      expect(empty.form).toBe(form.id);
      expect(empty.rows).toEqual([]);
    }
  });
});
