// POST /v1/submissions with an .xlsx body and GET /v1/consolidated/{form}?format=xlsx, over HTTP against the
// local stack (DynamoDB Local in memory).
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { startLocalStack, type LocalStack } from '../../infra/local/stack';
import { editedFixture, fixtureBytes, formulaCells, loadWorkbook, rowStartingWith } from '../../test/e2e/sheets';
import { call } from '../../test/support/api';
import { fujian1Rows } from '../../test/support/sample-rows';
import { XLSX_EXPORT_MAX_ROWS } from './routes';
import { XLSX_MIME } from './submission';

let stack: LocalStack;
// 2019-11-12 noon in 黄南: round 2019-11-14 is open, 2019-11-04 is past.
const NOW = new Date('2019-11-12T04:00:00Z');

beforeAll(async () => {
  stack = await startLocalStack({ port: 0, inMemory: true, quiet: true, now: () => NOW });
});
afterAll(async () => {
  await stack?.stop();
});

function upload(unit: string, file: Uint8Array, params: Record<string, string>, key = randomUUID()) {
  return fetch(`${stack.apiUrl}/v1/submissions?${new URLSearchParams(params)}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${stack.tokens[unit]}`, 'Content-Type': XLSX_MIME, 'Idempotency-Key': key },
    body: file as Uint8Array<ArrayBuffer>,
  });
}

const contact = { contactName: '李明', contactPhone: '0973-8722111' };
const contactBody = { contact: { name: '李明', phone: '0973-8722111' } };

