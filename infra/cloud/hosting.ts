// The task pane's static files: a private S3 bucket that only CloudFront may read (origin access control),
// served over HTTPS only. The production manifest and the API address are deployed next to the files, and
// the browser page for WPS users (addin/browser) under /browser/ on the same distribution.
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import {
  AllowedMethods,
  CachePolicy,
  Distribution,
  HeadersReferrerPolicy,
  HttpVersion,
  PriceClass,
  ResponseHeadersPolicy,
  SecurityPolicyProtocol,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { Certificate } from 'aws-cdk-lib/aws-certificatemanager';
import { S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import {
  BucketDeployment,
  CacheControl,
  Source,
  type BucketDeploymentProps,
  type ISource,
} from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LOG_RETENTION } from './functions.js';
import { productionManifest } from './manifest.js';

const LOG_RETENTION_DAYS = 180;

export interface AddinSiteFiles {
  /** The built task pane (`npm run build:addin`); absent means: deploy nothing. */
  addinDistDir: string;
  /** The built browser page (addin/browser/vite.config.ts); without its index.html it is not deployed. */
  browserDistDir: string;
  /** The development manifest (https://localhost:3000) the production one is generated from. */
  devManifestPath: string;
  /** Written to config.json so the pane can offer the API address when connecting. */
  apiUrl: string;
}

/** An own domain for the pane, e.g. a government subdomain; required where CloudFront needs an ICP-recorded name. */
export interface AddinDomain {
  domainName: string;
  /** ACM certificate for `domainName`, issued in us-east-1 (CloudFront only uses certificates from there). */
  certificateArn: string;
}

/** Where the browser page lives in the bucket and on the distribution. */
export const BROWSER_PREFIX = 'browser/';

/** Build output named by its content hash (vite writes `assets/<name>-<hash>.js/.css`): never changes in place. */
export const HASHED_FILES = ['assets/*-*.js', 'assets/*-*.css'];
/**
 * Cache-Control of the uploaded objects, which CloudFront passes on. Office's webviews cache hard: without
 * `no-cache` a county keeps an old taskpane.html (and the old scripts it names) long after a deploy. Everything
 * not hashed (html, config.json, manifest.xml, icons) is revalidated on every load; hashed files are kept a year.
 */
export const CACHE_CONTROL = {
  revalidate: [CacheControl.noCache()],
  hashed: [CacheControl.setPublic(), CacheControl.maxAge(Duration.days(365)), CacheControl.immutable()],
};

export class AddinHosting extends Construct {
  readonly bucket: Bucket;
  readonly distribution: Distribution;
  readonly domain?: AddinDomain;
  /** The deployment of the built pane, or undefined when there was nothing built to deploy. */
  deployment?: BucketDeployment;
  /** The deployment of the built browser page under /browser/, or undefined when it was not built. */
  browserDeployment?: BucketDeployment;
  private deployLogs?: LogGroup;

  constructor(scope: Construct, id: string, props: { domain?: AddinDomain } = {}) {
    super(scope, id);
    this.domain = props.domain;
    // One bucket for the S3 server access logs and the CloudFront standard logs. CloudFront's standard
    // logging writes with object ACLs, so this bucket (and only this one) keeps ACLs enabled.
    const logBucket = new Bucket(this, 'AccessLogs', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: ObjectOwnership.OBJECT_WRITER,
      lifecycleRules: [{ expiration: Duration.days(LOG_RETENTION_DAYS) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.bucket = new Bucket(this, 'Files', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      // Versions let an operator roll the pane back after a bad deploy; old ones are not kept forever.
      versioned: true,
      lifecycleRules: [{ noncurrentVersionExpiration: Duration.days(90) }],
      serverAccessLogsBucket: logBucket,
      serverAccessLogsPrefix: 's3/',
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const securityHeaders = new ResponseHeadersPolicy(this, 'SecurityHeaders', {
      comment: 'baosong add-in: HSTS, nosniff, referrer policy; no frame options (Excel on the web frames the pane)',
      securityHeadersBehavior: {
        strictTransportSecurity: { accessControlMaxAge: Duration.days(365), includeSubdomains: true, override: true },
        contentTypeOptions: { override: true },
        referrerPolicy: { referrerPolicy: HeadersReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN, override: true },
      },
    });

    this.distribution = new Distribution(this, 'Cdn', {
      comment: 'baosong Excel add-in task pane',
      // Opening AddinUrl in a browser shows the pane (the build's entry page, see addin/vite.config.ts).
      defaultRootObject: 'taskpane.html',
      defaultBehavior: {
        origin: S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
        allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
        cachePolicy: CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: securityHeaders,
        compress: true,
      },
      httpVersion: HttpVersion.HTTP2_AND_3,
      // Includes the Asian edge locations (Hong Kong, Singapore, Tokyo) nearest to the counties.
      priceClass: PriceClass.PRICE_CLASS_200,
      enableLogging: true,
      logBucket,
      logFilePrefix: 'cloudfront/',
      ...(props.domain
        ? {
            domainNames: [props.domain.domainName],
            certificate: Certificate.fromCertificateArn(this, 'Certificate', props.domain.certificateArn),
            minimumProtocolVersion: SecurityPolicyProtocol.TLS_V1_2_2021,
          }
        : {}),
    });
  }

  /** The origin the pane is served from: `https://<own domain>` or `https://…cloudfront.net`. */
  get url(): string {
    return `https://${this.domain?.domainName ?? this.distribution.distributionDomainName}`;
  }

  /** The browser page's address: `<url>/browser/index.html`. */
  get browserPageUrl(): string {
    return `${this.url}/${BROWSER_PREFIX}index.html`;
  }

  /**
   * Uploads the built pane, the production manifest.xml and config.json, and the built browser page under
   * /browser/ (with its own config.json), then invalidates CloudFront. Whatever was not built is not
   * deployed, so the stack still synthesizes on a fresh clone.
   */
  deploySite(files: AddinSiteFiles): void {
    const config = Source.jsonData('config.json', { apiUrl: files.apiUrl });
    if (existsSync(files.addinDistDir)) {
      const sources: ISource[] = [Source.asset(files.addinDistDir), config];
      if (existsSync(files.devManifestPath)) {
        sources.push(
          Source.data('manifest.xml', productionManifest(readFileSync(files.devManifestPath, 'utf8'), this.url)),
        );
      }
      this.deployment = this.upload('Deploy', files.addinDistDir, sources, {
        distributionPaths: ['/*'],
        // The pane's upload removes files of an earlier pane build, but not the browser page's.
        exclude: [`${BROWSER_PREFIX}*`],
      });
    }
    if (existsSync(join(files.browserDistDir, 'index.html'))) {
      this.browserDeployment = this.upload(
        'DeployBrowserPage',
        files.browserDistDir,
        [Source.asset(files.browserDistDir), config],
        {
          destinationKeyPrefix: BROWSER_PREFIX,
          distributionPaths: [`/${BROWSER_PREFIX}*`],
        },
      );
    }
  }

  /**
   * Two deployments per build: its hashed files with CACHE_CONTROL.hashed (never pruned: a pane still open with
   * the previous html keeps finding its scripts), then everything else with CACHE_CONTROL.revalidate.
   */
  private upload(
    id: string,
    builtDir: string,
    sources: ISource[],
    opts: Partial<BucketDeploymentProps>,
  ): BucketDeployment {
    // One log group for aws-cdk-lib's upload function, which all deployments share.
    this.deployLogs ??= new LogGroup(this, 'DeployLogs', {
      retention: LOG_RETENTION,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const common = {
      destinationBucket: this.bucket,
      memoryLimit: 512,
      logGroup: this.deployLogs,
      destinationKeyPrefix: opts.destinationKeyPrefix,
    };
    const hashed = new BucketDeployment(this, `${id}Hashed`, {
      ...common,
      sources: [Source.asset(builtDir)],
      exclude: ['*'],
      include: HASHED_FILES,
      prune: false,
      cacheControl: CACHE_CONTROL.hashed,
    });
    const rest = new BucketDeployment(this, id, {
      ...common,
      sources,
      distribution: this.distribution,
      cacheControl: CACHE_CONTROL.revalidate,
      ...opts,
      exclude: [...(opts.exclude ?? []), ...HASHED_FILES],
    });
    // The html may name only scripts already uploaded.
    rest.node.addDependency(hashed);
    return rest;
  }
}
