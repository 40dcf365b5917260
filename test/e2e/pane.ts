// The browser page (the same pane as in Excel) in Chromium against the real local stack, set up the same way for
// every end-to-end file: its own build of the page, the stack with DynamoDB Local in memory and the server's clock
// fixed, one browser; each page a fresh browser profile whose clock is the server's, so the pane counts days from
// the same day.
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, expect, vi } from 'vitest';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { ensureBrowserBuild } from '../../addin/browser/build';
import { startLocalStack, type LocalStack } from '../../infra/local/stack';
import { launchBrowser } from './browser';

export const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
/** Two cores shared by the whole suite: waits are generous, never the thing under test. */
export const SLOW = { timeout: 60_000, interval: 200 };

export interface Viewport {
  width: number;
  height: number;
}

export interface OpenOptions {
  viewport?: Viewport;
  /** Called before the page loads, to listen from the first request on. */
  watch?: (page: Page) => void;
}

export interface PaneSession {
  /** The running local stack (from the file's beforeAll on). */
  readonly stack: LocalStack;
  /** Every message Chromium printed about the page's Content-Security-Policy (infra/local/posture.ts). */
  readonly cspViolations: string[];
  /** A fresh browser profile on the page, not signed in. */
  open(options?: OpenOptions): Promise<Page>;
  /** A fresh browser profile signed in with the unit's demo token, on the 填报 tab. */
  signIn(unit: string, options?: OpenOptions): Promise<Page>;
}

/**
 * Sets up the stack and the browser for the calling test file (beforeAll/afterAll) and returns how its tests open
 * pages. `name` keeps the file's build of the page apart from other files' and other checkouts' (tests build at the
 * same time, and `npm start` may be rebuilding dist/browser).
 */
export function paneSession(name: string, now: Date): PaneSession {
  // Each test waits on several slow steps in a row.
  vi.setConfig({ testTimeout: 300_000 });
  let stack: LocalStack | undefined;
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];
  const cspViolations: string[] = [];

  beforeAll(async () => {
    const checkout = createHash('sha256')
      .update(join(import.meta.dirname, '..', '..'))
      .digest('hex')
      .slice(0, 12);
    const staticDir = await ensureBrowserBuild({ outDir: join(tmpdir(), `baosong-e2e-${name}-${checkout}`) });
    stack = await startLocalStack({ port: 0, inMemory: true, quiet: true, staticDir, now: () => now });
    browser = await launchBrowser();
  }, 300_000);

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await stack?.stop();
  });

  const running = (): { stack: LocalStack; browser: Browser } => {
    if (!stack || !browser) throw new Error('paneSession: the stack is not running (used outside a test?)');
    return { stack, browser };
  };

  const open = async ({ viewport = { width: 1440, height: 900 }, watch }: OpenOptions = {}): Promise<Page> => {
    const { stack, browser } = running();
    const context = await browser.newContext({ viewport, acceptDownloads: true, locale: 'zh-CN' });
    contexts.push(context);
    await context.clock.setFixedTime(now);
    const page = await context.newPage();
    page.setDefaultTimeout(60_000);
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) cspViolations.push(message.text());
    });
    watch?.(page);
    await page.goto(`${stack.apiUrl}/`);
    return page;
  };

  return {
    get stack() {
      return running().stack;
    },
    cspViolations,
    open,
    async signIn(unit, options) {
      const page = await open(options);
      await page.getByLabel('访问令牌').fill(running().stack.tokens[unit]!);
      await page.getByRole('button', { name: '连接' }).click();
      await page.getByRole('tab', { name: '填报' }).waitFor();
      return page;
    },
  };
}

/** Hands the page's upload control a .xlsx file and waits until the page shows its name. */
export async function upload(page: Page, name: string, bytes: Uint8Array): Promise<void> {
  await page.getByTestId('upload').setInputFiles({ name, mimeType: XLSX, buffer: Buffer.from(bytes) });
  await expect.poll(() => page.locator('.file-name').textContent(), SLOW).toBe(name);
}

/** Waits until `button` can be pressed. */
export async function enabled(button: Locator): Promise<Locator> {
  await expect.poll(() => button.isEnabled(), SLOW).toBe(true);
  return button;
}

/** Presses the button that downloads a workbook and reads the file the browser saved. */
export async function download(page: Page, button: string): Promise<{ fileName: string; workbook: ExcelJS.Workbook }> {
  const [file] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: button, exact: true }).click(),
  ]);
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(await file.path());
  return { fileName: file.suggestedFilename(), workbook };
}

/** The cells the page marks as wrong (their addresses, e.g. `H6`). */
export const markedCells = (page: Page): Promise<string[]> =>
  page.locator('td[data-mark="error"]').evaluateAll((cells) => cells.map((c) => c.getAttribute('data-cell') ?? ''));
