// The local API Gateway stand-in: the events it builds and the answers it sends, with recording handlers.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
const binaryAnswer: LambdaHandler = async () => ({
  statusCode: 200,
  headers: { 'content-type': 'application/octet-stream' },
  body: Buffer.from([0, 1, 2, 255]).toString('base64'),
  isBase64Encoded: true,
});

const staticDir = mkdtempSync(join(tmpdir(), 'baosong-static-'));
writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>报送</title>');
let server: Server;
let base: string;

beforeAll(async () => {
  server = createLocalServer({
    handlers: { me: binaryAnswer, campaigns: record, publish: record, submissions: record, prefecture: record },
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

  it('passes JSON as text and gzip or binary bodies as base64', async () => {
    await fetch(`${base}/v1/submissions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"a":"黄南"}',
    });
    expect(seen.at(-1)).toMatchObject({ body: '{"a":"黄南"}', isBase64Encoded: false });
    const zipped = gzipSync('{"a":1}');
    await fetch(`${base}/v1/submissions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
      body: zipped,
    });
    expect(seen.at(-1)!.isBase64Encoded).toBe(true);
    expect(Buffer.from(seen.at(-1)!.body!, 'base64')).toEqual(zipped);
    const xlsx = Buffer.from([0x50, 0x4b, 3, 4, 0xff]);
    await fetch(`${base}/v1/submissions`, {
      method: 'POST',
      headers: { 'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' },
      body: xlsx,
    });
    expect(Buffer.from(seen.at(-1)!.body!, 'base64')).toEqual(xlsx);
  });

  it('decodes base64 answers to bytes', async () => {
    const res = await fetch(`${base}/v1/me`);
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(new Uint8Array([0, 1, 2, 255]));
  });

  it('answers 413 in Chinese past 6 MB, like Lambda', async () => {
    const res = await fetch(`${base}/v1/submissions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: 'x'.repeat(6 * 1024 * 1024 + 1),
    });
    expect(res.status).toBe(413);
    expect((await res.json()).error.message).toContain('gzip');
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
      handlers: { me: record, campaigns: record, publish: record, submissions: record, prefecture: record },
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
      handlers: { me: binaryAnswer, campaigns: record, publish: record, submissions: record, prefecture: record },
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