describe('POST /v1/submissions with an .xlsx body', () => {
  it('rejects a faulty sheet with the invalid cells named, as the pane would mark them', async () => {
    const res = await upload('zeku', fixtureBytes('fujian1_errors.xlsx'), {
      form: 'fujian1',
      round: '2019-11-14',
      asOf: '2019-11-10',
      ...contact,
    });
    expect(res.status).toBe(422);
    const { error } = await res.json();
    expect(error.code).toBe('validation_failed');
    const cells = error.issues.map((i: { cell?: string }) => i.cell);
    expect(cells).toEqual(expect.arrayContaining(['H6', 'C8', 'A10', 'A12']));
    const h6 = error.issues.find((i: { cell?: string }) => i.cell === 'H6');
    expect(h6.message).toMatch(/^H6「是否办结」.*已办结、阶段办结、正在办理/);
  });

  it('accepts the corrected sheet, keeps formula-looking text as text, and replays a retry', async () => {
    const corrected = await editedFixture('fujian1_errors.xlsx', {
      H6: '正在办理',
      C8: '黄南州泽库县泽曲镇10村',
      A10: 6,
      A12: 8,
      D5: '=群众反映养殖场粪污直排',
    });
    const key = randomUUID();
    const res = await upload(
      'zeku',
      corrected,
      { form: 'fujian1', round: '2019-11-14', asOf: '2019-11-10', basedOn: 'null', ...contact },
      key,
    );
    expect(res.status).toBe(201);
    const receipt = await res.json();
    expect(receipt).toMatchObject({
      unit: 'zeku',
      form: 'fujian1',
      round: '2019-11-14',
      rowCount: 10,
      version: 1,
      late: false,
      contact: { name: '李明' },
    });

    const again = await upload(
      'zeku',
      corrected,
      { form: 'fujian1', round: '2019-11-14', asOf: '2019-11-10', basedOn: 'null', ...contact },
      key,
    );
    expect(again.status).toBe(201);
    expect((await again.json()).id).toBe(receipt.id);

    const stored = await (
      await fetch(`${stack.apiUrl}/v1/submissions/${receipt.id}`, {
        headers: { Authorization: `Bearer ${stack.tokens.zeku}` },
      })
    ).json();
    expect(stored.rows[0].complaint).toBe('=群众反映养殖场粪污直排');
    expect(stored.rows.map((r: { seq: number }) => r.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it('answers 409 when basedOn names a submission that is no longer current', async () => {
    const res = await upload('zeku', fixtureBytes('fujian1_zeku.xlsx'), {
      form: 'fujian1',
      round: '2019-11-14',
      asOf: '2019-11-10',
      basedOn: 'null',
      ...contact,
    });
    expect(res.status).toBe(409);
  });

  it('asks for the contact person when neither the request nor the sheet names one', async () => {
    const res = await upload('tongren', fixtureBytes('fujian2_tongren.xlsx'), { form: 'fujian2', round: '2019-11-14' });
    expect(res.status).toBe(422);
    const { error } = await res.json();
    expect(error.issues.map((i: { message: string }) => i.message).join()).toContain('联系人');
  });

  it("puts a later round's missing 整改进展 on its cell", async () => {
    const first = await upload('tongren', fixtureBytes('fujian1_tongren.xlsx'), {
      form: 'fujian1',
      round: '2019-11-04',
      asOf: '2019-11-03',
      ...contact,
    });
    expect(first.status).toBe(201);
    const blanked = await editedFixture('fujian1_tongren.xlsx', { G7: null });
    const res = await upload('tongren', blanked, {
      form: 'fujian1',
      round: '2019-11-14',
      asOf: '2019-11-10',
      ...contact,
    });
    expect(res.status).toBe(422);
    const { error } = await res.json();
    const g7 = error.issues.find((i: { cell?: string }) => i.cell === 'G7');
    expect(g7).toBeDefined();
    expect(g7.message).toMatch(/^G7「主题教育期间整改进展」/);
  });

  it('refuses a file that is not an .xlsx with what to do', async () => {
    const res = await upload('tongren', new TextEncoder().encode('序号,市/州\n1,黄南州'), {
      form: 'fujian1',
      round: '2019-11-14',
      asOf: '2019-11-10',
      ...contact,
    });
    expect(res.status).toBe(400);
    expect((await res.json()).error.message).toContain('另存为');
  });
});

describe('GET /v1/consolidated/{form}?format=xlsx', () => {
  beforeAll(async () => {
    for (const unit of ['tongren', 'zeku']) {
      const res = await upload(unit, fixtureBytes(`fujian2_${unit}.xlsx`), {
        form: 'fujian2',
        round: '2019-11-14',
        ...contact,
      });
      expect(res.status).toBe(201);
    }
  });

  const get = (unit: string, form: string) =>
    fetch(`${stack.apiUrl}/v1/consolidated/${form}?round=2019-11-14&format=xlsx`, {
      headers: { Authorization: `Bearer ${stack.tokens[unit]}` },
    });

  it('gives the prefecture 附件2 of every unit with a 合计 line, values only', async () => {
    const res = await get('huangnan', 'fujian2');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe(XLSX_MIME);
    expect(decodeURIComponent(res.headers.get('content-disposition') ?? '')).toContain('附件2_汇总_2019-11-14.xlsx');
    const workbook = await loadWorkbook(await res.arrayBuffer());
    const ws = workbook.worksheets[0];
    expect(formulaCells(workbook)).toEqual([]);
    expect(ws.getCell('A2').value).toContain('第二轮第一批中央生态环境保护督察群众举报问题办理情况汇总表');
    const tongren = rowStartingWith(ws, '同仁县');
    const zeku = rowStartingWith(ws, '泽库县');
    const total = rowStartingWith(ws, '合计');
    expect(tongren?.slice(1, 4)).toEqual([14, 2, 16]);
    // 合计 = 同仁县 + 泽库县, column by column (罚款金额 to 4 decimals).
    for (let c = 1; c < 14; c++) expect(total?.[c]).toBeCloseTo(Number(tongren?.[c]) + Number(zeku?.[c]), 4);
    expect(ws.pageSetup.orientation).toBe('landscape');
  });

  it("gives 附件1 with formula-looking text as text and each row's unit", async () => {
    const workbook = await loadWorkbook(await (await get('huangnan', 'fujian1')).arrayBuffer());
    const ws = workbook.worksheets[0];
    expect(formulaCells(workbook)).toEqual([]);
    let found: ExcelJS.Cell | undefined;
    ws.eachRow((row) =>
      row.eachCell((cell) => {
        if (cell.value === '=群众反映养殖场粪污直排') found = cell;
      }),
    );
    expect(found?.type).toBe(ExcelJS.ValueType.String);
    const units = new Set<string>();
    ws.eachRow((row) =>
      row.eachCell((cell) => {
        if (cell.value === '泽库县' || cell.value === '同仁县') units.add(cell.value);
      }),
    );
    expect([...units].sort()).toEqual(['同仁县', '泽库县']);
  });

  it('refuses county tokens', async () => {
    expect((await get('tongren', 'fujian2')).status).toBe(403);
  });
});

describe('a consolidated table too big for one Lambda response', () => {
  // Three counties of 10,001 cases each: 30,003 rows, past what a 6 MB (base64) response can carry as .xlsx.
  const round = '2019-11-24';
  beforeAll(async () => {
    const perUnit = XLSX_EXPORT_MAX_ROWS / 3 + 1;
    for (const [unit, name] of [
      ['tongren', '同仁县'],
      ['jianzha', '尖扎县'],
      ['henan', '河南蒙古族自治县'],
    ]) {
      const res = await call(stack.apiUrl, 'POST', '/v1/submissions', {
        token: stack.tokens[unit],
        idempotencyKey: randomUUID(),
        gzip: true,
        body: {
          form: 'fujian1',
          round,
          asOf: '2019-11-10',
          ...contactBody,
          rows: fujian1Rows(perUnit, name).map((r) => ({ ...r, progress: r.progress || '已现场核查' })),
        },
      });
      expect(res.status, JSON.stringify(res.body).slice(0, 300)).toBe(201);
    }
  });

  it('is refused as .xlsx with a Chinese 413 that says where to get it, and still comes as JSON pages', async () => {
    const first = await call(stack.apiUrl, 'GET', `/v1/consolidated/fujian1?round=${round}`, {
      token: stack.tokens.huangnan,
    });
    expect(first.status).toBe(200);
    // The three big sheets, and what other units carried forward from earlier rounds.
    const total: number = first.body.totals.rows;
    expect(total).toBeGreaterThanOrEqual(30_003);
    expect(first.body.next).toEqual(expect.any(String));
    // The first page dates each unit's rows; clients keep it.
    const reporting = first.body.units.filter((u: { submissionId: string | null }) => u.submissionId !== null);
    expect(reporting.length).toBeGreaterThanOrEqual(3);
    for (const u of reporting) expect(u.asOf, u.unit).toMatch(/^2019-11-\d\d$/);

    const res = await fetch(`${stack.apiUrl}/v1/consolidated/fujian1?round=${round}&format=xlsx`, {
      headers: { Authorization: `Bearer ${stack.tokens.huangnan}` },
    });
    expect(res.status).toBe(413);
    const { error } = await res.json();
    expect(error.code).toBe('export_too_large');
    expect(error.message).toContain(`汇总表共 ${total.toLocaleString('en-US')} 行`);
    expect(error.message).toContain('「汇总附件1」');
  });
});
