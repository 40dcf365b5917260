// A small HTTP client for tests and benchmarks: the API as an external client sees it.
import { Agent, request, type IncomingMessage } from 'node:http';
import { promisify } from 'node:util';
import { gunzip, gzipSync } from 'node:zlib';
import { COMPRESSED_BODY_TYPE, consolidatedFromWire, NEXT_CURSOR_HEADER, RANGES_HEADER } from '../../contract/api';
import { nextInChain, pagesInOrder, rangesInHeader, type PageLinks, type RangesHeard } from '../../contract/paging';
import { inflateChunkSize } from '../../functions/gzip-join';
import { utf8Text } from '../../functions/utf8';

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
  const res = await send(new URL(apiUrl + path), method, headers, body);
  const responseHeaders = new Headers();
  for (const [name, value] of Object.entries(res.headers))
    if (value !== undefined) responseHeaders.set(name, Array.isArray(value) ? value.join(', ') : value);
  return {
    headers: responseHeaders,
    answer: async () => {
      const wire = Buffer.concat(await res.toArray());
      // A browser inflates in its network stack, in one go; undici's fetch did it 16 KB at a time on the main
      // thread's callbacks, which made the client's share of a pull slower than any real client's.
      const gzipped = /^\s*(x-)?gzip\s*$/i.test(responseHeaders.get('content-encoding') ?? '');
      const raw = gzipped ? await gunzipAsync(wire, { chunkSize: inflateChunkSize(wire.length) }) : wire;
      const text = utf8Text(raw); // at a browser's speed, not Node 20's (functions/utf8.ts)
      const bytes = wire.length;
      const body = text ? JSON.parse(text) : null;
      // Like the add-in, a consolidated ledger page's rows are tagged with their units as they arrive.
      return { status: res.statusCode!, body: opts.wire ? body : shapedBody(body), bytes, headers: responseHeaders };
    },
  };
}

const gunzipAsync = promisify(gunzip);

/** One HTTP request; resolves once the answer's headers are in (its body is read from the stream later). */
function send(
  url: URL,
  method: string,
  headers: Record<string, string>,
  body: string | Uint8Array | undefined,
): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers, agent }, resolve);
    req.on('error', reject);
    req.end(body);
  });
}

/** Connections kept open between requests, as fetch keeps them. */
const agent = new Agent({ keepAlive: true });

/** Like the add-in, a consolidated ledger page's rows are tagged with their units as they arrive. */
const shapedBody = (body: any, rowsBefore?: number): any =>
  Array.isArray(body?.segments) ? consolidatedFromWire(body, rowsBefore) : body;

/**
 * Follows `next` cursors; returns the first page with all rows joined, and the largest page size in bytes. Like
 * the add-in, asks for the next page as soon as a page's headers name its cursor, then reads the page; and when
 * the first page plans the rest in `ranges`, reads those at the same time and joins them in order
 * (contract/paging.ts).
 */
export async function allPages<T extends { rows: unknown[]; next: string | null }>(
  apiUrl: string,
  path: string,
  opts: CallOptions = {},
): Promise<{ first: Answer<T>; rows: T['rows']; pages: number; largestBytes: number }> {
  const sep = path.includes('?') ? '&' : '?';
  type Opened = Awaited<ReturnType<typeof open<T>>>;
  // Pages are made consolidated once joined, numbered by where they land.
  const pageAt = (cursor: string | null): Promise<Opened> =>
    open<T>(apiUrl, 'GET', cursor === null ? path : `${path}${sep}cursor=${encodeURIComponent(cursor)}`, {
      ...opts,
      wire: true,
    });
  const chain = async (cursor: string | null, heard?: RangesHeard): Promise<Answer<T>[]> => {
    const pages: Answer<T>[] = [];
    let pending: Promise<Opened> | null = pageAt(cursor);
    while (pending) {
      const opened: Opened = await pending;
      const planned = heard ? rangesInHeader(opened.headers.get(RANGES_HEADER)) : null;
      if (planned) heard!(planned);
      const early: string | null = opened.headers.get(NEXT_CURSOR_HEADER);
      pending = early ? pageAt(early) : null;
      const page = await opened.answer();
      pages.push(page);
      if (page.status !== 200) break;
      const next = nextInChain(page.body);
      if (!early && next) pending = pageAt(next);
    }
    return pages;
  };
  const all = await pagesInOrder<Answer<T> & PageLinks>(async (cursor, heard) =>
    (await chain(cursor, heard)).map((page) => Object.assign(page, links(page))),
  );
  const [first] = all;
  if (first.status !== 200) return { first, rows: [], pages: 1, largestBytes: first.bytes };
  const rows: unknown[] = [];
  let largestBytes = 0;
  let shapedFirst: Answer<T> | undefined;
  for (const [n, page] of all.entries()) {
    if (page.status !== 200) throw new Error(`page ${n + 1}: ${page.status} ${JSON.stringify(page.body)}`);
    largestBytes = Math.max(largestBytes, page.bytes);
    const body = opts.wire ? page.body : shapedBody(page.body, rows.length);
    shapedFirst ??= { status: page.status, body, bytes: page.bytes, headers: page.headers };
    for (const row of body.rows) rows.push(row);
  }
  return { first: shapedFirst!, rows, pages: all.length, largestBytes };
}

/** A page's links, for pagesInOrder: none on an error (its chain ends there, and allPages reports it). */
const links = (page: Answer): PageLinks =>
  page.status === 200 ? { next: page.body?.next ?? null, ranges: page.body?.ranges } : {};
