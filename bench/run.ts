// `npm run bench`: runs every bench/*.bench.ts in turn (`tsx bench/run.ts consolidated`: the files so named). Each
// exports
//   default async function (emit: (figure: Figure) => void): Promise<void>
// and prints nothing else to stdout, so stdout is one JSON line per figure.
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export interface Figure {
  name: string;
  value: number;
  unit: string;
  [extra: string]: unknown;
}

const here = dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);
const files = readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort();

/**
 * Several files: each in a Node process of its own, as a Lambda or the local server would run it, so that one
 * bench's heap and compiled code (a 10,000-row sheet parsed, an add-in bundle built) cannot slow another's figures.
 */
function runAlone(file: string): Promise<boolean> {
  const child = spawn(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), file], {
    stdio: 'inherit',
  });
  return new Promise((resolve) => child.on('exit', (code) => resolve(code === 0)));
}

let failed = false;
for (const file of files) {
  if (files.length > 1) {
    if (!(await runAlone(file))) failed = true;
    continue;
  }
  try {
    const mod = await import(pathToFileURL(join(here, file)).href);
    await mod.default((figure: Figure) => process.stdout.write(JSON.stringify(figure) + '\n'));
  } catch (err) {
    failed = true;
    process.stderr.write(`bench ${file} failed: ${(err as Error).stack ?? err}\n`);
  }
}
process.exit(failed ? 1 : 0);
