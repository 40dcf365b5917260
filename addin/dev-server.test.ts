// `npm run dev` as Excel sees it: the pane over HTTPS, and /v1 on the same origin reaching the API.
import { request } from 'node:https';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDevServer } from './dev-server';
import { scriptedServer, type ScriptedServer } from './testing/scripted-server';

let api: ScriptedServer;
let dev: Awaited<ReturnType<typeof startDevServer>>;
let ca: Buffer;

beforeAll(async () => {
  api = await scriptedServer((req) => ({ status: 200, body: { path: req.url, auth: req.headers.authorization ?? null } }));
  const certDir = mkdtempSync(join(tmpdir(), 'baosong-certs-'));
  dev = await startDevServer({ port: 0, apiUrl: api.baseUrl, certDir, log: () => {} });
  ca = (await import('node:fs')).readFileSync(join(certDir, 'ca.crt'));
});

afterAll(async () => {
  await dev?.close();
  await api?.close();
});

/** GET over HTTPS trusting only the dev CA, as a browser that trusts it would. */
function get(path: string, headers: Record<string, string> = {}): Promise<{ status: number; type: string; body: string }> {
  return new Promise((done, fail) => {
    const req = request(new URL(path, dev.url), { ca, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (body += c));
      res.on('end', () => done({ status: res.statusCode ?? 0, type: String(res.headers['content-type'] ?? ''), body }));
    });
    req.on('error', fail);
    req.end();
  });
}

describe('npm run dev', () => {
  it('serves the task pane over HTTPS with a certificate for localhost', async () => {
    const page = await get('/taskpane.html');
    expect(page.status).toBe(200);
    expect(page.body).toContain('<div id="root"></div>');
    expect(page.body).toContain('appsforoffice.microsoft.com/lib/1/hosted/office.js');
  });

  it('serves the manifest icons at /assets/', async () => {
    const icon = await get('/assets/icon-32.png');
    expect(icon.status).toBe(200);
    expect(icon.type).toBe('image/png');
  });

  it('proxies /v1 to the API with the token, so the pane calls its own origin', async () => {
    const res = await get('/v1/me?x=1', { authorization: 'Bearer t1' });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toEqual({ path: '/v1/me?x=1', auth: 'Bearer t1' });
  });
});
