import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat, type BundlingOptions, type NodejsFunctionProps } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import type { BuildOptions } from 'esbuild';
import { acknowledge } from './nag.js';

export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The Lambda entry points under functions/ (one folder each). */
export const FUNCTION_NAMES = [
  'discover',
  'scan-cluster',
  'scan-registry',
  'summarize',
  'publish-events',
  'api',
  'onboard-clusters',
  'securityhub-import',
  'rescan-targets',
] as const;
export type FunctionName = (typeof FUNCTION_NAMES)[number];

export function functionEntry(name: FunctionName): string {
  return join(REPO_ROOT, 'functions', name, 'handler.ts');
}

/** The one SDK client left to the Lambda runtime (see SCANNER_BUNDLING). */
const RUNTIME_PROVIDED_EC2 = '@aws-sdk/client-ec2';

/**
 * How every function is bundled (local esbuild, never Docker). ESM, with a banner that gives
 * CommonJS dependencies bundled into ESM a `require`.
 * The AWS SDK is bundled rather than taken from the runtime: the code is tested against the
 * versions in package-lock.json, and the runtime's copy lags and differs by region. One exception:
 * the EC2 client. Its generated schema (one module of every EC2 shape, with computed property
 * keys esbuild must assume have side effects) cannot be tree-shaken: 550 KB of the scan-cluster
 * bundle for three read-only calls (DescribeLaunchTemplates, DescribeLaunchTemplateVersions,
 * DescribeRegions), whose shapes have not changed in years. It is imported lazily where used, so
 * a cold start never loads it, and comes from the nodejs22.x runtime's SDK.
 * bench/bundle.ts builds every function from this same object to measure size and cold start.
 */
export const SCANNER_BUNDLING = {
  format: OutputFormat.ESM,
  target: 'node22',
  minify: true,
  // Error classes name themselves after their class (HardlineError: `new.target.name`); minified
  // names would reach Step Functions, logs and events as 'mg' instead of 'InputError'.
  keepNames: true,
  sourceMap: true,
  // Stack traces map back through the .map file; the sources themselves need not ship.
  sourcesContent: false,
  mainFields: ['module', 'main'],
  bundleAwsSDK: true,
  externalModules: [RUNTIME_PROVIDED_EC2],
  banner: "import{createRequire}from'module';const require=createRequire(import.meta.url);",
} satisfies BundlingOptions;

/** The same bundle as plain esbuild options (what NodejsFunction passes to esbuild for SCANNER_BUNDLING). */
export function esbuildOptions(entry: string, outfile: string): BuildOptions {
  return {
    entryPoints: [entry],
    outfile,
    bundle: true,
    // NodejsFunction always passes --platform=node.
    platform: 'node',
    format: 'esm',
    target: SCANNER_BUNDLING.target,
    minify: SCANNER_BUNDLING.minify,
    keepNames: SCANNER_BUNDLING.keepNames,
    sourcemap: SCANNER_BUNDLING.sourceMap,
    sourcesContent: SCANNER_BUNDLING.sourcesContent,
    mainFields: [...SCANNER_BUNDLING.mainFields],
    external: [...SCANNER_BUNDLING.externalModules],
    banner: { js: SCANNER_BUNDLING.banner },
    logLevel: 'warning',
  };
}

/** Roles that already hold the ENI statement (a shared role gets it once). */
const VPC_ROLES = new WeakSet<iam.Role>();

export interface ScannerFunctionProps extends Omit<
  NodejsFunctionProps,
  'entry' | 'runtime' | 'architecture' | 'bundling' | 'role' | 'logGroup'
> {
  entryName: FunctionName;
  /** Fixed role name (the scanner roles member accounts trust); generated otherwise. */
  roleName?: string;
  /** Run under another function's role (per-region copies of one scanner share the role member accounts trust). */
  sharedRole?: iam.Role;
  logRetention: logs.RetentionDays;
  /** Powertools service name; defaults to hardline-<entry>. */
  serviceName?: string;
}

/**
 * A hardline Lambda: NodejsFunction on nodejs22.x / ARM64, bundled as above, X-Ray active,
 * Powertools configured, its own log group with retention, and its own role whose only built-in
 * permission is writing that log group (no AWSLambdaBasicExecutionRole with logs:* on every group).
 */
export class ScannerFunction extends NodejsFunction {
  /** The role it runs under (its own, or the shared one it was given). */
  readonly executionRole: iam.Role;

  constructor(scope: Construct, id: string, props: ScannerFunctionProps) {
    const { entryName, roleName, sharedRole, logRetention, serviceName, environment, ...rest } = props;
    const role =
      sharedRole ??
      new iam.Role(scope, `${id}Role`, {
        assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
        description: `hardline ${entryName} function`,
        ...(roleName ? { roleName } : {}),
      });
    const logGroup = new logs.LogGroup(scope, `${id}Logs`, { retention: logRetention, removalPolicy: RemovalPolicy.DESTROY });
    super(scope, id, {
      entry: functionEntry(entryName),
      handler: 'handler',
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      projectRoot: REPO_ROOT,
      depsLockFilePath: join(REPO_ROOT, 'package-lock.json'),
      bundling: SCANNER_BUNDLING,
      role,
      logGroup,
      tracing: lambda.Tracing.ACTIVE,
      memorySize: 512,
      timeout: Duration.minutes(5),
      ...rest,
      environment: {
        POWERTOOLS_SERVICE_NAME: serviceName ?? `hardline-${entryName}`,
        POWERTOOLS_METRICS_NAMESPACE: 'hardline',
        POWERTOOLS_LOG_LEVEL: 'INFO',
        // The bundle is minified and ships its .map: without this flag stack traces point into index.mjs.
        NODE_OPTIONS: '--enable-source-maps',
        ...environment,
      },
    });
    this.executionRole = role;
    logGroup.grantWrite(role);
    if (props.vpc && !VPC_ROLES.has(role)) {
      VPC_ROLES.add(role);
      // What AWSLambdaVPCAccessExecutionRole grants, inline: Lambda manages the function's ENIs with the role's credentials.
      role.addToPrincipalPolicy(
        new iam.PolicyStatement({
          sid: 'LambdaVpcNetworkInterfaces',
          actions: [
            'ec2:CreateNetworkInterface',
            'ec2:DescribeNetworkInterfaces',
            'ec2:DescribeSubnets',
            'ec2:DeleteNetworkInterface',
            'ec2:AssignPrivateIpAddresses',
            'ec2:UnassignPrivateIpAddresses',
          ],
          resources: ['*'],
        }),
      );
    }
    acknowledge(
      this,
      'AwsSolutions-L1',
      "nodejs22.x is hardline's built and tested runtime (every Lambda runs nodejs22.x, the Node the repository pins); a runtime upgrade is a deliberate change with its own test run.",
    );
    acknowledge(
      role,
      'AwsSolutions-IAM5[Resource::*]',
      'Only actions Lambda and AWS offer on * alone: X-Ray PutTraceSegments/PutTelemetryRecords for active tracing, the ENI management of a VPC-placed function (as in AWSLambdaVPCAccessExecutionRole), and for discover in organisation mode the read-only organizations:ListAccounts; test/infra/least-privilege.test.ts asserts no other write on *.',
    );
  }
}
