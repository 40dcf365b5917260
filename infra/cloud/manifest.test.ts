import { execFile, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { addinUrlProblem, DEV_ORIGIN, productionManifest } from './manifest.js';
import { REPO_ROOT } from './stack.js';

const run = promisify(execFile);
const devManifest = [
  '<OfficeApp>',
  `  <IconUrl DefaultValue="${DEV_ORIGIN}/assets/icon-32.png"/>`,
  `  <AppDomains><AppDomain>${DEV_ORIGIN}</AppDomain></AppDomains>`,
  `  <SourceLocation DefaultValue="${DEV_ORIGIN}/taskpane.html"/>`,
  '</OfficeApp>',
].join('\n');

describe('production manifest', () => {
  it('points every dev-server URL at the CloudFront origin and changes nothing else', () => {
    const prod = productionManifest(devManifest, 'https://d111111abcdef8.cloudfront.net/');
    expect(prod).not.toContain('localhost');
    expect(prod).toContain('<SourceLocation DefaultValue="https://d111111abcdef8.cloudfront.net/taskpane.html"/>');
    expect(prod).toContain('<AppDomain>https://d111111abcdef8.cloudfront.net</AppDomain>');
    expect(prod.replaceAll('https://d111111abcdef8.cloudfront.net', DEV_ORIGIN)).toBe(devManifest);
  });

  it('refuses a manifest without the dev origin, saying so in Chinese', () => {
    expect(() => productionManifest('<OfficeApp/>', 'https://d1.cloudfront.net')).toThrow(
      /没有找到开发地址 https:\/\/localhost:3000/,
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

  it('npm run manifest:prod turns the real dev manifest into one that passes the Office XSDs', async () => {
    const url = 'https://d111111abcdef8.cloudfront.net';
    const { stdout } = await run('npx', ['tsx', 'infra/cloud/manifest-prod.ts', url], { cwd: REPO_ROOT });
    const target = join(REPO_ROOT, 'dist', 'manifest.prod.xml');
    expect(stdout).toContain(target);
    const prod = readFileSync(target, 'utf8');
    expect(prod).not.toContain('localhost');
    expect(prod).toContain(`<SourceLocation DefaultValue="${url}/taskpane.html"/>`);
    expect(prod).toContain(`<AppDomain>${url}</AppDomain>`);
    // xmllint comes with the pretest step (infra/local/ensure-tools.sh test), so the XSD check always runs.
    const validator = spawnSync(join(REPO_ROOT, '..', 'shared', 'tools', 'validate-manifest'), [target], {
      encoding: 'utf8',
    });
    const verdict = { code: validator.status, output: `${validator.stdout}${validator.stderr}` };
    expect(verdict).toEqual({ code: 0, output: expect.stringContaining('validates') });
  });
});
