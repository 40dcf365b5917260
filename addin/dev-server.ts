// `npm run dev`: the task pane over HTTPS on https://localhost:3000 (Excel loads add-ins only over HTTPS and
// blocks calls to plain http:// from them), with /v1 proxied to the local API so the pane calls its own origin.
//   env API_URL   where the API listens (default http://127.0.0.1:8787, what `npm start` serves)
//   env ADDIN_PORT the port (default 3000, the one in manifest.xml)
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServer, type ViteDevServer } from 'vite';

export interface DevServerOptions {
  port?: number;
  apiUrl?: string;
  /**
   * Where the certificates are. Default: office-addin-dev-certs' own folder (~/.office-addin-dev-certs), with
   * its CA installed into the system's trust store. With a folder given, certificates are only generated there
   * and nothing is installed (tests, machines where installing is not allowed).
   */
  certDir?: string;
  log?: (line: string) => void;
}

export interface HttpsFiles {
  ca: Buffer;
  cert: Buffer;
  key: Buffer;
}

const configFile = fileURLToPath(new URL('./vite.config.ts', import.meta.url));

const TRUST_HELP = [
  '无法自动把开发证书加入系统信任列表(常见于 Linux、容器或没有管理员权限的电脑)。',
  'The development CA could not be installed into the system trust store (common on Linux, containers, or without admin rights).',
  '请手动信任下面的 CA 证书后重新打开 Excel / 浏览器 / Trust this CA certificate manually, then restart Excel or the browser:',
  '  Windows: 双击 ca.crt → 安装证书 → 本地计算机 → 受信任的根证书颁发机构 / double-click ca.crt → Install → Trusted Root Certification Authorities',
  '  macOS:   sudo security add-trusted-cert -d -r trustRoot -k /Library/Keychains/System.keychain ca.crt',
  '  Debian/Ubuntu: sudo cp ca.crt /usr/local/share/ca-certificates/office-addin-dev.crt && sudo update-ca-certificates',
  '在 Excel 网页版中使用时,只需浏览器信任该证书 / For Excel on the web only the browser must trust it.',
];

export async function devHttpsFiles(opts: Pick<DevServerOptions, 'certDir' | 'log'> = {}): Promise<HttpsFiles> {
  const certs = await import('office-addin-dev-certs');
  const log = opts.log ?? ((l: string) => process.stderr.write(`${l}\n`));
  if (!opts.certDir) {
    try {
      const o = await certs.getHttpsServerOptions();
      return {
        ca: Buffer.from(o.ca as Buffer),
        cert: Buffer.from(o.cert as Buffer),
        key: Buffer.from(o.key as Buffer),
      };
    } catch (err) {
      log(`${(err as Error).message.split('\n')[0]}`);
    }
  }
  const dir = opts.certDir ?? join(homedir(), '.office-addin-dev-certs');
  const paths = { ca: join(dir, 'ca.crt'), cert: join(dir, 'localhost.crt'), key: join(dir, 'localhost.key') };
  if (!existsSync(paths.cert) || !existsSync(paths.key)) {
    mkdirSync(dir, { recursive: true });
    await certs.generateCertificates(paths.ca, paths.cert, paths.key, 30, ['127.0.0.1', 'localhost']);
  }
  if (!opts.certDir) for (const line of [...TRUST_HELP, `  CA: ${paths.ca}`]) log(line);
  return { ca: readFileSync(paths.ca), cert: readFileSync(paths.cert), key: readFileSync(paths.key) };
}

export async function startDevServer(
  opts: DevServerOptions = {},
): Promise<{ url: string; server: ViteDevServer; close(): Promise<void> }> {
  const port = opts.port ?? Number(process.env.ADDIN_PORT ?? 3000);
  const apiUrl = opts.apiUrl ?? process.env.API_URL ?? 'http://127.0.0.1:8787';
  const https = await devHttpsFiles(opts);
  const server = await createServer({
    configFile,
    logLevel: opts.log ? 'silent' : 'info',
    server: {
      https,
      host: 'localhost',
      port,
      strictPort: true,
      proxy: {
        // The browser page for WPS users, which the pane names where it cannot run (taskpane/start.ts), lives at
        // <site>/browser/ on CloudFront; here it comes from the local API's origin, which serves it at /.
        '/browser': {
          target: apiUrl,
          changeOrigin: true,
          rewrite: (path) => path.replace(/^\/browser/, '') || '/',
        },
        '/v1': {
          target: apiUrl,
          changeOrigin: true,
          // The pane shows error.message: say why and what to do instead of a bare 502.
          configure: (proxy) => {
            proxy.on('error', (_err, _req, res) => {
              if (!('writeHead' in res) || res.headersSent) return;
              res.writeHead(502, { 'content-type': 'application/json; charset=utf-8' });
              res.end(
                JSON.stringify({
                  error: {
                    code: 'api_unreachable',
                    message: `开发服务器连不上本地 API(${apiUrl}),请先在另一个终端运行 npm start`,
                  },
                }),
              );
            });
          },
        },
      },
    },
  });
  await server.listen();
  const address = server.httpServer?.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  return { url: `https://localhost:${actualPort}`, server, close: () => server.close() };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  try {
    const { url } = await startDevServer();
    const api = process.env.API_URL ?? 'http://127.0.0.1:8787';
    process.stdout.write(
      [
        `报送任务窗格 / task pane: ${url}/taskpane.html`,
        `/v1 → ${api}(先在另一个终端运行 npm start / run "npm start" in another terminal first)`,
        '旁加载到 Excel 的方法见 addin/README.md / How to sideload: addin/README.md',
        '',
      ].join('\n'),
    );
  } catch (err) {
    const message = (err as Error).message;
    process.stderr.write(
      /EADDRINUSE|already in use|Port \d+ is in use/i.test(message)
        ? `端口已被占用:请关闭占用 3000 端口的程序后重试 / Port 3000 is in use: stop the other program and retry.\n`
        : `开发服务器无法启动 / dev server failed: ${message}\n`,
    );
    process.exit(1);
  }
}
