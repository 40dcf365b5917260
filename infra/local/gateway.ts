// What API Gateway's HTTP API (Lambda proxy integration, payload format 2.0) does between the client and the
// function, reproduced for the local stack so that what passes locally passes on AWS. Each rule cites its source:
//
// [payload-2.0] https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html
//   "Format 2.0 doesn't have multiValueHeaders or multiValueQueryStringParameters fields. Duplicate headers are
//   combined with commas and included in the headers field. Duplicate query strings are combined with commas and
//   included in the queryStringParameters field." — "Format 2.0 includes a new cookies field. All cookie headers in
//   the request are combined with commas and added to the cookies field. In the response to the client, each cookie
//   becomes a set-cookie header." — "All header names are lowercase." — "body: … If the content type of the
//   request is binary, the body is base64-encoded"; "isBase64Encoded: TRUE if the body is a binary payload".
//   Response: "If your Lambda function returns valid JSON and doesn't return a statusCode, API Gateway assumes"
//   status 200, content-type application/json and the whole answer as the body.
// [binary-http-api] AWS Compute Blog, "Handling binary data using Amazon API Gateway HTTP APIs": "The HTTP API
//   Lambda integration automatically infers the need for encoding based on the content-type header passed with
//   the request" (text/plain → UTF-8 string, isBase64Encoded false; image/jpeg → base64, true). HTTP APIs have no
//   binaryMediaTypes setting. The docs do not list which types count as text; measured against AWS (ministack
//   pull request 766, HTTP API v2, payload 2.0): only text/*, application/json, application/xml and
//   application/javascript arrive as UTF-8 strings; everything else, a missing Content-Type and
//   application/x-www-form-urlencoded included, arrives base64-encoded. Content-Encoding plays no part: gzip bytes
//   sent as application/json reach the function as a UTF-8 string, i.e. destroyed — which is why the add-in sends
//   compressed bodies as application/octet-stream (contract/api.ts, COMPRESSED_BODY_TYPE).
// [lambda-quotas] https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html: invocation payload
//   6 MB each for request and response (synchronous). The payload is the event / the answer as JSON, so a binary
//   body counts in its base64 form (4/3 of its bytes) plus headers and request context. Past it, API Gateway
//   answers the caller itself: 413 for a request too large (the function never runs), 500 `{"message":"Internal
//   Server Error"}` for an answer too large (the function ran; its work stands).
// [http-api-quotas] https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-quotas.html:
//   payload size 10 MB.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';

/** [lambda-quotas] Largest event / answer JSON a synchronous invocation takes. */
export const LAMBDA_PAYLOAD_BYTES = 6 * 1024 * 1024;
/** [http-api-quotas] Largest request body the HTTP API accepts at all. */
export const HTTP_API_BODY_BYTES = 10 * 1024 * 1024;

/** [binary-http-api] The media types whose bodies reach the function as UTF-8 strings; all others as base64. */
export function isTextMediaType(contentType: string | undefined): boolean {
  const type = (contentType ?? '').split(';')[0].trim().toLowerCase();
  return (
    type.startsWith('text/') ||
    type === 'application/json' ||
    type === 'application/xml' ||
    type === 'application/javascript'
  );
}

export interface RouteMatch {
  /** `POST /v1/submissions` */
  routeKey: string;
  pathParameters?: Record<string, string>;
}

