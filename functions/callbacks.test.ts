// Callbacks (回访, issue 11 part 3) through the HTTP API, on DynamoDB Local: the sample drawn once and stored (drawing
// again, or two offices drawing at once, answer the same cases), results checked entry by entry with nothing stored
// on a mistake, kept with who and when, idempotent; coverage and satisfaction in statistics; a 不满意 case flagged on
// the county's next 附件1 pull and in the consolidated 附件1 until a later callback finds the person satisfied;
// progress over the campaign's rounds (issue 11 part 4) with the callback figures of each round.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalStack, type LocalStack } from '../infra/local/stack';
import { call } from '../test/support/api';
import { testClock } from '../test/support/clock';
import { fujian1Rows, fujian2Row } from '../test/support/rows';
import { cellText } from '../forms/cells';
import { readXlsxSheets } from '../forms/xlsx-read';
import type {
  CallbackSampleResponse,
  ConsolidatedResponse,
  ProgressResponse,
  StatsResponse,
  SubmissionResponse,
} from '../contract/api';

/** A callback answer, or the error body of a refused request. */
type Answered = CallbackSampleResponse & { error: { code: string; message: string; issues: { message: string }[] } };

let stack: LocalStack;
/** The handlers' clock: each results request moves it on by a minute, so batches have distinct times. */
const clock = testClock('2019-11-25T10:00:00+08:00');

beforeAll(async () => {
  stack = await startLocalStack({ inMemory: true, port: 0, quiet: true, now: clock.now });
});
afterAll(async () => {
  await stack?.stop();
});

const contact = { name: '卓玛', phone: '0973-8722111' };
const closed = () => '已办结' as const;

