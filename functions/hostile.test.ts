// Hostile and oversized input (DESIGN §11, issue 12) against the whole local stack over HTTP: each case gets
// the status it should, a Chinese message, stores nothing, and the server still answers afterwards.
import { randomUUID } from 'node:crypto';
import { brotliCompressSync, deflateSync } from 'node:zlib';
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMPRESSED_BODY_TYPE } from '../contract/api';
import { startLocalStack, type LocalStack } from '../infra/local/stack';
import { call, type Answer } from '../test/support/api';
import { hostileXlsx } from '../test/support/hostile-xlsx';
import { fujian1Rows, fujian2Row } from '../test/support/rows';
import { createDynamoClient, DEFAULT_TABLE_NAME } from './store/table';
import { XLSX_MIME } from './xlsx/submission';

let stack: LocalStack;
const clock = new Date('2019-11-04T10:00:00+08:00');
const CHINESE = /[\u4e00-\u9fff]/;

beforeAll(async () => {
  stack = await startLocalStack({ inMemory: true, port: 0, now: () => clock, quiet: true });
});
afterAll(async () => {
  await stack?.stop();
});

/** Every item in the table: nothing stored means this does not change. */
async function itemCount(): Promise<number> {
  const client = createDynamoClient({ endpoint: stack.dynamodbEndpoint });
  try {
    let count = 0;
    let start: Record<string, any> | undefined;
    do {
      const page = await client.send(
        new ScanCommand({ TableName: DEFAULT_TABLE_NAME, Select: 'COUNT', ExclusiveStartKey: start }),
      );
      count += page.Count ?? 0;
      start = page.LastEvaluatedKey;
    } while (start);
    return count;
  } finally {
    client.destroy();
  }
}

interface Refusal {
  status: number;
  code?: string;
  /** What the Chinese message must say (the limit, the field). */
  says?: RegExp;
}

/** Runs a hostile request and checks the refusal, that nothing was stored and that the server still answers. */
async function refused(send: () => Promise<{ status: number; body: any }>, want: Refusal): Promise<any> {
  const before = await itemCount();
  const answer = await send();
  expect(answer.status).toBe(want.status);
  const error = answer.body?.error;
  expect(error?.message).toMatch(CHINESE);
  if (want.code) expect(error.code).toBe(want.code);
  if (want.says) expect(JSON.stringify(error)).toMatch(want.says);
  expect(await itemCount()).toBe(before);
  const me = await call(stack.apiUrl, 'GET', '/v1/me', { token: stack.tokens.tongren });
  expect(me.status).toBe(200);
  return error;
}

