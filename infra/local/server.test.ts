// The local API Gateway stand-in: the events it builds and the answers it sends, with recording handlers.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HTTP_API_BODY_BYTES, LAMBDA_PAYLOAD_BYTES } from './gateway';
import { createLocalServer, type LambdaHandler } from './server';

const seen: APIGatewayProxyEventV2[] = [];
const record: LambdaHandler = async (event) => {
  seen.push(event);
  return {
    statusCode: 200,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ routeKey: event.routeKey }),
  };
};
/** What the `me` group answers; tests swap it. */
let answer: APIGatewayProxyResultV2 = {
  statusCode: 200,
  headers: { 'content-type': 'application/octet-stream' },
  body: Buffer.from([0, 1, 2, 255]).toString('base64'),
  isBase64Encoded: true,
};
const binaryAnswer: LambdaHandler = async () => answer;

const staticDir = mkdtempSync(join(tmpdir(), 'baosong-static-'));
writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>报送</title>');
let server: Server;
let base: string;

beforeAll(async () => {
  server = createLocalServer({
    handlers: {
      me: binaryAnswer,
      campaigns: record,
      publish: record,
      submissions: record,
      prefecture: record,
      callbacks: record,
    },
    staticDir,
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(() => new Promise<void>((done) => server.close(() => done())));

describe('local HTTP adapter', () => {
  it('turns a request into an API Gateway v2 event with routeKey, path parameters, query and lower-case headers', async () => {
    const res = await fetch(`${base}/v1/units/tongren/forms/fujian1/latest?cursor=abc&x=1`, {
      headers: { 'X-Custom': 'Yes', Authorization: 'Bearer t' },
    });
    expect(await res.json()).toEqual({ routeKey: 'GET /v1/units/{unit}/forms/{form}/latest' });
    const event = seen.at(-1)!;
    expect(event.pathParameters).toEqual({ unit: 'tongren', form: 'fujian1' });
    expect(event.queryStringParameters).toEqual({ cursor: 'abc', x: '1' });
    expect(event.headers['x-custom']).toBe('Yes');
    expect(event.headers.authorization).toBe('Bearer t');
    expect(event.requestContext.http.method).toBe('GET');
  });

  const post = (headers: Record<string, string>, body: BodyInit) =>
    fetch(`${base}/v1/submissions`, { method: 'POST', headers, body }).then((r) => r.status);

  it('payload 2.0: text/*, application/json, application/xml and application/javascript arrive as UTF-8 strings', async () => {
    for (const type of [
      'application/json',
      'application/json; charset=utf-8',
      'Application/JSON',
      'text/plain',
      'text/csv; charset=utf-8',
      'application/xml',
      'application/javascript',
    ]) {
      expect(await post({ 'content-type': type }, '{"a":"黄南"}'), type).toBe(200);
      expect(seen.at(-1), type).toMatchObject({ body: '{"a":"黄南"}', isBase64Encoded: false });
    }
  });

  it('payload 2.0: every other content type, and none, arrives base64-encoded, whatever Content-Encoding says', async () => {
    const bytes = Buffer.from([0x1f, 0x8b, 8, 0, 0xff, 0xfe, 0x50, 0x4b]);
    for (const type of [
      'application/octet-stream',
      'application/gzip',
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      'application/x-www-form-urlencoded',
      'image/png',
      undefined,
    ]) {
      const headers: Record<string, string> = type ? { 'content-type': type } : {};
      expect(await post(headers, bytes), String(type)).toBe(200);
      expect(seen.at(-1)!.isBase64Encoded, String(type)).toBe(true);
      expect(Buffer.from(seen.at(-1)!.body!, 'base64'), String(type)).toEqual(bytes);
    }
    // The add-in's compressed body: binary type + Content-Encoding, delivered intact.
    const zipped = gzipSync('{"a":1}');
    await post({ 'content-type': 'application/octet-stream', 'content-encoding': 'gzip' }, zipped);
    expect(seen.at(-1)).toMatchObject({ isBase64Encoded: true, body: zipped.toString('base64') });
    expect(seen.at(-1)!.headers['content-encoding']).toBe('gzip');
  });

  it('payload 2.0: gzip bytes sent as application/json reach the function as a broken UTF-8 string (why the add-in sends them as binary)', async () => {
    const zipped = gzipSync('{"rows":["黄南州"]}');
    await post({ 'content-type': 'application/json', 'content-encoding': 'gzip' }, zipped);
    const event = seen.at(-1)!;
    expect(event.isBase64Encoded).toBe(false);
    expect(event.body).toBe(zipped.toString('utf8'));
    expect(Buffer.from(event.body!, 'utf8')).not.toEqual(zipped);
  });

  it('payload 2.0: repeated headers joined by commas, cookies in their own array, repeated query parameters joined', async () => {
    const { request } = await import('node:http');
    const { port } = server.address() as { port: number };
    await new Promise<void>((done, fail) => {
      const req = request(
        {
          host: '127.0.0.1',
          port,
          method: 'GET',
          path: '/v1/submissions?form=fujian1&unit=a&unit=b&q=%E9%BB%84',
          headers: { 'X-Trace': ['one', 'two'], Cookie: ['a=1; b=2', 'c=3'], Authorization: 'Bearer t' },
        },
        (res) => res.resume().on('end', done),
      );
      req.on('error', fail);
      req.end();
    });
    const event = seen.at(-1)!;
    expect(event.headers['x-trace']).toBe('one,two');
    expect(event.headers.authorization).toBe('Bearer t');
    expect(event.headers.cookie).toBeUndefined();
    expect(event.cookies).toEqual(['a=1', 'b=2', 'c=3']);
    expect(event.rawQueryString).toBe('form=fujian1&unit=a&unit=b&q=%E9%BB%84');
    expect(event.queryStringParameters).toEqual({ form: 'fujian1', unit: 'a,b', q: '黄' });
    expect(event.body).toBeUndefined();
    expect(event.isBase64Encoded).toBe(false);
    expect(Object.keys(event.headers).every((k) => k === k.toLowerCase())).toBe(true);
  });

  it('decodes base64 answers to bytes', async () => {
    const res = await fetch(`${base}/v1/me`);
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(new Uint8Array([0, 1, 2, 255]));
  });

  it('answers: cookies become set-cookie headers; a bare JSON answer is a 200 JSON body', async () => {
    const saved = answer;
    try {
      answer = { statusCode: 204, cookies: ['a=1; Secure', 'b=2'], headers: { 'X-Up': 'Yes' } };
      const res = await fetch(`${base}/v1/me`);
      expect(res.status).toBe(204);
      expect(res.headers.getSetCookie()).toEqual(['a=1; Secure', 'b=2']);
      expect(res.headers.get('x-up')).toBe('Yes');
      answer = { hello: '黄南' } as never;
      const bare = await fetch(`${base}/v1/me`);
      expect(bare.status).toBe(200);
      expect(bare.headers.get('content-type')).toBe('application/json');
      expect(await bare.json()).toEqual({ hello: '黄南' });
    } finally {
      answer = saved;
    }
  });

  it('6 MB counts the base64 form: a 4.6 MB binary body is refused (6.1 MB in the event), the same bytes as text pass', async () => {
    const size = Math.ceil(4.6 * 1024 * 1024);
    expect(Math.ceil(size / 3) * 4).toBeGreaterThan(LAMBDA_PAYLOAD_BYTES);
    const calls = seen.length;
    const binary = await fetch(`${base}/v1/submissions`, {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream', 'content-encoding': 'gzip' },
      body: Buffer.alloc(size, 1),
    });
    expect(binary.status).toBe(413);
    expect((await binary.json()).error.message).toMatch(/6 MB.*base64/);
    expect(seen.length).toBe(calls);
    expect(await post({ 'content-type': 'text/plain' }, 'x'.repeat(size))).toBe(200);
    expect(seen.length).toBe(calls + 1);
  });

  it('answers 413 in Chinese past 6 MB of text, and past the HTTP API 10 MB body limit', async () => {
    for (const bytes of [LAMBDA_PAYLOAD_BYTES + 1, HTTP_API_BODY_BYTES + 1]) {
      const res = await fetch(`${base}/v1/submissions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: 'x'.repeat(bytes),
      });
      expect(res.status).toBe(413);
      expect((await res.json()).error.message).toContain('压缩');
    }
  });

  it("an answer over 6 MB as JSON (base64 counted) is the gateway's 500, as on AWS", async () => {
    const saved = answer;
    try {
      const size = Math.ceil(4.6 * 1024 * 1024);
      answer = {
        statusCode: 200,
        headers: { 'content-type': 'application/gzip' },
        body: Buffer.alloc(size, 7).toString('base64'),
        isBase64Encoded: true,
      };
      const res = await fetch(`${base}/v1/me`);
      expect(res.status).toBe(500);
      expect(await res.json()).toEqual({ message: 'Internal Server Error' });
      answer = { statusCode: 200, body: 'y'.repeat(size) };
      expect((await fetch(`${base}/v1/me`)).status).toBe(200);
    } finally {
      answer = saved;
    }
  });

  it('lets the task pane’s origin call the API (CORS preflight), and no other origin', async () => {
    const preflight = (origin: string) =>
      fetch(`${base}/v1/submissions`, {
        method: 'OPTIONS',
        headers: {
          origin,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'authorization, idempotency-key, content-encoding',
        },
      });
    const pane = await preflight('https://localhost:3000');
    expect(pane.status).toBe(204);
    expect(pane.headers.get('access-control-allow-origin')).toBe('https://localhost:3000');
    expect(pane.headers.get('access-control-allow-headers')).toContain('idempotency-key');
    const stranger = await preflight('https://evil.example');
    expect(stranger.headers.get('access-control-allow-origin')).toBeNull();
    const get = await fetch(`${base}/v1/me`, { headers: { origin: 'https://evil.example' } });
    expect(get.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('sends security headers: nosniff everywhere, a CSP for the page that Office hosts may frame, none for the API', async () => {
    const page = await fetch(`${base}/`);
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    const csp = page.headers.get('content-security-policy')!;
    expect(csp).toContain("script-src 'self'");
    expect(csp).toMatch(/frame-ancestors 'self' .*https:\/\/\*\.officeapps\.live\.com/);
    const api = await fetch(`${base}/v1/me`);
    expect(api.headers.get('x-content-type-options')).toBe('nosniff');
    expect(api.headers.get('content-security-policy')).toBe("default-src 'none'; frame-ancestors 'none'");
  });

  it('refuses a request for another host name (DNS rebinding) in Chinese, unless configured', async () => {
    const { request } = await import('node:http');
    const ask = (port: number, host: string) =>
      new Promise<{ status: number; body: string }>((done, fail) => {
        const req = request({ host: '127.0.0.1', port, path: '/v1/me', headers: { host } }, (res) => {
          let body = '';
          res.on('data', (d: Buffer) => (body += d.toString()));
          res.on('end', () => done({ status: res.statusCode ?? 0, body }));
        });
        req.on('error', fail);
        req.end();
      });
    const port = (server.address() as { port: number }).port;
    const rebound = await ask(port, 'attacker.example:80');
    expect(rebound.status).toBe(403);
    expect(JSON.parse(rebound.body).error.message).toMatch(/ALLOWED_HOSTS/);
    expect(seen.some((e) => e.headers.host === 'attacker.example:80')).toBe(false);
    expect((await ask(port, `localhost:${port}`)).status).toBe(200);
    expect((await ask(port, `[::1]:${port}`)).status).toBe(200);

    const lan = createLocalServer({
      handlers: {
        me: record,
        campaigns: record,
        publish: record,
        submissions: record,
        prefecture: record,
        callbacks: record,
      },
      posture: { allowedHosts: ['baosong.lan'] },
    });
    await new Promise<void>((done) => lan.listen(0, '127.0.0.1', done));
    try {
      const lanPort = (lan.address() as { port: number }).port;
      expect((await ask(lanPort, 'baosong.lan:8787')).status).toBe(200);
      expect((await ask(lanPort, 'other.lan')).status).toBe(403);
    } finally {
      await new Promise<void>((done) => lan.close(() => done()));
    }
  });

  it('serves the static directory at / and nothing outside it; unknown API paths get a Chinese 404', async () => {
    const page = await fetch(`${base}/`);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(await page.text()).toContain('报送');
    expect((await fetch(`${base}/..%2F..%2Fetc%2Fpasswd`)).status).toBe(404);
    const api = await fetch(`${base}/v1/nothing`);
    expect(api.status).toBe(404);
    expect((await api.json()).error.message).toContain('没有这个接口');
  });

  it('while the page is still being built, / answers a Chinese page that reloads itself, and the API works meanwhile', async () => {
    const notYet = join(mkdtempSync(join(tmpdir(), 'baosong-static-')), 'browser');
    const building = createLocalServer({
      handlers: {
        me: binaryAnswer,
        campaigns: record,
        publish: record,
        submissions: record,
        prefecture: record,
        callbacks: record,
      },
      staticDir: notYet,
    });
    await new Promise<void>((done) => building.listen(0, '127.0.0.1', done));
    const at = `http://127.0.0.1:${(building.address() as { port: number }).port}`;
    try {
      for (const path of ['/', '/index.html', '/assets/app.js']) {
        const page = await fetch(`${at}${path}`);
        expect(page.status, path).toBe(200);
        expect(page.headers.get('content-type'), path).toContain('text/html');
        expect(page.headers.get('cache-control'), path).toBe('no-store');
        const html = await page.text();
        expect(html, path).toContain('网页版正在准备,稍候自动刷新…');
        expect(html, path).toContain('<meta http-equiv="refresh" content="3">');
      }
      const api = await fetch(`${at}/v1/submissions?form=fujian1`);
      expect(await api.json()).toEqual({ routeKey: 'GET /v1/submissions' });
      expect((await fetch(`${at}/v1/nothing`)).status).toBe(404);

      // A folder without its index.html yet is still "being built".
      mkdirSync(join(notYet, 'assets'), { recursive: true });
      writeFileSync(join(notYet, 'assets', 'app.js'), 'console.log(1)');
      expect(await (await fetch(`${at}/`)).text()).toContain('网页版正在准备');

      writeFileSync(join(notYet, 'index.html'), '<!doctype html><title>报送网页版</title>');
      const ready = await fetch(`${at}/`);
      expect(ready.status).toBe(200);
      const text = await ready.text();
      expect(text).toContain('报送网页版');
      expect(text).not.toContain('refresh');
      expect(await (await fetch(`${at}/assets/app.js`)).text()).toBe('console.log(1)');
      expect((await fetch(`${at}/missing.js`)).status).toBe(404);
    } finally {
      await new Promise<void>((done) => building.close(() => done()));
    }
  });
});