async function submit(unit: string, round: string, rows: ReturnType<typeof fujian1Rows>): Promise<void> {
  const res = await call(stack.apiUrl, 'POST', '/v1/submissions', {
    token: stack.tokens[unit],
    body: { form: 'fujian1', round, asOf: round < '2019-11-25' ? round : '2019-11-25', contact, rows },
    idempotencyKey: randomBytes(8).toString('hex'),
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
}

const draw = (round: string, number?: string, token = stack.tokens.huangnan) =>
  call<Answered>(stack.apiUrl, 'POST', '/v1/callbacks/sample', {
    token,
    body: { campaign: 'huangnan-2019', round, ...(number ? { number } : {}) },
  });

const sample = (round: string, token = stack.tokens.huangnan) =>
  call<Answered>(stack.apiUrl, 'GET', `/v1/callbacks/sample?campaign=huangnan-2019&round=${round}`, {
    token,
  });

const record = (
  round: string,
  results: unknown[],
  key = randomBytes(8).toString('hex'),
  token = stack.tokens.huangnan,
) =>
  clock.tick() &&
  call<Answered>(stack.apiUrl, 'POST', '/v1/callbacks/results', {
    token,
    body: { campaign: 'huangnan-2019', round, results },
    idempotencyKey: key,
  });

const progress = '已按计划推进';

describe('nothing to draw', () => {
  // First in the file: later rounds carry earlier rounds' closed cases forward, and they would be drawn.
  it('a round whose consolidated 附件1 has no closed case draws nothing (409 in Chinese) and has no sample (404)', async () => {
    const round = '2019-11-04';
    await submit('zeku', round, fujian1Rows(5, { unitName: '泽库县', progress, closure: () => '正在办理' }));
    const res = await draw(round);
    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({
      code: 'nothing_to_draw',
      message: expect.stringMatching(/没有已办结的案件/),
    });
    const none = await sample(round);
    expect(none.status).toBe(404);
    expect(none.body.error.message).toMatch(/还没有抽取回访样本/);
  });
});

describe('the callback sample', () => {
  const round = '2019-11-04';
  beforeAll(async () => {
    // 同仁县: 10 cases, 3 closed (every third) → ceil(0.6) = 1 drawn; 尖扎县: 15 closed → 3 drawn.
    await submit('tongren', round, fujian1Rows(10, { progress }));
    await submit('jianzha', round, fujian1Rows(15, { unitName: '尖扎县', progress, closure: closed }));
  });

  it('is drawn at the campaign rate from the consolidated 附件1 and stored with its seed, who and when', async () => {
    const res = await draw(round, '4821');
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      campaign: 'huangnan-2019',
      round,
      form: 'fujian1',
      seed: '2019-11-04#4821',
      rate: 0.2,
      created: true,
      drawnBy: 'huangnan',
      drawnByName: '黄南州',
      drawnAt: clock.now().toISOString(),
    });
    expect(res.body.units.map((u) => [u.unit, u.closed, u.sampled])).toEqual(
      expect.arrayContaining([
        ['tongren', 3, 1],
        ['jianzha', 15, 3],
      ]),
    );
    expect(res.body.cases).toHaveLength(4);
    for (const c of res.body.cases) {
      expect(c.row.closure).toBe('已办结');
      // The case carries the unit's own 序号, in the row too (not the consolidated renumbering).
      expect(c.row.seq).toBe(c.seq);
      expect(c.submissionId).toMatch(/^sub_/);
      expect(c.result).toBeNull();
    }
    expect(res.body.totals).toMatchObject({ sampled: 4, visited: 0, coverage: 0 });
  });

  it('is never redrawn: another number, new data or a GET answer the stored cases', async () => {
    const first = (await sample(round)).body;
    await submit('tongren', round, fujian1Rows(10, { progress, closure: closed }));
    const again = await draw(round, '1234');
    expect(again.status).toBe(200);
    expect(again.body.created).toBe(false);
    expect(again.body.seed).toBe('2019-11-04#4821');
    expect(again.body.cases).toEqual(first.cases);
  });

  it('two offices drawing the same round at once get one sample', async () => {
    const fresh = '2019-11-14';
    await submit('jianzha', fresh, fujian1Rows(12, { unitName: '尖扎县', progress, closure: closed }));
    const [a, b] = await Promise.all([draw(fresh, '11'), draw(fresh, '22')]);
    expect([a.status, b.status].sort()).toEqual([200, 201]);
    expect(a.body.seed).toBe(b.body.seed);
    expect(a.body.cases).toEqual(b.body.cases);
  });

  it('is the 州 office’s: counties and admin tokens get 403 on every callback route', async () => {
    for (const token of [stack.tokens.tongren, stack.tokens.admin]) {
      expect((await draw(round, undefined, token)).status).toBe(403);
      expect((await sample(round, token)).status).toBe(403);
      const res = await record(round, [], undefined, token);
      expect(res.status).toBe(403);
      expect(res.body.error.message).toMatch(/州级单位/);
    }
  });
});

