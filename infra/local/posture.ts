// How the local server presents itself to browsers (issue 12): security headers on the page and the API, CORS for
// the pane's origins only (as the cloud API allows only the add-in's origin), and a Host-header guard: a web page
// elsewhere could otherwise point a DNS name at 127.0.0.1 (DNS rebinding) and read the API as same-origin.
import { NEXT_CURSOR_HEADER, RANGES_HEADER } from '../../contract/api';

/** Where the task pane runs in development (`npm run dev`); it proxies /v1, but a direct call must work too. */
export const DEFAULT_PANE_ORIGINS = ['https://localhost:3000', 'https://127.0.0.1:3000'];

/** Host names the server answers to unless configured: this machine only. */
export const LOCAL_HOSTS = ['127.0.0.1', 'localhost', '[::1]'];

/**
 * Office hosts that may frame a page of ours (Excel on the web, Microsoft 365, SharePoint/OneDrive); the desktop
 * apps load panes in their own web view and need no entry.
 */
const OFFICE_FRAME_ANCESTORS = [
  'https://*.officeapps.live.com',
  'https://*.office.com',
  'https://*.office365.com',
  'https://*.microsoft365.com',
  'https://*.sharepoint.com',
  'https://*.live.com',
];

/**
 * The browser page: its own scripts and styles only (Fluent UI injects style elements, hence 'unsafe-inline' for
 * styles, never for scripts), data/blob images (charts, downloads), API calls to its own origin.
 */
const PAGE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  `frame-ancestors 'self' ${OFFICE_FRAME_ANCESTORS.join(' ')}`,
].join('; ');

const COMMON = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cross-origin-resource-policy': 'same-site',
};

/** Headers of every page and static file. */
export const PAGE_HEADERS: Record<string, string> = { ...COMMON, 'content-security-policy': PAGE_CSP };

/** Headers of every API answer: JSON or a download, never a document to render or frame. */
export const API_HEADERS: Record<string, string> = {
  ...COMMON,
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
  'x-frame-options': 'DENY',
};

export interface PostureOptions {
  /** Origins allowed to call the API from a browser (CORS). Default DEFAULT_PANE_ORIGINS; env CORS_ORIGINS. */
  corsOrigins?: string[];
  /** Host names (without port) the server answers to; `*` turns the guard off. Default LOCAL_HOSTS; env ALLOWED_HOSTS. */
  allowedHosts?: string[];
}

/** Options from the environment: comma-separated CORS_ORIGINS and ALLOWED_HOSTS. */
export function postureFromEnv(env: NodeJS.ProcessEnv): PostureOptions {
  const list = (value: string | undefined) =>
    value
      ?.split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  return { corsOrigins: list(env.CORS_ORIGINS), allowedHosts: list(env.ALLOWED_HOSTS) };
}

export class Posture {
  private readonly origins: Set<string>;
  private readonly hosts: Set<string> | null;

  constructor(opts: PostureOptions = {}) {
    this.origins = new Set(opts.corsOrigins ?? DEFAULT_PANE_ORIGINS);
    const hosts = opts.allowedHosts ?? LOCAL_HOSTS;
    this.hosts = hosts.includes('*') ? null : new Set([...hosts, ...LOCAL_HOSTS].map((h) => h.toLowerCase()));
  }

  /** Is the request addressed to a name this server answers to? (Host header without its port.) */
  hostAllowed(host: string | undefined): boolean {
    if (this.hosts === null) return true;
    if (!host) return false;
    const name = host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : host.replace(/:\d+$/, '');
    return this.hosts.has(name.toLowerCase());
  }

  /** CORS headers for this request's Origin: the origin echoed when allowed, nothing otherwise. */
  cors(origin: string | undefined): Record<string, string> {
    if (!origin || !this.origins.has(origin)) return { vary: 'origin' };
    return {
      'access-control-allow-origin': origin,
      'access-control-allow-methods': 'GET, POST, OPTIONS',
      'access-control-allow-headers': 'authorization, content-type, content-encoding, idempotency-key',
      'access-control-expose-headers': `content-encoding, content-disposition, retry-after, ${NEXT_CURSOR_HEADER}, ${RANGES_HEADER}`,
      'access-control-max-age': '600',
      vary: 'origin',
    };
  }
}

/** The Chinese refusal for a request to an unexpected Host name. */
export const hostRefusal = (host: string | undefined) => ({
  error: {
    code: 'forbidden_host',
    message: `本地服务只接受发往本机(127.0.0.1 或 localhost)的请求,收到的主机名是「${(host ?? '').slice(0, 100)}」。如需从其他地址访问,请设置环境变量 ALLOWED_HOSTS(以逗号分隔的主机名)后重新 npm start。`,
  },
});
