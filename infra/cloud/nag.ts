// cdk-nag's AwsSolutions pack and every finding this stack acknowledges, each with the reason a reviewer
// can check. Acknowledgements sit on the narrowest construct that needs them, never on the whole stack.
import { DefaultStackSynthesizer, Validations, type CfnElement, type Stack } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import type { BaosongStack } from './stack.js';

/** The AwsSolutions pack; acknowledgements are also written into the template's Metadata for auditors. */
export function nagChecks(scope: IConstruct): AwsSolutionsChecks {
  return new AwsSolutionsChecks(scope, { verbose: true, writeSuppressionsToCloudFormation: true });
}

function acknowledge(scope: IConstruct, id: string, reason: string): void {
  Validations.of(scope).acknowledge({ id: `AwsSolutions-${id}`, reason });
}

export function applyNagSuppressions(stack: BaosongStack): void {
  const cdn = stack.hosting.distribution;
  acknowledge(
    cdn,
    'CFR1',
    "The distribution serves only the task pane's static HTML/JS, which holds no data; all data goes through the " +
      'token-protected API. County staff also open the pane while travelling, so no country is blocked.',
  );
  acknowledge(
    cdn,
    'CFR2',
    'Static files only, no data and no forms posted to CloudFront. A WAF web ACL for CloudFront must live in ' +
      'us-east-1 and cannot be created by this single-region stack; attach one with `webAclId` if the account has it. ' +
      'The API is throttled at its stage.',
  );
  if (!stack.hosting.domain) {
    acknowledge(
      cdn,
      'CFR4',
      'The distribution uses the default *.cloudfront.net certificate, for which CloudFront does not allow choosing ' +
        'the minimum TLS version; every Office host negotiates TLS 1.2 or newer. Deploy with an own domain ' +
        '(context addinDomainName + addinCertificateArn) to enforce TLSv1.2_2021.',
    );
  }
  acknowledge(
    stack.api.api,
    'APIG4',
    'Every route is authorized inside its Lambda function (functions/auth.ts): a Bearer token scoped to one unit ' +
      'and one role, stored only as a hash in the table and revocable from the admin CLI (DESIGN §6). A Lambda ' +
      'authorizer would repeat the same lookup; Cognito/IAM do not fit tokens issued by the prefecture office.',
  );

  for (const fn of Object.values(stack.functions.byGroup)) {
    acknowledge(
      fn.role!,
      'IAM5[Resource::*]',
      'X-Ray tracing (Tracing.ACTIVE): xray:PutTraceSegments and xray:PutTelemetryRecords support no resource-level ' +
        'permissions, so AWS requires Resource "*" for them; the role has no other wildcard.',
    );
  }

  if (stack.hosting.deployment || stack.hosting.browserDeployment)
    acknowledgeBucketDeployment(stack, stack.hosting.bucket);
}

// The singleton function aws-cdk-lib creates for BucketDeployment: it runs only during `cdk deploy`.
function acknowledgeBucketDeployment(stack: Stack, files: IConstruct): void {
  const provider = stack.node.children.find((c) => c.node.id.startsWith('Custom::CDKBucketDeployment'));
  if (!provider) throw new Error('BucketDeployment provider not found; aws-cdk-lib changed its construct id');
  const why = "aws-cdk-lib's BucketDeployment function, which runs only during `cdk deploy`.";
  acknowledge(
    provider,
    'IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
    `${why} The managed policy lets it write its deployment log; aws-cdk-lib offers no narrower role for it.`,
  );
  // cdk-nag reports each wildcard separately; each is acknowledged by name so a new one still fails the synth.
  const qualifier =
    stack.node.tryGetContext('@aws-cdk/core:bootstrapQualifier') ?? DefaultStackSynthesizer.DEFAULT_QUALIFIER;
  const addinBucket = stack.getLogicalId(files.node.defaultChild as CfnElement);
  const wildcards: Array<[string, string]> = [
    ['Action::s3:GetObject*', 'reads the uploaded asset zip'],
    ['Action::s3:GetBucket*', 'reads bucket metadata while syncing'],
    ['Action::s3:List*', 'lists both buckets to sync and prune'],
    ['Action::s3:DeleteObject*', 'prunes files of an earlier build from the add-in bucket'],
    ['Action::s3:Abort*', 'aborts its own failed multipart uploads'],
    [
      `Resource::arn:<AWS::Partition>:s3:::cdk-${qualifier}-assets-<AWS::AccountId>-<AWS::Region>/*`,
      'objects of the CDK asset bucket only',
    ],
    [`Resource::<${addinBucket}.Arn>/*`, 'objects of the add-in bucket only'],
    ['Resource::*', 'cloudfront:CreateInvalidation, granted by aws-cdk-lib on all distributions'],
  ];
  for (const [finding, reason] of wildcards) {
    acknowledge(provider, `IAM5[${finding}]`, `${why} Wildcard needed: ${reason}.`);
  }
  acknowledge(
    provider,
    'L1',
    `${why} Its Python runtime is pinned by aws-cdk-lib and moves with aws-cdk-lib upgrades.`,
  );
}
