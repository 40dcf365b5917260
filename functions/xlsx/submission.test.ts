import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { sheetSubmission, SheetRejected } from './submission';
import type { Issue } from '../../forms/types';
import { HUANGNAN_2019_FORMS } from '../../forms/campaign/seed';
import { editedFixture } from '../../test/e2e/sheets';

const fixturesDir = new URL('../../forms/testdata/fixtures/', import.meta.url);
const fixture = (name: string) => new Uint8Array(readFileSync(new URL(name, fixturesDir)));
const expected = JSON.parse(readFileSync(new URL('expected.json', fixturesDir), 'utf8')) as Record<
  string,
  { form: string; dataRows: number; invalidCells: string[] }
>;

async function rejection(file: Uint8Array, params = {}): Promise<SheetRejected> {
  try {
    await sheetSubmission(file, HUANGNAN_2019_FORMS, params);
  } catch (err) {
    if (err instanceof SheetRejected) return err;
    throw err;
  }
  throw new Error('expected the sheet to be rejected');
}

describe('sheetSubmission', () => {
  it.each(['fujian1_tongren.xlsx', 'fujian2_zeku.xlsx', 'fujian1_henan.xlsx'])(
    'turns %s into the rows a JSON client would send',
    async (name) => {
      const { body, meta } = await sheetSubmission(fixture(name), HUANGNAN_2019_FORMS, {
        round: '2019-11-14',
        contactName: '张三',
        contactPhone: '0973-8722111',
      });
      expect(body.form).toBe(expected[name].form);
      expect(body.rows).toHaveLength(expected[name].dataRows);
      expect(body.contact).toEqual({ name: '张三', phone: '0973-8722111' });
      expect(body.round).toBe('2019-11-14');
      expect(body).not.toHaveProperty('basedOn');
      expect(meta.unitName).toBeTruthy();
    },
  );

  it('takes 数据截至 of a 附件2 from the sheet when no asOf parameter is given', async () => {
    const { body } = await sheetSubmission(fixture('fujian2_tongren.xlsx'), HUANGNAN_2019_FORMS, {});
    expect(body.asOf).toBe('2019-11-10');
    expect(body.rows[0]).toMatchObject({ unit: '同仁县', verified: 14, unfounded: 2, assigned: 16, fineWan: 12.17 });
  });

  it.each(['fujian1_errors.xlsx', 'fujian2_errors.xlsx'])('rejects %s with the invalid cells named', async (name) => {
    const err = await rejection(fixture(name));
    expect(err.status).toBe(422);
    const cells = err.issues.filter((i) => i.severity === 'error').flatMap((i) => (i.cell ?? '').split(':'));
    for (const cell of expected[name].invalidCells) expect(cells).toContain(cell);
    for (const issue of err.issues) expect(issue.message).toMatch(/^[A-Z]+\d+/);
  });

  it('says so when the file holds no 附件 of the asked form', async () => {
    const err = await rejection(fixture('fujian2_tongren.xlsx'), { form: 'fujian1' });
    expect(err.status).toBe(422);
    expect(err.issues.map((i) => i.code)).toEqual(['header.not_found']);
    expect(err.message).toContain('附件1');
  });

  it('refuses a file that is not an .xlsx with what to do instead', async () => {
    const err = await rejection(new TextEncoder().encode('序号,市/州'));
    expect(err.status).toBe(400);
    expect(err.message).toContain('另存为');
  });

  it('takes the contact person from the line under the table when the request names none', async () => {
    const file = await editedFixture('fujian2_tongren.xlsx', { A9: '填报人:卓玛    联系电话:0973-8722111' });
    const { body } = await sheetSubmission(file, HUANGNAN_2019_FORMS, { round: '2019-11-14' });
    expect(body.contact).toEqual({ name: '卓玛', phone: '0973-8722111' });
    const named = await sheetSubmission(file, HUANGNAN_2019_FORMS, { round: '2019-11-14', contactName: '李明' });
    expect(named.body.contact).toEqual({ name: '李明', phone: '0973-8722111' });
  });

  it('reads basedOn: an id, or null for "none yet"', async () => {
    expect(
      (await sheetSubmission(fixture('fujian2_tongren.xlsx'), HUANGNAN_2019_FORMS, { basedOn: 'sub-1' })).body.basedOn,
    ).toBe('sub-1');
    expect(
      (await sheetSubmission(fixture('fujian2_tongren.xlsx'), HUANGNAN_2019_FORMS, { basedOn: 'null' })).body.basedOn,
    ).toBeNull();
  });

  it('moves issues about submitted rows onto the sheet cells', async () => {
    const { locate } = await sheetSubmission(fixture('fujian1_tongren.xlsx'), HUANGNAN_2019_FORMS, {});
    const issues: Issue[] = [
      {
        code: 'progress.required',
        severity: 'error',
        message: '第3行「主题教育期间整改进展」不能为空,请填写本轮整改进展。',
        row: 3,
        key: 'progress',
        column: '主题教育期间整改进展',
      },
      { code: 'unchanged.columns', severity: 'warning', message: '第1行与首次报送不同', row: 1 },
      { code: 'round', severity: 'error', message: '轮次不对' },
    ];
    const [progress, changed, round] = locate(issues);
    // The tongren sheet's header is row 4, so submitted row 3 is sheet row 7; 主题教育期间整改进展 is column G.
    expect(progress).toMatchObject({
      cell: 'G7',
      row: 7,
      message: 'G7「主题教育期间整改进展」不能为空,请填写本轮整改进展。',
    });
    expect(changed).toMatchObject({ row: 5, message: '第5行与首次报送不同' });
    expect(changed.cell).toBeUndefined();
    expect(round).toEqual(issues[2]);
  });
});
