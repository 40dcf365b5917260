// One Lambda function per handler group of functions/routes.ts. A new group in the route table becomes a
// new function here without any edit: entry, table actions and layers come from `handlerGroups`.
import { AssetHashType, DockerImage, Duration } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Effect, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import {
  ApplicationLogLevel,
  Architecture,
  Code,
  LayerVersion,
  LoggingFormat,
  Runtime,
  SystemLogLevel,
  Tracing,
} from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat, SourceMapMode, type BundlingOptions } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { join } from 'node:path';
import { handlerGroups, routes, type HandlerGroup } from '../../functions/routes.js';
import { buildLayerSync, LAYERS, lambdaBundle, type LayerName } from './bundling.js';
import { INDEX } from '../../functions/store/schema';

/** Six months: the minimum the PRC Cybersecurity Law (Art. 21) requires for network logs. */
export const LOG_RETENTION = RetentionDays.SIX_MONTHS;

interface Sizing {
  memoryMb: number;
  timeoutSeconds: number;
}

// More memory also means more CPU: validating and writing a 10,000-row 附件1, or consolidating every
// county, is CPU-bound. 29 s stays under the HTTP API's 30 s integration limit so the function, not the
// gateway, decides what the caller sees.
const DEFAULT_SIZING: Sizing = { memoryMb: 512, timeoutSeconds: 10 };
const SIZING: Partial<Record<HandlerGroup, Sizing>> = {
  submissions: { memoryMb: 1024, timeoutSeconds: 29 },
  prefecture: { memoryMb: 1024, timeoutSeconds: 29 },
};

// Only these actions can target an index; granting write actions on an index ARN would be noise.
const INDEX_ACTIONS = new Set(['dynamodb:Query', 'dynamodb:Scan']);

export interface RouteFunctionsProps {
  table: ITable;
  /** Repository root: where package-lock.json and the handler entries are. */
  projectRoot: string;
}

export class RouteFunctions extends Construct {
  readonly byGroup: Record<HandlerGroup, NodejsFunction>;
  /** The layers some group asked for, each created once and shared by those groups' functions. */
  readonly layers: Partial<Record<LayerName, LayerVersion>> = {};

  constructor(scope: Construct, id: string, props: RouteFunctionsProps) {
    super(scope, id);
    const groups = Object.keys(handlerGroups) as HandlerGroup[];
    this.byGroup = Object.fromEntries(groups.map((group) => [group, this.createFunction(group, props)])) as Record<
      HandlerGroup,
      NodejsFunction
    >;
  }

  private createFunction(group: HandlerGroup, { table, projectRoot }: RouteFunctionsProps): NodejsFunction {
    const scope = new Construct(this, pascalCase(group));
    const sizing = SIZING[group] ?? DEFAULT_SIZING;
    const logGroup = new LogGroup(scope, 'Logs', { retention: LOG_RETENTION });
    // An own role instead of AWSLambdaBasicExecutionRole: that managed policy may write to every log group
    // of the account; this one writes only to its own.
    const role = new Role(scope, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `baosong ${group}: its own log group and the store actions listed in functions/routes.ts`,
    });
    logGroup.grantWrite(role);
    for (const statement of tableStatements(table, handlerGroups[group].tableActions, handlerGroups[group].writeKeys)) {
      role.addToPrincipalPolicy(statement);
    }

