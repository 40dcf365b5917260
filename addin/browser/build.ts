// Builds the browser page when dist/browser is missing or older than its sources, so `npm start` on a fresh
// clone serves a page that matches the code.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
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
export async function ensureBrowserBuild(opts: { force?: boolean; log?: (line: string) => void } = {}): Promise<string> {
  if (opts.force || browserBuildIsStale()) {
    opts.log?.('正在构建浏览器页面(dist/browser)…');
    const { build } = await import('vite');
    await build({ configFile, logLevel: 'warn' });
  }
  return browserDistDir;
}
