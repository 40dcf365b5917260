import { Token, type Stack } from 'aws-cdk-lib';
import { Annotations, Match, type Template } from 'aws-cdk-lib/assertions';
import type { CfnElement } from 'aws-cdk-lib';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handlerGroups, routes, type HandlerGroup } from '../../functions/routes.js';
import { TTL_ATTRIBUTE } from '../../functions/store/schema.js';
import { tableDefinition } from '../../functions/store/table.js';
import { DEFAULT_THROTTLE } from './api.js';
import { WRITE_ACTIONS } from './functions.js';
import { CACHE_CONTROL, HASHED_FILES } from './hosting.js';
import { builtDirs, REPO_ROOT } from './stack.js';
import type { BaosongStack } from './stack.js';
import { synthStack } from './testing.js';

type Resources = Record<
  string,
  { Type: string; Properties: Record<string, any>; DeletionPolicy?: string; UpdateReplacePolicy?: string }
>;

const groups = Object.keys(handlerGroups) as HandlerGroup[];

function logicalId(stack: Stack, construct: { node: { defaultChild?: unknown } }): string {
  return stack.getLogicalId(construct.node.defaultChild as CfnElement);
}

function only(template: Template, type: string): [string, Resources[string]] {
  const found = Object.entries(template.findResources(type) as Resources);
  expect(found, `exactly one ${type}`).toHaveLength(1);
  return found[0]!;
}

/** Every IAM action granted to `roleId` by its inline policies, with the resources it is granted on. */
function grantsOf(template: Template, roleId: string): Array<{ actions: string[]; resource: unknown }> {
  const policies = Object.values(template.findResources('AWS::IAM::Policy') as Resources).filter((p) =>
    (p.Properties.Roles as unknown[]).some((r) => JSON.stringify(r) === JSON.stringify({ Ref: roleId })),
  );
  return policies.flatMap((p) =>
    (p.Properties.PolicyDocument.Statement as any[]).map((s) => ({
      actions: ([] as string[]).concat(s.Action),
      resource: s.Resource,
    })),
  );
}

