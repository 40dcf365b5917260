// The one description of how a Lambda bundle and a Lambda layer are built. The CDK stack (NodejsFunction,
// LayerVersion) and the bundle benchmark (esbuild directly) both derive their options from here, so what is
// measured is what is deployed.
import { build, buildSync, type BuildOptions } from 'esbuild';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { HandlerGroup, handlerGroups } from '../../functions/routes.js';

/** A layer a handler group can ask for in functions/routes.ts (`handlerGroups[group].layers`). */
export type LayerName = NonNullable<(typeof handlerGroups)[HandlerGroup]['layers']>[number];

export interface LayerSpec {
  /** Shown in the Lambda console. */
  description: string;
  /**
   * Packages the layer provides as `nodejs/node_modules/<name>/`, each bundled with its dependencies into one
   * minified file. Function bundles leave them out (external); packages of the same layer that need each
   * other (ExcelJS loads JSZip) are left external there too, so each is shipped once.
   */
  packages: readonly string[];
}

// ExcelJS with its dependencies is about 1 MB minified: bundled into a function it would make every cold
// start, JSON requests included, load it. In a layer they are read from /opt only when an .xlsx request
// imports them. forms/xlsx-read imports JSZip itself, hence the second package.
export const LAYERS: Record<LayerName, LayerSpec> = {
  exceljs: {
    description: 'baosong: ExcelJS and JSZip for .xlsx uploads and downloads, bundled by infra/cloud/bundling.ts',
    packages: ['exceljs', 'jszip'],
  },
};

const layerPackages = Object.values(LAYERS).flatMap((l) => l.packages);

/** Node major version of the Lambda runtime; esbuild targets the same version. */
const NODE_MAJOR = 24;

export const lambdaBundle = {
  runtimeName: `nodejs${NODE_MAJOR}.x`,
  target: `node${NODE_MAJOR}`,
  format: 'esm',
  minify: true,
  sourcemap: true,
  // The map is only read when a stack trace is printed; the sources themselves would double the zip.
  sourcesContent: false,
  // The Lambda runtime ships AWS SDK v3; bundling it would add megabytes and pin an old copy. The layers'
  // packages come from /opt/nodejs/node_modules, which Lambda's Node.js searches for ES module imports too.
  external: ['@aws-sdk/*', ...layerPackages],
  // Prefer ESM entry points so esbuild can tree-shake (zod, forms/).
  mainFields: ['module', 'main'],
  // Without this, Chinese messages would be escaped as \uXXXX: six bytes per character instead of three.
  charset: 'utf8',
  // CommonJS dependencies bundled into an ESM file still call `require` for Node built-ins.
  banner: "import{createRequire as __baosongRequire}from'node:module';const require=__baosongRequire(import.meta.url);",
} as const;

/** esbuild options for bundling `entry` to `outfile` exactly as the deployed functions are bundled. */
export function esbuildOptions(entry: string, outfile: string): BuildOptions {
  return {
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    target: lambdaBundle.target,
    format: lambdaBundle.format,
    minify: lambdaBundle.minify,
    sourcemap: lambdaBundle.sourcemap,
    sourcesContent: lambdaBundle.sourcesContent,
    external: [...lambdaBundle.external],
    mainFields: [...lambdaBundle.mainFields],
    charset: lambdaBundle.charset,
    banner: { js: lambdaBundle.banner },
    logLevel: 'silent',
  };
}

/**
 * esbuild options for one package of a layer: `pkg` and its dependencies from the local node_modules, as one
 * minified CommonJS file `index.js` under `<layerDir>/nodejs/node_modules/<pkg>/`. No source map: the
 * packages are third-party code, and a map would more than double the layer.
 */
export function layerPackageOptions(
  layer: LayerName,
  pkg: string,
  layerDir: string,
  projectRoot: string,
): BuildOptions {
  return {
    entryPoints: [pkg],
    absWorkingDir: projectRoot,
    outfile: join(layerDir, 'nodejs', 'node_modules', pkg, 'index.js'),
    bundle: true,
    platform: 'node',
    target: lambdaBundle.target,
    format: 'cjs',
    minify: true,
    external: LAYERS[layer].packages.filter((p) => p !== pkg),
    charset: 'utf8',
    // Licence headers of the bundled packages are kept, gathered at the end of the file.
    legalComments: 'eof',
    logLevel: 'silent',
  };
}

/** The package.json that makes `import('<pkg>')` find the bundled file. */
function writeLayerPackageJson(pkg: string, layerDir: string, projectRoot: string): void {
  const source = JSON.parse(readFileSync(join(projectRoot, 'node_modules', pkg, 'package.json'), 'utf8'));
  const dir = join(layerDir, 'nodejs', 'node_modules', pkg);
  mkdirSync(dir, { recursive: true });
  const manifest = { name: pkg, version: source.version, license: source.license, main: 'index.js', private: true };
  writeFileSync(join(dir, 'package.json'), JSON.stringify(manifest, null, 2) + '\n');
}

/** Builds `layer` into `layerDir` (which becomes the layer zip's root), offline, from the local node_modules. */
export function buildLayerSync(layer: LayerName, layerDir: string, projectRoot: string): void {
  for (const pkg of LAYERS[layer].packages) {
    buildSync(layerPackageOptions(layer, pkg, layerDir, projectRoot));
    writeLayerPackageJson(pkg, layerDir, projectRoot);
  }
}

/** The same as `buildLayerSync`, for the benchmark and the tests. */
export async function buildLayer(layer: LayerName, layerDir: string, projectRoot: string): Promise<void> {
  await Promise.all(
    LAYERS[layer].packages.map(async (pkg) => {
      await build(layerPackageOptions(layer, pkg, layerDir, projectRoot));
      writeLayerPackageJson(pkg, layerDir, projectRoot);
    }),
  );
}
