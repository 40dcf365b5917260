// The Excel pane opened where it cannot run, in Debian's Chromium: with the real office.js served from the pane's own
// origin (OFFICE_JS=self, @microsoft/office-js), outside Office; with office.js unreachable; and in a webview too old
// for the pane's code. Each time the pane's own Chinese message, naming the browser page, instead of an error or a
// blank pane. Screenshots in test-artifacts/e2e/.
import { createReadStream, existsSync, mkdtempSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, snapshot } from './browser';

const configFile = fileURLToPath(new URL('../../addin/vite.config.ts', import.meta.url));
// The page loads office.js (~60 KB, then nothing more outside Office) on a machine both cores of which may be busy.
const SLOW = { timeout: 60_000, interval: 200 };
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.png': 'image/png',
};

let browser: Browser;
let server: Server;
let site: string;
let selfHostedDir: string;

/** Builds the pane with office.js from its own origin, as `OFFICE_JS=self npm run build:addin` does. */
async function buildSelfHosted(): Promise<string> {
  const out = mkdtempSync(join(tmpdir(), 'baosong-pane-self-'));
  const before = process.env.OFFICE_JS;
  process.env.OFFICE_JS = 'self';
  try {
    await build({ configFile, logLevel: 'silent', build: { outDir: out, emptyOutDir: true } });
  } finally {
    if (before === undefined) delete process.env.OFFICE_JS;
    else process.env.OFFICE_JS = before;
  }
  return out;
}

/** Serves `dir` over HTTP on 127.0.0.1, as CloudFront would serve the built pane. */
function serve(dir: string): Promise<{ server: Server; url: string }> {
  const s = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)).replace(
      /^(\.\.[/\\])+/,
      '',
    );
    const file = join(dir, path);
    if (!file.startsWith(dir) || !existsSync(file) || statSync(file).isDirectory()) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
    createReadStream(file).pipe(res);
  });
  return new Promise((done) =>
    s.listen(0, '127.0.0.1', () => done({ server: s, url: `http://127.0.0.1:${(s.address() as AddressInfo).port}` })),
  );
}

beforeAll(async () => {
  selfHostedDir = await buildSelfHosted();
  ({ server, url: site } = await serve(selfHostedDir));
  browser = await launchBrowser();
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await new Promise((done) => server?.close(done));
});

async function open(prepare?: (page: Page) => Promise<void>): Promise<{ page: Page; errors: string[] }> {
  const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 420, height: 700 } });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  // Nothing may leave the machine: Microsoft's CDN is unreachable here, as on many government intranets.
  await page.route(/^https?:\/\/(?!127\.0\.0\.1)/, (route) => route.abort());
  await prepare?.(page);
  await page.goto(`${site}/taskpane.html`);
  return { page, errors };
}

const alertText = (page: Page) => page.getByRole('alert').textContent({ timeout: SLOW.timeout });

describe('the Excel pane where it cannot run', () => {
  it('is built to load office.js from its own origin, with the Excel files office.js fetches', () => {
    for (const file of [
      'office/office.js',
      'office/excel-web-16.00.js',
      'office/excel-win32-16.01.js',
      'office/zh-cn/office_strings.js',
    ])
      expect(existsSync(join(selfHostedDir, file)), file).toBe(true);
  });

  it('outside Office, with the real office.js from its own origin, says to open it in Excel and names the browser page', async () => {
    const { page, errors } = await open();
    await expect.poll(() => alertText(page), SLOW).toContain('请在 Excel 中打开报送窗格');
    expect(await alertText(page)).toContain(`${site}/browser/index.html`);
    expect(await page.evaluate(() => typeof (window as unknown as { Office?: unknown }).Office)).toBe('object');
    expect(await page.getByRole('link').getAttribute('href')).toBe(`${site}/browser/index.html`);
    await snapshot(page, 'pane-outside-office');
    expect(errors).toEqual([]);
  });

  it('when office.js cannot be loaded, says so and what to do instead of showing an error', async () => {
    const { page, errors } = await open(async (p) => {
      await p.route('**/office/office.js', (route) => route.abort());
    });
    await expect.poll(() => alertText(page), SLOW).toContain('无法加载 Office 组件');
    expect(await alertText(page)).toContain('appsforoffice.microsoft.com');
    expect(await alertText(page)).toContain(`${site}/browser/index.html`);
    await snapshot(page, 'pane-office-js-missing');
    expect(errors).toEqual([]);
  });

  it('in a webview too old for the pane’s code (Office 2016/2019’s IE 11), says so instead of a blank pane', async () => {
    const { page } = await open(async (p) => {
      // IE 11 runs neither the module scripts nor modern syntax: take both away.
      await p.route('**/assets/*.js', (route) => route.abort());
      await p.addInitScript(() => {
        window.Function = function () {
          throw new SyntaxError('unsupported syntax');
        } as unknown as FunctionConstructor;
      });
    });
    await expect.poll(() => alertText(page), SLOW).toContain('这个版本的 Office 太旧');
    expect(await alertText(page)).toContain(`${site}/browser/index.html`);
    await snapshot(page, 'pane-old-webview');
  });
});
