// Entry point of `npm run validate`; the work is in run.ts so tests can drive it without a process.
import { readFile } from 'node:fs/promises';
import { runCli } from './run';

const code = await runCli(process.argv.slice(2), {
  readFile: async (path) => new Uint8Array(await readFile(path)),
  out: (text) => process.stdout.write(text + '\n'),
  err: (text) => process.stderr.write(text + '\n'),
});
process.exitCode = code;