    return new NodejsFunction(scope, 'Function', {
      entry: join(projectRoot, handlerGroups[group].entry),
      handler: 'handler',
      projectRoot,
      depsLockFilePath: join(projectRoot, 'package-lock.json'),
      runtime: lambdaRuntime(),
      architecture: Architecture.ARM_64,
      memorySize: sizing.memoryMb,
      timeout: Duration.seconds(sizing.timeoutSeconds),
      role,
      logGroup,
      loggingFormat: LoggingFormat.JSON,
      applicationLogLevelV2: ApplicationLogLevel.INFO,
      // INFO keeps the platform's START/END/REPORT lines: duration, memory used, init (cold start) time.
      systemLogLevelV2: SystemLogLevel.INFO,
      // X-Ray: where the time of a slow request goes (DynamoDB calls appear as subsegments of the invocation).
      tracing: Tracing.ACTIVE,
      description: `baosong ${group}: ${routesSummary(group)}`,
      environment: {
        TABLE_NAME: table.tableName,
        NODE_OPTIONS: '--enable-source-maps',
      },
      bundling: cdkBundling(),
      layers: (handlerGroups[group].layers ?? []).map((name) => this.layer(name, projectRoot)),
    });
  }

  private layer(name: LayerName, projectRoot: string): LayerVersion {
    return (this.layers[name] ??= new LayerVersion(this, `${pascalCase(name)}Layer`, {
      description: LAYERS[name].description,
      compatibleRuntimes: [lambdaRuntime()],
      compatibleArchitectures: [Architecture.ARM_64],
      code: Code.fromAsset(projectRoot, {
        // The zip's hash is that of the built files, so a redeploy without a dependency change reuses the layer.
        assetHashType: AssetHashType.OUTPUT,
        bundling: {
          // Never pulled: local bundling always succeeds or stops the synth (no Docker, no network).
          image: DockerImage.fromRegistry('baosong-layers-are-built-locally'),
          local: {
            tryBundle(outputDir: string): boolean {
              buildLayerSync(name, outputDir, projectRoot);
              return true;
            },
          },
        },
      }),
    }));
  }
}

/** The item-writing actions a dynamodb:LeadingKeys condition can restrict (TransactWriteItems is checked per item). */
export const WRITE_ACTIONS = new Set([
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
]);

function tableStatements(
  table: ITable,
  actions: readonly string[],
  writeKeys: readonly string[] | undefined,
): PolicyStatement[] {
  const limited = writeKeys ? actions.filter((a) => WRITE_ACTIONS.has(a)) : [];
  const statements = [
    new PolicyStatement({
      effect: Effect.ALLOW,
      actions: actions.filter((a) => !limited.includes(a)),
      resources: [table.tableArn],
    }),
  ];
  if (limited.length > 0) {
    statements.push(
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions: limited,
        resources: [table.tableArn],
        // ForAllValues: every partition key the request touches (each item of a batch) must match.
        conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': writeKeys!.map((k) => `${k}*`) } },
      }),
    );
  }
  const indexActions = actions.filter((a) => INDEX_ACTIONS.has(a));
  if (indexActions.length > 0) {
    statements.push(
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions: indexActions,
        resources: [`${table.tableArn}/index/${INDEX.name}`],
      }),
    );
  }
  return statements;
}

function lambdaRuntime(): Runtime {
  // NODEJS_LATEST has the same name but moves with CDK releases; the deployed runtime must be the bundled one.
  const runtime = Runtime.ALL.find((r) => r.name === lambdaBundle.runtimeName && !r.isVariable);
  if (!runtime) throw new Error(`aws-cdk-lib does not know the Lambda runtime ${lambdaBundle.runtimeName}`);
  return runtime;
}

function cdkBundling(): BundlingOptions {
  return {
    target: lambdaBundle.target,
    format: lambdaBundle.format === 'esm' ? OutputFormat.ESM : OutputFormat.CJS,
    minify: lambdaBundle.minify,
    sourceMap: lambdaBundle.sourcemap,
    sourceMapMode: SourceMapMode.DEFAULT,
    sourcesContent: lambdaBundle.sourcesContent,
    externalModules: [...lambdaBundle.external],
    mainFields: [...lambdaBundle.mainFields],
    // Passed as a raw flag: aws-cdk-lib 2.276 accepts `charset` but does not forward it to esbuild.
    esbuildArgs: { '--charset': lambdaBundle.charset },
    banner: lambdaBundle.banner,
    forceDockerBundling: false,
  };
}

// Shown in the Lambda console so an operator sees which API routes a function serves.
function routesSummary(group: HandlerGroup): string {
  return routes
    .filter((r) => r.group === group)
    .map((r) => `${r.method} ${r.path}`)
    .join(', ')
    .slice(0, 200);
}

function pascalCase(name: string): string {
  return name.replace(/(^|[-_])(\w)/g, (_, __, c: string) => c.toUpperCase());
}
