// Builds the browser page when its folder is missing or older than its sources, so `npm start` on a fresh
// clone serves a page that matches the code. The build goes to a temporary folder that then replaces the old
// one, so a server reading the folder (or a second build racing this one) never sees half a page.
import { existsSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const configFile = fileURLToPath(new URL('./vite.config.ts', import.meta.url));
export const browserDistDir = join(repoRoot, 'dist', 'browser');

/** Folders whose code ends up in the page. */
const SOURCE_DIRS = ['addin', 'forms'];

function newestSourceTime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules' && entry.name !== 'testdata') newest = Math.max(newest, newestSourceTime(path));
    } else if (/\.(tsx?|html|css)$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name)) {
      newest = Math.max(newest, statSync(path).mtimeMs);
    }
  }
  return newest;
}

export function browserBuildIsStale(outDir = browserDistDir): boolean {
  const index = join(outDir, 'index.html');
  if (!existsSync(index)) return true;
  const built = statSync(index).mtimeMs;
  return SOURCE_DIRS.some((dir) => newestSourceTime(join(repoRoot, dir)) > built);
}

/** Returns the folder to serve at /, building it first when needed. */
export async function ensureBrowserBuild(
  opts: { outDir?: string; force?: boolean; log?: (line: string) => void } = {},
): Promise<string> {
  const outDir = opts.outDir ?? browserDistDir;
  if (!opts.force && !browserBuildIsStale(outDir)) return outDir;
  opts.log?.(`正在构建浏览器页面(${outDir})…`);
  const fresh = `${outDir}.building-${process.pid}`;
  const old = `${outDir}.old-${process.pid}`;
  removeLeftovers(outDir);
  const { build } = await import('vite');
  await build({ configFile, logLevel: 'warn', build: { outDir: fresh, emptyOutDir: true } });
  if (existsSync(outDir)) renameSync(outDir, old);
  try {
    renameSync(fresh, outDir);
  } catch {
    // Another build of the same sources got there first; its page is as good as ours.
    rmSync(fresh, { recursive: true, force: true });
  }
  rmSync(old, { recursive: true, force: true });
  opts.log?.('浏览器页面已构建。');
  return outDir;
}

/** Folders of builds that were killed half-way (their process is gone). */
function removeLeftovers(outDir: string): void {
  const parent = dirname(outDir);
  if (!existsSync(parent)) return;
  const pattern = new RegExp(`^${basename(outDir).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.(building|old)-(\\d+)$`);
  for (const name of readdirSync(parent)) {
    const m = pattern.exec(name);
    if (m && !processAlive(Number(m[2]))) rmSync(join(parent, name), { recursive: true, force: true });
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
