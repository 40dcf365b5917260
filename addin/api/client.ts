// The API client of DESIGN §4. Framework-free (fetch, CompressionStream), so the task pane and the browser-mode
// page share it. Every failure reaches the user as an ApiError whose message is Chinese and says what to do.
import type { FormId, Issue } from '../../forms/types';
import type {
  CallbackResultInput,
  CallbackSampleResponse,
  CampaignResponse,
  ConsolidatedResponse,
  ConsolidatedWirePage,
  ProgressResponse,
  HistoryResponse,
  MeResponse,
  ContactRequest,
  Receipt,
  RemindersResponse,
  Review,
  ReviewRequest,
  ReviewResponse,
  StatsResponse,
  StatusResponse,
  SubmissionResponse,
  SubmissionSummary,
  SubmitRequest,
  UnitContact,
} from '../../contract/api';
import {
  COMPRESSED_BODY_TYPE,
  consolidatedFromWire,
  MAX_COMPRESSED_REQUEST_BYTES,
  MAX_PARTS,
  MAX_PLAIN_REQUEST_BYTES,
  NEXT_CURSOR_HEADER,
  RANGES_HEADER,
  PART_TARGET_BYTES,
  type PartReceipt,
  type PartRef,
} from '../../contract/api';
import { nextInChain, pagesInOrder, rangesInHeader, type PageLinks, type RangesHeard } from '../../contract/paging';

export interface ClientOptions {
  /** Server origin, e.g. `https://localhost:3000`; '' means the page's own origin (the dev proxy). */
  baseUrl: string;
  token: string;
  /** The campaign every campaign-scoped request names (`campaign`); absent: the server's default for the unit. */
  campaign?: string;
  fetch?: typeof fetch;
  /** Attempts per request including the first; network errors, 429 and 5xx are retried. */
  maxAttempts?: number;
  /** First backoff delay; doubles each retry, with jitter. */
  backoffMs?: number;
  /** Bodies larger than this are sent gzip-compressed. */
  gzipThresholdBytes?: number;
  sleep?: (ms: number) => Promise<void>;
}

export interface RequestProgress {
  phase: 'compressing' | 'sending' | 'retrying' | 'receiving' | 'page';
  attempt?: number;
  page?: number;
  /** A large sheet goes in parts: which one (1-based) of how many. */
  part?: number;
  parts?: number;
  /** Bytes on the wire for the request body. */
  bytes?: number;
}

export interface SubmitOptions {
  /** Chosen once per click (newIdempotencyKey) and reused by every retry of that click. */
  idempotencyKey: string;
  onProgress?: (p: RequestProgress) => void;
}

