import { execFile, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { OfficeAddinManifest } from 'office-addin-manifest';
import { addinUrlProblem, DEV_ORIGIN, PRODUCTION_ADDIN_ID, productionManifest } from './manifest.js';
import { REPO_ROOT } from './stack.js';

const run = promisify(execFile);
const devManifestPath = join(REPO_ROOT, 'manifest.xml');
const devManifest = readFileSync(devManifestPath, 'utf8');
const cloudfront = 'https://d111111abcdef8.cloudfront.net';

/** Everything after the root element's start tag: the manifest's whole content, byte for byte. */
const content = (xml: string): string => xml.slice(xml.indexOf('  <Id>'));

describe('production manifest', () => {
  it('moves every URL of manifest.xml to the CloudFront origin, gives it its own Id, and changes nothing else', () => {
    const prod = productionManifest(devManifest, `${cloudfront}/`);
    expect(prod).not.toContain('localhost');
    expect(prod).toContain(`<SourceLocation DefaultValue="${cloudfront}/taskpane.html"/>`);
    expect(prod).toContain(`<bt:Url id="Commands.Url" DefaultValue="${cloudfront}/commands.html"/>`);
    expect(prod).toContain(`<AppDomain>${cloudfront}</AppDomain>`);
    expect(prod).toContain(`<Id>${PRODUCTION_ADDIN_ID}</Id>`);
    const devId = /<Id>([^<]+)<\/Id>/.exec(devManifest)![1]!;
    expect(devId).not.toBe(PRODUCTION_ADDIN_ID);
    const back = prod.replaceAll(cloudfront, DEV_ORIGIN).replace(PRODUCTION_ADDIN_ID, devId);
    expect(content(back)).toBe(content(devManifest));
    expect(prod.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<!-- 报送 Excel 加载项清单（正式版）')).toBe(true);
  });

  it('refuses a manifest without the dev origin, or one that is not XML, saying so in Chinese', () => {
    expect(() => productionManifest('<OfficeApp/>', 'https://d1.cloudfront.net')).toThrow(
      /没有找到开发地址 https:\/\/localhost:3000/,
    );
    expect(() => productionManifest('<OfficeApp><Id>', 'https://d1.cloudfront.net')).toThrow(
      /manifest.xml 不是有效的 XML/,
    );
  });

  it('tells the operator what to type when the URL is missing or wrong', () => {
    expect(addinUrlProblem(undefined)).toMatch(/缺少加载项地址.*AddinUrl/);
    expect(addinUrlProblem('d1.cloudfront.net')).toMatch(/不是有效的网址/);
    expect(addinUrlProblem('http://d1.cloudfront.net')).toMatch(/必须以 https:\/\/ 开头/);
    expect(addinUrlProblem('https://localhost:3000')).toMatch(/本机开发地址/);
    expect(addinUrlProblem('https://d1.cloudfront.net/taskpane.html')).toMatch(/不要带路径/);
    expect(addinUrlProblem('https://d111111abcdef8.cloudfront.net')).toBeNull();
  });

  it('npm run manifest:prod rejects a bad URL with a Chinese message and a non-zero exit', async () => {
    const err = await run('npx', ['tsx', 'infra/cloud/manifest-prod.ts', 'http://example.com'], {
      cwd: REPO_ROOT,
    }).catch((e: { code: number; stderr: string }) => e);
    expect(err).toMatchObject({ code: 1 });
    expect((err as { stderr: string }).stderr).toMatch(
      /必须以 https:\/\/ 开头[\s\S]*用法：npm run manifest:prod -- <AddinUrl>/,
    );
  });

  it('npm run manifest:prod writes a manifest that passes the Office XSDs and that Office tools read as the deployed pane', async () => {
    const { stdout } = await run('npx', ['tsx', 'infra/cloud/manifest-prod.ts', cloudfront], { cwd: REPO_ROOT });
    const target = join(REPO_ROOT, 'dist', 'manifest.prod.xml');
    expect(stdout).toContain(target);
    expect(stdout).toContain(`加载项 Id ${PRODUCTION_ADDIN_ID}，任务窗格 ${cloudfront}/taskpane.html`);
    // xmllint comes with the pretest step (infra/local/ensure-tools.sh test), so the XSD check always runs.
    const validator = spawnSync(join(REPO_ROOT, '..', 'shared', 'tools', 'validate-manifest'), [target], {
      encoding: 'utf8',
    });
    const verdict = { code: validator.status, output: `${validator.stdout}${validator.stderr}` };
    expect(verdict).toEqual({ code: 0, output: expect.stringContaining('validates') });

    // Read back with Microsoft's office-addin-manifest: the same add-in as in development, on the cloud origin.
    const dev = await OfficeAddinManifest.readManifestFile(devManifestPath);
    const prod = await OfficeAddinManifest.readManifestFile(target);
    const onCloud = (url: string | undefined) => url?.replace(DEV_ORIGIN, cloudfront);
    expect(prod).toEqual({
      ...dev,
      id: PRODUCTION_ADDIN_ID,
      iconUrl: onCloud(dev.iconUrl),
      highResolutionIconUrl: onCloud(dev.highResolutionIconUrl),
      supportUrl: onCloud(dev.supportUrl),
      appDomains: [cloudfront],
      defaultSettings: { ...dev.defaultSettings, sourceLocation: `${cloudfront}/taskpane.html` },
    });
  });
});
