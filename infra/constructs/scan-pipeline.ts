import { Aws, CfnOutput, Duration, RemovalPolicy, Stack, TimeZone, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as logs from 'aws-cdk-lib/aws-logs';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as schedulerTargets from 'aws-cdk-lib/aws-scheduler-targets';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { STEPFUNCTIONS_USE_DISTRIBUTED_MAP_RESULT_WRITER_V2 } from 'aws-cdk-lib/cx-api';
import { Construct } from 'constructs';
import {
  ITEM_WRITE_ACTIONS,
  PROTECTED_PARTITION,
  TABLE_ACTIONS,
  TABLE_INDEXES,
  type PipelineFunction,
} from '../../shared/pipeline/table-access.js';
import type { HardlineSettings } from '../config.js';
import { clusterScanners } from './cluster-scanners.js';
import type { FindingsStore } from './findings-store.js';
import { acknowledge, arnRef, ref } from './nag.js';
import { scanDefinition } from './scan-definition.js';
import { ScannerFunction } from './scanner-function.js';

export interface ScanPipelineProps {
  store: FindingsStore;
  settings: HardlineSettings;
  logRetention: logs.RetentionDays;
}

/**
 * The scheduled org-wide scan: EventBridge Scheduler → Step Functions (discover → map over
 * targets → scan-cluster / scan-registry → summarize). The three functions that read member
 * accounts run under fixed role names that the member roles trust; their only AWS permission
 * outside hardline's own resources is sts:AssumeRole into those member roles.
 */
export class ScanPipeline extends Construct {
  readonly discover: ScannerFunction;
  readonly scanCluster: ScannerFunction;
  /** scan-cluster functions of regions with a network of their own (regionNetworks). */
  readonly scanClusterByRegion: { region: string; fn: ScannerFunction }[];
  readonly scanRegistry: ScannerFunction;
  readonly summarize: ScannerFunction;
  readonly stateMachine: sfn.StateMachine;
  readonly runsBucket: s3.Bucket;
  readonly schedule: scheduler.Schedule;
  /** Scheduled starts the Scheduler could not deliver after its retries. */
  readonly scheduleDeadLetters: sqs.Queue;
  readonly functions: ScannerFunction[];

  constructor(scope: Construct, id: string, props: ScanPipelineProps) {
    super(scope, id);
    const s = props.settings;
    const table = props.store.table;
    this.runsBucket = new s3.Bucket(this, 'Runs', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      removalPolicy: RemovalPolicy.DESTROY,
      autoDeleteObjects: false,
      lifecycleRules: [{ expiration: Duration.days(s.runsRetentionDays), abortIncompleteMultipartUploadAfter: Duration.days(1) }],
    });
    acknowledge(
      this.runsBucket,
      'AwsSolutions-S1',
      'Holds only transient run files (the discovered target list and the map results), written and read by the pipeline roles and expired after runsRetentionDays; a second bucket for access logs would outlive the data it logs.',
    );

    const environment = pipelineEnvironment(s, table.tableName, this.runsBucket.bucketName);
    const common = { logRetention: props.logRetention, environment };
    this.discover = new ScannerFunction(this, 'Discover', {
      ...common,
      entryName: 'discover',
      roleName: `${s.scannerRolePrefix}-discover`,
      timeout: Duration.minutes(10),
    });
    const clusters = clusterScanners(this, s, common);
    this.scanCluster = clusters.home;
    this.scanClusterByRegion = clusters.byRegion;
    this.scanRegistry = new ScannerFunction(this, 'ScanRegistry', {
      ...common,
      entryName: 'scan-registry',
      roleName: `${s.scannerRolePrefix}-registry`,
      timeout: Duration.minutes(5),
    });
    this.summarize = new ScannerFunction(this, 'Summarize', {
      ...common,
      entryName: 'summarize',
      memorySize: 1024,
      timeout: Duration.minutes(10),
    });
    this.functions = [this.discover, this.scanCluster, ...this.scanClusterByRegion.map((r) => r.fn), this.scanRegistry, this.summarize];

    // The run's data: discover opens the scan item, the scan steps and summarize save findings — each exactly the item actions it makes.
    const tableAccess = (fn: PipelineFunction) => ({
      actions: TABLE_ACTIONS[fn],
      indexes: TABLE_INDEXES[fn],
      denyWritesTo: { partition: PROTECTED_PARTITION, actions: ITEM_WRITE_ACTIONS },
    });
    props.store.grantItems(this.discover, tableAccess('discover'));
    props.store.grantItems(this.scanCluster, tableAccess('scan-cluster'));
    props.store.grantItems(this.scanRegistry, tableAccess('scan-registry'));
    props.store.grantItems(this.summarize, tableAccess('summarize'));
    this.runsBucket.grantPut(this.discover, 'scans/*');
    this.runsBucket.grantRead(this.summarize, 'scans/*');
    this.runsBucket.grantRead(this.summarize, 'results/*');
    const runs = arnRef(this.runsBucket);
    acknowledge(
      this.discover.role!,
      `AwsSolutions-IAM5[Resource::${runs}/scans/*]`,
      "discover writes each run's target list under scans/<scanId>/; the run id is only known at run time.",
    );
    acknowledge(
      this.discover.role!,
      'AwsSolutions-IAM5[Action::s3:Abort*]',
      'grantPut includes aborting its own multipart uploads of run files, on this bucket only.',
    );
    const summarizeRole = this.summarize.role!;
    acknowledge(
      summarizeRole,
      `AwsSolutions-IAM5[Resource::${runs}/scans/*]`,
      'summarize reads the target list discover wrote for its run (scans/<scanId>/).',
    );
    acknowledge(
      summarizeRole,
      `AwsSolutions-IAM5[Resource::${runs}/results/*]`,
      'summarize reads the item results the Distributed Map wrote under results/<mapRunId>/, known only at run time.',
    );
    acknowledge(
      summarizeRole,
      'AwsSolutions-IAM5[Action::s3:GetObject*]',
      'grantRead of the run files: GetObject and its version/ACL variants, on the runs bucket only.',
    );
    acknowledge(
      summarizeRole,
      'AwsSolutions-IAM5[Action::s3:GetBucket*]',
      'grantRead of the run files: bucket location/metadata reads, on the runs bucket only.',
    );
    acknowledge(summarizeRole, 'AwsSolutions-IAM5[Action::s3:List*]', 'grantRead of the run files: listing the runs bucket only.');
    this.grantMemberAccess(s);

    const steps = new Construct(this, 'Steps');
    // ResultWriterV2 renders only under this feature flag; set here so the construct does not depend on cdk.json.
    steps.node.setContext(STEPFUNCTIONS_USE_DISTRIBUTED_MAP_RESULT_WRITER_V2, true);
    const logGroup = new LogGroup(this, 'StateMachineLogs', { retention: props.logRetention, removalPolicy: RemovalPolicy.DESTROY });
    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      definitionBody: sfn.DefinitionBody.fromChainable(
        scanDefinition(steps, {
          discover: this.discover,
          scanCluster: this.scanCluster,
          scanClusterByRegion: this.scanClusterByRegion,
          scanRegistry: this.scanRegistry,
          summarize: this.summarize,
          runsBucket: this.runsBucket,
          mapMode: s.mapMode,
          maxConcurrency: s.maxConcurrency,
        }),
      ),
      // The state carries target names and counts only; execution data stays out of the logs anyway.
      logs: { destination: logGroup, level: sfn.LogLevel.ALL, includeExecutionData: false },
      tracingEnabled: true,
      timeout: Duration.hours(12),
    });
    this.acknowledgeStateMachine();

    this.scheduleDeadLetters = new sqs.Queue(this, 'ScheduleDeadLetters', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    acknowledge(
      this.scheduleDeadLetters,
      'AwsSolutions-SQS3',
      'This queue is itself the dead-letter queue of the schedule; its depth is alarmed (PipelineAlarms).',
    );
    this.schedule = new scheduler.Schedule(this, 'Schedule', {
      description: 'hardline: org-wide hardening scan',
      schedule: scheduler.ScheduleExpression.expression(s.schedule, TimeZone.of(s.scheduleTimezone)),
      // A start that still fails after the retries (state machine missing, role broken) lands in the alarmed queue.
      target: new schedulerTargets.StepFunctionsStartExecution(this.stateMachine, {
        retryAttempts: 2,
        maxEventAge: Duration.hours(1),
        deadLetterQueue: this.scheduleDeadLetters,
      }),
    });
    new CfnOutput(this, 'StateMachineArn', {
      value: this.stateMachine.stateMachineArn,
      description: 'Start a scan now: aws stepfunctions start-execution --state-machine-arn <this>',
    });
  }

  private acknowledgeStateMachine(): void {
    const role = this.stateMachine.role;
    for (const fn of this.functions) {
      acknowledge(
        role,
        `AwsSolutions-IAM5[Resource::${arnRef(fn)}:*]`,
        `Invoking ${fn.node.id} by any version or alias of that one function (LambdaInvoke grants the function ARN and its qualifiers).`,
      );
    }
    acknowledge(
      role,
      `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::${ref(this.runsBucket)}/*]`,
      "The Distributed Map reads the run's target list and writes item results in the runs bucket; keys are per run.",
    );
    acknowledge(
      role,
      'AwsSolutions-IAM5[Resource::*]',
      'X-Ray trace upload (tracingEnabled) and CloudWatch Logs vended-log delivery (logs:CreateLogDelivery and friends) have no resource-level form.',
    );
    const mapPolicy = this.stateMachine.node.tryFindChild('DistributedMapPolicy');
    if (mapPolicy) {
      // The execution namespace of this state machine, as cdk-nag prints the ARN CDK builds for it.
      const stack = Stack.of(this);
      const region = Token.isUnresolved(stack.region) ? '<AWS::Region>' : stack.region;
      const account = Token.isUnresolved(stack.account) ? '<AWS::AccountId>' : stack.account;
      const executions = `arn:<AWS::Partition>:states:${region}:${account}:execution:{"Fn::Select":[6,{"Fn::Split":[":",{"Ref":"${ref(this.stateMachine).slice(1, -1)}"}]}]}`;
      const reason =
        "The Distributed Map starts, describes and stops its own child executions, whose names are made per run under this state machine's execution namespace.";
      acknowledge(mapPolicy, `AwsSolutions-IAM5[Resource::${executions}:*]`, reason);
      acknowledge(mapPolicy, `AwsSolutions-IAM5[Resource::${executions}/ScanTargets:*]`, reason);
    }
  }

  /** sts:AssumeRole into the member read roles (the organisation's, or only this account's). */
  private grantMemberAccess(s: HardlineSettings): void {
    const account = s.orgMode === 'organization' ? '*' : Aws.ACCOUNT_ID;
    const memberRole = `arn:${Aws.PARTITION}:iam::${account}:role/${s.memberRoleName}`;
    for (const fn of [this.discover, this.scanCluster, this.scanRegistry]) {
      fn.addToRolePolicy(
        new iam.PolicyStatement({
          sid: 'AssumeMemberReadRole',
          actions: ['sts:AssumeRole'],
          resources: [memberRole],
          // Organisation mode: only roles inside this organisation, never a same-named role elsewhere.
          ...(s.orgMode === 'organization' ? { conditions: { StringEquals: { 'aws:ResourceOrgID': '${aws:PrincipalOrgID}' } } } : {}),
        }),
      );
      if (s.orgMode === 'organization') {
        acknowledge(
          fn.role!,
          `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:iam::*:role/${s.memberRoleName}]`,
          'Member accounts join and leave the organisation between deployments: the role name is fixed, the account is not; aws:ResourceOrgID keeps it inside the organisation and each member role requires the ExternalId.',
        );
      }
    }
    if (s.orgMode === 'organization') {
      this.discover.addToRolePolicy(
        new iam.PolicyStatement({ sid: 'ListOrganisationAccounts', actions: ['organizations:ListAccounts'], resources: ['*'] }),
      );
    }
  }
}

