// `npm run synth` for real: the cdk CLI runs app.ts, cdk-nag and esbuild, with no AWS credentials and no
// network (a dead proxy makes any request fail). The only test that bundles; the others skip it.
import { execFile } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  symlinkSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handlerGroups, type HandlerGroup } from '../../functions/routes.js';
import { build } from 'esbuild';
import { buildLayer, esbuildOptions, LAYERS, type LayerName } from './bundling.js';
import { REPO_ROOT } from './stack.js';

const run = promisify(execFile);
const groups = Object.keys(handlerGroups) as HandlerGroup[];

function offlineEnv(): NodeJS.ProcessEnv {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !k.startsWith('AWS_') && !k.startsWith('CDK_')),
  );
  return {
    ...env,
    HTTPS_PROXY: 'http://127.0.0.1:9',
    HTTP_PROXY: 'http://127.0.0.1:9',
    AWS_EC2_METADATA_DISABLED: 'true',
  };
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
  /** The built exceljs layer (the zip's root: nodejs/node_modules/…). */
  let layerDir: string;
  let layerId: string;

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
    // (aws-cdk-lib adds its own AWS CLI layer for uploading the pane when dist/addin exists.)
    const layers = Object.entries(template.Resources).filter(
      ([, r]) => r.Type === 'AWS::Lambda::LayerVersion' && r.Properties.Description === LAYERS.exceljs.description,
    );
    expect(layers, 'one exceljs layer').toHaveLength(1);
    layerId = layers[0]![0];
    layerDir = join(outdir, `asset.${String(layers[0]![1].Properties.Content.S3Key).replace(/\.zip$/, '')}`);
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
    const dir = mkdtempSync(join(tmpdir(), 'baosong-synth-'));
    const failed = await cdkSynth(dir, ['-c', 'addinDomainName=baosong.example.gov.cn'])
      .then(
        () => null,
        (e: { stderr: string }) => e,
      )
      .finally(() => rmSync(dir, { recursive: true, force: true }));
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
      expect(
        sources.filter((s) => /@aws-sdk|@smithy/.test(s)),
        group,
      ).toEqual([]);
      expect(text, group).toMatch(/from\s*"@aws-sdk\/client-dynamodb"/);
      expect(text, group).not.toMatch(/from\s*"zod/);
      expect(
        sources.some((s) => s.includes('functions/handlers/')),
        group,
      ).toBe(true);
    }
    // The server re-validates every submission with forms/ (DESIGN §3), so it must travel in the bundle.
    const submissions: string[] = JSON.parse(readFileSync(join(assetDir.submissions, 'index.mjs.map'), 'utf8')).sources;
    expect(
      submissions.some((s) => /(^|\/)forms\//.test(s)),
      'submissions bundles forms/',
    ).toBe(true);
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

  it('builds the exceljs layer offline as nodejs/node_modules/<package>/, one minified file each', () => {
    const packages = LAYERS.exceljs.packages;
    expect(filesUnder(layerDir)).toEqual(
      packages.flatMap((p) => [`nodejs/node_modules/${p}/index.js`, `nodejs/node_modules/${p}/package.json`]).sort(),
    );
    for (const pkg of packages) {
      const dir = join(layerDir, 'nodejs', 'node_modules', pkg);
      const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
      const installed = JSON.parse(readFileSync(join(REPO_ROOT, 'node_modules', pkg, 'package.json'), 'utf8'));
      expect(manifest).toMatchObject({ name: pkg, version: installed.version, main: 'index.js' });
      const code = readFileSync(join(dir, 'index.js'), 'utf8');
      expect((code.match(/\s/g) ?? []).length / code.length, `${pkg} whitespace share`).toBeLessThan(0.06);
    }
    // ExcelJS finds JSZip next to it in the layer instead of carrying a second copy.
    const excel = readFileSync(join(layerDir, 'nodejs', 'node_modules', 'exceljs', 'index.js'), 'utf8');
    expect(excel).toMatch(/require\("jszip"\)/);
    expect(statSync(join(layerDir, 'nodejs', 'node_modules', 'exceljs', 'index.js')).size).toBeGreaterThan(500_000);
  });

  it('builds the layer byte-for-byte as the benchmark and the Lambda-layout test do, from the shared options', async () => {
    const bench = join(outdir, 'bench-layer');
    await buildLayer('exceljs', bench, REPO_ROOT);
    expect(filesUnder(bench)).toEqual(filesUnder(layerDir));
    for (const file of filesUnder(layerDir)) {
      expect(readFileSync(join(bench, file)).equals(readFileSync(join(layerDir, file))), file).toBe(true);
    }
  });

  it('gives the layer exactly to the functions whose bundles import its packages, and nothing else is missing', async () => {
    const packagesOf = (layers: readonly LayerName[]) => new Set(layers.flatMap((l) => LAYERS[l].packages));
    for (const group of groups) {
      const fn = Object.values(template.Resources).find(
        (r) => r.Type === 'AWS::Lambda::Function' && String(r.Properties.Description).startsWith(`baosong ${group}:`),
      )!;
      const attached: string[] = (fn.Properties.Layers ?? []).map((l: { Ref: string }) => l.Ref);
      const layers = handlerGroups[group].layers ?? [];
      expect(attached, group).toEqual(layers.map(() => layerId));

      const { metafile } = await build({
        ...esbuildOptions(join(REPO_ROOT, handlerGroups[group].entry), join(outdir, `imports-${group}`, 'index.mjs')),
        metafile: true,
      });
      const external = Object.values(metafile.outputs)
        .flatMap((o) => o.imports)
        .filter((i) => i.external && !i.path.startsWith('node:') && !i.path.startsWith('@aws-sdk/'))
        .map((i) => i.path);
      // Whatever the bundle leaves out, an attached layer provides; an attached layer is actually used.
      expect(
        external.filter((p) => !packagesOf(layers).has(p)),
        group,
      ).toEqual([]);
      for (const layer of layers)
        expect(
          external.some((p) => packagesOf([layer]).has(p)),
          `${group} uses ${layer}`,
        ).toBe(true);
    }
  });

  // 250 KB keeps cold starts short; the request and campaign schemas use zod/mini for that (full zod is ~430 KB).
  it('keeps every function bundle within 250 KB: ExcelJS and its dependencies stay in the layer', () => {
    for (const group of groups) {
      const code = join(assetDir[group], 'index.mjs');
      expect(statSync(code).size, group).toBeLessThanOrEqual(250 * 1024);
      const sources: string[] = JSON.parse(readFileSync(`${code}.map`, 'utf8')).sources;
      expect(
        sources.filter((s) => /node_modules\/(exceljs|jszip|pako|unzipper|archiver)\//.test(s)),
        group,
      ).toEqual([]);
    }
    // The .xlsx code itself is in the bundle, loaded by `import()` only on an .xlsx request.
    const prefecture: string[] = JSON.parse(readFileSync(join(assetDir.prefecture, 'index.mjs.map'), 'utf8')).sources;
    expect(prefecture.some((s) => s.includes('functions/xlsx/routes'))).toBe(true);
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

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)))
    .sort();
}

