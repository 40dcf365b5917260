// A real HTTP server on a free port whose answers a test scripts, for the failure modes a real backend will not
// produce on demand (dropped connections, 503, 429, 422 with issues). It records every request it saw.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { gunzipSync } from 'node:zlib';

export interface SeenRequest {
  method: string;
  url: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** The raw body as sent (compressed when Content-Encoding says so). */
  raw: Buffer;
  /** The JSON body, decompressed; undefined when there was none. */
  json: unknown;
}

export type Reply =
  | {
      status: number;
      body?: unknown;
      headers?: Record<string, string>;
      /** The status and headers go out at once, the body only when this settles (a slow page on the wire). */
      bodyAfter?: Promise<void>;
    }
  | 'drop';

export interface ScriptedServer {
  baseUrl: string;
  seen: SeenRequest[];
  close(): Promise<void>;
}

export async function scriptedServer(
  reply: (req: SeenRequest, index: number) => Reply | Promise<Reply>,
): Promise<ScriptedServer> {
  const seen: SeenRequest[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const raw = Buffer.concat(chunks);
      const text = raw.length
        ? (req.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw).toString('utf8')
        : '';
      const url = req.url ?? '/';
      const request = {
        method: req.method ?? 'GET',
        url,
        path: url.split('?')[0],
        headers: req.headers,
        raw,
        json: text ? JSON.parse(text) : undefined,
      };
      seen.push(request);
      const r = await reply(request, seen.length - 1);
      if (r === 'drop') return void req.socket.destroy();
      res.writeHead(r.status, { 'content-type': 'application/json', ...r.headers });
      if (r.bodyAfter) {
        res.flushHeaders();
        await r.bodyAfter;
      }
      res.end(r.body === undefined ? '' : JSON.stringify(r.body));
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', () => done()));
  const { port } = server.address() as { port: number };
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    seen,
    close: () =>
      new Promise<void>((done) => {
        server.close(() => done());
        server.closeAllConnections();
      }),
  };
}