describe('callback results', () => {
  const round = '2019-11-04';
  let cases: CallbackSampleResponse['cases'];
  beforeAll(async () => {
    cases = (await sample(round)).body.cases as CallbackSampleResponse['cases'];
  });
  const tongren = () => cases.find((c) => c.unit === 'tongren')!;
  const jianzha = () => cases.filter((c) => c.unit === 'jianzha');
  /** When the 不满意 callback was recorded. */
  let dissatisfiedAt = '';

  it('refuses the whole request with one Chinese message per wrong entry, and stores none of it', async () => {
    const res = await record(round, [
      { unit: 'tongren', seq: tongren().seq, way: '电话', date: '2019-11-20', result: '满意' },
      { unit: 'jianzha', seq: jianzha()[0].seq, way: '上门', date: '2019-11-40', result: '很好' },
      { unit: 'jianzha', seq: jianzha()[1].seq, way: '实地', date: '2019-11-30', result: '不满意', note: '' },
      { unit: 'jianzha', seq: 999, way: '电话', date: '2019-11-20', result: '满意' },
    ]);
    expect(res.status).toBe(422);
    const messages = res.body.error.issues.map((i) => i.message);
    expect(messages).toEqual([
      '第2条「回访方式」只能是 电话 或 实地,现为“上门”',
      '第2条「回访日期」“2019-11-40”不是日期,请写成 2019-11-20 或 2019年11月20日',
      '第2条「回访结果」只能是 满意、基本满意 或 不满意,现为“很好”',
      '第3条「回访日期」2019-11-30 晚于今天(2019-11-25),请填写实际回访的日期',
      '第3条「回访情况说明」群众不满意时请写明不满意的原因,县级据此重新办理',
      '第4条:单位 jianzha 第 999 号案件不在 2019-11-04 轮的回访样本中。请核对单位编号和本单位序号。',
    ]);
    const after = (await sample(round)).body;
    expect(after.cases.every((c) => c.result === null)).toBe(true);
    expect(after.totals.visited).toBe(0);
  });

  it('keeps results with who and when; statistics show coverage and satisfaction per county; a replay writes nothing', async () => {
    const key = randomBytes(8).toString('hex');
    const body = [
      { unit: 'tongren', seq: tongren().seq, way: '电话', date: '2019-11-20', result: '不满意', note: '噪声仍未消除' },
      { unit: 'jianzha', seq: jianzha()[0].seq, way: '实地', date: '2019年11月21日', result: '满意' },
      { unit: 'jianzha', seq: jianzha()[1].seq, way: '电话回访', date: '2019/11/22', result: '基本满意', note: '' },
    ];
    const res = await record(round, body, key);
    expect(res.status).toBe(201);
    const t = res.body.cases.find((c) => c.unit === 'tongren')!;
    expect(t.result).toMatchObject({
      way: '电话',
      date: '2019-11-20',
      result: '不满意',
      note: '噪声仍未消除',
      by: 'huangnan',
      byName: '黄南州',
      at: clock.now().toISOString(),
    });
    expect(t.result!.tokenId).toMatch(/^tok_/);
    dissatisfiedAt = t.result!.at;
    const j = res.body.cases.find((c) => c.seq === jianzha()[1].seq && c.unit === 'jianzha')!;
    expect(j.result).toMatchObject({ way: '电话', date: '2019-11-22', result: '基本满意' });

    const unitFigures = (u: string) => res.body.units.find((x) => x.unit === u)!;
    expect(unitFigures('tongren')).toMatchObject({
      sampled: 1,
      visited: 1,
      dissatisfied: 1,
      coverage: 1,
      satisfaction: 0,
    });
    expect(unitFigures('jianzha')).toMatchObject({ sampled: 3, visited: 2, satisfied: 1, basicallySatisfied: 1 });
    expect(unitFigures('jianzha').coverage).toBeCloseTo(2 / 3);
    expect(unitFigures('jianzha').satisfaction).toBe(1);

    const stats = await call<StatsResponse>(stack.apiUrl, 'GET', `/v1/stats?campaign=huangnan-2019&round=${round}`, {
      token: stack.tokens.huangnan,
    });
    expect(stats.status).toBe(200);
    const inStats = (u: string) => stats.body.units.find((x) => x.unit === u)!.callback!;
    expect(inStats('jianzha')).toMatchObject({ sampled: 3, visited: 2, satisfaction: 1 });
    expect(inStats('tongren')).toMatchObject({ sampled: 1, visited: 1, satisfaction: 0 });
    expect(stats.body.units.find((x) => x.unit === 'zeku')!.callback).toMatchObject({ sampled: 0, coverage: 0 });
    expect(stats.body.totals.callback).toMatchObject({ sampled: 4, visited: 3, dissatisfied: 1 });
    expect(stats.body.totals.callback!.satisfaction).toBeCloseTo(2 / 3);
    // A round without a sample: no figures rather than zeros that look like a failed callback round.
    const other = await call<StatsResponse>(stack.apiUrl, 'GET', '/v1/stats?campaign=huangnan-2019&round=2019-11-24', {
      token: stack.tokens.huangnan,
    });
    expect(other.body.units.every((u) => u.callback === null)).toBe(true);

    const replay = await record(round, body, key);
    expect(replay.status).toBe(201);
    expect(replay.body.cases.find((c) => c.unit === 'tongren')!.history).toHaveLength(1);
    const reused = await record(round, body.slice(1), key);
    expect(reused.status).toBe(409);
    expect(reused.body.error.code).toBe('idempotency_key_reused');
    const noKey = await call(stack.apiUrl, 'POST', '/v1/callbacks/results', {
      token: stack.tokens.huangnan,
      body: { round, results: body },
    });
    expect(noKey.status).toBe(400);
  });

  it('flags a 不满意 case on the county’s next 附件1 pull and in the consolidated 附件1, until a satisfied callback', async () => {
    const seq = tongren().seq;
    const pull = async () =>
      (
        await call<SubmissionResponse>(
          stack.apiUrl,
          'GET',
          '/v1/units/tongren/forms/fujian1/latest?campaign=huangnan-2019',
          {
            token: stack.tokens.tongren,
          },
        )
      ).body;
    expect((await pull()).callbackFlags).toEqual([
      { seq, round, way: '电话', date: '2019-11-20', note: '噪声仍未消除', at: dissatisfiedAt },
    ]);
    const table = await call<ConsolidatedResponse>(
      stack.apiUrl,
      'GET',
      `/v1/consolidated/fujian1?campaign=huangnan-2019&round=${round}`,
      { token: stack.tokens.huangnan },
    );
    expect(table.body.callbackFlags).toEqual([expect.objectContaining({ unit: 'tongren', seq, note: '噪声仍未消除' })]);
    // The same table downloaded as .xlsx marks the case in its 回访不满意 column, on the case's row only.
    const file = await fetch(
      `${stack.apiUrl}/v1/consolidated/fujian1?campaign=huangnan-2019&round=${round}&format=xlsx`,
      {
        headers: { authorization: `Bearer ${stack.tokens.huangnan}` },
      },
    );
    expect(file.status).toBe(200);
    const [sheet] = await readXlsxSheets(new Uint8Array(await file.arrayBuffer()));
    const grid = sheet.grid.map((line) => line.map((v) => cellText(v)));
    const header = grid.findIndex((line) => line.includes('回访不满意'));
    expect(header).toBeGreaterThanOrEqual(0);
    const [flagCol, unitCol, seqCol] = ['回访不满意', '填报单位', '本单位序号'].map((l) => grid[header].indexOf(l));
    // The table's case rows (a 序号 first; the notes below are merged across the width).
    const caseRows = grid.slice(header + 1).filter((line) => /^\d+$/.test(line[0]));
    expect(caseRows.length).toBeGreaterThan(1);
    const marked = caseRows.filter((line) => line[flagCol]);
    expect(marked).toHaveLength(1);
    expect(marked[0][flagCol]).toBe('2019-11-20 电话回访不满意:噪声仍未消除。请重新办理。');
    expect(marked[0][unitCol]).toMatch(/同仁/);
    expect(marked[0][seqCol]).toBe(String(seq));
    // 附件2 has no callbacks: nothing added.
    const summary = await call<ConsolidatedResponse>(
      stack.apiUrl,
      'GET',
      `/v1/consolidated/fujian2?campaign=huangnan-2019&round=${round}`,
      { token: stack.tokens.huangnan },
    );
    expect(summary.body.callbackFlags).toBeUndefined();

    // Handled again, called back again the next day: satisfied. The flag goes; both callbacks stay in the case's
    // history.
    clock.set('2019-11-26T10:00:00+08:00');
    const again = await record(round, [{ unit: 'tongren', seq, way: '实地', date: '2019-11-25', result: '满意' }]);
    expect(again.status).toBe(201);
    const c = again.body.cases.find((x) => x.unit === 'tongren')!;
    expect(c.history.map((h) => h.result)).toEqual(['不满意', '满意']);
    expect(again.body.units.find((u) => u.unit === 'tongren')).toMatchObject({ dissatisfied: 0, satisfied: 1 });
    expect((await pull()).callbackFlags).toEqual([]);
  });

  it('results for a round with no sample: 404 saying to draw first', async () => {
    const res = await record('2019-11-24', [{ unit: 'zeku', seq: 1, way: '电话', date: '2019-11-20', result: '满意' }]);
    expect(res.status).toBe(404);
    expect(res.body.error.message).toMatch(/请先在「汇总」中抽取回访样本/);
  });
});