/** What the functions read from the environment (shared/pipeline/settings.ts parses the same names). */
export function pipelineEnvironment(s: HardlineSettings, tableName: string, bucketName: string): Record<string, string> {
  return {
    HARDLINE_TABLE: tableName,
    HARDLINE_RUNS_BUCKET: bucketName,
    HARDLINE_MAP_MODE: s.mapMode,
    ...memberAccessEnvironment(s),
    HARDLINE_FRAMEWORK: s.framework,
    HARDLINE_RETENTION_DAYS: String(s.retentionDays),
    ...(s.scanConfig ? { HARDLINE_CONFIG: JSON.stringify(s.scanConfig) } : {}),
  };
}

/** Which accounts and regions there are and how to reach them: every function that goes into member accounts reads these. */
export function memberAccessEnvironment(s: HardlineSettings): Record<string, string> {
  return {
    HARDLINE_ORG_MODE: s.orgMode,
    HARDLINE_ACCOUNT_ID: Aws.ACCOUNT_ID,
    HARDLINE_PARTITION: Aws.PARTITION,
    HARDLINE_REGIONS: s.regions.length > 0 ? s.regions.join(',') : Aws.REGION,
    HARDLINE_MEMBER_ROLE_NAME: s.memberRoleName,
    HARDLINE_EXTERNAL_ID: s.externalId,
    HARDLINE_ONBOARDING_MODE: s.onboardingMode,
  };
}
