// API Gateway HTTP API (v2) plumbing shared by the handlers: errors, JSON bodies in (gzip allowed) and out
// (gzip when accepted), routing within a handler group by routeKey.
import { randomUUID } from 'node:crypto';
import { brotliDecompressSync, gunzipSync, gzipSync, inflateRawSync, inflateSync } from 'node:zlib';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import type { Issue } from '../forms/types';
import { authenticate, type Caller } from './auth';
import { Conflict, DomainError, Invalid, Malformed, NotAllowed, NotFound, TooLarge, Unauthenticated } from './errors';
import type { Context } from './context';
import { routeKey, routes, type GroupRouteKey, type HandlerGroup, type Route } from './routes';
import { NEXT_CURSOR_HEADER, RANGES_HEADER, RANGES_HEADER_MAX } from '../contract/api';
import { inflateChunkSize } from './gzip-join';
import { pageBytes, pageGzip, type Page, type PageLimit } from './page';
import { RetryBudgetSpent, RETRY_POLICY, systemClock, withDeadline } from './store/retry';
import { utf8Text } from './utf8';

export type Event = APIGatewayProxyEventV2;
export type Result = APIGatewayProxyResultV2;

/** Largest request body after decompression. Beyond it: 413. A 10,000-row 附件1 is ~9 MB. */
export const MAX_BODY_BYTES = 24 * 1024 * 1024;
/** Responses are paged so that one page stays under this many bytes of JSON (Lambda's cap is 6 MB). */
export const PAGE_BYTES = 4 * 1024 * 1024;

/** An answer the edge itself decides, with its status (a 500, a transport limit); the domain throws DomainError. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly issues?: Issue[],
    readonly extra?: Record<string, unknown>,
  ) {
    super(message);
  }
}

export const badRequest = (message: string, code = 'bad_request'): Malformed => new Malformed(message, { code });
export const forbidden = (message: string): NotAllowed => new NotAllowed(message);
export const notFound = (message: string): NotFound => new NotFound(message);

/** The one place where a domain failure becomes an HTTP status. */
const STATUS_OF: ReadonlyArray<readonly [new (message: string) => DomainError, number]> = [
  [Malformed, 400],
  [Unauthenticated, 401],
  [NotAllowed, 403],
  [NotFound, 404],
  [Conflict, 409],
  [TooLarge, 413],
  [Invalid, 422],
];
const statusOf = (err: DomainError): number => STATUS_OF.find(([kind]) => err instanceof kind)?.[1] ?? 500;

const header = (event: Event, name: string): string | undefined => {
  const headers = event.headers ?? {};
  return headers[name] ?? Object.entries(headers).find(([k]) => k.toLowerCase() === name)?.[1];
};
export { header as getHeader };

/** zlib options for a body: at most `limit` bytes out, in output buffers sized for it. */
const inflating = (raw: Buffer, limit: number) => ({ maxOutputLength: limit, chunkSize: inflateChunkSize(raw.length) });

