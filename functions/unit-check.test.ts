// The server never files one unit's sheet under another's name (issue 14, point 1), never makes a new version of
// content it already holds (point 6), and its consolidated 附件2 names units by who sent them (point 1).
import { randomBytes } from 'node:crypto';
import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalStack, type LocalStack } from '../infra/local/stack';
import { call } from '../test/support/api';
import { fujian1Rows, fujian2Row } from '../test/support/rows';
import type { HistoryResponse, Receipt } from '../contract/api';

const run = promisify(execFile);
let stack: LocalStack;
const clock = new Date('2019-11-12T10:00:00+08:00');

beforeAll(async () => {
  stack = await startLocalStack({ inMemory: true, port: 0, quiet: true, now: () => clock });
});
afterAll(async () => {
  await stack?.stop();
});

const contact = { name: '卓玛', phone: '0973-8722111转8001' };
const key = (): string => randomBytes(8).toString('hex');
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

function post(unit: string, body: Record<string, unknown>, idempotencyKey = key()) {
  return call<Receipt>(stack.apiUrl, 'POST', '/v1/submissions', {
    token: stack.tokens[unit],
    body: { contact, asOf: '2019-11-10', round: '2019-11-14', ...body },
    idempotencyKey,
  });
}

async function postXlsx(unit: string, fixture: string | Uint8Array) {
  const res = await fetch(
    `${stack.apiUrl}/v1/submissions?round=2019-11-14&asOf=2019-11-10&contactName=${encodeURIComponent('卓玛')}&contactPhone=13800000000`,
    {
      method: 'POST',
      headers: {
        authorization: `Bearer ${stack.tokens[unit]}`,
        'idempotency-key': key(),
        'content-type': XLSX,
      },
      body: typeof fixture === 'string' ? readFileSync(fixtureUrl(fixture)) : (fixture as Uint8Array<ArrayBuffer>),
    },
  );
  return { status: res.status, body: (await res.json()) as any };
}

const fixtureUrl = (name: string) => new URL(`../forms/testdata/fixtures/${name}`, import.meta.url);

/** The fixture as another program writes it: opened and saved again by LibreOffice (headless), made at test time. */
async function resavedByLibreOffice(fixture: string): Promise<Uint8Array> {
  const dir = mkdtempSync(join(tmpdir(), 'baosong-resave-'));
  mkdirSync(join(dir, 'out'));
  const source = join(dir, fixture);
  copyFileSync(fixtureUrl(fixture), source);
  await run(
    'soffice',
    [
      `-env:UserInstallation=file://${join(dir, 'profile')}`,
      '--headless',
      '--norestore',
      '--convert-to',
      'xlsx:Calc MS Excel 2007 XML',
      '--outdir',
      join(dir, 'out'),
      source,
    ],
    { timeout: 300_000 },
  );
  const bytes = readFileSync(join(dir, 'out', fixture));
  expect(Buffer.compare(bytes, readFileSync(source))).not.toBe(0);
  return bytes;
}

const history = async (unit: string, form: string) =>
  (
    await call<HistoryResponse>(stack.apiUrl, 'GET', `/v1/submissions?form=${form}&round=2019-11-14`, {
      token: stack.tokens[unit],
    })
  ).body.submissions;

describe('the unit on the sheet is the unit of the token', () => {
  it("refuses another unit's 附件2 row, naming the row and both names; nothing stored", async () => {
    const res = await post('jianzha', { form: 'fujian2', rows: [fujian2Row('同仁县', 3)] });
    expect(res.status).toBe(422);
    const issue = (res.body as any).error.issues.find((i: any) => i.code === 'unit.row_mismatch');
    expect(issue).toMatchObject({ row: 1, key: 'unit', severity: 'error' });
    expect(issue.message).toMatch(/^第1行「市\/州」写的是「同仁县」,而登录的单位是「尖扎县」/);
    expect(await history('jianzha', 'fujian2')).toEqual([]);
  });

  it("refuses a 附件1 whose 填报单位 line names another unit; the unit's own letterhead passes", async () => {
    const other = await post('jianzha', { form: 'fujian1', rows: fujian1Rows(2), unitLine: '同仁县人民政府' });
    expect(other.status).toBe(422);
    expect((other.body as any).error.issues[0].message).toMatch(/「填报单位」写的是「同仁县人民政府」.*「尖扎县」/);
    const own = await post('jianzha', { form: 'fujian1', rows: fujian1Rows(2), unitLine: '尖扎县环保局' });
    expect(own.status).toBe(201);
  });

  it('an uploaded .xlsx of another unit is refused with the cells named: the 填报单位 line and the row', async () => {
    const one = await postXlsx('jianzha', 'fujian1_tongren.xlsx');
    expect(one.status, JSON.stringify(one.body)).toBe(422);
    expect(
      one.body.error.issues.map((i: any) => i.cell),
      JSON.stringify(one.body),
    ).toContain('A3');
    expect(one.body.error.issues.find((i: any) => i.cell === 'A3').message).toMatch(
      /^A3「填报单位」.*同仁县人民政府.*尖扎县/,
    );
    const two = await postXlsx('jianzha', 'fujian2_tongren.xlsx');
    expect(two.status).toBe(422);
    const cells = two.body.error.issues.map((i: any) => i.cell);
    expect(cells).toEqual(expect.arrayContaining(['A3', 'A6']));
    expect(two.body.error.issues.find((i: any) => i.cell === 'A6').message).toMatch(/^A6「市\/州」写的是「同仁县」/);
  });

  it('sheets saved by LibreOffice are checked the same: another unit refused by cell, the own unit accepted', async () => {
    const [one, two] = await Promise.all([
      resavedByLibreOffice('fujian1_tongren.xlsx'),
      resavedByLibreOffice('fujian2_tongren.xlsx'),
    ]);
    const refused = await postXlsx('jianzha', one);
    expect(refused.status, JSON.stringify(refused.body)).toBe(422);
    expect(refused.body.error.issues.find((i: any) => i.code === 'unit.line_mismatch')).toMatchObject({ cell: 'A3' });
    const rows = await postXlsx('jianzha', two);
    expect(rows.status).toBe(422);
    expect(rows.body.error.issues.map((i: any) => i.cell)).toEqual(expect.arrayContaining(['A3', 'A6']));
    expect(await history('jianzha', 'fujian2')).toEqual([]);
    const own = await postXlsx('tongren', one);
    expect(own.status, JSON.stringify(own.body)).toBe(201);
  }, 600_000);

  it('a 合计 line in a county 附件2 is checked and never stored', async () => {
    const row = fujian2Row('河南县', 2);
    const res = await post('henan', { form: 'fujian2', rows: [row, { ...row, unit: '合计' }] });
    expect(res.status).toBe(201);
    expect(res.body.rowCount).toBe(1);
  });
});

