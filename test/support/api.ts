// A small HTTP client for tests and benchmarks: the API as an external client sees it.
import { gzipSync } from 'node:zlib';
import { COMPRESSED_BODY_TYPE } from '../../contract/api';

export interface Answer<T = any> {
  status: number;
  body: T;
  /** Bytes on the wire (compressed when the server gzipped). */
  bytes: number;
  headers: Headers;
}

export interface CallOptions {
  token?: string;
  body?: unknown;
  /** Raw bytes sent as they are (e.g. malformed JSON). */
  rawBody?: string | Uint8Array;
  /** Compressed as the add-in sends it: COMPRESSED_BODY_TYPE with Content-Encoding: gzip. */
  gzip?: boolean;
  idempotencyKey?: string;
  acceptGzip?: boolean;
  /** Extra request headers (e.g. `content-encoding` for a body compressed beforehand). */
  headers?: Record<string, string>;
}

export async function call<T = any>(
  apiUrl: string,
  method: 'GET' | 'POST',
  path: string,
  opts: CallOptions = {},
): Promise<Answer<T>> {
  const headers: Record<string, string> = {};
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  if (opts.idempotencyKey) headers['idempotency-key'] = opts.idempotencyKey;
  // undici's fetch asks for gzip by default; make the choice explicit.
  headers['accept-encoding'] = opts.acceptGzip ? 'gzip' : 'identity';
  let body: string | Uint8Array | undefined =
    opts.rawBody ?? (opts.body === undefined ? undefined : JSON.stringify(opts.body));
  if (body !== undefined) {
    headers['content-type'] = 'application/json';
    if (opts.gzip) {
      body = gzipSync(typeof body === 'string' ? Buffer.from(body, 'utf8') : body);
      headers['content-type'] = COMPRESSED_BODY_TYPE;
      headers['content-encoding'] = 'gzip';
    }
  }
  Object.assign(headers, opts.headers);
  const res = await fetch(apiUrl + path, { method, headers, body: body as BodyInit | undefined });
  const text = await res.text();
  const bytes = Number(res.headers.get('content-length') ?? Buffer.byteLength(text));
  return { status: res.status, body: text ? JSON.parse(text) : null, bytes, headers: res.headers };
}

/** Follows `next` cursors; returns the first page with all rows joined, and the largest page size in bytes. */
export async function allPages<T extends { rows: unknown[]; next: string | null }>(
  apiUrl: string,
  path: string,
  opts: CallOptions = {},
): Promise<{ first: Answer<T>; rows: T['rows']; pages: number; largestBytes: number }> {
  const sep = path.includes('?') ? '&' : '?';
  const first = await call<T>(apiUrl, 'GET', path, opts);
  if (first.status !== 200) return { first, rows: [], pages: 1, largestBytes: first.bytes };
  const rows = [...first.body.rows];
  let next = first.body.next;
  let pages = 1;
  let largestBytes = first.bytes;
  while (next) {
    const page = await call<T>(apiUrl, 'GET', `${path}${sep}cursor=${encodeURIComponent(next)}`, opts);
    if (page.status !== 200) throw new Error(`page ${pages + 1}: ${page.status} ${JSON.stringify(page.body)}`);
    rows.push(...page.body.rows);
    largestBytes = Math.max(largestBytes, page.bytes);
    next = page.body.next;
    pages++;
  }
  return { first, rows, pages, largestBytes };
}