/** The payload 2.0 event API Gateway would send for this request (body already read). */
export function toEvent(req: IncomingMessage, url: URL, route: RouteMatch, body: Buffer): APIGatewayProxyEventV2 {
  // [payload-2.0] names lower-case (Node already lower-cases them), repeated headers joined with commas; the
  // cookie header leaves `headers` for `cookies`.
  const headers: Record<string, string> = {};
  let cookies: string[] | undefined;
  for (const [name, values] of Object.entries(req.headersDistinct)) {
    if (!values) continue;
    if (name === 'cookie') {
      cookies = values
        .flatMap((v) => v.split(';'))
        .map((c) => c.trim())
        .filter(Boolean);
      continue;
    }
    headers[name] = values.join(',');
  }
  const query: Record<string, string> = {};
  for (const [k, v] of url.searchParams) query[k] = query[k] === undefined ? v : `${query[k]},${v}`;
  const text = isTextMediaType(headers['content-type']);
  const now = new Date();
  const method = req.method ?? 'GET';
  return {
    version: '2.0',
    routeKey: route.routeKey,
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    ...(cookies?.length ? { cookies } : {}),
    headers,
    queryStringParameters: Object.keys(query).length ? query : undefined,
    pathParameters: route.pathParameters,
    // [binary-http-api] By content type alone. A text type's bytes are decoded as UTF-8 whatever they are,
    // so compressed bytes sent as application/json arrive mangled, exactly as on AWS.
    body: body.length ? (text ? body.toString('utf8') : body.toString('base64')) : undefined,
    isBase64Encoded: body.length > 0 && !text,
    requestContext: {
      accountId: 'local',
      apiId: 'local',
      domainName: url.host,
      domainPrefix: 'local',
      http: {
        method,
        path: url.pathname,
        protocol: `HTTP/${req.httpVersion}`,
        sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      routeKey: route.routeKey,
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
  };
}

/** [lambda-quotas] Bytes the invocation payload of this event takes: its JSON, body in the form it travels. */
export const eventBytes = (event: APIGatewayProxyEventV2): number => Buffer.byteLength(JSON.stringify(event), 'utf8');

/** What the gateway sends back to the client for a function's answer. */
export interface GatewayAnswer {
  status: number;
  /** Lower-case names; `set-cookie` may repeat. */
  headers: Record<string, string | string[]>;
  body: Buffer;
}

/** [lambda-quotas] The answer the gateway gives when the function's answer is over Lambda's 6 MB. */
export const RESPONSE_TOO_LARGE: GatewayAnswer = {
  status: 500,
  headers: { 'content-type': 'application/json' },
  body: Buffer.from('{"message":"Internal Server Error"}'),
};

/**
 * [lambda-quotas] Bytes of the answer as JSON. A base64 body is counted by its length (base64 needs no escaping
 * in JSON) rather than serialized again: a 4 MB page is measured without copying it.
 */
function resultBytes(result: APIGatewayProxyResultV2): number {
  if (typeof result === 'object' && result !== null && 'isBase64Encoded' in result && result.isBase64Encoded) {
    const { body, ...rest } = result as APIGatewayProxyStructuredResultV2;
    if (typeof body === 'string') return Buffer.byteLength(JSON.stringify({ ...rest, body: '' }), 'utf8') + body.length;
  }
  return Buffer.byteLength(JSON.stringify(result) ?? '', 'utf8');
}

/** [payload-2.0] Turns a function's answer into the HTTP answer, or RESPONSE_TOO_LARGE past 6 MB of JSON. */
export function fromResult(result: APIGatewayProxyResultV2): GatewayAnswer {
  if (resultBytes(result) > LAMBDA_PAYLOAD_BYTES) return RESPONSE_TOO_LARGE;
  // Valid JSON without a statusCode: the whole answer is a 200 JSON body.
  if (typeof result !== 'object' || result === null || !('statusCode' in result)) {
    return {
      status: 200,
      headers: { 'content-type': 'application/json' },
      body: Buffer.from(typeof result === 'string' ? result : JSON.stringify(result), 'utf8'),
    };
  }
  const r = result as APIGatewayProxyStructuredResultV2;
  const headers: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(r.headers ?? {})) headers[k.toLowerCase()] = String(v);
  if (r.cookies?.length) headers['set-cookie'] = [...r.cookies];
  const body = r.body ? Buffer.from(r.body, r.isBase64Encoded ? 'base64' : 'utf8') : Buffer.alloc(0);
  return { status: r.statusCode ?? 200, headers, body };
}
