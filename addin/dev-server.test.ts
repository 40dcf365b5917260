// `npm run dev` as Excel sees it: the pane over HTTPS, and /v1 on the same origin reaching the API.
import { mkdtempSync, readFileSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDevServer } from './dev-server';
import { scriptedServer, type ScriptedServer } from '../test/support/scripted-server';

type Dev = Awaited<ReturnType<typeof startDevServer>> & { ca: Buffer };
let api: ScriptedServer;
let dev: Dev;

async function startDev(apiUrl: string): Promise<Dev> {
  const certDir = mkdtempSync(join(tmpdir(), 'baosong-certs-'));
  const started = await startDevServer({ port: 0, apiUrl, certDir, log: () => {} });
  return { ...started, ca: readFileSync(join(certDir, 'ca.crt')) };
}

beforeAll(async () => {
  api = await scriptedServer((req) => ({
    status: 200,
    body: { path: req.url, auth: req.headers.authorization ?? null },
  }));
  dev = await startDev(api.baseUrl);
});

afterAll(async () => {
  await dev?.close();
  await api?.close();
});

/** GET over HTTPS trusting only the dev CA, as a browser that trusts it would. */
function get(
  server: Dev,
  path: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; type: string; body: string }> {
  return new Promise((done, fail) => {
    const req = request(new URL(path, server.url), { ca: server.ca, headers }, (res) => {
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
    const page = await get(dev, '/taskpane.html');
    expect(page.status).toBe(200);
    expect(page.body).toContain('<div id="root">');
    expect(page.body).toContain('appsforoffice.microsoft.com/lib/1/hosted/office.js');
  });

  it('serves the manifest icons at /assets/', async () => {
    const icon = await get(dev, '/assets/icon-32.png');
    expect(icon.status).toBe(200);
    expect(icon.type).toBe('image/png');
  });

  it('serves office.js and its Excel files from @microsoft/office-js, for a pane built with OFFICE_JS=self', async () => {
    const office = await get(dev, '/office/office.js');
    expect(office.status).toBe(200);
    expect(office.body).toContain('Office');
    expect((await get(dev, '/office/excel-web-16.00.js')).status).toBe(200);
  });

  it('proxies /browser/ to the API’s origin, where the browser page the pane names lives', async () => {
    const res = await get(dev, '/browser/index.html');
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body).path).toBe('/index.html');
  });

  it('proxies /v1 to the API with the token, so the pane calls its own origin', async () => {
    const res = await get(dev, '/v1/me?x=1', { authorization: 'Bearer t1' });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toEqual({ path: '/v1/me?x=1', auth: 'Bearer t1' });
  });

  it('says in Chinese that the local API is not running when it cannot reach it', async () => {
    const down = await startDev('http://127.0.0.1:9');
    try {
      const res = await get(down, '/v1/me');
      expect(res.status).toBe(502);
      expect(JSON.parse(res.body).error.message).toMatch(/连不上本地 API.*npm start/);
    } finally {
      await down.close();
    }
  });
});