describe('the same content twice', () => {
  it('answers 200 with the current version, says it is unchanged, and stores no new version', async () => {
    const rows = fujian1Rows(3, { unitName: '泽库县' });
    const first = await post('zeku', { form: 'fujian1', rows });
    expect(first.status).toBe(201);
    const again = await post('zeku', { form: 'fujian1', rows, basedOn: first.body.id });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ id: first.body.id, version: 1, unchanged: true });
    expect(await history('zeku', 'fujian1')).toHaveLength(1);
    // Another 数据截至 is new content.
    const later = await post('zeku', { form: 'fujian1', rows, asOf: '2019-11-11', basedOn: first.body.id });
    expect(later.status).toBe(201);
    expect(later.body.version).toBe(2);
  });
});

describe('the same content after the prefecture returned it', () => {
  it('changes nothing, and the answer says who returned it and why', async () => {
    const rows = fujian1Rows(2, { unitName: '河南县' });
    const first = await post('henan', { form: 'fujian1', rows });
    expect(first.status).toBe(201);
    const returned = await call(stack.apiUrl, 'POST', `/v1/submissions/${first.body.id}/review`, {
      token: stack.tokens.huangnan,
      body: { decision: 'returned', comment: '第2件整改措施不具体' },
      idempotencyKey: 'return-henan-1',
    });
    expect(returned.status).toBe(201);
    const again = await post('henan', { form: 'fujian1', rows, basedOn: first.body.id });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({
      version: 1,
      unchanged: true,
      review: { decision: 'returned', comment: '第2件整改措施不具体', byName: '黄南州' },
    });
    expect(await history('henan', 'fujian1')).toHaveLength(1);
  });
});

describe('consolidated 附件2', () => {
  it('takes each name from the unit that sent it, lists units that have not reported, and dates the note', async () => {
    expect((await post('tongren', { form: 'fujian2', rows: [fujian2Row('同仁县人民政府', 5)] })).status).toBe(201);
    expect((await post('zeku', { form: 'fujian2', rows: [fujian2Row('泽库县', 4)], asOf: '2019-11-09' })).status).toBe(
      201,
    );
    const res = await fetch(`${stack.apiUrl}/v1/consolidated/fujian2?round=2019-11-14&format=xlsx`, {
      headers: { authorization: `Bearer ${stack.tokens.huangnan}` },
    });
    expect(res.status).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await res.arrayBuffer());
    const lines: string[] = [];
    workbook.worksheets[0].eachRow((r) =>
      lines.push(
        (r.values as unknown[])
          .slice(1)
          .map((v) => (v === undefined || v === null ? '' : String(v)))
          .join('|'),
      ),
    );
    const line = (unit: string) => lines.find((l) => l.startsWith(`${unit}|`)) ?? '';
    expect(line('同仁县')).toMatch(/^同仁县\|5\|1\|6\|.*按时报送$/);
    expect(lines.some((l) => l.startsWith('同仁县人民政府'))).toBe(false);
    expect(line('尖扎县')).toBe(`尖扎县${'|'.repeat(14)}未报送`);
    expect(line('河南蒙古族自治县')).toMatch(/^河南蒙古族自治县\|2\|1\|3\|.*按时报送$/);
    expect(lines.find((l) => l.startsWith('注:数据截至'))?.split('|')[0]).toBe(
      '注:数据截至2019年11月10日(同仁县、河南蒙古族自治县);2019年11月9日(泽库县)',
    );
  });
});
