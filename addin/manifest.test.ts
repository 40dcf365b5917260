// The manifest Excel sideloads: valid against Microsoft's XSDs (offline, ../shared/tools/validate-manifest), and
// every file it names is one this repository ships, at the size it claims.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { MIN_EXCEL_API } from './taskpane/start';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** `../shared` beside the checkout; a git worktree finds it beside the main checkout (its common git dir). */
function sharedDir(): string {
  const beside = resolve(root, '../shared');
  if (existsSync(beside)) return beside;
  const git = spawnSync('git', ['rev-parse', '--path-format=absolute', '--git-common-dir'], {
    cwd: root,
    encoding: 'utf8',
  });
  return resolve(dirname(git.stdout.trim()), '../shared');
}

const validator = join(sharedDir(), 'tools/validate-manifest');
const manifestPath = join(root, 'manifest.xml');
const manifest = readFileSync(manifestPath, 'utf8');

function validate(file: string) {
  const r = spawnSync(validator, [file], { encoding: 'utf8' });
  return { code: r.status, output: `${r.stdout}${r.stderr}` };
}

describe('manifest.xml', () => {
  // xmllint comes with the pretest step (infra/local/ensure-tools.sh test), so the XSD check always runs.
  it('validates against the Office add-in XSDs', () => {
    expect(existsSync(validator)).toBe(true);
    const { code, output } = validate(manifestPath);
    expect({ code, output }).toEqual({ code: 0, output: expect.stringContaining('validates') });
  });

  it('is rejected by the same validator when broken, so the check above means something', () => {
    const broken = join(mkdtempSync(join(tmpdir(), 'manifest-')), 'manifest.xml');
    writeFileSync(
      broken,
      manifest.replace('<Permissions>ReadWriteDocument</Permissions>', '<Permissions>Everything</Permissions>'),
    );
    expect(validate(broken).code).toBe(1);
  });

  it('requires ExcelApi 1.13, the version the pane checks for at start (taskpane/start.ts)', () => {
    // Below it: Office 2016/2019 and Microsoft 365 before version 2102 — builds that show add-ins in Internet
    // Explorer 11 or the old Edge, which cannot run the pane, and lack getMergedAreasOrNullObject.
    expect(manifest).toContain(`<Set Name="ExcelApi" MinVersion="${MIN_EXCEL_API}"/>`);
    expect(MIN_EXCEL_API).toBe('1.13');
  });

  it('is a Chinese Excel task pane opened from a ribbon button', () => {
    expect(manifest).toContain('<Host Name="Workbook"/>');
    expect(manifest).toContain('<DefaultLocale>zh-CN</DefaultLocale>');
    expect(manifest).toContain('<DisplayName DefaultValue="报送"/>');
    expect(manifest).toMatch(/<Action xsi:type="ShowTaskpane">[\s\S]*<SourceLocation resid="Taskpane.Url"\/>/);
  });

  it('names only files the build ships, from the dev server https://localhost:3000', () => {
    const urls = [...manifest.matchAll(/DefaultValue="(https:[^"]+)"/g)].map((m) => m[1]);
    expect(urls.length).toBeGreaterThan(5);
    for (const url of urls) {
      const { origin, pathname } = new URL(url);
      expect(origin).toBe('https://localhost:3000');
      const file = pathname.slice(1);
      const source = file.startsWith('assets/') ? join(root, 'addin', file) : join(root, 'addin', 'taskpane', file);
      expect(existsSync(source), `${url} → ${source}`).toBe(true);
    }
  });

  it('declares each icon at the size its PNG really has', () => {
    const sizes = [...new Set([...manifest.matchAll(/assets\/icon-(\d+)\.png/g)].map((m) => Number(m[1])))];
    expect(sizes.sort((a, b) => a - b)).toEqual([16, 32, 64, 80]);
    for (const size of sizes) {
      const png = readFileSync(join(root, 'addin/assets', `icon-${size}.png`));
      expect(png.subarray(1, 4).toString('ascii')).toBe('PNG');
      expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([size, size]);
    }
  });
});
