// The whole cloud deployment in one stack: the store's table, one function per handler group, the HTTP API
// and the add-in's hosting. Env-agnostic (no account/region lookups) so `cdk synth` runs offline.
import { Aws, CfnOutput, Stack, Tags, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Alarms } from './alarms.js';
import { BaosongApi, DEFAULT_THROTTLE, type ThrottleProps } from './api.js';
import { RouteFunctions } from './functions.js';
import { AddinHosting, type AddinDomain } from './hosting.js';
import { applyNagSuppressions } from './nag.js';
import { createStoreTable } from './table.js';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** Where `npm run build:addin` (addin/vite.config.ts) and the browser page's build (addin/browser/vite.config.ts) write. */
export const builtDirs = (projectRoot: string) => ({
  addin: join(projectRoot, 'dist', 'addin'),
  browser: join(projectRoot, 'dist', 'browser'),
});

export interface BaosongStackProps extends StackProps {
  /** Where package-lock.json and functions/ are; the repository root by default. */
  projectRoot?: string;
  /** The built task pane; `dist/addin` by default. Nothing is uploaded when it does not exist. */
  addinDistDir?: string;
  /** The built browser page for WPS users; `dist/browser` by default. Not uploaded when it was not built. */
  browserDistDir?: string;
  /** The development manifest; `manifest.xml` by default. */
  devManifestPath?: string;
  throttle?: ThrottleProps;
  /** Serve the pane from an own domain with TLS 1.2+ instead of the *.cloudfront.net address. */
  addinDomain?: AddinDomain;
  /** Subscribed to the alarm topic (context `alarmEmail`); it must confirm the subscription mail. */
  alarmEmail?: string;
}

export class BaosongStack extends Stack {
  readonly table: Table;
  readonly functions: RouteFunctions;
  readonly api: BaosongApi;
  readonly hosting: AddinHosting;
  readonly alarms: Alarms;

  constructor(scope: Construct, id: string, props: BaosongStackProps = {}) {
    super(scope, id, {
      description: '报送 (baosong): 附件1/附件2 reporting — DynamoDB, Lambda, HTTP API, add-in hosting',
      ...props,
    });
    // Log delivery to the access-log bucket by bucket policy instead of the deprecated LogDeliveryWrite ACL.
    // Set here, not in cdk.json, so the tests synthesize exactly what `cdk deploy` deploys.
    this.node.setContext('@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy', true);
    const projectRoot = props.projectRoot ?? REPO_ROOT;
    Tags.of(this).add('project', 'baosong');

    this.table = createStoreTable(this);
    this.functions = new RouteFunctions(this, 'Functions', { table: this.table, projectRoot });
    this.hosting = new AddinHosting(this, 'Addin', { domain: props.addinDomain });
    this.api = new BaosongApi(this, 'Api', {
      functions: this.functions.byGroup,
      allowedOrigin: this.hosting.url,
      throttle: props.throttle ?? DEFAULT_THROTTLE,
    });
    this.alarms = new Alarms(this, 'Alarms', {
      functions: this.functions.byGroup,
      api: this.api.api,
      accessLogs: this.api.accessLogs,
      table: this.table,
      email: props.alarmEmail,
    });
    this.hosting.deploySite({
      addinDistDir: props.addinDistDir ?? builtDirs(projectRoot).addin,
      browserDistDir: props.browserDistDir ?? builtDirs(projectRoot).browser,
      devManifestPath: props.devManifestPath ?? join(projectRoot, 'manifest.xml'),
      apiUrl: this.api.url,
    });

    new CfnOutput(this, 'ApiUrl', { value: this.api.url, description: '加载项「连接」时填写的服务器地址' });
    new CfnOutput(this, 'AddinUrl', { value: this.hosting.url, description: 'npm run manifest:prod -- <AddinUrl>' });
    new CfnOutput(this, 'TableName', { value: this.table.tableName, description: 'npm run admin 的 TABLE_NAME' });
    new CfnOutput(this, 'Region', { value: Aws.REGION, description: 'npm run admin 的 AWS_REGION' });
    new CfnOutput(this, 'AlarmTopicArn', {
      value: this.alarms.topic.topicArn,
      description: '告警通知的 SNS 主题:在控制台订阅邮件或短信',
    });
    if (props.addinDomain) {
      new CfnOutput(this, 'AddinCnameTarget', {
        value: this.hosting.distribution.distributionDomainName,
        description: `DNS: ${props.addinDomain.domainName} CNAME 指向此地址`,
      });
    }
    if (this.hosting.deployment) {
      new CfnOutput(this, 'ManifestUrl', {
        value: `${this.hosting.url}/manifest.xml`,
        description: '正式版清单：在 Microsoft 365 管理中心部署或旁加载',
      });
    }
    if (this.hosting.browserDeployment) {
      new CfnOutput(this, 'BrowserPageUrl', {
        value: this.hosting.browserPageUrl,
        description: '网页版（WPS 用户）：用浏览器打开，在「连接」页填写 ApiUrl 与令牌',
      });
    }

    applyNagSuppressions(this);
  }
}
