import { RemovalPolicy } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { nagChecks } from './nag.js';
import type { BaosongStack } from './stack.js';
import { synthStack, type SynthOptions } from './testing.js';

/** Unacknowledged findings as `severity rule: construct paths`, readable in a failed assertion. */
function findings(opts: SynthOptions = {}, addToStack?: (stack: BaosongStack) => void): string[] {
  const { app, stack } = synthStack(opts);
  addToStack?.(stack);
  return nagChecks(app)
    .validateScope(stack)
    .violations.map(
      (v) => `${v.severity} ${v.ruleName}: ${v.violatingResources.map((r) => r.constructPath).join(', ')}`,
    );
}

const tempDirs: string[] = [];
afterAll(() => {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

function builtAddinDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'baosong-nag-'));
  tempDirs.push(dir);
  mkdirSync(join(dir, 'addin'));
  writeFileSync(join(dir, 'addin', 'taskpane.html'), '<!doctype html>');
  return join(dir, 'addin');
}

describe('cdk-nag AwsSolutions', () => {
  it('reports no unacknowledged error or warning for the stack as deployed without a build', () => {
    expect(findings()).toEqual([]);
  });

  it('reports none either when the built pane is deployed into the bucket', () => {
    expect(findings({ addinDistDir: builtAddinDir() })).toEqual([]);
  });

  it('reports none either when the browser page is deployed too, or alone', () => {
    const pane = builtAddinDir();
    const browser = join(pane, '..', 'browser');
    mkdirSync(browser);
    writeFileSync(join(browser, 'index.html'), '<!doctype html>');
    expect(findings({ addinDistDir: pane, browserDistDir: browser })).toEqual([]);
    expect(findings({ browserDistDir: browser })).toEqual([]);
  });

  it('needs no TLS acknowledgement when the pane has an own domain and certificate', () => {
    const addinDomain = {
      domainName: 'baosong.example.gov.cn',
      certificateArn: 'arn:aws:acm:us-east-1:111122223333:certificate/x',
    };
    expect(findings({ addinDomain })).toEqual([]);
    const { stack } = synthStack({ addinDomain });
    const ids = stack.hosting.distribution.node.metadata.flatMap((m) => Object.keys((m.data ?? {}) as object));
    expect(ids.some((id) => id.includes('CFR4'))).toBe(false);
  });

  it('still catches a careless addition (the acknowledgements are not blanket)', () => {
    const found = findings({}, (stack) => {
      new Bucket(stack, 'Careless', { removalPolicy: RemovalPolicy.DESTROY });
    });
    expect(found).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^error AwsSolutions-S1: Baosong\/Careless/),
        expect.stringMatching(/^error AwsSolutions-S10: Baosong\/Careless/),
      ]),
    );
  });

  it('gives every acknowledgement a written reason, recorded in the template for auditors', () => {
    const { app, stack } = synthStack({ addinDistDir: builtAddinDir() });
    nagChecks(app);
    const inTemplate = Object.values(Template.fromStack(stack).toJSON().Resources as Record<string, any>).flatMap(
      (r) => r.Metadata?.cdk_nag?.rules_to_suppress ?? [],
    );
    expect(inTemplate.map((r: { id: string }) => r.id)).toEqual(
      expect.arrayContaining(['AwsSolutions-APIG4', 'AwsSolutions-CFR4', 'AwsSolutions-L1']),
    );
    const acknowledged = stack.node
      .findAll()
      .flatMap((c) => c.node.metadata.filter((m) => m.type === 'aws:cdk:acknowledged-rules'))
      .flatMap((m) => Object.entries(m.data as Record<string, string>))
      // aws-cdk-lib acknowledges some of its own CloudFormation-linter rules; only ours are checked here.
      .filter(([id]) => id.includes('AwsSolutions-'));
    expect(acknowledged.length).toBeGreaterThan(0);
    for (const [id, reason] of acknowledged) {
      expect(String(reason).length, id).toBeGreaterThan(60);
    }
  });
});
