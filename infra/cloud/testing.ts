// Synthesizes the stack for the infra/cloud tests. Asset bundling is skipped unless asked for, so the
// template tests run in a second without esbuild; the built add-in is looked for where the test says.
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { join } from 'node:path';
import type { AddinDomain } from './hosting.js';
import { BaosongStack, REPO_ROOT } from './stack.js';

export interface SynthOptions {
  /** Run esbuild for the functions (slow); skipped by default. */
  bundle?: boolean;
  /** Where the built pane is; by default a path that does not exist (tests must not need a build). */
  addinDistDir?: string;
  /** Where the built browser page is; by default a path that does not exist. */
  browserDistDir?: string;
  devManifestPath?: string;
  outdir?: string;
  addinDomain?: AddinDomain;
}

export function synthStack(opts: SynthOptions = {}): { app: App; stack: BaosongStack; template: Template } {
  const app = new App({
    outdir: opts.outdir,
    context: opts.bundle ? {} : { 'aws:cdk:bundling-stacks': [] },
  });
  const stack = new BaosongStack(app, 'Baosong', {
    projectRoot: REPO_ROOT,
    addinDistDir: opts.addinDistDir ?? join(REPO_ROOT, 'no-addin-build-in-tests'),
    browserDistDir: opts.browserDistDir ?? join(REPO_ROOT, 'no-browser-build-in-tests'),
    devManifestPath: opts.devManifestPath,
    addinDomain: opts.addinDomain,
  });
  let template: Template | undefined;
  // Synthesized on first use, so a test can still add aspects or plugins to the app before.
  return {
    app,
    stack,
    get template() {
      return (template ??= Template.fromStack(stack));
    },
  };
}
