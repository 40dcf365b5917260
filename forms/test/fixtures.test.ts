// Each sample workbook gives exactly the verdict the prefecture office expects (testdata/fixtures/expected.json).
import { FORMS_2019 } from './forms-2019';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { detectForm, parseSheet, readXlsxSheets, type Issue } from '../index';

const dir = join(dirname(fileURLToPath(import.meta.url)), '..', 'testdata', 'fixtures');
const expected: Record<string, { form: string; dataRows: number; invalidCells: string[]; invalidRows: number[] }> =
  JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8'));

/** The cells an issue covers: `B6:D6` → B6, C6, D6. */
function cellsOf(issue: Issue): string[] {
  if (!issue.cell) return [];
  const [a, b = a] = issue.cell.split(':');
  const col = (s: string) => s.replace(/\d+/, '').charCodeAt(0);
  const row = Number(a.replace(/\D+/, ''));
  const out: string[] = [];
  for (let c = col(a); c <= col(b); c++) out.push(`${String.fromCharCode(c)}${row}`);
  return out;
}

describe.each(Object.entries(expected))('%s', (file, want) => {
  it(`is read as ${want.form} with ${want.dataRows} data rows and exactly the expected invalid rows`, async () => {
    const sheets = await readXlsxSheets(readFileSync(join(dir, file)));
    const found = sheets.filter((s) => detectForm(s.grid, FORMS_2019) !== null);
    expect(found).toHaveLength(1);
    const parsed = parseSheet(found[0].grid, FORMS_2019, { origin: found[0].origin });
    expect(parsed.form).toBe(want.form);
    expect(parsed.rows).toHaveLength(want.dataRows);

    const errors = parsed.issues.filter((i) => i.severity === 'error');
    const errorRows = [...new Set(errors.map((i) => i.row))].sort((a, b) => a! - b!);
    expect(errorRows).toEqual(want.invalidRows);

    const single = errors.filter((i) => i.cell && !i.cell.includes(':')).map((i) => i.cell);
    for (const cell of want.invalidCells) expect(single).toContain(cell);
    // A rule spanning several cells is reported as a range, never as a lone cell the clerk did not get wrong.
    for (const cell of single) expect(want.invalidCells).toContain(cell);
    for (const issue of errors) {
      expect(issue.cell, issue.message).toBeTruthy();
      expect(issue.message.startsWith(issue.cell!), issue.message).toBe(true);
      expect(issue.message).toMatch(/[\u4e00-\u9fff]/);
      expect(cellsOf(issue).some((c) => Number(c.replace(/\D+/, '')) === issue.row)).toBe(true);
    }
  });
});

describe('fixture details a clerk would check', () => {
  const read = async (file: string) => {
    const [sheet] = (await readXlsxSheets(readFileSync(join(dir, file)))).filter((s) => detectForm(s.grid, FORMS_2019));
    return parseSheet(sheet.grid, FORMS_2019, { origin: sheet.origin });
  };

  it('fujian1_errors: 已完成 in H6 is answered with the three allowed values', async () => {
    const parsed = await read('fujian1_errors.xlsx');
    const h6 = parsed.issues.find((i) => i.cell === 'H6')!;
    expect(h6.code).toBe('closure.invalid');
    expect(h6.message).toBe('H6「是否办结」应填写:已办结、阶段办结、正在办理');
    expect(parsed.issues.find((i) => i.cell === 'A10')!.code).toBe('seq.duplicate');
    expect(parsed.issues.find((i) => i.cell === 'A10')!.message).toContain('第9行');
    expect(parsed.issues.find((i) => i.cell === 'A12')!.message).toContain('「8」');
    expect(parsed.issues.find((i) => i.cell === 'C8')!.code).toBe('required');
  });

  it('fujian2_errors: sum and closed rules name their range; -1 and 三 name their cell', async () => {
    const parsed = await read('fujian2_errors.xlsx');
    const byCode = (code: string) => parsed.issues.filter((i) => i.code === code);
    expect(byCode('fujian2.sum_mismatch').map((i) => i.cell)).toEqual(['B6:D6']);
    expect(byCode('fujian2.closed_exceeds').map((i) => i.cell)).toEqual(['D9:F9']);
    expect(byCode('negative').map((i) => i.cell)).toEqual(['G7']);
    expect(byCode('int.invalid').map((i) => i.cell)).toEqual(['H8']);
    expect(byCode('int.invalid')[0].message).toContain('「3」');
    expect(parsed.meta).toEqual({ unitName: '黄南州', fillDate: '2019-11-14', asOf: '2019-11-10' });
  });

  it('a clean 附件1 gives typed rows ready to submit and the meta lines', async () => {
    const parsed = await read('fujian1_tongren.xlsx');
    expect(parsed.issues).toEqual([]);
    expect(parsed.meta).toEqual({ unitName: '同仁县人民政府', fillDate: '2019-11-14' });
    expect(parsed.headerRow).toBe(4);
    expect(parsed.rows[0]).toEqual({
      sheetRow: 5,
      values: {
        seq: 1,
        prefecture: '黄南州',
        address: '黄南州同仁县双朋西乡7村',
        complaint: '群众反映同仁县双朋西乡2村锅炉房燃煤小锅炉冒黑烟,冬季污染严重。',
        currentState: '已完成锅炉淘汰方案编制,替代热源正在施工。',
        measures: '淘汰10蒸吨以下燃煤小锅炉,改用电能或天然气供暖。',
        progress: '已完成整改并通过县级验收,群众满意。',
        closure: '已办结',
      },
    });
  });

  it('a clean 附件2 gives its one unit row with numbers, and 数据截至 as asOf', async () => {
    const parsed = await read('fujian2_tongren.xlsx');
    expect(parsed.issues).toEqual([]);
    expect(parsed.headerRow).toBe(4);
    expect(parsed.headerLastRow).toBe(5);
    expect(parsed.rows).toEqual([
      {
        sheetRow: 6,
        values: {
          unit: '同仁县',
          verified: 14,
          unfounded: 2,
          assigned: 16,
          closed: 8,
          phaseClosed: 5,
          orderedToRectify: 4,
          penalized: 0,
          fineWan: 12.17,
          investigated: 0,
          detainedAdmin: 2,
          detainedCriminal: 0,
          interviewed: 1,
          heldAccountable: 0,
        },
      },
    ]);
    expect(parsed.meta.asOf).toBe('2019-11-10');
  });
});