describe('cloud stack (synthesized offline, no bundling)', () => {
  let stack: BaosongStack;
  let template: Template;
  let resources: Resources;

  beforeAll(() => {
    ({ stack, template } = synthStack());
    resources = template.toJSON().Resources;
  });

  it('is environment-agnostic, so synth needs no AWS account or network', () => {
    expect(stack.environment).toBe('aws://unknown-account/unknown-region');
    expect(Token.isUnresolved(stack.region)).toBe(true);
  });

  it('synthesizes without warnings from aws-cdk-lib', () => {
    expect(Annotations.fromStack(stack).findWarning('*', Match.anyValue())).toEqual([]);
    expect(Annotations.fromStack(stack).findError('*', Match.anyValue())).toEqual([]);
  });

  describe('the store table', () => {
    it('keeps every submission: PITR, retained on stack deletion and replacement, deletion protection', () => {
      const [, table] = only(template, 'AWS::DynamoDB::Table');
      expect(table.DeletionPolicy).toBe('Retain');
      expect(table.UpdateReplacePolicy).toBe('Retain');
      expect(table.Properties.PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
      expect(table.Properties.DeletionProtectionEnabled).toBe(true);
    });

    it('has the key schema, index and TTL attribute the store uses, on demand and encrypted with KMS', () => {
      // The same keys, index and attribute types the store creates on DynamoDB Local (functions/store/table.ts).
      const local = tableDefinition('baosong');
      template.hasResourceProperties('AWS::DynamoDB::Table', {
        BillingMode: local.BillingMode,
        KeySchema: local.KeySchema,
        GlobalSecondaryIndexes: local.GlobalSecondaryIndexes,
        AttributeDefinitions: Match.arrayEquals(local.AttributeDefinitions!),
        TimeToLiveSpecification: { AttributeName: TTL_ATTRIBUTE, Enabled: true },
        SSESpecification: { SSEEnabled: true },
      });
    });
  });

  describe('functions', () => {
    it('has one function per handler group of the route table, Node 22+/arm64, JSON logs kept six months', () => {
      const fns = template.findResources('AWS::Lambda::Function', {
        Properties: { Environment: { Variables: { TABLE_NAME: Match.anyValue() } } },
      }) as Resources;
      expect(Object.keys(fns)).toHaveLength(groups.length);
      for (const group of groups) {
        const fn = resources[logicalId(stack, stack.functions.byGroup[group])]!;
        expect(fn.Properties.Runtime).toMatch(/^nodejs(22|24)\.x$/);
        expect(fn.Properties.Architectures).toEqual(['arm64']);
        expect(fn.Properties.Handler).toBe('index.handler');
        expect(fn.Properties.Timeout).toBeLessThan(30);
        expect(fn.Properties.MemorySize).toBeGreaterThanOrEqual(256);
        expect(fn.Properties.LoggingConfig.LogFormat).toBe('JSON');
        const logGroup = resources[fn.Properties.LoggingConfig.LogGroup.Ref]!;
        expect(logGroup.Properties.RetentionInDays).toBe(180);
      }
    });

    it('passes the table name and turns on source maps', () => {
      const [tableId] = only(template, 'AWS::DynamoDB::Table');
      for (const group of groups) {
        const fn = resources[logicalId(stack, stack.functions.byGroup[group])]!;
        expect(fn.Properties.Environment.Variables).toEqual({
          TABLE_NAME: { Ref: tableId },
          NODE_OPTIONS: '--enable-source-maps',
        });
      }
    });

    it('grants each function exactly the table actions its group lists, and nothing on other resources', () => {
      const [tableId] = only(template, 'AWS::DynamoDB::Table');
      const tableArn = { 'Fn::GetAtt': [tableId, 'Arn'] };
      for (const group of groups) {
        const fn = resources[logicalId(stack, stack.functions.byGroup[group])]!;
        const roleId = fn.Properties.Role['Fn::GetAtt'][0];
        const grants = grantsOf(template, roleId);

        const onTable = grants.filter((g) => JSON.stringify(g.resource) === JSON.stringify(tableArn));
        expect(onTable.flatMap((g) => g.actions).sort(), group).toEqual([...handlerGroups[group].tableActions].sort());

        const onIndex = grants.filter((g) => JSON.stringify(g.resource).includes('/index/'));
        for (const g of onIndex) {
          expect(g.resource).toEqual({ 'Fn::Join': ['', [tableArn, '/index/gsi1']] });
          expect(
            g.actions.every((a) => handlerGroups[group].tableActions.includes(a)),
            group,
          ).toBe(true);
        }

        const logGroupArn = { 'Fn::GetAtt': [fn.Properties.LoggingConfig.LogGroup.Ref, 'Arn'] };
        const rest = grants.filter((g) => !onTable.includes(g) && !onIndex.includes(g));
        expect(rest, group).toEqual([
          { actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resource: logGroupArn },
          // X-Ray's two write actions have no resource-level permissions.
          { actions: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'], resource: '*' },
        ]);

        const role = resources[roleId]!;
        expect(role.Properties.ManagedPolicyArns, `${group} has no managed policies`).toBeUndefined();
      }
    });

    it("gives the exceljs layer (one, arm64, the functions' runtime) only to the groups that ask for it in routes.ts", () => {
      const layers = Object.entries(template.findResources('AWS::Lambda::LayerVersion') as Resources);
      expect(layers).toHaveLength(1);
      const [layerId, layer] = layers[0]!;
      expect(layer.Properties.CompatibleArchitectures).toEqual(['arm64']);
      expect(layer.Properties.Description).toMatch(/ExcelJS/);
      const users = groups.filter((g) => (handlerGroups[g].layers ?? []).includes('exceljs'));
      // The .xlsx routes: uploads (submissions) and consolidated downloads (prefecture); GET /v1/me has none.
      expect(users.sort()).toEqual(['prefecture', 'submissions']);
      for (const group of groups) {
        const fn = resources[logicalId(stack, stack.functions.byGroup[group])]!;
        expect(layer.Properties.CompatibleRuntimes).toEqual([fn.Properties.Runtime]);
        expect(fn.Properties.Layers ?? [], group).toEqual(users.includes(group) ? [{ Ref: layerId }] : []);
      }
    });

    it('lets the submissions function (it parses untrusted .xlsx) write only submission, pointer, idempotency and upload-part keys', () => {
      const [tableId] = only(template, 'AWS::DynamoDB::Table');
      const fn = resources[logicalId(stack, stack.functions.byGroup.submissions)]!;
      const policies = Object.values(template.findResources('AWS::IAM::Policy') as Resources).filter((p) =>
        (p.Properties.Roles as unknown[]).some(
          (r) => JSON.stringify(r) === JSON.stringify({ Ref: fn.Properties.Role['Fn::GetAtt'][0] }),
        ),
      );
      const statements = policies.flatMap((p) => p.Properties.PolicyDocument.Statement as any[]);
      const writes = statements.filter((st) => [].concat(st.Action).some((a: string) => WRITE_ACTIONS.has(a)));
      expect(writes).toHaveLength(1);
      expect([].concat(writes[0].Action).sort()).toEqual(
        ['dynamodb:BatchWriteItem', 'dynamodb:DeleteItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'].sort(),
      );
      expect(writes[0].Resource).toEqual({ 'Fn::GetAtt': [tableId, 'Arn'] });
      expect(writes[0].Condition).toEqual({
        'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['SUB#*', 'UNIT#*', 'IDEM#*', 'UPLOAD#*'] },
      });
      // Tokens, units and the campaign are out of its reach.
      for (const other of ['TOKEN#', 'UNITS', 'CONFIG'])
        expect(
          writes[0].Condition['ForAllValues:StringLike']['dynamodb:LeadingKeys'].some((k: string) =>
            other.startsWith(k.slice(0, -1)),
          ),
        ).toBe(false);
      // Reads stay unconditioned (it reads tokens to authenticate).
      expect(
        statements.filter(
          (st) => st.Condition === undefined && [].concat(st.Action).some((a: string) => WRITE_ACTIONS.has(a)),
        ),
      ).toEqual([]);
    });

    it('traces with X-Ray and logs the platform lines (START/REPORT) at INFO', () => {
      for (const group of groups) {
        const fn = resources[logicalId(stack, stack.functions.byGroup[group])]!;
        expect(fn.Properties.TracingConfig, group).toEqual({ Mode: 'Active' });
        expect(fn.Properties.LoggingConfig.SystemLogLevel, group).toBe('INFO');
        expect(fn.Properties.LoggingConfig.ApplicationLogLevel, group).toBe('INFO');
      }
    });

    it('does not grant write actions to the read-only groups', () => {
      const writes = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'];
      for (const group of groups) {
        const fn = resources[logicalId(stack, stack.functions.byGroup[group])]!;
        const granted = grantsOf(template, fn.Properties.Role['Fn::GetAtt'][0]).flatMap((g) => g.actions);
        const expectedWrites = handlerGroups[group].tableActions.filter((a) => writes.includes(a));
        expect(granted.filter((a) => writes.includes(a)).sort(), group).toEqual(expectedWrites.sort());
      }
    });
  });

  describe('HTTP API', () => {
    it('routes every entry of the route table to the function of its group, payload format 2.0', () => {
      const routeResources = Object.values(template.findResources('AWS::ApiGatewayV2::Route') as Resources);
      expect(routeResources.map((r) => r.Properties.RouteKey).sort()).toEqual(
        routes.map((r) => `${r.method} ${r.path}`).sort(),
      );
      for (const route of routes) {
        const res = routeResources.find((r) => r.Properties.RouteKey === `${route.method} ${route.path}`)!;
        const integrationId = res.Properties.Target['Fn::Join'][1][1].Ref;
        const integration = resources[integrationId]!;
        expect(integration.Properties.PayloadFormatVersion).toBe('2.0');
        expect(integration.Properties.IntegrationUri).toEqual({
          'Fn::GetAtt': [logicalId(stack, stack.functions.byGroup[route.group]), 'Arn'],
        });
      }
    });

    it('throttles each route (the stage default route settings) and writes access logs without request bodies or tokens', () => {
      const [, stage] = only(template, 'AWS::ApiGatewayV2::Stage');
      expect(stage.Properties.StageName).toBe('$default');
      expect(stage.Properties.DefaultRouteSettings).toEqual({
        ThrottlingRateLimit: DEFAULT_THROTTLE.rateLimit,
        ThrottlingBurstLimit: DEFAULT_THROTTLE.burstLimit,
      });
      const logGroup = resources[stage.Properties.AccessLogSettings.DestinationArn['Fn::GetAtt'][0]]!;
      expect(logGroup.Type).toBe('AWS::Logs::LogGroup');
      expect(logGroup.Properties.RetentionInDays).toBe(180);
      const format = JSON.parse(stage.Properties.AccessLogSettings.Format);
      expect(format.requestId).toBe('$context.requestId');
      expect(format.status).toBe('$context.status');
      expect(stage.Properties.AccessLogSettings.Format).not.toMatch(
        /authorization|\$request\.body|\$context\.authorizer/i,
      );
    });

    it("allows browsers to call it only from the add-in's CloudFront origin", () => {
      const [, api] = only(template, 'AWS::ApiGatewayV2::Api');
      const [cdnId] = only(template, 'AWS::CloudFront::Distribution');
      const cors = api.Properties.CorsConfiguration;
      expect(cors.AllowOrigins).toEqual([{ 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [cdnId, 'DomainName'] }]] }]);
      expect(cors.AllowCredentials ?? false).toBe(false);
      expect(cors.AllowHeaders).toEqual(expect.arrayContaining(['authorization', 'content-type', 'idempotency-key']));
      expect(cors.ExposeHeaders).toContain('retry-after');
      expect(cors.AllowMethods.sort()).toEqual(['GET', 'POST']);
    });
  });

  describe('alarms', () => {
    const alarms = () => Object.values(template.findResources('AWS::CloudWatch::Alarm') as Resources);

    it('per function: errors, throttles, and a run past 80 % of its timeout, each mailed to the alarm topic', () => {
      const [topic] = only(template, 'AWS::SNS::Topic');
      for (const group of groups) {
        const fnId = logicalId(stack, stack.functions.byGroup[group]);
        const fn = resources[fnId]!;
        const of = alarms().filter((a) =>
          (a.Properties.Dimensions ?? []).some((d: any) => JSON.stringify(d.Value) === JSON.stringify({ Ref: fnId })),
        );
        const byMetric = Object.fromEntries(of.map((a) => [a.Properties.MetricName, a.Properties]));
        expect(Object.keys(byMetric).sort(), group).toEqual(['Duration', 'Errors', 'Throttles']);
        expect(byMetric.Errors.Threshold).toBe(1);
        expect(byMetric.Throttles.Threshold).toBe(1);
        expect(byMetric.Duration.Statistic).toBe('Maximum');
        expect(byMetric.Duration.Threshold).toBe(fn.Properties.Timeout * 1000 * 0.8);
        for (const a of of) {
          expect(a.Properties.AlarmActions).toEqual([{ Ref: topic }]);
          expect(a.Properties.TreatMissingData).toBe('notBreaching');
        }
      }
    });

    it('the API: any 5xx, and any 429 (counted from the access log, which names the status)', () => {
      const [apiId] = only(template, 'AWS::ApiGatewayV2::Api');
      const fiveXx = alarms().find((a) => a.Properties.MetricName === '5xx')!;
      expect(fiveXx.Properties.Namespace).toBe('AWS/ApiGateway');
      expect(fiveXx.Properties.Dimensions).toEqual([{ Name: 'ApiId', Value: { Ref: apiId } }]);
      const [, filter] = only(template, 'AWS::Logs::MetricFilter');
      const [, stage] = only(template, 'AWS::ApiGatewayV2::Stage');
      expect(filter.Properties.LogGroupName).toEqual({
        Ref: stage.Properties.AccessLogSettings.DestinationArn['Fn::GetAtt'][0],
      });
      expect(filter.Properties.FilterPattern).toBe('{ $.status = 429 }');
      const transform = filter.Properties.MetricTransformations[0];
      const throttled = alarms().find((a) => a.Properties.MetricName === transform.MetricName)!;
      expect(throttled.Properties.Namespace).toBe(transform.MetricNamespace);
      expect(throttled.Properties.Threshold).toBe(1);
    });

    it('DynamoDB throttling on every operation the functions use', () => {
      const [tableId] = only(template, 'AWS::DynamoDB::Table');
      const table = alarms().find((a) => JSON.stringify(a.Properties.Metrics ?? []).includes('ThrottledRequests'))!;
      const metrics = table.Properties.Metrics.filter((m: any) => m.MetricStat);
      const operations = metrics.map(
        (m: any) => m.MetricStat.Metric.Dimensions.find((d: any) => d.Name === 'Operation').Value,
      );
      expect(operations.sort()).toEqual(
        ['BatchWriteItem', 'GetItem', 'PutItem', 'Query', 'TransactWriteItems', 'UpdateItem'].sort(),
      );
      for (const m of metrics)
        expect(m.MetricStat.Metric.Dimensions).toContainEqual({ Name: 'TableName', Value: { Ref: tableId } });
    });
  });

  describe('add-in hosting', () => {
    it('serves the private bucket through CloudFront with origin access control, HTTPS only', () => {
      const [cdnId, cdn] = only(template, 'AWS::CloudFront::Distribution');
      const [oacId, oac] = only(template, 'AWS::CloudFront::OriginAccessControl');
      const filesId = logicalId(stack, stack.hosting.bucket);
      const config = cdn.Properties.DistributionConfig;
      expect(config.DefaultCacheBehavior.ViewerProtocolPolicy).toBe('https-only');
      expect(config.DefaultRootObject).toBe('taskpane.html');
      expect(config.Origins).toHaveLength(1);
      expect(config.Origins[0].DomainName).toEqual({ 'Fn::GetAtt': [filesId, 'RegionalDomainName'] });
      expect(config.Origins[0].OriginAccessControlId).toEqual({ 'Fn::GetAtt': [oacId, 'Id'] });
      expect(config.Origins[0].S3OriginConfig.OriginAccessIdentity).toBe('');
      expect(oac.Properties.OriginAccessControlConfig).toMatchObject({
        OriginAccessControlOriginType: 's3',
        SigningBehavior: 'always',
        SigningProtocol: 'sigv4',
      });

      // Only this distribution may read the files.
      template.hasResourceProperties('AWS::S3::BucketPolicy', {
        Bucket: { Ref: filesId },
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Effect: 'Allow',
              Action: 's3:GetObject',
              Principal: { Service: 'cloudfront.amazonaws.com' },
              Condition: {
                StringEquals: {
                  'AWS:SourceArn': {
                    'Fn::Join': ['', Match.arrayWith([{ Ref: cdnId }])],
                  },
                },
              },
            }),
          ]),
        },
      });
    });

    it('has no public bucket: all public access blocked, no website hosting, no Allow to anyone', () => {
      const buckets = Object.values(template.findResources('AWS::S3::Bucket') as Resources);
      expect(buckets.length).toBeGreaterThan(0);
      for (const bucket of buckets) {
        expect(bucket.Properties.PublicAccessBlockConfiguration).toEqual({
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        });
        expect(bucket.Properties.WebsiteConfiguration).toBeUndefined();
        expect(bucket.Properties.BucketEncryption).toBeDefined();
      }
      for (const policy of Object.values(template.findResources('AWS::S3::BucketPolicy') as Resources)) {
        for (const statement of policy.Properties.PolicyDocument.Statement) {
          if (statement.Effect !== 'Allow') continue;
          expect(JSON.stringify(statement.Principal)).not.toMatch(/"\*"/);
        }
      }
    });

    it('deploys nothing into the bucket when neither the pane nor the browser page has been built', () => {
      template.resourceCountIs('Custom::CDKBucketDeployment', 0);
      expect(template.findOutputs('ManifestUrl')).toEqual({});
      expect(template.findOutputs('BrowserPageUrl')).toEqual({});
    });
  });

  it('outputs what the README tells the operator to use', () => {
    const outputs = template.toJSON().Outputs;
    expect(Object.keys(outputs)).toEqual(expect.arrayContaining(['ApiUrl', 'AddinUrl', 'TableName', 'Region']));
    const [tableId] = only(template, 'AWS::DynamoDB::Table');
    expect(outputs.TableName.Value).toEqual({ Ref: tableId });
    expect(outputs.Region.Value).toEqual({ Ref: 'AWS::Region' });
  });
});

