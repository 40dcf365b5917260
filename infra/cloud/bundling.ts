// The one description of how a Lambda bundle is built. The CDK stack (NodejsFunction) and the bundle
// benchmark (esbuild directly) both derive their options from `lambdaBundle`, so what is measured is
// what is deployed.
import type { BuildOptions } from 'esbuild';

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
  // The Lambda runtime ships AWS SDK v3; bundling it would add megabytes and pin an old copy.
  external: ['@aws-sdk/*'],
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
