// A small HTTP client for tests and benchmarks: the API as an external client sees it.
import { transcode } from 'node:buffer';
import { gzipSync } from 'node:zlib';
import { COMPRESSED_BODY_TYPE, consolidatedFromWire, NEXT_CURSOR_HEADER } from '../../contract/api';

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
  /** A consolidated ledger page as sent (its rows untagged, with segments), not as clients make it. */
  wire?: boolean;
}

export async function call<T = any>(
  apiUrl: string,
  method: 'GET' | 'POST',
  path: string,
  opts: CallOptions = {},
): Promise<Answer<T>> {
  return (await open<T>(apiUrl, method, path, opts)).answer();
}

/** The request sent and its headers in; the body read by `answer()` (a pager asks for the next page first). */
async function open<T>(
  apiUrl: string,
  method: 'GET' | 'POST',
  path: string,
  opts: CallOptions,
): Promise<{ headers: Headers; answer: () => Promise<Answer<T>> }> {
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
  return {
    headers: res.headers,
    answer: async () => {
      const raw = Buffer.from(await res.arrayBuffer());
      const text = utf8Text(raw);
      const bytes = Number(res.headers.get('content-length') ?? raw.length);
      const body = text ? JSON.parse(text) : null;
      // Like the add-in, a consolidated ledger page's rows are tagged with their units as they arrive.
      const shaped = !opts.wire && Array.isArray(body?.segments) ? consolidatedFromWire(body) : body;
      return { status: res.status, body: shaped, bytes, headers: res.headers };
    },
  };
}

/**
 * UTF-8 → text as a browser decodes it. Node 20's TextDecoder (and so `Response.text()`) decodes Chinese text at
 * ~120 MB/s, several times slower than a browser's; ICU's transcoder gets within reach, and benchmarks then time
 * the API, not Node's decoder.
 */
function utf8Text(bytes: Buffer): string {
  try {
    return transcode(bytes, 'utf8', 'ucs2').toString('ucs2');
  } catch {
    return bytes.toString('utf8'); // a Node built without ICU
  }
}

/**
 * Follows `next` cursors; returns the first page with all rows joined, and the largest page size in bytes. Like
 * the add-in, asks for the next page as soon as a page's headers name its cursor, then reads the page.
 */
export async function allPages<T extends { rows: unknown[]; next: string | null }>(
  apiUrl: string,
  path: string,
  opts: CallOptions = {},
): Promise<{ first: Answer<T>; rows: T['rows']; pages: number; largestBytes: number }> {
  const sep = path.includes('?') ? '&' : '?';
  type Opened = Awaited<ReturnType<typeof open<T>>>;
  const pageAt = (cursor: string | null): Promise<Opened> =>
    open<T>(apiUrl, 'GET', cursor === null ? path : `${path}${sep}cursor=${encodeURIComponent(cursor)}`, opts);
  let pending: Promise<Opened> | null = pageAt(null);
  let first: Answer<T> | undefined;
  const rows: unknown[] = [];
  let pages = 0;
  let largestBytes = 0;
  while (pending) {
    const opened: Opened = await pending;
    const early: string | null = opened.headers.get(NEXT_CURSOR_HEADER);
    pending = early ? pageAt(early) : null;
    const page = await opened.answer();
    pages++;
    largestBytes = Math.max(largestBytes, page.bytes);
    if (page.status !== 200) {
      if (!first) return { first: page, rows: [], pages: 1, largestBytes: page.bytes };
      throw new Error(`page ${pages}: ${page.status} ${JSON.stringify(page.body)}`);
    }
    first ??= page;
    for (const row of page.body.rows) rows.push(row);
    if (!early && page.body.next) pending = pageAt(page.body.next);
  }
  return { first: first!, rows, pages, largestBytes };
}
