// `npm start`: the whole backend on this machine. Env: PORT (8787), DATA_DIR (.data), DYNAMODB_PORT (8000).
import { JavaMissingError } from './dynamodb-local';
import { startLocalStack } from './stack';

const port = Number(process.env.PORT || 8787);
const dataDir = process.env.DATA_DIR || '.data';
const dynamodbPort = Number(process.env.DYNAMODB_PORT || 8000);

try {
  const stack = await startLocalStack({ port, dataDir, dynamodbPort, staticDir: process.env.STATIC_DIR || undefined });
  const lines = [
    `报送 API 已启动:${stack.apiUrl}`,
    `DynamoDB Local:${stack.dynamodbEndpoint}(数据目录 ${dataDir})`,
    '演示令牌(也已写入 ' + stack.tokensFile + '):',
    ...Object.entries(stack.tokens).map(([unit, token]) => `  ${unit.padEnd(9)} ${token}`),
    '按 Ctrl-C 停止。',
  ];
  process.stdout.write(lines.join('\n') + '\n');
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
  else process.stderr.write(`启动失败:${(err as Error).message}\n`);
  process.exit(1);
}
