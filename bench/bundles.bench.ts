// Lambda bundles: minified size and cold import time of every function of the route table, next to an
// empty handler (and one that only loads the AWS SDK client) bundled with the same shared options in the
// same run. Targets (issue "Deploy to AWS"): every bundle ≤ 250 KB; cold import ≤ 3× the empty handler's.
// Also the size of each Lambda layer (built as the stack builds it) and the cold import of its packages,
// which the .xlsx requests pay on first use in a container.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { handlerGroups } from '../functions/routes.js';
import { buildLayer, esbuildOptions, LAYERS, type LayerName } from '../infra/cloud/bundling.js';
import { REPO_ROOT } from '../infra/cloud/stack.js';
import { median } from './median.js';
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

// The same for a layer package: process start to its module object, as `await import('exceljs')` does.
const PACKAGE_PROBE = `
const mod = await import(process.argv[1]);
if (mod.default === undefined) process.exit(3);
process.stdout.write(JSON.stringify({ importMs: performance.now(), toHandlerMs: performance.now() }));`;

interface Timing {
  importMs: number;
  toHandlerMs: number;
}

function coldImport(file: string, probe = PROBE): Timing {
  const out = spawnSync(
    process.execPath,
    ['--enable-source-maps', '--input-type=module', '-e', probe, pathToFileURL(file).href],
    {
      cwd: REPO_ROOT,
      env: { ...process.env, TABLE_NAME: 'bench', AWS_REGION: 'cn-northwest-1' },
      encoding: 'utf8',
    },
  );
  if (out.status !== 0) throw new Error(`importing ${file} failed (${out.status}): ${out.stderr}`);
  return JSON.parse(out.stdout) as Timing;
}

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

  const layerDirs = {} as Record<LayerName, string>;
  for (const layer of Object.keys(LAYERS) as LayerName[]) {
    layerDirs[layer] = join(workDir, 'layers', layer);
    await buildLayer(layer, layerDirs[layer], REPO_ROOT);
  }
  const packageFiles: Record<string, string> = {};
  for (const [layer, { packages }] of Object.entries(LAYERS)) {
    for (const pkg of packages)
      packageFiles[pkg] = join(layerDirs[layer as LayerName], 'nodejs', 'node_modules', pkg, 'index.js');
  }

  // Interleaved so that a busy moment of the machine spreads over all bundles rather than hitting one.
  const timings: Record<string, Timing[]> = Object.fromEntries(Object.keys(bundles).map((n) => [n, []]));
  const packageTimings: Record<string, Timing[]> = Object.fromEntries(Object.keys(packageFiles).map((n) => [n, []]));
  for (let run = 0; run < RUNS; run++) {
    for (const [name, file] of Object.entries(bundles)) timings[name]!.push(coldImport(file));
    for (const [pkg, file] of Object.entries(packageFiles)) packageTimings[pkg]!.push(coldImport(file, PACKAGE_PROBE));
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

  for (const [layer, dir] of Object.entries(layerDirs)) {
    const files = readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => join(e.parentPath, e.name));
    const perPackage = Object.fromEntries(
      LAYERS[layer as LayerName].packages.map((pkg) => [pkg, statSync(packageFiles[pkg]!).size]),
    );
    emit({
      name: `lambda.layer.${layer}.size`,
      value: files.reduce((sum, f) => sum + statSync(f).size, 0),
      unit: 'bytes',
      gzipBytes: files.reduce((sum, f) => sum + gzipSync(readFileSync(f)).byteLength, 0),
      files: files.length,
      perPackage,
      usedBy: Object.entries(handlerGroups)
        .filter(([, g]) => (g.layers ?? []).includes(layer as LayerName))
        .map(([group]) => group),
    });
  }
  for (const [pkg, runs] of Object.entries(packageTimings)) {
    const toModuleMs = median(runs.map((t) => t.toHandlerMs));
    emit({
      name: `lambda.layer.coldImport.${pkg}`,
      value: round(toModuleMs),
      unit: 'ms',
      measure: `median of ${RUNS} fresh Node processes, process start to the package's module (paid by the first .xlsx request of a container)`,
      baseline: 'empty',
      baselineValue: round(baseline.toHandlerMs),
      ratio: round(toModuleMs / baseline.toHandlerMs, 2),
      addedMs: round(toModuleMs - baseline.toHandlerMs),
    });
  }
}