async function raw(path: string, init: RequestInit = {}): Promise<Answer> {
  const res = await fetch(stack.apiUrl + path, {
    ...init,
    headers: { authorization: `Bearer ${stack.tokens.tongren}`, ...(init.headers as Record<string, string>) },
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null, bytes: text.length, headers: res.headers };
}

const body = (over: Record<string, unknown> = {}) => ({
  form: 'fujian1',
  round: '2019-11-04',
  asOf: '2019-11-03',
  contact: { name: '才让', phone: '13800000000' },
  rows: fujian1Rows(2),
  ...over,
});

const post = (payload: unknown, opts: { token?: string } = {}) =>
  call(stack.apiUrl, 'POST', '/v1/submissions', {
    token: opts.token ?? stack.tokens.tongren,
    body: payload,
    idempotencyKey: randomUUID(),
  });

/** A JSON body with a number written exactly as given (JSON.stringify would round it first). */
const postRawNumber = (payload: Record<string, unknown>, placeholder: string, literal: string) =>
  call(stack.apiUrl, 'POST', '/v1/submissions', {
    token: stack.tokens.tongren,
    rawBody: JSON.stringify(payload).replace(`"${placeholder}"`, literal),
    idempotencyKey: randomUUID(),
  });

describe('paths and ids', () => {
  it('broken percent-encoding in a path is a 400, not a crash', async () => {
    await refused(() => raw('/v1/submissions/%E0%A4%A'), { status: 400, says: /百分号编码/ });
    await refused(() => raw('/%'), { status: 400, says: /百分号编码/ });
    await refused(() => raw('/v1/units/%zz/forms/fujian1/latest'), { status: 400 });
  });

  it('an id of 3,000 characters is a 404 that does not echo it', async () => {
    const error = await refused(() => raw(`/v1/submissions/${'a'.repeat(3000)}`), { status: 404, says: /200 个字符/ });
    expect(error.message.length).toBeLessThan(200);
    await refused(
      () =>
        call(stack.apiUrl, 'GET', `/v1/units/${'x'.repeat(3000)}/forms/fujian1/latest`, {
          token: stack.tokens.huangnan,
        }),
      { status: 404 },
    );
    await refused(
      () => call(stack.apiUrl, 'GET', `/v1/submissions?unit=${'x'.repeat(3000)}`, { token: stack.tokens.huangnan }),
      { status: 400, says: /2048 个字符/ },
    );
  });
});

describe('submitted fields', () => {
  it('a contact name of 200,000 characters is refused with the limit', async () => {
    await refused(() => post(body({ contact: { name: '卓'.repeat(200_000), phone: '13800000000' } })), {
      status: 422,
      says: /最多 50 个字/,
    });
  });

  it('a contact name with a control character is refused', async () => {
    await refused(() => post(body({ contact: { name: '才\u0007让', phone: '13800000000' } })), {
      status: 422,
      says: /控制字符/,
    });
  });

  it('numbers beyond safe integers or sane magnitudes are refused, naming the cell and the limit', async () => {
    const rows = fujian1Rows(1).map((r) => ({ ...r, seq: '__n__' }));
    for (const literal of ['9007199254740993', '1e21']) {
      const error = await refused(() => postRawNumber(body({ rows }), '__n__', literal), {
        status: 422,
        code: 'validation_failed',
      });
      expect(error.issues).toEqual([
        expect.objectContaining({
          code: 'number.too_large',
          row: 1,
          key: 'seq',
          message: expect.stringMatching(/^第1行「序号」.*1,000,000,000/),
        }),
      ]);
    }
    const f2 = { ...fujian2Row('同仁县', 3), fineWan: '__n__' };
    const error = await refused(() => postRawNumber(body({ form: 'fujian2', rows: [f2] }), '__n__', '1e305'), {
      status: 422,
    });
    expect(error.issues).toEqual([expect.objectContaining({ code: 'number.too_large', key: 'fineWan' })]);
  });

  it('asOf 0000-01-01 and a round of 100,000 characters are refused without echoing them', async () => {
    await refused(() => post(body({ asOf: '0000-01-01' })), { status: 422, says: /数据截至日期/ });
    const error = await refused(() => post(body({ round: 'x'.repeat(100_000) })), { status: 422, says: /YYYY-MM-DD/ });
    expect(JSON.stringify(error).length).toBeLessThan(1000);
  });

  it('text XML 1.0 cannot hold is reported with its row and column and never stored', async () => {
    for (const [bad, shown] of [
      ['\ufffe', 'U+FFFE'],
      ['\uffff', 'U+FFFF'],
      ['\ud800', 'U+D800'],
      ['\udc00', 'U+DC00'],
      ['\u0007', 'U+0007'],
      ['\u001b', 'U+001B'],
    ]) {
      const rows = fujian1Rows(3).map((r, i) => (i === 2 ? { ...r, measures: `一是${bad}关停` } : r));
      const error = await refused(() => post(body({ rows })), { status: 422 });
      expect(error.issues).toEqual([
        expect.objectContaining({
          code: 'text.invalid_char',
          row: 3,
          key: 'measures',
          message: expect.stringContaining(`第3行「具体整改措施及整改目标」第 3 个字符处`),
        }),
      ]);
      expect(error.issues[0].message).toContain(shown);
    }
  });
});

describe('Content-Encoding', () => {
  const json = (over: Record<string, unknown> = {}) => Buffer.from(JSON.stringify(body(over)), 'utf8');
  const send = (bytes: Uint8Array, encoding: string) =>
    call(stack.apiUrl, 'POST', '/v1/submissions', {
      token: stack.tokens.jianzha,
      rawBody: bytes,
      idempotencyKey: randomUUID(),
      // A binary type, as the add-in sends it: API Gateway would pass compressed bytes labelled JSON as a
      // (mangled) UTF-8 string (infra/local/gateway.ts).
      headers: { 'content-type': COMPRESSED_BODY_TYPE, 'content-encoding': encoding },
    });

  it('plain JSON labelled br or deflate is not read as JSON', async () => {
    await refused(() => send(json(), 'br'), { status: 400, code: 'malformed_body', says: /br/ });
    await refused(() => send(json(), 'deflate'), { status: 400, code: 'malformed_body' });
  });

  it('an encoding the server does not know is a 415', async () => {
    await refused(() => send(json(), 'compress'), { status: 415, code: 'unsupported_encoding' });
    await refused(() => send(json(), 'gzip, br'), { status: 415 });
  });

  it('br and deflate bodies are decoded', async () => {
    expect((await send(brotliCompressSync(json()), 'br')).status).toBe(201);
    // Other content: the same rows and 数据截至 again would answer 200 unchanged (无需重复提交).
    expect((await send(deflateSync(json({ asOf: '2019-11-02' })), 'deflate')).status).toBe(201);
  });
});

describe('.xlsx uploads past the limits', () => {
  // 64 MB bombs: past the 48 MB limit, small enough to build quickly here.
  const files = hostileXlsx(64);
  const upload = (file: Uint8Array) =>
    raw(
      `/v1/submissions?${new URLSearchParams({ form: 'fujian1', round: '2019-11-04', asOf: '2019-11-03', contactName: '才让', contactPhone: '13800000000' })}`,
      {
        method: 'POST',
        headers: { 'content-type': XLSX_MIME, 'idempotency-key': randomUUID() },
        body: file as Uint8Array<ArrayBuffer>,
      },
    );
  const cases: [string, RegExp][] = [
    ['sheet-bomb.xlsx', /解压后超过 48 MB/],
    ['shared-strings-bomb.xlsx', /解压后超过 48 MB/],
    ['styles-bomb.xlsx', /解压后超过 48 MB/],
    ['lying-size.xlsx', /解压后超过 48 MB/],
    ['million-empty-rows.xlsx', /超过 30,000 行/],
    ['many-entries.xlsx', /上限为 1,000 个/],
    ['merge-everything.xlsx', /超过 600,000 个/],
    ['far-column.xlsx', /超过 256 列/],
  ];
  for (const [name, says] of cases) {
    it(`${name} is refused with 413 naming the limit`, async () => {
      await refused(() => upload(files[name]), { status: 413, code: 'payload_too_large', says });
    });
  }
});