const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

// Runs in a fresh Node process from the emulated /var/task: imports the deployed bundle and calls its handler
// with a store that knows one prefecture token and holds nothing else (no DynamoDB needed).
const INVOKE = `
const { createHandler } = await import(process.argv[1]);
const unit = { id: 'huangnan', name: '黄南州', role: 'prefecture', order: 0, createdAt: '2019-01-01T00:00:00.000Z' };
const known = {
  getTokenByHash: async () => ({ id: 't1', hash: 'h', unit: unit.id, role: 'prefecture', createdAt: unit.createdAt, revoked: false }),
  getUnit: async () => unit,
  getUnits: async (ids) => ids.map((id) => (id === unit.id ? unit : null)),
  listUnits: async () => [unit],
};
const store = new Proxy(known, { get: (t, k) => t[k] ?? (async () => (String(k).startsWith('list') ? [] : null)) });
const handler = createHandler(() => ({ store, now: () => new Date('2019-11-01T02:00:00.000Z'), log: (e) => process.stderr.write(JSON.stringify(e) + '\\n') }));
process.stdout.write(JSON.stringify(await handler(JSON.parse(process.argv[2]))));`;

function apiEvent(
  routeKey: string,
  opts: { path?: Record<string, string>; query?: Record<string, string>; contentType?: string; body?: Buffer } = {},
) {
  const [method, rawPath] = routeKey.split(' ');
  return {
    version: '2.0',
    routeKey,
    rawPath,
    rawQueryString: new URLSearchParams(opts.query).toString(),
    headers: { authorization: 'Bearer test-token', ...(opts.contentType ? { 'content-type': opts.contentType } : {}) },
    pathParameters: opts.path,
    queryStringParameters: opts.query,
    requestContext: { http: { method, path: rawPath }, requestId: 'layer-test' },
    body: opts.body?.toString('base64'),
    isBase64Encoded: Boolean(opts.body),
  };
}

