// `npm run bench`: runs every bench/*.bench.ts in turn. Each exports
//   default async function (emit: (figure: Figure) => void): Promise<void>
// and prints nothing else to stdout, so stdout is one JSON line per figure.
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

let failed = false;
for (const file of files) {
  try {
    const mod = await import(pathToFileURL(join(here, file)).href);
    await mod.default((figure: Figure) => process.stdout.write(JSON.stringify(figure) + '\n'));
  } catch (err) {
    failed = true;
    process.stderr.write(`bench ${file} failed: ${(err as Error).stack ?? err}\n`);
  }
}
process.exit(failed ? 1 : 0);