describe('cloud stack with a built add-in', () => {
  const devManifest =
    '<?xml version="1.0" encoding="UTF-8"?><OfficeApp><SourceLocation DefaultValue="https://localhost:3000/taskpane.html"/>' +
    '<AppDomains><AppDomain>https://localhost:3000</AppDomain></AppDomains></OfficeApp>';

  const tempDirs: string[] = [];
  afterAll(() => {
    for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
  });

  function builtAddin(): { addinDistDir: string; browserDistDir: string; devManifestPath: string; outdir: string } {
    const dir = mkdtempSync(join(tmpdir(), 'baosong-addin-'));
    tempDirs.push(dir);
    const addinDistDir = join(dir, 'addin');
    mkdirSync(addinDistDir);
    writeFileSync(join(addinDistDir, 'taskpane.html'), '<!doctype html><title>报送</title>');
    const devManifestPath = join(dir, 'manifest.xml');
    writeFileSync(devManifestPath, devManifest);
    return {
      addinDistDir,
      browserDistDir: join(dir, 'browser-not-built'),
      devManifestPath,
      outdir: join(dir, 'cdk.out'),
    };
  }

  /** A built browser page (addin/browser/vite.config.ts writes index.html and assets/). */
  function withBrowserPage<T extends { addinDistDir: string }>(files: T): T & { browserDistDir: string } {
    const browserDistDir = join(files.addinDistDir, '..', 'browser');
    mkdirSync(join(browserDistDir, 'assets'), { recursive: true });
    writeFileSync(join(browserDistDir, 'index.html'), '<!doctype html><title>报送 · 网页版(WPS 用户)</title>');
    writeFileSync(join(browserDistDir, 'assets', 'index-abc123.js'), 'console.log(1)');
    return { ...files, browserDistDir };
  }

  /** The staged folder of each source of a deployment (asset zips are staged as cdk.out/asset.<hash>/). */
  function stagedSources(outdir: string, deployment: Resources[string]): string[] {
    return (deployment.Properties.SourceObjectKeys as string[]).map((key) =>
      join(outdir, `asset.${key.replace(/\.zip$/, '')}`),
    );
  }

  it('deploys the browser page for WPS users under /browser/ on the same distribution, with config.json', () => {
    const files = withBrowserPage(builtAddin());
    const { app, stack, template } = synthStack(files);
    app.synth();
    const all = template.findResources('Custom::CDKBucketDeployment') as Resources;
    // Per build: its hashed files (cached for good) and the rest (revalidated on every load).
    expect(Object.keys(all)).toHaveLength(4);
    const { rest: deployments, hashed } = byCaching(all);
    expect(
      Object.keys(hashed)
        .map((id) => all[id]!.Properties.DestinationBucketKeyPrefix)
        .sort(),
    ).toEqual(['browser/', undefined]);
    const [cdnId] = only(template, 'AWS::CloudFront::Distribution');
    const [paneDeployment, browserDeployment] = [
      Object.values(deployments).find((d) => d.Properties.DestinationBucketKeyPrefix === undefined)!,
      Object.values(deployments).find((d) => d.Properties.DestinationBucketKeyPrefix === 'browser/')!,
    ];
    expect(browserDeployment.Properties.DestinationBucketName).toEqual({ Ref: logicalId(stack, stack.hosting.bucket) });
    expect(browserDeployment.Properties.DistributionId).toEqual({ Ref: cdnId });
    expect(browserDeployment.Properties.DistributionPaths).toEqual(['/browser/*']);
    // Redeploying the pane prunes the pane's old files but must not delete the browser page.
    expect(paneDeployment.Properties.Exclude).toEqual(['browser/*', ...HASHED_FILES]);
    expect(paneDeployment.Properties.Prune).toBe(true);

    const staged = stagedSources(files.outdir, browserDeployment);
    const page = staged.find((d) => existsSync(join(d, 'index.html')))!;
    expect(readFileSync(join(page, 'index.html'), 'utf8')).toContain('网页版');
    expect(existsSync(join(page, 'assets', 'index-abc123.js'))).toBe(true);
    const config = JSON.parse(
      readFileSync(
        join(
          staged.find((d) => existsSync(join(d, 'config.json')))!,
          'config.json',
        ),
        'utf8',
      ),
    );
    const [apiId] = only(template, 'AWS::ApiGatewayV2::Api');
    const marker = (browserDeployment.Properties.SourceMarkers as Array<Record<string, unknown>>).find((m) =>
      JSON.stringify(m).includes(apiId),
    )!;
    expect(config.apiUrl).toBe(Object.keys(marker)[0]);

    expect(template.toJSON().Outputs.BrowserPageUrl.Value).toEqual({
      'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [cdnId, 'DomainName'] }, '/browser/index.html']],
    });
    // Both uploads run on the one upload function aws-cdk-lib creates (and cdk-nag's acknowledgements name).
    const uploaders = Object.values(template.findResources('AWS::Lambda::Function') as Resources).filter(
      (f) =>
        String(f.Properties.Handler).startsWith('index.handler') && !f.Properties.Environment?.Variables?.TABLE_NAME,
    );
    expect(uploaders).toHaveLength(1);
  });

  it('takes the pane and the browser page from where their builds write them, with relative paths (served under /browser/)', async () => {
    const pane = await import('../../addin/vite.config.js');
    const browser = await import('../../addin/browser/vite.config.js');
    expect(pane.paneOutDir).toBe(builtDirs(REPO_ROOT).addin);
    expect(browser.browserOutDir).toBe(builtDirs(REPO_ROOT).browser);
    expect((browser.default as { base?: string }).base).toBe('./');
  });

  it('Cache-Control: no-cache for taskpane.html, config.json and manifest.xml (Office webviews keep stale pages), a year and immutable for hashed scripts', () => {
    const files = withBrowserPage(builtAddin());
    mkdirSync(join(files.addinDistDir, 'assets'));
    writeFileSync(join(files.addinDistDir, 'assets', 'taskpane-AbC123xy.js'), 'console.log(2)');
    const { template } = synthStack(files);
    const { rest, hashed } = byCaching(template.findResources('Custom::CDKBucketDeployment') as Resources);
    expect(Object.keys(rest)).toHaveLength(2);
    expect(Object.keys(hashed)).toHaveLength(2);
    expect(CACHE_CONTROL.revalidate.map((c) => c.value)).toEqual(['no-cache']);
    for (const d of Object.values(rest)) expect(d.Properties.Exclude).toEqual(expect.arrayContaining(HASHED_FILES));
    // aws s3 sync filters: the hashed name is included by the pattern, the html and icons are not.
    const glob = (p: string) => new RegExp(`^${p.replace(/[.]/g, '\\.').replace(/\*/g, '.*')}$`);
    const isHashed = (f: string) => HASHED_FILES.some((p) => glob(p).test(f));
    expect(isHashed('assets/taskpane-AbC123xy.js')).toBe(true);
    for (const f of ['taskpane.html', 'config.json', 'manifest.xml', 'assets/icon-32.png'])
      expect(isHashed(f), f).toBe(false);
  });

  it('deploys the browser page alone when only it has been built', () => {
    const files = withBrowserPage(builtAddin());
    const { template } = synthStack({ ...files, addinDistDir: join(files.outdir, '..', 'no-pane') });
    const { rest } = byCaching(template.findResources('Custom::CDKBucketDeployment') as Resources);
    expect(Object.keys(rest)).toHaveLength(1);
    const deployment = Object.values(rest)[0]!;
    expect(deployment.Properties.DestinationBucketKeyPrefix).toBe('browser/');
    expect(template.findOutputs('ManifestUrl')).toEqual({});
    expect(template.findOutputs('BrowserPageUrl')).not.toEqual({});
  });

  it('uploads the pane, a production manifest pointing at CloudFront and config.json with the API URL', () => {
    const files = builtAddin();
    const { app, stack, template } = synthStack(files);
    app.synth();
    const { rest } = byCaching(template.findResources('Custom::CDKBucketDeployment') as Resources);
    expect(Object.keys(rest)).toHaveLength(1);
    const deployment = Object.values(rest)[0]!;
    const [cdnId] = only(template, 'AWS::CloudFront::Distribution');
    expect(deployment.Properties.DestinationBucketName).toEqual({ Ref: logicalId(stack, stack.hosting.bucket) });
    expect(deployment.Properties.DistributionId).toEqual({ Ref: cdnId });
    expect(deployment.Properties.DistributionPaths).toEqual(['/*']);
    expect(template.findOutputs('ManifestUrl')).not.toEqual({});

    // The staged sources: find the manifest and config.json written by Source.data/jsonData.
    const staged = readdirSync(files.outdir)
      .map((d) => join(files.outdir, d))
      .filter((d) => statSync(d).isDirectory());
    const manifest = readFileSync(stagedFile(staged, 'manifest.xml')!, 'utf8');
    expect(manifest).not.toContain('localhost:3000');
    const markers = (deployment.Properties.SourceMarkers as Array<Record<string, unknown>>).find(
      (m) => Object.keys(m).length === 2,
    )!;
    for (const [marker, value] of Object.entries(markers)) {
      expect(manifest).toContain(`https://${marker}`);
      expect(value).toEqual({ 'Fn::GetAtt': [cdnId, 'DomainName'] });
    }
    expect(manifest).toContain('/taskpane.html');

    const config = JSON.parse(readFileSync(stagedFile(staged, 'config.json')!, 'utf8'));
    const [apiId] = only(template, 'AWS::ApiGatewayV2::Api');
    const apiMarker = (deployment.Properties.SourceMarkers as Array<Record<string, unknown>>).find((m) =>
      JSON.stringify(m).includes(apiId),
    )!;
    expect(config.apiUrl).toBe(Object.keys(apiMarker)[0]);
    expect(Object.values(apiMarker)[0]).toEqual({ 'Fn::GetAtt': [apiId, 'ApiEndpoint'] });
    expect(stagedFile(staged, 'taskpane.html')).toBeDefined();
  });
});

