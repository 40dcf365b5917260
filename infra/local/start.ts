// `npm start`: the whole backend on this machine. Env: PORT (8787), DATA_DIR (.data), DYNAMODB_PORT (8000).
import { JavaMissingError } from './dynamodb-local';
import { dropNodeVersionWarning } from './warnings';
import { postureFromEnv } from './posture';
import { startLocalStack } from './stack';
import { browserDistDir, ensureBrowserBuild } from '../../addin/browser/build';

dropNodeVersionWarning();
const port = Number(process.env.PORT || 8787);
const dataDir = process.env.DATA_DIR || '.data';
const dynamodbPort = Number(process.env.DYNAMODB_PORT || 8000);

try {
  const stack = await startLocalStack({
    port,
    dataDir,
    dynamodbPort,
    staticDir: process.env.STATIC_DIR || browserDistDir,
    posture: postureFromEnv(process.env),
    // One server for every user: uploads and pulls of rows run on threads, small requests answer meanwhile.
    threads: true,
  });
  const lines = [
    `报送 API 已启动:${stack.apiUrl}`,
    `网页版(WPS 用户用浏览器打开):${stack.apiUrl}/`,
    `DynamoDB Local:${stack.dynamodbEndpoint}(数据目录 ${dataDir})`,
    '演示令牌(也已写入 ' + stack.tokensFile + '):',
    // The admin token can do everything: it stays in the file (readable by this user only), off the terminal.
    ...Object.entries(stack.tokens)
      .filter(([unit]) => unit !== 'admin')
      .map(([unit, token]) => `  ${unit.padEnd(9)} ${token}`),
    `  管理员令牌不在终端显示,见 ${stack.tokensFile}("admin")。`,
    '按 Ctrl-C 停止。',
  ];
  process.stdout.write(lines.join('\n') + '\n');
  // The API is up at once; the page is (re)built behind it when dist/browser is missing or stale. Until the
  // first build lands, / answers a Chinese "being prepared" page that reloads itself (server.ts).
  if (!process.env.STATIC_DIR) {
    ensureBrowserBuild({ log: (line) => process.stderr.write(line + '\n') }).catch((err: Error) =>
      process.stderr.write(`浏览器页面构建失败:${err.message}。API 不受影响;请运行 npm install 后重新 npm start。\n`),
    );
  }
  let stopping = false;
  const shutdown = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`收到 ${signal},正在停止…\n`);
    stack.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGHUP', () => shutdown('SIGHUP'));
} catch (err) {
  if (err instanceof JavaMissingError) process.stderr.write(err.message + '\n');
  else if ((err as { code?: string }).code === 'EADDRINUSE')
    process.stderr.write(
      `端口 ${port} 已被占用。请关闭占用它的程序,或设置 PORT 为其他端口(例如 PORT=8788 npm start)。\n`,
    );
  else process.stderr.write(`启动失败:${(err as Error).message}\n`);
  process.exit(1);
}
