// Lambda bundles: minified size and cold import time of every function of the route table, next to an
// empty handler (and one that only loads the AWS SDK client) bundled with the same shared options in the
// same run. Targets (issue "Deploy to AWS"): every bundle ≤ 250 KB; cold import ≤ 3× the empty handler's.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { handlerGroups } from '../functions/routes.js';
import { esbuildOptions } from '../infra/cloud/bundling.js';
import { REPO_ROOT } from '../infra/cloud/stack.js';
import type { Figure } from './run.js';

const SIZE_TARGET_BYTES = 250 * 1024;
const COLD_IMPORT_TARGET_RATIO = 3;
const RUNS = 9;

// Inside the repository so that the bundles resolve @aws-sdk/* from node_modules, as Lambda resolves it
// from the runtime.
const workDir = join(REPO_ROOT, 'dist', 'bench-bundles');

const BASELINES: Record<string, string> = {
  empty: 'export const handler = async () => ({ statusCode: 200, body: "" });\n',
  'sdk-only':
    'import { DynamoDBClient } from "@aws-sdk/client-dynamodb";\n' +
    'const client = new DynamoDBClient({});\n' +
    'export const handler = async () => ({ statusCode: 200, body: String(typeof client.send) });\n',
};

// Runs in a fresh Node process, with the flag the functions run with on Lambda (NODE_OPTIONS).
// performance.now() counts from the process's start, so it covers Node's own start-up too.
const PROBE = `
const started = performance.now();
const mod = await import(process.argv[1]);
if (typeof mod.handler !== 'function') process.exit(3);
process.stdout.write(JSON.stringify({ importMs: performance.now() - started, toHandlerMs: performance.now() }));`;

interface Timing {
  importMs: number;
  toHandlerMs: number;
}

function coldImport(file: string): Timing {
  const out = spawnSync(process.execPath, ['--enable-source-maps', '--input-type=module', '-e', PROBE, pathToFileURL(file).href], {
    cwd: REPO_ROOT,
    env: { ...process.env, TABLE_NAME: 'bench', AWS_REGION: 'cn-northwest-1' },
    encoding: 'utf8',
  });
  if (out.status !== 0) throw new Error(`importing ${file} failed (${out.status}): ${out.stderr}`);
  return JSON.parse(out.stdout) as Timing;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
};
const round = (x: number, digits = 1): number => Number(x.toFixed(digits));

export default async function bundles(emit: (f: Figure) => void): Promise<void> {
  rmSync(workDir, { recursive: true, force: true });
  mkdirSync(workDir, { recursive: true });

  const entries: Record<string, string> = {};
  for (const [name, source] of Object.entries(BASELINES)) {
    entries[name] = join(workDir, 'src', `${name}.ts`);
    mkdirSync(join(workDir, 'src'), { recursive: true });
    writeFileSync(entries[name]!, source);
  }
  for (const [group, { entry }] of Object.entries(handlerGroups)) entries[group] = join(REPO_ROOT, entry);

  const bundles: Record<string, string> = {};
  for (const [name, entry] of Object.entries(entries)) {
    bundles[name] = join(workDir, name, 'index.mjs');
    await build(esbuildOptions(entry, bundles[name]!));
  }

  // Interleaved so that a busy moment of the machine spreads over all bundles rather than hitting one.
  const timings: Record<string, Timing[]> = Object.fromEntries(Object.keys(bundles).map((n) => [n, []]));
  for (let run = 0; run < RUNS; run++) {
    for (const [name, file] of Object.entries(bundles)) timings[name]!.push(coldImport(file));
  }

  const baseline = {
    bytes: statSync(bundles.empty!).size,
    toHandlerMs: median(timings.empty!.map((t) => t.toHandlerMs)),
    importMs: median(timings.empty!.map((t) => t.importMs)),
  };

  for (const [name, file] of Object.entries(bundles)) {
    const isBaseline = name in BASELINES;
    const bytes = statSync(file).size;
    emit({
      name: `lambda.bundle.${name}.size`,
      value: bytes,
      unit: 'bytes',
      gzipBytes: gzipSync(readFileSync(file)).byteLength,
      baseline: 'empty',
      baselineValue: baseline.bytes,
      ...(isBaseline ? { role: 'baseline' } : { target: SIZE_TARGET_BYTES, withinTarget: bytes <= SIZE_TARGET_BYTES }),
    });

    const toHandlerMs = median(timings[name]!.map((t) => t.toHandlerMs));
    const importMs = median(timings[name]!.map((t) => t.importMs));
    const ratio = toHandlerMs / baseline.toHandlerMs;
    emit({
      name: `lambda.coldImport.${name}`,
      value: round(toHandlerMs),
      unit: 'ms',
      measure: `median of ${RUNS} fresh Node processes, process start to handler reached`,
      importOnlyMs: round(importMs),
      baseline: 'empty',
      baselineValue: round(baseline.toHandlerMs),
      ratio: round(ratio, 2),
      importOnlyRatio: round(importMs / baseline.importMs, 1),
      ...(isBaseline
        ? { role: 'baseline' }
        : { target: `≤ ${COLD_IMPORT_TARGET_RATIO}× empty`, withinTarget: ratio <= COLD_IMPORT_TARGET_RATIO }),
    });
  }
}
