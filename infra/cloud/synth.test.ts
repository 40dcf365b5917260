// `npm run synth` for real: the cdk CLI runs app.ts, cdk-nag and esbuild, with no AWS credentials and no
// network (a dead proxy makes any request fail). The only test that bundles; the others skip it.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handlerGroups, type HandlerGroup } from '../../functions/routes.js';
import { build } from 'esbuild';
import { esbuildOptions } from './bundling.js';
import { REPO_ROOT } from './stack.js';

const run = promisify(execFile);
const groups = Object.keys(handlerGroups) as HandlerGroup[];

function offlineEnv(): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('AWS_') && !k.startsWith('CDK_')));
  return { ...env, HTTPS_PROXY: 'http://127.0.0.1:9', HTTP_PROXY: 'http://127.0.0.1:9', AWS_EC2_METADATA_DISABLED: 'true' };
}

function cdkSynth(outdir: string, extraArgs: string[] = []) {
  const args = ['cdk', 'synth', '--app', 'tsx infra/cloud/app.ts', '-q', '-o', outdir, ...extraArgs];
  return run('npx', args, { cwd: REPO_ROOT, env: offlineEnv() });
}

describe('npm run synth (cdk CLI, app.ts, cdk-nag, esbuild)', () => {
  // Inside the repository so that the bundles resolve @aws-sdk/* from node_modules, as the Lambda runtime would.
  const parent = join(REPO_ROOT, 'dist');
  let outdir: string;
  let template: { Resources: Record<string, { Type: string; Properties: Record<string, any> }> };
  const assetDir = {} as Record<HandlerGroup, string>;

  beforeAll(async () => {
    mkdirSync(parent, { recursive: true });
    outdir = mkdtempSync(join(parent, 'cdk-synth-test-'));
    await cdkSynth(outdir);
    template = JSON.parse(readFileSync(join(outdir, 'Baosong.template.json'), 'utf8'));
    const functions = Object.values(template.Resources).filter((r) => r.Type === 'AWS::Lambda::Function');
    for (const group of groups) {
      const fn = functions.find((r) => String(r.Properties.Description).startsWith(`baosong ${group}:`));
      const key: string = fn!.Properties.Code.S3Key;
      assetDir[group] = join(outdir, `asset.${key.replace(/\.zip$/, '')}`);
    }
  }, 180_000);

  afterAll(() => {
    if (outdir) rmSync(outdir, { recursive: true, force: true });
  });

  it('synthesizes an env-agnostic stack with termination protection and no CDK version-reporting resource', () => {
    const manifest = JSON.parse(readFileSync(join(outdir, 'manifest.json'), 'utf8'));
    expect(manifest.artifacts.Baosong.properties.terminationProtection).toBe(true);
    expect(manifest.artifacts.Baosong.environment).toBe('aws://unknown-account/unknown-region');
    const types = Object.values(template.Resources).map((r) => r.Type);
    expect(types).toContain('AWS::DynamoDB::Table');
    expect(types).not.toContain('AWS::CDK::Metadata');
  });

  it('stops with a Chinese message when only half of the own-domain settings is given', async () => {
    const failed = await cdkSynth(mkdtempSync(join(tmpdir(), 'baosong-synth-')), ['-c', 'addinDomainName=baosong.example.gov.cn']).then(
      () => null,
      (e: { stderr: string }) => e,
    );
    expect(failed?.stderr).toContain('addinDomainName=… 与 -c addinCertificateArn=… 须同时提供');
  });

  it('writes an ESM bundle with a source map for every function, UTF-8 Chinese kept readable', () => {
    for (const group of groups) {
      const code = join(assetDir[group], 'index.mjs');
      expect(existsSync(code), `${group}: index.mjs`).toBe(true);
      expect(existsSync(`${code}.map`), `${group}: index.mjs.map`).toBe(true);
      const text = readFileSync(code, 'utf8');
      expect(text, group).toMatch(/export\s*\{[^}]*\bas handler\b/);
      expect(text, group).toMatch(/\/\/# sourceMappingURL=index\.mjs\.map\s*$/);
      // Error messages are Chinese; as \uXXXX escapes they would cost six bytes a character instead of three.
      expect(text, group).toMatch(/[\u4e00-\u9fff]/);
      expect(text, group).not.toMatch(/\\u[4-9][0-9A-F]{3}/);
    }
  });

  it('leaves the AWS SDK to the runtime and bundles everything else (forms/, zod)', () => {
    for (const group of groups) {
      const text = readFileSync(join(assetDir[group], 'index.mjs'), 'utf8');
      const sources: string[] = JSON.parse(readFileSync(join(assetDir[group], 'index.mjs.map'), 'utf8')).sources;
      expect(sources.filter((s) => /@aws-sdk|@smithy/.test(s)), group).toEqual([]);
      expect(text, group).toMatch(/from\s*"@aws-sdk\/client-dynamodb"/);
      expect(text, group).not.toMatch(/from\s*"zod/);
      expect(sources.some((s) => s.includes('functions/handlers/')), group).toBe(true);
    }
    // The server re-validates every submission with forms/ (DESIGN §3), so it must travel in the bundle.
    const submissions: string[] = JSON.parse(readFileSync(join(assetDir.submissions, 'index.mjs.map'), 'utf8')).sources;
    expect(submissions.some((s) => /(^|\/)forms\//.test(s)), 'submissions bundles forms/').toBe(true);
  });

  it('is minified, and byte-for-byte what the bundle benchmark builds from the shared options', async () => {
    await Promise.all(
      groups.map(async (group) => {
        const deployed = readFileSync(join(assetDir[group], 'index.mjs'), 'utf8');
        // esbuild's readable output is about 30% whitespace; minified code is about 3%.
        const whitespace = (deployed.match(/\s/g) ?? []).length / deployed.length;
        expect(whitespace, `${group} whitespace share`).toBeLessThan(0.06);

        const benchFile = join(outdir, `bench-${group}`, 'index.mjs');
        await build(esbuildOptions(join(REPO_ROOT, handlerGroups[group].entry), benchFile));
        expect(readFileSync(benchFile, 'utf8'), group).toBe(deployed);
      }),
    );
  });

  it('loads in a fresh Node process and answers an unauthenticated request with 401 in Chinese', async () => {
    const script = `
      const { handler } = await import(${JSON.stringify(join(assetDir.me, 'index.mjs'))});
      const event = { version: '2.0', routeKey: 'GET /v1/me', rawPath: '/v1/me', rawQueryString: '',
        headers: {}, requestContext: { http: { method: 'GET', path: '/v1/me' }, requestId: 'test' }, isBase64Encoded: false };
      process.stdout.write(JSON.stringify(await handler(event)));`;
    const { stdout } = await run(process.execPath, ['--enable-source-maps', '--input-type=module', '-e', script], {
      cwd: REPO_ROOT,
      env: { ...process.env, TABLE_NAME: 'baosong-bundle-test', AWS_REGION: 'cn-northwest-1' },
    });
    const result = JSON.parse(stdout);
    expect(result.statusCode).toBe(401);
    const body = JSON.parse(result.isBase64Encoded ? Buffer.from(result.body, 'base64').toString() : result.body);
    expect(body.error.message).toMatch(/[\u4e00-\u9fff]/);
  });
});
