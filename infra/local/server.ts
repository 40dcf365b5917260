// The local stand-in for API Gateway (HTTP API): each request becomes an APIGatewayProxyEventV2 for the handler
// group the route table names, by the rules of gateway.ts (payload 2.0, base64 by content type, 6 MB counted on
// the event as Lambda counts it).
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import { routes, type HandlerGroup } from '../../functions/routes';
import {
  eventBytes,
  fromResult,
  HTTP_API_BODY_BYTES,
  LAMBDA_PAYLOAD_BYTES,
  toEvent,
  type GatewayAnswer,
} from './gateway';
import { API_HEADERS, hostRefusal, PAGE_HEADERS, Posture, type PostureOptions } from './posture';

export type LambdaHandler = (event: APIGatewayProxyEventV2) => Promise<APIGatewayProxyResultV2>;

export interface LocalServerOptions {
  handlers: Record<HandlerGroup, LambdaHandler>;
  /**
   * Served at `/` (e.g. the built browser page) when given. Until it holds an `index.html` (npm start builds
   * it in the background on a fresh clone), every GET outside /v1 gets a page that says so and reloads itself.
   */
  staticDir?: string;
  /** CORS origins and accepted Host names (posture.ts); default: the dev pane's origins, this machine's names. */
  posture?: PostureOptions;
}

interface CompiledRoute {
  method: string;
  routeKey: string;
  group: HandlerGroup;
  pattern: RegExp;
  params: string[];
}

const compiled: CompiledRoute[] = routes.map((r) => {
  const params: string[] = [];
  const source = r.path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{(\w+)\}/g, (_m, name: string) => {
    params.push(name);
    return '([^/]+)';
  });
  return {
    method: r.method,
    routeKey: `${r.method} ${r.path}`,
    group: r.group,
    pattern: new RegExp(`^${source}$`),
    params,
  };
});

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

function readBody(req: IncomingMessage): Promise<Buffer | null> {
  return new Promise((done, fail) => {
    const parts: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > HTTP_API_BODY_BYTES) over = true;
      else parts.push(chunk);
    });
    req.on('end', () => done(over ? null : Buffer.concat(parts)));
    req.on('error', fail);
  });
}

function writeAnswer(res: ServerResponse, answer: GatewayAnswer): void {
  res.writeHead(answer.status, { ...answer.headers, 'content-length': String(answer.body.length) });
  res.end(answer.body);
}

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.xml': 'application/xml',
  '.xlsx': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  '.woff2': 'font/woff2',
};

/** What `/` shows while the static folder is missing or being built: reloads itself every 3 s. */
export const PREPARING_PAGE =
  '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta http-equiv="refresh" content="3">' +
  '<meta name="viewport" content="width=device-width, initial-scale=1"><title>报送 · 网页版正在准备</title></head>' +
  '<body style="font-family: sans-serif; margin: 3em; color: #333"><p>网页版正在准备,稍候自动刷新…</p></body></html>';

function servePreparing(res: ServerResponse): void {
  const body = Buffer.from(PREPARING_PAGE, 'utf8');
  // no-store: once the page is built, the next reload must reach the real one.
  res.writeHead(200, {
    'content-type': 'text/html; charset=utf-8',
    'content-length': String(body.length),
    'cache-control': 'no-store',
  });
  res.end(body);
}

/** A path whose percent-encoding is broken (`/v1/submissions/%E0%A4%A`, `/%`) names nothing: 400, not a crash. */
function decodable(pathname: string): boolean {
  try {
    decodeURIComponent(pathname);
    return true;
  } catch {
    return false;
  }
}

const BAD_PATH = {
  error: { code: 'bad_request', message: '请求路径中的百分号编码(%)不完整或无效。请核对链接后重试。' },
};

function serveStatic(root: string, url: URL, res: ServerResponse): void {
  const base = resolve(root);
  // The build swaps in a complete folder; before that (no folder, or none with an index.html yet) nothing is served.
  if (!existsSync(join(base, 'index.html'))) return servePreparing(res);
  let file = normalize(join(base, decodeURIComponent(url.pathname)));
  if (file !== base && !file.startsWith(base + sep))
    return sendJson(res, 404, { error: { code: 'not_found', message: '找不到该文件。' } });
  try {
    if (statSync(file).isDirectory()) file = join(file, 'index.html');
    const size = statSync(file).size;
    res.writeHead(200, {
      'content-type': MIME[extname(file)] ?? 'application/octet-stream',
      'content-length': String(size),
    });
    createReadStream(file).pipe(res);
  } catch {
    // The page asks for the deployed API's address on every load; locally the API is this origin.
    if (url.pathname === '/config.json') return sendJson(res, 200, { apiUrl: '' });
    sendJson(res, 404, { error: { code: 'not_found', message: `找不到 ${url.pathname}。` } });
  }
}

export function createLocalServer(opts: LocalServerOptions): Server {
  const posture = new Posture(opts.posture);
  return createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      // Defaults for every answer (writeHead's own headers add to them): security headers, CORS for allowed origins.
      const base = url.pathname.startsWith('/v1/') ? API_HEADERS : PAGE_HEADERS;
      for (const [name, value] of Object.entries({ ...base, ...posture.cors(req.headers.origin) }))
        res.setHeader(name, value);
      if (!posture.hostAllowed(req.headers.host)) {
        req.resume();
        return sendJson(res, 403, hostRefusal(req.headers.host));
      }
      if (req.method === 'OPTIONS') {
        res.writeHead(204);
        res.end();
        return;
      }
      if (!decodable(url.pathname)) {
        req.resume();
        return sendJson(res, 400, BAD_PATH);
      }
      let match: RegExpExecArray | null = null;
      const route = compiled.find((r) => r.method === req.method && (match = r.pattern.exec(url.pathname)) !== null);
      if (!route || !match) {
        if (opts.staticDir && req.method === 'GET' && !url.pathname.startsWith('/v1/')) {
          req.resume();
          return serveStatic(opts.staticDir, url, res);
        }
        req.resume();
        return sendJson(res, 404, {
          error: { code: 'not_found', message: `没有这个接口:${req.method} ${url.pathname}。请核对请求的方法和路径。` },
        });
      }
      const body = await readBody(req);
      const params = route.params;
      const found = match as RegExpExecArray;
      const event =
        body &&
        toEvent(
          req,
          url,
          {
            routeKey: route.routeKey,
            pathParameters: params.length
              ? Object.fromEntries(params.map((p, i) => [p, decodeURIComponent(found[i + 1])])) // checked by decodable()
              : undefined,
          },
          body,
        );
      if (!event || eventBytes(event) > LAMBDA_PAYLOAD_BYTES) {
        // AWS answers this itself (the function never runs); the message here is ours, in Chinese.
        return sendJson(res, 413, {
          error: {
            code: 'payload_too_large',
            message: `请求体超过 ${LAMBDA_PAYLOAD_BYTES / 1024 / 1024} MB(压缩内容按 base64 计,约为原字节数的 4/3)。加载项会自动压缩,超过约 16,000 行附件1 时自动分段上传后一次提交;自行调用接口时请照此分段(POST /v1/submissions/parts/{n})。`,
          },
        });
      }
      writeAnswer(res, fromResult(await opts.handlers[route.group](event)));
    } catch {
      if (!res.headersSent)
        sendJson(res, 500, { error: { code: 'internal', message: '本地服务出错,请查看终端输出后重试。' } });
      else res.destroy();
    }
  });
}