/** What a request carries besides its method and path. */
interface RequestOptions {
  body?: unknown;
  /** The body already encoded (encode()), instead of `body`. */
  encoded?: EncodedBody;
  headers?: Record<string, string>;
  onProgress?: (p: RequestProgress) => void;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly issues: Issue[] = [],
    /** The server's own text, kept for support; `message` is what the user reads. */
    readonly serverMessage?: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export function newIdempotencyKey(): string {
  return globalThis.crypto.randomUUID();
}

const RETRYABLE = (status: number) => status === 429 || status >= 500;

/** What the user reads for each failure; the server's own sentence is appended where it adds detail. */
export function messageForStatus(status: number, serverMessage?: string): string {
  const detail = serverMessage ? `(${serverMessage.replace(/[。.]+$/, '')})` : '';
  switch (status) {
    case 400:
      return `请求格式有误${detail}。请更新加载项后重试。`;
    case 401:
      return `令牌无效或已被吊销${detail}。请在「连接」中重新填写管理员发放的令牌。`;
    case 403:
      return `当前令牌无权执行此操作${detail}。县级令牌只能报送和查看本单位数据,汇总与统计需要州级令牌。`;
    case 404:
      return `未找到所请求的数据${detail}。请确认轮次和表格后重试。`;
    case 409:
      return `提交冲突${detail}:本轮已有他人提交了更新的版本。请先「拉取上次填报」核对后再提交。`;
    case 413:
      return `提交的数据过大${detail}。请删除表格中多余的空行或说明行后重试,或分表提交。`;
    case 422:
      return `数据未通过服务器校验${detail}。请按下方问题列表修改后重新提交。`;
    case 429:
      return `服务器繁忙${detail},请稍候一分钟后重试。`;
    default:
      return status >= 500
        ? `服务器暂时无法处理请求(${status})${detail}。请稍后重试;多次失败请联系州环境保护督察问题整改工作领导小组办公室。`
        : `请求失败(${status})${detail}。`;
  }
}

const NETWORK_MESSAGE = '无法连接服务器。请检查网络和「连接」中的服务器地址后重试。';

export async function gzip(text: string): Promise<Uint8Array> {
  // Response rather than Blob: jsdom's Blob has no stream(); both browsers and Node give Response a byte stream.
  const stream = new Response(text).body!.pipeThrough(new CompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

export class ApiClient {
  private readonly fetchImpl: typeof fetch;
  private readonly maxAttempts: number;
  private readonly backoffMs: number;
  private readonly gzipThreshold: number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly opts: ClientOptions) {
    this.fetchImpl = opts.fetch ?? globalThis.fetch.bind(globalThis);
    this.maxAttempts = opts.maxAttempts ?? 4;
    this.backoffMs = opts.backoffMs ?? 500;
    this.gzipThreshold = opts.gzipThresholdBytes ?? 64 * 1024;
    this.sleep = opts.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
  }

  me(): Promise<MeResponse> {
    return this.request<MeResponse>('GET', '/v1/me');
  }

  /** The campaign document; with `round`, each form at the version that applies to that round. */
  campaign(id: string, round?: string): Promise<CampaignResponse> {
    return this.request<CampaignResponse>('GET', `/v1/campaigns/${encodeURIComponent(id)}` + toQuery({ round }));
  }

  /**
   * One request when the body fits Lambda's 6 MB (counted in base64 for a compressed body); otherwise the rows
   * go in parts under the click's Idempotency-Key and one last request commits them all at once.
   */
  async submit(request: SubmitRequest, opts: SubmitOptions): Promise<Receipt> {
    const body: SubmitRequest =
      this.opts.campaign && request.campaign === undefined ? { campaign: this.opts.campaign, ...request } : request;
    const headers = { 'Idempotency-Key': opts.idempotencyKey };
    const encoded = await this.encode(JSON.stringify(body), opts.onProgress);
    const limit = encoded.compressed ? MAX_COMPRESSED_REQUEST_BYTES : MAX_PLAIN_REQUEST_BYTES;
    if (encoded.payload.byteLength <= limit || body.rows.length < 2) {
      return this.request<Receipt>('POST', '/v1/submissions', { encoded, headers, onProgress: opts.onProgress });
    }
    const target = encoded.compressed ? PART_TARGET_BYTES : MAX_PLAIN_REQUEST_BYTES / 2;
    const count = Math.min(MAX_PARTS, Math.ceil(encoded.payload.byteLength / target));
    const perPart = Math.ceil(body.rows.length / count);
    const parts: PartRef[] = [];
    for (let i = 0; i * perPart < body.rows.length; i++) {
      const rows = body.rows.slice(i * perPart, (i + 1) * perPart);
      const part = await this.request<PartReceipt>('POST', `/v1/submissions/parts/${i}`, {
        encoded: await this.encode(JSON.stringify(rows)),
        headers,
        onProgress: (p) => opts.onProgress?.({ ...p, part: i + 1, parts: count }),
      });
      parts.push({ sha256: part.sha256, rows: rows.length });
    }
    return this.request<Receipt>('POST', '/v1/submissions', {
      body: { ...body, rows: [], parts },
      headers,
      onProgress: opts.onProgress,
    });
  }

  async history(query: { form?: FormId; round?: string; unit?: string }): Promise<SubmissionSummary[]> {
    return (await this.request<HistoryResponse>('GET', '/v1/submissions' + this.query(query))).submissions;
  }

  /** 通过 or 退回 a unit's current submission (prefecture); 409 when the unit has submitted again meanwhile. */
  /** Records a review; the click's Idempotency-Key makes a retry safe (the history holds the review once). */
  async review(id: string, body: ReviewRequest, idempotencyKey: string): Promise<Review> {
    const path = `/v1/submissions/${encodeURIComponent(id)}/review`;
    const headers = { 'Idempotency-Key': idempotencyKey };
    return (await this.request<ReviewResponse>('POST', path, { body, headers })).review;
  }

  submission(id: string, onProgress?: (p: RequestProgress) => void): Promise<SubmissionResponse> {
    return this.allPages<SubmissionResponse>(`/v1/submissions/${encodeURIComponent(id)}`, onProgress);
  }

  /** The unit's current submission of a form with all its rows, or null when it has none yet. */
  async latest(
    unit: string,
    form: FormId,
    onProgress?: (p: RequestProgress) => void,
  ): Promise<SubmissionResponse | null> {
    try {
      return await this.allPages<SubmissionResponse>(
        `/v1/units/${encodeURIComponent(unit)}/forms/${encodeURIComponent(form)}/latest` + this.query({}),
        onProgress,
      );
    } catch (err) {
      if (err instanceof ApiError && err.status === 404) return null;
      throw err;
    }
  }

  /** Every unit's rows for the round, all pages joined in server order. */
  consolidated<F extends FormId>(
    form: F,
    round: string,
    onProgress?: (p: RequestProgress) => void,
  ): Promise<ConsolidatedResponse<F>> {
    return this.allPages<ConsolidatedResponse<F>, ConsolidatedWirePage<F>>(
      `/v1/consolidated/${encodeURIComponent(form)}` + this.query({ round }),
      onProgress,
      consolidatedFromWire,
    );
  }

  status(round?: string): Promise<StatusResponse> {
    return this.request<StatusResponse>('GET', '/v1/status' + this.query({ round }));
  }

  /** The 催报 list of a round (prefecture). */
  reminders(round?: string): Promise<RemindersResponse> {
    return this.request<RemindersResponse>('GET', '/v1/reminders' + toQuery({ round }));
  }

  /** Registers or edits the unit's own contact person. */
  async saveContact(unit: string, body: ContactRequest): Promise<UnitContact> {
    const path = `/v1/units/${encodeURIComponent(unit)}/contact`;
    return (await this.request<{ contact: UnitContact }>('POST', path, { body })).contact;
  }

  stats(round?: string): Promise<StatsResponse> {
    return this.request<StatsResponse>('GET', '/v1/stats' + this.query({ round }));
  }

  /** Every round of the campaign up to the one due next: reported, on time, closed, callbacks (prefecture). */
  progress(): Promise<ProgressResponse> {
    return this.request<ProgressResponse>('GET', '/v1/stats/rounds' + this.query({}));
  }

  /** Draws the round's callback sample, or answers the one drawn before (never redrawn). */
  drawSample(round: string, number?: string): Promise<CallbackSampleResponse> {
    return this.request<CallbackSampleResponse>('POST', '/v1/callbacks/sample', {
      body: { campaign: this.opts.campaign, round, ...(number ? { number } : {}) },
    });
  }

  /** The round's stored callback sample with its results, or null before it is drawn. */
  async callbackSample(round: string): Promise<CallbackSampleResponse | null> {
    try {
      return await this.request<CallbackSampleResponse>('GET', '/v1/callbacks/sample' + this.query({ round }));
    } catch (err) {
      if (err instanceof ApiError && err.status === 404 && err.code === 'not_found') return null;
      throw err;
    }
  }

  /** Records callback results; the click's Idempotency-Key makes a retry safe. */
  callbackResults(
    round: string,
    results: CallbackResultInput[],
    idempotencyKey: string,
  ): Promise<CallbackSampleResponse> {
    return this.request<CallbackSampleResponse>('POST', '/v1/callbacks/results', {
      body: { campaign: this.opts.campaign, round, results },
      headers: { 'Idempotency-Key': idempotencyKey },
    });
  }

  /** A query string with the client's campaign. */
  private query(params: Record<string, string | undefined>): string {
    return toQuery({ campaign: this.opts.campaign, ...params });
  }

  /**
   * Every page joined: follows `next` (a cursor or a URL) until the server stops sending one, and when the first
   * page plans the rest in `ranges`, reads those a few at a time (contract/paging.ts). `shape` makes each page as
   * sent into the page the caller wants, given the rows joined before it (a consolidated ledger's rows are tagged
   * and numbered where they land).
   */
  private async allPages<T extends { next?: string | null; rows: unknown[] }, Sent extends PageLinks = T>(
    path: string,
    onProgress?: (p: RequestProgress) => void,
    shape: (sent: Sent, rowsBefore: number) => T = (sent) => sent as unknown as T,
  ): Promise<T> {
    let received = 0;
    // The next page (or a consolidated ledger's ranges) is asked for as soon as a page's headers name its cursor,
    // before this page's body is read: the server builds page n+1 while this machine decodes page n. The body's
    // `next` and `ranges` are the fallback.
    const pageAt = (cursor: string | null): Promise<Response> => {
      const sent = this.send('GET', cursor === null ? path : nextUrl(path, cursor));
      sent.catch(() => {}); // awaited below; a page that fails before then must not be an unhandled rejection
      return sent;
    };
    const chain = async (cursor: string | null, heard?: RangesHeard): Promise<Sent[]> => {
      const pages: Sent[] = [];
      let pending: Promise<Response> | null = pageAt(cursor);
      while (pending) {
        // Pages arrive out of order when ranges are read at once: the one awaited is counted after those in.
        onProgress?.({ phase: 'page', page: received + 1 });
        const res: Response = await pending;
        const early = res.ok ? res.headers.get(NEXT_CURSOR_HEADER) : null;
        const planned = res.ok && heard ? rangesInHeader(res.headers.get(RANGES_HEADER)) : null;
        if (planned) heard!(planned);
        pending = early ? pageAt(early) : null;
        const page = await this.read<Sent>(res);
        received++;
        pages.push(page);
        const next = nextInChain(page);
        if (!early && next) pending = pageAt(next);
      }
      return pages;
    };
    const rows: unknown[] = [];
    let first: T | undefined;
    for (const sent of await pagesInOrder(chain)) {
      const got = shape(sent, rows.length);
      first ??= got;
      for (const row of got.rows) rows.push(row);
    }
    return { ...first!, rows, next: null };
  }

  async request<T>(method: 'GET' | 'POST', path: string, extra: RequestOptions = {}): Promise<T> {
    const res = await this.send(method, path, extra);
    extra.onProgress?.({ phase: 'receiving' });
    return this.read<T>(res);
  }

  /** Sends the request, retrying network errors, 429 and 5xx; the last answer, its body unread. */
  private async send(method: 'GET' | 'POST', path: string, extra: RequestOptions = {}): Promise<Response> {
    const encoded =
      extra.encoded ??
      (extra.body === undefined ? undefined : await this.encode(JSON.stringify(extra.body), extra.onProgress));
    const headers: Record<string, string> = {
      Accept: 'application/json',
      Authorization: `Bearer ${this.opts.token}`,
      ...extra.headers,
      ...encoded?.headers,
    };
    const payload = encoded?.payload as Uint8Array<ArrayBuffer> | undefined;
    const bytes = encoded?.payload.byteLength;
    const url = this.opts.baseUrl.replace(/\/+$/, '') + path;
    for (let attempt = 1; ; attempt++) {
      extra.onProgress?.({ phase: attempt === 1 ? 'sending' : 'retrying', attempt, bytes });
      let res: Response;
      try {
        res = await this.fetchImpl(url, { method, headers, body: payload });
      } catch {
        if (attempt < this.maxAttempts) {
          await this.sleep(this.delay(attempt));
          continue;
        }
        throw new ApiError(0, 'network', NETWORK_MESSAGE);
      }
      if (RETRYABLE(res.status) && attempt < this.maxAttempts) {
        await res.body?.cancel();
        await this.sleep(this.delay(attempt, res.headers.get('Retry-After')));
        continue;
      }
      return res;
    }
  }

  /** The answer's JSON, or its error as an ApiError with the user's message. */
  private async read<T>(res: Response): Promise<T> {
    const data = await readJson(res);
    if (res.ok) return data as T;
    const error = (data as { error?: { code?: string; message?: string; issues?: Issue[] } } | null)?.error;
    throw new ApiError(
      res.status,
      error?.code ?? `http.${res.status}`,
      messageForStatus(res.status, error?.message),
      error?.issues ?? [],
      error?.message,
    );
  }

  /** JSON text as it goes on the wire: gzip-compressed past the threshold where the WebView can compress. */
  private async encode(text: string, onProgress?: (p: RequestProgress) => void): Promise<EncodedBody> {
    const raw = new TextEncoder().encode(text);
    // Older WebViews (Safari before 16.4) lack CompressionStream: send as is (in parts when large).
    if (raw.byteLength <= this.gzipThreshold || typeof CompressionStream === 'undefined') {
      return { payload: raw, headers: { 'Content-Type': 'application/json' }, compressed: false };
    }
    onProgress?.({ phase: 'compressing', bytes: raw.byteLength });
    // A binary type, so that API Gateway passes the bytes on base64-encoded, not as (broken) UTF-8 text.
    return {
      payload: await gzip(text),
      headers: { 'Content-Type': COMPRESSED_BODY_TYPE, 'Content-Encoding': 'gzip' },
      compressed: true,
    };
  }

  private delay(attempt: number, retryAfter?: string | null): number {
    const seconds = retryAfter ? Number(retryAfter) : NaN;
    if (Number.isFinite(seconds) && seconds >= 0) return Math.min(seconds * 1000, 30_000);
    const base = this.backoffMs * 2 ** (attempt - 1);
    return base / 2 + Math.random() * (base / 2);
  }
}

interface EncodedBody {
  payload: Uint8Array;
  headers: Record<string, string>;
  compressed: boolean;
}

async function readJson(res: Response): Promise<unknown> {
  const text = await res.text();
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

function toQuery(params: Record<string, string | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v) q.set(k, v);
  const s = q.toString();
  return s ? `?${s}` : '';
}

/** `next` may be a path (`/v1/...`), an absolute URL, or an opaque cursor for the `cursor` parameter. */
function nextUrl(firstPath: string, next: string): string {
  if (next.startsWith('/')) return next;
  if (/^https?:\/\//.test(next)) {
    const u = new URL(next);
    return u.pathname + u.search;
  }
  const u = new URL(firstPath, 'http://x');
  u.searchParams.set('cursor', next);
  return u.pathname + u.search;
}
