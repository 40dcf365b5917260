// The local server as `npm start` runs it, in a process of its own (its memory and event loop are its own, not
// the benchmark's), and small requests made while something else runs: what other users wait meanwhile.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { freePort } from '../infra/local/dynamodb-local';

export const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const root = join(import.meta.dirname, '..');

/** The server's resident memory now (VmRSS), MB. */
function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : 0;
}

export interface ServerProcess {
  child: ChildProcess;
  apiUrl: string;
  /** A county's token (同仁县), for uploads and the small requests made meanwhile. */
  token: string;
  /** Every demo token, by unit (`huangnan`: the prefecture). */
  tokens: Record<string, string>;
  /** The server's DynamoDB Local. */
  dynamodbEndpoint: string;
  stop: () => void;
}

/** `npm start` as its own process on a fresh data directory (demo data seeded), on free ports. */
export async function startServer(): Promise<ServerProcess> {
  const dataDir = mkdtempSync(join(tmpdir(), 'baosong-bench-server-'));
  const port = await freePort();
  const dynamodbPort = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'infra/local/start.ts'], {
    cwd: root,
    env: {
      ...process.env,
      PORT: String(port),
      DATA_DIR: dataDir,
      DYNAMODB_PORT: String(dynamodbPort),
      STATIC_DIR: dataDir,
    },
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  await new Promise<void>((done, fail) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('按 Ctrl-C 停止')) done();
    });
    child.on('exit', () => fail(new Error(`server exited: ${out}`)));
  });
  const tokens = JSON.parse(readFileSync(join(dataDir, 'demo-tokens.json'), 'utf8')) as Record<string, string>;
  return {
    child,
    apiUrl: `http://127.0.0.1:${port}`,
    token: tokens.tongren,
    tokens,
    dynamodbEndpoint: `http://127.0.0.1:${dynamodbPort}`,
    stop: () => child.kill('SIGTERM'),
  };
}

export const p99 = (ms: number[]): number => {
  const sorted = [...ms].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.99) - 1)] ?? 0;
};

/**
 * The other user: GET /v1/me every 20 ms, timed, from a thread of its own, so that the waits are the server's and
 * not this process's (which may be busy building an 80,000-row workbook meanwhile). Plain JS: no loader needed.
 */
const PINGER = `
const { parentPort, workerData } = require('node:worker_threads');
let running = true;
const waits = [];
parentPort.on('message', () => (running = false));
const ping = () => fetch(workerData.url, { headers: { authorization: 'Bearer ' + workerData.token } }).then((r) => r.text());
(async () => {
  // A first request, not counted, then 'ready': the thread's start-up is not part of any wait.
  await ping();
  parentPort.postMessage('ready');
  while (running) {
    const t0 = performance.now();
    await ping();
    waits.push(performance.now() - t0);
    await new Promise((r) => setTimeout(r, 20));
  }
  parentPort.postMessage(waits);
})();
`;

/** Small requests every 20 ms while `during` runs; also samples the server's RSS every 10 ms. */
export async function meanwhile<T>(
  server: Pick<ServerProcess, 'child' | 'apiUrl' | 'token'>,
  during: () => Promise<T>,
): Promise<{ value: T; ms: number; waits: number[]; peakMb: number }> {
  let peakMb = rssMb(server.child.pid!);
  const sampler = setInterval(() => (peakMb = Math.max(peakMb, rssMb(server.child.pid!))), 10);
  const pinger = new Worker(PINGER, { eval: true, workerData: { url: `${server.apiUrl}/v1/me`, token: server.token } });
  const ready = new Promise<void>((done, fail) => {
    pinger.once('message', () => done());
    pinger.once('error', fail);
  });
  await ready;
  const waits = new Promise<number[]>((done, fail) => {
    pinger.once('message', done);
    pinger.once('error', fail);
  });
  const t0 = performance.now();
  const value = await during();
  const ms = performance.now() - t0;
  pinger.postMessage('stop');
  const result = { value, ms, waits: await waits, peakMb };
  clearInterval(sampler);
  await pinger.terminate();
  return result;
}
