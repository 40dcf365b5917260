// `npm start` and `npm test` set up the machine through one script (ensure-tools.sh). Here it runs on a machine
// without Java and without root: a PATH holding only node, npm, sh and bash, and an `id` that answers a user's uid —
// the one stand-in, because as root the script would really install the packages with apt-get.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const bin = mkdtempSync(join(tmpdir(), 'baosong-tools-'));
for (const program of ['node', 'npm', 'sh', 'bash']) {
  const found = spawnSync('bash', ['-c', `command -v ${program}`], { encoding: 'utf8' }).stdout.trim();
  symlinkSync(found, join(bin, program));
}
writeFileSync(join(bin, 'id'), '#!/bin/sh\necho 1000\n', { mode: 0o755 });
// Present so the message gives the Debian command; it must never run for a non-root user.
writeFileSync(join(bin, 'apt-get'), '#!/bin/sh\necho "apt-get ran" >&2\nexit 99\n', { mode: 0o755 });

afterAll(() => rmSync(bin, { recursive: true, force: true }));

function run(command: string, args: string[]) {
  const r = spawnSync(command, args, {
    cwd: root,
    env: { HOME: process.env.HOME ?? '/root', PATH: bin, CHROMIUM_PATH: '/nonexistent' },
    encoding: 'utf8',
  });
  return { status: r.status, stderr: r.stderr };
}

describe('ensure-tools.sh, shared by npm start and npm test', () => {
  it('npm start on a machine without Java stops before starting and says the one command to run', () => {
    const { status, stderr } = run(join(bin, 'npm'), ['start', '--silent']);
    expect(status).not.toBe(0);
    expect(stderr).toContain('启动需要以下软件包,但本机缺少:openjdk-17-jre-headless。请先运行:');
    expect(stderr).toContain('  sudo apt-get install -y openjdk-17-jre-headless\n');
    // Only what the product needs: the test-only programs are not asked of someone who just wants to run it.
    expect(stderr).not.toContain('chromium');
    expect(stderr).not.toContain('apt-get ran');
    expect(stderr).not.toContain('报送 API 已启动');
  });

  it('npm test asks for the same Java through the same script, plus what the tests drive', () => {
    const { status, stderr } = run(join(bin, 'bash'), ['infra/local/ensure-tools.sh', 'test']);
    expect(status).toBe(1);
    expect(stderr).toContain('测试需要以下软件包,但本机缺少:openjdk-17-jre-headless libxml2-utils chromium');
    expect(stderr).toContain('sudo apt-get install -y openjdk-17-jre-headless libxml2-utils chromium');
    expect(stderr).toContain('fonts-wqy-zenhei');
    expect(stderr).not.toContain('apt-get ran');
  });
});