/** Deployments by the Cache-Control they give their objects: `rest` revalidates, `hashed` is cached for good. */
function byCaching(deployments: Resources): { rest: Resources; hashed: Resources } {
  const cacheOf = (d: Resources[string]) => d.Properties.SystemMetadata?.['cache-control'];
  const pick = (value: string) =>
    Object.fromEntries(Object.entries(deployments).filter(([, d]) => cacheOf(d) === value)) as Resources;
  const rest = pick('no-cache');
  const hashed = pick('public, max-age=31536000, immutable');
  expect(Object.keys(rest).length + Object.keys(hashed).length).toBe(Object.keys(deployments).length);
  for (const d of Object.values(hashed)) {
    expect(d.Properties.Include).toEqual(HASHED_FILES);
    expect(d.Properties.Exclude).toEqual(['*']);
    // Never pruned: a pane still showing the previous html keeps finding its scripts.
    expect(d.Properties.Prune).toBe(false);
  }
  return { rest, hashed };
}

function stagedFile(dirs: string[], name: string): string | undefined {
  return dirs.map((d) => join(d, name)).find((f) => existsSync(f));
}

describe('cloud stack with an own domain for the pane', () => {
  const addinDomain = {
    domainName: 'baosong.example.gov.cn',
    certificateArn: 'arn:aws:acm:us-east-1:111122223333:certificate/0b4a4c7c-1111-2222-3333-444455556666',
  };

  it('serves the pane under that name with the certificate and TLS 1.2 at least', () => {
    const { template } = synthStack({ addinDomain });
    const [, cdn] = only(template, 'AWS::CloudFront::Distribution');
    const config = cdn.Properties.DistributionConfig;
    expect(config.Aliases).toEqual([addinDomain.domainName]);
    expect(config.ViewerCertificate).toMatchObject({
      AcmCertificateArn: addinDomain.certificateArn,
      MinimumProtocolVersion: 'TLSv1.2_2021',
      SslSupportMethod: 'sni-only',
    });
    expect(template.findOutputs('AddinCnameTarget')).not.toEqual({});
  });

  it('opens CORS to, and outputs, the own domain instead of the CloudFront address', () => {
    const { template } = synthStack({ addinDomain });
    const [, api] = only(template, 'AWS::ApiGatewayV2::Api');
    expect(api.Properties.CorsConfiguration.AllowOrigins).toEqual([`https://${addinDomain.domainName}`]);
    expect(template.toJSON().Outputs.AddinUrl.Value).toBe(`https://${addinDomain.domainName}`);
  });
});
