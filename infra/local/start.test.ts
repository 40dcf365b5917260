// `npm start` as a newcomer runs it: the real process, twice on the same DATA_DIR, plus the admin CLI beside it.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { call } from '../../test/support/api';
import { fujian1Rows } from '../../test/support/rows';
import { freePort, portOpen, START_LIMIT_MS } from './dynamodb-local';

const root = join(import.meta.dirname, '..', '..');
const dataDir = mkdtempSync(join(tmpdir(), 'baosong-start-'));
const started: ChildProcess[] = [];

afterAll(() => {
  for (const p of started) {
    if (p.exitCode !== null || p.signalCode !== null || !p.pid) continue;
    try {
      process.kill(-p.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  rmSync(dataDir, { recursive: true, force: true });
});

interface Running {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

/** Starts `command` in its own process group and waits for the line telling the user how to stop it. */
async function launch(command: string, args: string[], env: Record<string, string>): Promise<Running> {
  const child = spawn(command, args, {
    cwd: root,
    env: { ...process.env, ...env },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  started.push(child);
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  // Past DynamoDB Local's own start-up bound: a slow start is still a start; a hang shows as the bound's error.
  const deadline = Date.now() + START_LIMIT_MS + 30_000;
  while (!output.includes('Ctrl-C')) {
    if (child.exitCode !== null) throw new Error(`exited early: ${output}`);
    if (Date.now() > deadline)
      throw new Error(`no start-up line within ${(START_LIMIT_MS + 30_000) / 1000} s: ${output}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return { child, output: () => output, exited };
}

function runAsync(
  command: string,
  args: string[],
  env: Record<string, string>,
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(command, args, { cwd: root, env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('close', (status) => done({ status, stdout, stderr }));
  });
}

async function waitClosed(port: number, ms = 10_000): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (!(await portOpen(port))) return true;
    await new Promise((r) => setTimeout(r, 200));
  }
  return false;
}

describe('npm start', () => {
  it('keeps units, tokens and submissions across a restart on the same DATA_DIR, and stops Java on Ctrl-C', async () => {
    const [port, dynamodbPort] = [await freePort(), await freePort()];
    // STATIC_DIR: skip building the browser page, which this test is not about.
    const env = { PORT: String(port), DATA_DIR: dataDir, DYNAMODB_PORT: String(dynamodbPort), STATIC_DIR: dataDir };
    const apiUrl = `http://127.0.0.1:${port}`;

    const first = await launch('npm', ['start', '--silent'], env);
    const tokens = JSON.parse(readFileSync(join(dataDir, 'demo-tokens.json'), 'utf8')) as Record<string, string>;
    expect(Object.keys(tokens).sort()).toEqual(['admin', 'henan', 'huangnan', 'jianzha', 'tongren', 'zeku']);
    expect(first.output()).toContain(tokens.tongren);
    // The admin token never reaches the terminal; the file holding it is for this user only.
    expect(first.output()).not.toContain(tokens.admin);
    expect(statSync(join(dataDir, 'demo-tokens.json')).mode & 0o777).toBe(0o600);

    // What a newcomer sees: the 2019 campaign (history) and the demo campaign around today, with a round due
    // within days, one reported on time and one reported late.
    const me = await call(apiUrl, 'GET', '/v1/me', { token: tokens.tongren });
    expect(me.body.campaigns.map((c: { id: string }) => c.id).sort()).toEqual(['demo', 'huangnan-2019']);
    const demo = me.body.campaigns.find((c: { id: string }) => c.id === 'demo');
    const daysAway = (Date.parse(`${demo.nextDue}T00:00:00+08:00`) - Date.now()) / 86400_000;
    expect(daysAway).toBeGreaterThan(0);
    expect(daysAway).toBeLessThan(10);
    expect(me.body.nextDue).toBe(demo.nextDue);
    const demoHistory = await call(apiUrl, 'GET', '/v1/submissions?campaign=demo', { token: tokens.tongren });
    expect(demoHistory.body.submissions.map((s: { form: string; late: boolean }) => [s.form, s.late]).sort()).toEqual([
      ['fujian1', false],
      ['fujian1', true],
      ['fujian2', false],
    ]);
    const [onTimeRound, lateRound] = demo.rounds;
    const board = async (round: string) =>
      (await call(apiUrl, 'GET', `/v1/status?campaign=demo&round=${round}`, { token: tokens.huangnan })).body.units.map(
        (u: { unitName: string; forms: { fujian1: { status: string } } }) => `${u.unitName} ${u.forms.fujian1.status}`,
      );
    expect(await board(onTimeRound)).toEqual([
      '同仁县 ontime',
      '尖扎县 ontime',
      '泽库县 missing',
      '河南蒙古族自治县 missing',
    ]);
    expect(await board(lateRound)).toEqual([
      '同仁县 late',
      '尖扎县 carried',
      '泽库县 missing',
      '河南蒙古族自治县 missing',
    ]);
    const receipt = await call(apiUrl, 'POST', '/v1/submissions', {
      token: tokens.tongren,
      idempotencyKey: 'restart-1',
      body: {
        form: 'fujian1',
        round: '2019-12-24',
        asOf: '2019-11-01',
        contact: { name: '卓玛', phone: '0973-8722111' },
        rows: fujian1Rows(3),
      },
    });
    expect(receipt.status).toBe(201);

    // The admin CLI reaches the running store through the same env vars. Run without blocking this process:
    // a blocked event loop misses the server closing its idle keep-alive sockets, and the next call reuses a dead one.
    const admin = await runAsync('npm', ['run', '--silent', 'admin', '--', 'token', 'create', '--unit', 'zeku'], env);
    expect(admin.status).toBe(0);
    const adminToken = admin.stdout.trim().split('\n').pop()!;
    expect((await call(apiUrl, 'GET', '/v1/me', { token: adminToken })).body.unit.id).toBe('zeku');

    process.kill(-first.child.pid!, 'SIGINT');
    await first.exited;
    expect(await waitClosed(dynamodbPort)).toBe(true);
    expect(await waitClosed(port)).toBe(true);

    const second = await launch('npm', ['start', '--silent'], env);
    expect(JSON.parse(readFileSync(join(dataDir, 'demo-tokens.json'), 'utf8'))).toEqual(tokens);
    const history = await call(apiUrl, 'GET', '/v1/submissions?campaign=huangnan-2019', { token: tokens.tongren });
    expect(history.body.submissions.map((s: { id: string }) => s.id)).toEqual([receipt.body.id]);
    // Seeded once: the restart did not add demo submissions again.
    expect((await call(apiUrl, 'GET', '/v1/submissions', { token: tokens.tongren })).body.submissions).toHaveLength(4);
    expect((await call(apiUrl, 'GET', '/v1/me', { token: adminToken })).status).toBe(200);
    const replay = await call(apiUrl, 'POST', '/v1/submissions', {
      token: tokens.tongren,
      idempotencyKey: 'restart-1',
      body: {
        form: 'fujian1',
        round: '2019-12-24',
        asOf: '2019-11-01',
        contact: { name: '卓玛', phone: '0973-8722111' },
        rows: fujian1Rows(3),
      },
    });
    expect(replay.body.id).toBe(receipt.body.id);
    process.kill(-second.child.pid!, 'SIGTERM');
    await second.exited;
    expect(await waitClosed(dynamodbPort)).toBe(true);
    // Two full start-ups (JVM, seeding) and the admin command on a busy 2-core machine.
  }, 600_000);

  it('a crashed (SIGKILLed) Node process does not leave Java running', async () => {
    const [port, dynamodbPort] = [await freePort(), await freePort()];
    const node = await launch(process.execPath, ['--import', 'tsx', 'infra/local/start.ts'], {
      PORT: String(port),
      DATA_DIR: dataDir,
      DYNAMODB_PORT: String(dynamodbPort),
      STATIC_DIR: dataDir,
    });
    expect(await portOpen(dynamodbPort)).toBe(true);
    node.child.kill('SIGKILL');
    await node.exited;
    expect(await waitClosed(dynamodbPort)).toBe(true);
  }, 300_000);

  it('without Java: one clear line saying how to install it', () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'infra/local/start.ts'], {
      cwd: root,
      env: { ...process.env, PATH: '/nonexistent', DATA_DIR: dataDir, STATIC_DIR: dataDir },
      encoding: 'utf8',
    });
    expect(run.status).toBe(1);
    const lines = run.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('找不到 Java');
    expect(lines[0]).toContain('apt-get install');
  });
});