/** Content-Encodings a body may come in; `deflate` is zlib-wrapped per HTTP, raw deflate from some clients too. */
const DECODERS: Record<string, (raw: Buffer, limit: number) => Buffer> = {
  gzip: (raw, limit) => gunzipSync(raw, inflating(raw, limit)),
  'x-gzip': (raw, limit) => gunzipSync(raw, inflating(raw, limit)),
  deflate: (raw, limit) => {
    try {
      return inflateSync(raw, inflating(raw, limit));
    } catch (err) {
      if ((err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') throw err;
      return inflateRawSync(raw, inflating(raw, limit));
    }
  },
  br: (raw, limit) => brotliDecompressSync(raw, inflating(raw, limit)),
};

/**
 * The raw body bytes, decoded when sent with `Content-Encoding: gzip`, `deflate` or `br`; any other encoding
 * is refused (415) rather than read as if it were plain JSON.
 */
export function bodyBytes(event: Event): Buffer {
  if (!event.body) return Buffer.alloc(0);
  const raw = event.isBase64Encoded ? Buffer.from(event.body, 'base64') : Buffer.from(event.body, 'utf8');
  const tooLarge = new ApiError(
    413,
    'payload_too_large',
    `提交内容过大(解压后超过 ${MAX_BODY_BYTES / 1024 / 1024} MB)。请把表格拆成几次提交,或删去空行后重试。`,
  );
  if (raw.byteLength > MAX_BODY_BYTES) throw tooLarge;
  const encoding = (header(event, 'content-encoding') ?? '').trim().toLowerCase();
  if (encoding === '' || encoding === 'identity') return raw;
  const decode = DECODERS[encoding];
  if (!decode) {
    throw new ApiError(
      415,
      'unsupported_encoding',
      `不支持的压缩方式 Content-Encoding「${encoding.slice(0, 40)}」。请用 gzip、deflate 或 br 压缩,或不压缩直接提交。`,
    );
  }
  try {
    return decode(raw, MAX_BODY_BYTES);
  } catch (err) {
    if ((err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') throw tooLarge;
    throw badRequest(`请求体声明为 ${encoding} 压缩,但无法解压。请检查客户端的压缩设置后重试。`, 'malformed_body');
  }
}

export function jsonBody(event: Event): unknown {
  return parseJson(bodyBytes(event));
}

export function parseJson(bytes: Buffer): unknown {
  if (bytes.byteLength === 0) throw badRequest('请求体为空。请以 JSON 格式提交表格内容。', 'malformed_json');
  try {
    return JSON.parse(utf8Text(bytes));
  } catch {
    throw badRequest('请求体不是有效的 JSON。请检查提交内容的格式后重试。', 'malformed_json');
  }
}

/** A JSON answer; gzip-compressed when the client sent `Accept-Encoding: gzip` and the body is worth it. */
export function json(event: Event, status: number, body: unknown, extraHeaders: Record<string, string> = {}): Result {
  return jsonText(event, status, JSON.stringify(body), extraHeaders);
}

export { pageValue, type Page } from './page';

export const acceptsGzip = (event: Event): boolean => /\bgzip\b/i.test(header(event, 'accept-encoding') ?? '');

/** Base64 of the compressed page must stay well inside Lambda's 6 MB response (and under 5 MB on the wire). */
const MAX_BASE64_BYTES = 4.5 * 1024 * 1024;
/** Compressed rows per page sent gzip-compressed: base64 makes 4/3 of it, the page's other fields fit beside. */
const GZIP_PAGE_BYTES = Math.floor((MAX_BASE64_BYTES * 3) / 4) - 256 * 1024;

/**
 * A paged answer: 4 MB pages of JSON, or, for clients that accept gzip, pages of as many compressed rows as stay
 * under the response cap (a 10,000-row 附件1 then comes back in one response). `build(limit)` makes the page.
 */
export async function pagedResult<T extends { rows: unknown[] }>(
  event: Event,
  build: (limit: PageLimit) => Promise<Page<T>>,
): Promise<Result> {
  if (!acceptsGzip(event)) {
    const page = await build(PAGE_BYTES);
    return jsonText(event, 200, utf8Text(await pageBytes(page)), pagingHeaders(page));
  }
  let limit = GZIP_PAGE_BYTES;
  for (;;) {
    const page = await build({ compressed: limit });
    // Stored chunks go in as they are; the rest is compressed off the main thread.
    const body = (await pageGzip(page, PAGE_GZIP_LEVEL)).toString('base64');
    if (body.length <= MAX_BASE64_BYTES || limit <= PAGE_BYTES / 8) {
      return {
        statusCode: 200,
        headers: { ...JSON_HEADERS, 'content-encoding': 'gzip', vary: 'accept-encoding', ...pagingHeaders(page) },
        body,
        isBase64Encoded: true,
      };
    }
    // Rows that compress worse than assumed: shrink the page in proportion and build it again.
    limit = Math.floor((limit * MAX_BASE64_BYTES * 0.9) / body.length);
  }
}

/**
 * Where the client goes next, in headers: the body's `next` cursor, so that the server builds page n+1 while the
 * client decodes page n; or, on a page that plans the rest in `ranges`, those cursors instead (a client that reads
 * them fetches them, not `next`), when they fit a header.
 */
const pagingHeaders = <T extends { rows: unknown[] }>(page: Page<T>): Record<string, string> => {
  const { next, ranges } = page.fields as { next?: string | null; ranges?: string[] };
  if (ranges) {
    const joined = ranges.join(',');
    return joined.length <= RANGES_HEADER_MAX ? { [RANGES_HEADER]: joined } : {};
  }
  return next ? { [NEXT_CURSOR_HEADER]: next } : {};
};

const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8' };
/** Level 4: big pages compress about as well as at 6 for two thirds of the CPU time. */
const GZIP_LEVEL = 4;
/**
 * Rows of pages that are not stored chunks (a part of a chunk, a summary's sums) at level 1: half the CPU time of
 * level 4 for 15% more bytes (3.2× instead of 3.7× on 附件1 text).
 */
const PAGE_GZIP_LEVEL = 1;

export function jsonText(
  event: Event,
  status: number,
  text: string,
  extraHeaders: Record<string, string> = {},
): Result {
  const headers: Record<string, string> = { ...JSON_HEADERS, ...extraHeaders };
  if (acceptsGzip(event) && text.length > 1024) {
    const zipped = gzipSync(Buffer.from(text, 'utf8'), { level: GZIP_LEVEL });
    return {
      statusCode: status,
      headers: { ...headers, 'content-encoding': 'gzip', vary: 'accept-encoding' },
      body: zipped.toString('base64'),
      isBase64Encoded: true,
    };
  }
  return { statusCode: status, headers, body: text };
}

function errorResult(event: Event, err: ApiError | DomainError): Result {
  return json(event, err instanceof ApiError ? err.status : statusOf(err), {
    error: { code: err.code, message: err.message, ...(err.issues ? { issues: err.issues } : {}), ...err.extra },
  });
}

/** A route's handler; the caller is authenticated and holds one of the route's roles (functions/routes.ts). */
export type RouteHandler = (event: Event, ctx: Context, caller: Caller) => Promise<Result>;

const routeByKey = new Map<string, Route>(routes.map((r) => [routeKey(r), r]));

/** Longest path parameter (ids, units: a few dozen characters) and query value (cursors: a few hundred). */
export const MAX_PATH_PARAM_CHARS = 200;
export const MAX_QUERY_CHARS = 2048;

/** Oversized ids never reach the store (DynamoDB refuses keys over 1 KB with an error that would read as a 500). */
function checkParameterLengths(event: Event): void {
  for (const value of Object.values(event.pathParameters ?? {}))
    if ((value?.length ?? 0) > MAX_PATH_PARAM_CHARS)
      throw notFound(`路径中的编号超过 ${MAX_PATH_PARAM_CHARS} 个字符,没有这样的记录。请核对链接或编号。`);
  for (const [name, value] of Object.entries(event.queryStringParameters ?? {}))
    if ((value?.length ?? 0) > MAX_QUERY_CHARS)
      throw badRequest(`参数 ${name.slice(0, 40)} 超过 ${MAX_QUERY_CHARS} 个字符。请核对请求地址。`);
}

/** What a handler uses of the Lambda invocation context (absent locally). */
export interface InvocationContext {
  awsRequestId?: string;
  getRemainingTimeInMillis(): number;
}

/** 503 once the request's retry budget is spent (store/retry.ts): the client may retry with the same key. */
function busyResult(event: Event): Result {
  return json(
    event,
    503,
    {
      error: {
        code: 'service_busy',
        message: `服务器繁忙(数据库限流),本次请求未保存任何内容。请 ${RETRY_POLICY.retryAfterSeconds} 秒后重试;加载项会用同一个 Idempotency-Key 自动重试,不会重复提交。`,
      },
    },
    { 'retry-after': String(RETRY_POLICY.retryAfterSeconds) },
  );
}

let coldStart = true;

/**
 * One Lambda handler for a group of routes, dispatched by `routeKey` (`GET /v1/submissions/{id}`), which both
 * API Gateway and infra/local set. Every request is authenticated here and checked against the route's roles,
 * once, before its handler runs. Errors become `{"error":{…}}` answers; unexpected ones are logged, never echoed.
 * Each request runs under a deadline: the invocation's remaining time on Lambda, RETRY_POLICY.localBudgetMs locally.
 */
export function groupHandler<G extends HandlerGroup>(
  group: G,
  handlers: Record<GroupRouteKey<G>, RouteHandler>,
  getContext: () => Context,
) {
  const byKey: Record<string, RouteHandler> = handlers;
  return async (event: Event, invocation?: InvocationContext): Promise<Result> => {
    const ctx = getContext();
    const clock = ctx.clock ?? systemClock;
    const started = clock.now();
    const requestId = event.requestContext?.requestId ?? randomUUID();
    const cold = coldStart;
    coldStart = false;
    let result: Result;
    try {
      const route = routeByKey.get(event.routeKey);
      if (!route || route.group !== group) throw notFound(`没有这个接口:${event.routeKey}。请核对请求的方法和路径。`);
      checkParameterLengths(event);
      const caller = await authenticate(header(event, 'authorization'), ctx);
      if (!route.roles.includes(caller.role)) throw forbidden(route.denied ?? '本单位的令牌不能使用这个接口。');
      const budget = invocation?.getRemainingTimeInMillis() ?? RETRY_POLICY.localBudgetMs;
      result = await withDeadline(budget, clock, () => byKey[event.routeKey](event, ctx, caller));
    } catch (err) {
      if (err instanceof ApiError || err instanceof DomainError) {
        result = errorResult(event, err);
      } else if (err instanceof RetryBudgetSpent) {
        ctx.log({ level: 'warn', requestId, route: event.routeKey, error: err.name, after: errorName(err.after) });
        result = busyResult(event);
      } else {
        ctx.log({
          level: 'error',
          requestId,
          route: event.routeKey,
          error: (err as Error).name,
          detail: (err as Error).message?.slice(0, 300),
        });
        result = errorResult(
          event,
          new ApiError(500, 'internal', '服务器内部错误,请稍后重试;如果一直出现,请联系管理员并告知时间。'),
        );
      }
    }
    const status = typeof result === 'object' ? result.statusCode : 200;
    ctx.log({
      level: 'info',
      requestId,
      ...(invocation?.awsRequestId ? { awsRequestId: invocation.awsRequestId } : {}),
      coldStart: cold,
      route: event.routeKey,
      status,
      ms: clock.now() - started,
    });
    return result;
  };
}

const errorName = (err: unknown): string | undefined => (err instanceof Error ? err.name : undefined);

export const query = (event: Event, name: string): string | undefined =>
  event.queryStringParameters?.[name] || undefined;
export const pathParam = (event: Event, name: string): string => event.pathParameters?.[name] ?? '';