describe('GET /v1/stats/rounds', () => {
  it('gives every round up to the one due next: units reported and on time, cases closed, callback figures', async () => {
    // 同仁县 reports both forms of the round due next, on time; the earlier rounds were all sent late (the clock
    // stands after them) and only as 附件1.
    await submit(
      'tongren',
      '2019-12-04',
      fujian1Rows(8, { progress, closure: (i) => (i < 6 ? '已办结' : '正在办理') }),
    );
    const res = await call(stack.apiUrl, 'POST', '/v1/submissions', {
      token: stack.tokens.tongren,
      body: { form: 'fujian2', round: '2019-12-04', asOf: '2019-11-25', contact, rows: [fujian2Row('同仁县', 4)] },
      idempotencyKey: randomBytes(8).toString('hex'),
    });
    expect(res.status).toBe(201);

    const answer = await call<ProgressResponse>(stack.apiUrl, 'GET', '/v1/stats/rounds?campaign=huangnan-2019', {
      token: stack.tokens.huangnan,
    });
    expect(answer.status).toBe(200);
    const { body } = answer;
    expect(body).toMatchObject({ campaign: 'huangnan-2019', form: 'fujian1', formTag: '附件1', closedValue: '已办结' });
    expect(body.rounds.map((r) => r.round)).toEqual([
      '2019-10-24',
      '2019-11-04',
      '2019-11-14',
      '2019-11-24',
      '2019-12-04',
    ]);
    const round = (r: string) => body.rounds.find((x) => x.round === r)!;

    // 2019-11-04: 同仁县 (10 cases, all closed in its second version), 尖扎县 (15 closed), 泽库县 (5 open), all late,
    // no 附件2 from anyone: no unit has reported the whole round.
    expect(round('2019-11-04')).toMatchObject({
      units: 4,
      reported: 0,
      onTime: 0,
      missing: 4,
      forms: { fujian1: { ontime: 0, late: 3, carried: 0, missing: 1 }, fujian2: { missing: 4 } },
      cases: 30,
      closed: 25,
      callback: { sampled: 4, visited: 3 },
    });
    expect(round('2019-11-04').closedRate).toBeCloseTo(25 / 30);
    expect(round('2019-10-24')).toMatchObject({ cases: 0, closedRate: 0, callback: null });
    // 2019-12-04: 同仁县 on time with both forms; the others' last 附件1 carried forward (尖扎县 11-14, 泽库县 11-04).
    expect(round('2019-12-04')).toMatchObject({
      reported: 1,
      onTime: 1,
      late: 0,
      missing: 3,
      forms: { fujian1: { ontime: 1, carried: 2, missing: 1 }, fujian2: { ontime: 1, missing: 3 } },
      cases: 8 + 12 + 5,
      closed: 6 + 12,
      callback: null,
    });

    const tongren = body.units.find((u) => u.unit === 'tongren')!;
    expect(tongren.rounds.map((r) => [r.round, r.status, r.cases, r.closed])).toEqual([
      ['2019-10-24', 'missing', 0, 0],
      ['2019-11-04', 'late', 10, 10],
      ['2019-11-14', 'carried', 10, 10],
      ['2019-11-24', 'carried', 10, 10],
      ['2019-12-04', 'ontime', 8, 6],
    ]);
    expect(tongren.rounds[1].callback).toMatchObject({ sampled: 1, visited: 1, satisfied: 1, satisfaction: 1 });
    expect(body.units.map((u) => u.unitName)).toEqual(['同仁县', '尖扎县', '泽库县', '河南蒙古族自治县']);

    const county = await call(stack.apiUrl, 'GET', '/v1/stats/rounds', { token: stack.tokens.tongren });
    expect(county.status).toBe(403);
  });
});
