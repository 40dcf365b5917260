// `npm run build:addin`: what gets deployed must hold every file the manifest names, with relative asset paths
// so it works from any origin or folder, and without ExcelJS in the pane.
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { build } from 'vite';
import { fileURLToPath } from 'node:url';

const configFile = fileURLToPath(new URL('./vite.config.ts', import.meta.url));
const manifest = readFileSync(fileURLToPath(new URL('../manifest.xml', import.meta.url)), 'utf8');
let out: string;

beforeAll(async () => {
  out = mkdtempSync(join(tmpdir(), 'baosong-addin-'));
  await build({ configFile, logLevel: 'silent', build: { outDir: out, emptyOutDir: true } });
}, 120_000);

describe('the built task pane', () => {
  it('contains every file the manifest points at', () => {
    const files = [...manifest.matchAll(/DefaultValue="https:\/\/localhost:3000\/([^"?#]+)"/g)].map((m) => m[1]);
    expect(files).toEqual(
      expect.arrayContaining(['taskpane.html', 'commands.html', 'assets/icon-16.png', 'assets/icon-80.png']),
    );
    for (const f of files) expect(existsSync(join(out, f)), f).toBe(true);
  });

  it('refers to its scripts by relative paths', () => {
    const html = readFileSync(join(out, 'taskpane.html'), 'utf8');
    const srcs = [...html.matchAll(/(?:src|href)="([^"]+)"/g)]
      .map((m) => m[1])
      .filter((s) => !s.startsWith('https://appsforoffice'));
    expect(srcs.length).toBeGreaterThan(0);
    for (const s of srcs) expect(s).toMatch(/^\.\/assets\//);
  });

  it('leaves ExcelJS out of the pane', () => {
    const js = readdirSync(join(out, 'assets')).filter((f) => f.endsWith('.js'));
    for (const f of js) expect(readFileSync(join(out, 'assets', f), 'utf8')).not.toMatch(/exceljs|ExcelJS/);
  });
});
