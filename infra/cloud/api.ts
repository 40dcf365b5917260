// The HTTP API of DESIGN §4: every route of functions/routes.ts, integrated with its group's function.
import { Duration } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  CorsHttpMethod,
  HttpApi,
  HttpMethod,
  HttpStage,
  LogGroupLogDestination,
  PayloadFormatVersion,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { NEXT_CURSOR_HEADER, RANGES_HEADER } from '../../contract/api.js';
import { routes, type HandlerGroup } from '../../functions/routes.js';
import { LOG_RETENTION } from './functions.js';

/**
 * The stage's default route settings. As the HTTP API docs say ("route-level throttling"), these limits apply
 * to each route separately, not to the stage as a whole: with 8 routes the stage may take up to 8× the rate.
 * The account's own limit per region (10,000 requests/s, burst 5,000 by default) caps all APIs together.
 */
export interface ThrottleProps {
  /** Steady-state requests per second, per route. */
  rateLimit: number;
  /** Requests a route absorbs at once above the rate. */
  burstLimit: number;
}

// A prefecture has a handful of counties reporting three times a month; these limits leave room for a
// province while stopping a runaway script on one route long before it costs money.
export const DEFAULT_THROTTLE: ThrottleProps = { rateLimit: 50, burstLimit: 100 };

export interface BaosongApiProps {
  functions: Record<HandlerGroup, IFunction>;
  /** The only origin a browser may call the API from: the add-in's CloudFront URL. */
  allowedOrigin: string;
  throttle: ThrottleProps;
}

// Who called what and how it went; never the Authorization header or the body (DESIGN §6).
const ACCESS_LOG_FIELDS = {
  requestId: '$context.requestId',
  requestTime: '$context.requestTime',
  sourceIp: '$context.identity.sourceIp',
  userAgent: '$context.identity.userAgent',
  method: '$context.httpMethod',
  routeKey: '$context.routeKey',
  status: '$context.status',
  protocol: '$context.protocol',
  requestLength: '$context.requestLength',
  responseLength: '$context.responseLength',
  responseLatencyMs: '$context.responseLatency',
  integrationLatencyMs: '$context.integrationLatency',
  integrationStatus: '$context.integrationStatus',
  integrationError: '$context.integrationErrorMessage',
  error: '$context.error.message',
};

export class BaosongApi extends Construct {
  readonly api: HttpApi;
  readonly stage: HttpStage;
  readonly accessLogs: LogGroup;

  constructor(scope: Construct, id: string, props: BaosongApiProps) {
    super(scope, id);
    this.api = new HttpApi(this, 'HttpApi', {
      apiName: 'baosong',
      description: '报送 API v1 (DESIGN §4)',
      createDefaultStage: false,
      corsPreflight: {
        allowOrigins: [props.allowedOrigin],
        allowMethods: [CorsHttpMethod.GET, CorsHttpMethod.POST],
        allowHeaders: ['authorization', 'content-type', 'content-encoding', 'idempotency-key'],
        // The pane's client backs off as the server asks when throttled, and asks for the next page of a large
        // answer (or the ranges of a consolidated one) as soon as a page's headers name it (addin/api/client.ts).
        exposeHeaders: ['retry-after', NEXT_CURSOR_HEADER, RANGES_HEADER],
        maxAge: Duration.hours(1),
      },
    });

    const accessLogs = (this.accessLogs = new LogGroup(this, 'AccessLogs', { retention: LOG_RETENTION }));
    this.stage = this.api.addStage('DefaultStage', {
      stageName: '$default',
      autoDeploy: true,
      throttle: props.throttle,
      accessLogSettings: {
        destination: new LogGroupLogDestination(accessLogs),
        format: AccessLogFormat.custom(JSON.stringify(ACCESS_LOG_FIELDS)),
      },
    });

    const integrations = new Map<HandlerGroup, HttpLambdaIntegration>();
    for (const route of routes) {
      let integration = integrations.get(route.group);
      if (!integration) {
        // One integration per function, shared by its routes; each route still gets an invoke permission
        // scoped to its own path.
        integration = new HttpLambdaIntegration(`${route.group}Integration`, props.functions[route.group], {
          payloadFormatVersion: PayloadFormatVersion.VERSION_2_0,
        });
        integrations.set(route.group, integration);
      }
      this.api.addRoutes({ path: route.path, methods: [HttpMethod[route.method]], integration });
    }
  }

  /** The base URL clients put in front of `/v1/...`. */
  get url(): string {
    return this.api.apiEndpoint;
  }
}