describe('a function and its layer laid out as on Lambda (/var/task, /opt/nodejs/node_modules)', () => {
  // Built once with the deployed options, outside the repository so that nothing resolves from its node_modules.
  let root: string;
  const task = (group: HandlerGroup) => join(root, 'var', `task-${group}`);

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'baosong-lambda-'));
    const opt = join(root, 'opt');
    await buildLayer('exceljs', opt, REPO_ROOT);
    for (const group of ['prefecture', 'submissions'] as const) {
      await build(esbuildOptions(join(REPO_ROOT, handlerGroups[group].entry), join(task(group), 'index.mjs')));
    }
    // Lambda's Node.js resolves bare ES module imports through NODE_PATH (/opt/nodejs/node_modules, then the
    // runtime's own modules); plain Node only looks in node_modules folders above the importing file. A
    // node_modules above /var/task whose entries link to the layer and to the AWS SDK (the runtime's part)
    // stands in for that. The "without the layer" case gets the SDK only.
    const withLayer = join(root, 'var', 'node_modules');
    mkdirSync(join(withLayer, '@aws-sdk'), { recursive: true });
    for (const pkg of LAYERS.exceljs.packages)
      symlinkSync(join(opt, 'nodejs', 'node_modules', pkg), join(withLayer, pkg), 'dir');
    // The store's two SDK packages; the runtime's SDK holds both (the document client is lib-dynamodb).
    const linkSdk = (modules: string) => {
      mkdirSync(join(modules, '@aws-sdk'), { recursive: true });
      for (const pkg of ['client-dynamodb', 'lib-dynamodb'])
        symlinkSync(join(REPO_ROOT, 'node_modules', '@aws-sdk', pkg), join(modules, '@aws-sdk', pkg), 'dir');
    };
    linkSdk(withLayer);
    linkSdk(join(root, 'bare', 'node_modules'));
    cpSync(task('prefecture'), join(root, 'bare', 'task'), { recursive: true });
  }, 60_000);

  afterAll(() => {
    if (root) rmSync(root, { recursive: true, force: true });
  });

  async function invoke(bundle: string, event: object, nodePath: string) {
    const { stdout, stderr } = await run(
      process.execPath,
      ['--enable-source-maps', '--input-type=module', '-e', INVOKE, bundle, JSON.stringify(event)],
      {
        cwd: root,
        env: {
          PATH: process.env.PATH,
          NODE_PATH: nodePath,
          TABLE_NAME: 'baosong-layer-test',
          AWS_REGION: 'cn-northwest-1',
        },
      },
    );
    const result = JSON.parse(stdout);
    const body =
      result.body === undefined ? undefined : Buffer.from(result.body, result.isBase64Encoded ? 'base64' : 'utf8');
    return { ...result, body, log: stderr };
  }
  const nodePath = () => join(root, 'opt', 'nodejs', 'node_modules');

  it('writes the consolidated table as .xlsx with ExcelJS taken from the layer', async () => {
    const event = apiEvent('GET /v1/consolidated/{form}', {
      path: { form: 'fujian2' },
      query: { format: 'xlsx', round: '2019-11-04' },
    });
    const result = await invoke(join(task('prefecture'), 'index.mjs'), event, nodePath());
    expect(result.statusCode, result.body?.toString()).toBe(200);
    expect(result.headers['content-type']).toBe(XLSX_MIME);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(result.body);
    const text = workbook.worksheets.flatMap((ws) => ws.getSheetValues().flat()).join(' ');
    expect(text).toContain('附件2');
    expect(text).toContain('黄南州');
  });

  it('reads an uploaded .xlsx with the layer and answers in Chinese what is wrong with it', async () => {
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet('随便').getCell('A1').value = '这不是附件';
    const body = Buffer.from(await workbook.xlsx.writeBuffer());
    const event = apiEvent('POST /v1/submissions', { contentType: XLSX_MIME, body, query: { form: 'fujian1' } });
    const result = await invoke(join(task('submissions'), 'index.mjs'), event, nodePath());
    expect(result.statusCode, result.body?.toString()).toBe(422);
    const answer = JSON.parse(result.body.toString());
    // Only reading the sheet's cells (ExcelJS, JSZip) can tell that the 附件1 header is missing.
    expect(answer.error.message).toContain('没有找到附件1的表头');
    expect(answer.error.issues.map((i: { code: string }) => i.code)).toEqual(['header.not_found']);
  });

  it('without the layer, JSON requests are still answered and only the .xlsx download fails, on ExcelJS', async () => {
    const bundle = join(root, 'bare', 'task', 'index.mjs');
    const json = await invoke(
      bundle,
      apiEvent('GET /v1/consolidated/{form}', { path: { form: 'fujian2' }, query: { round: '2019-11-04' } }),
      '',
    );
    expect(json.statusCode, json.body?.toString()).toBe(200);
    expect(JSON.parse(json.body.toString()).form).toBe('fujian2');
    const xlsx = await invoke(
      bundle,
      apiEvent('GET /v1/consolidated/{form}', {
        path: { form: 'fujian2' },
        query: { format: 'xlsx', round: '2019-11-04' },
      }),
      '',
    );
    expect(xlsx.statusCode).toBe(500);
    expect(xlsx.log).toMatch(/Cannot find (package|module) 'exceljs'/);
  });
});
