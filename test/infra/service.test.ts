import { Capture, Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { HIGH_FINDINGS_PATTERN } from '../../infra/constructs/finding-events.js';
import { FINDINGS_API_ROUTES } from '../../infra/constructs/findings-api.js';
import { MEMBER_READ_ACTIONS } from '../../infra/constructs/member-read-role.js';
import { RUN_METRICS } from '../../shared/pipeline/metrics.js';
import { RETRYABLE_STEP_ERROR } from '../../shared/pipeline/middleware.js';
import { pipelineSettings } from '../../shared/pipeline/settings.js';
import { LAMBDA_THROTTLED, STEP_RETRIERS } from '../../shared/pipeline/step-retry.js';
import { INDEX } from '../../shared/store/keys.js';
import { TTL_ATTRIBUTE } from '../../shared/store/table.js';
import { asList, buildService, flatten, iamStatements, stateMachineDefinition, type Json } from './support.js';

let template: Template;
beforeAll(() => {
  template = buildService().template;
});

const fnProps = () => Object.values(template.findResources('AWS::Lambda::Function')).map((r) => r['Properties'] as Json);
const envOf = (service: string) => {
  const fn = fnProps().find(
    (p) =>
      (p['Environment'] as Json)?.['Variables'] && ((p['Environment'] as Json)['Variables'] as Json)['POWERTOOLS_SERVICE_NAME'] === service,
  );
  if (!fn) throw new Error(`no function ${service}`);
  return (fn['Environment'] as Json)['Variables'] as Record<string, unknown>;
};

describe('functions', () => {
  it('six functions, every one nodejs22.x on arm64 with active tracing and its own log group (no hidden helper Lambdas)', () => {
    const fns = fnProps();
    expect(fns).toHaveLength(6);
    for (const p of fns) {
      expect(p).toMatchObject({
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        TracingConfig: { Mode: 'Active' },
        Handler: 'index.handler',
      });
      expect(p['LoggingConfig']).toMatchObject({ LogGroup: { Ref: expect.any(String) } });
    }
    template.allResourcesProperties('AWS::Logs::LogGroup', { RetentionInDays: 365 });
  });

  it('every function maps stack traces through its shipped source map (--enable-source-maps)', () => {
    for (const p of fnProps()) expect(((p['Environment'] as Json)['Variables'] as Json)['NODE_OPTIONS']).toBe('--enable-source-maps');
  });

  it('the API function times out before the HTTP API integration (30 s) does', () => {
    const api = fnProps().find((p) => ((p['Environment'] as Json)['Variables'] as Json)['POWERTOOLS_SERVICE_NAME'] === 'hardline-api')!;
    expect(api['Timeout']).toBeLessThanOrEqual(29);
  });

  it('the pipeline functions get exactly the environment shared/pipeline/settings.ts parses', () => {
    for (const service of ['hardline-discover', 'hardline-scan-cluster', 'hardline-scan-registry', 'hardline-summarize']) {
      const env = Object.fromEntries(Object.entries(envOf(service)).map(([k, v]) => [k, flatten(v)]));
      // Deploy-time tokens stand in for real values here.
      env['HARDLINE_ACCOUNT_ID'] = '111122223333';
      env['HARDLINE_REGIONS'] = 'eu-west-1';
      env['HARDLINE_PARTITION'] = 'aws';
      const s = pipelineSettings(env);
      expect(s).toMatchObject({
        orgMode: 'account',
        mapMode: 'distributed',
        memberRoleName: 'hardline-read',
        externalId: 'hardline',
        retentionDays: 90,
      });
    }
    expect(flatten(envOf('hardline-discover')['HARDLINE_REGIONS'])).toBe('${AWS::Region}');
    expect(envOf('hardline-scan-cluster')['HARDLINE_REACH_PRIVATE_ENDPOINTS']).toBe('false');
    expect(envOf('hardline-publish-events')['EVENT_BUS_NAME']).toEqual({ Ref: expect.any(String) });
  });
});

describe('schedule and state machine', () => {
  it('EventBridge Scheduler starts the state machine on the configured cron, in UTC', () => {
    const machine = new Capture();
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(0 3 * * ? *)',
      ScheduleExpressionTimezone: 'UTC',
      State: 'ENABLED',
      Target: Match.objectLike({ Arn: machine, RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 3600 } }),
    });
    expect(machine.asObject()).toEqual({ Ref: Object.keys(template.findResources('AWS::StepFunctions::StateMachine'))[0] });
  });

  it('discover → Distributed Map over the S3 target list → scan by kind with retries and a Catch per item → summarize', () => {
    const asl = stateMachineDefinition(template);
    expect(asl['StartAt']).toBe('Discover');
    const states = asl['States'] as Record<string, Json>;
    expect(states['Discover']).toMatchObject({
      Type: 'Task',
      Next: 'ScanTargets',
      Parameters: { 'scanId.$': '$$.Execution.Name', 'startedAt.$': '$$.Execution.StartTime' },
    });
    const map = states['ScanTargets']!;
    expect(map).toMatchObject({
      Type: 'Map',
      MaxConcurrency: 20,
      ToleratedFailurePercentage: 100,
      ItemReader: {
        Resource: expect.stringContaining(':states:::s3:getObject'),
        ReaderConfig: { InputType: 'JSON' },
        Parameters: { 'Key.$': '$.targetsKey' },
      },
      ResultWriter: { Resource: expect.stringContaining(':states:::s3:putObject'), Parameters: { Prefix: 'results' } },
      ItemSelector: {
        'item.$': '$$.Map.Item.Value',
        'scanId.$': '$.scanId',
        'startedAt.$': '$.startedAt',
        'knownAccounts.$': '$.knownAccounts',
      },
      ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' } },
      ResultPath: '$.map',
      Next: 'Summarize',
      Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.mapError', Next: 'Summarize' }],
    });
    const inner = (map['ItemProcessor'] as Json)['States'] as Record<string, Json>;
    expect(inner['ByTargetKind']).toMatchObject({
      Type: 'Choice',
      Choices: [
        { Variable: '$.item.failure', IsPresent: true, Next: 'CarryDiscoveryFailure' },
        { Variable: '$.item.target.kind', StringEquals: 'registry', Next: 'ScanRegistry' },
      ],
      Default: 'ScanCluster',
    });
    for (const step of ['ScanCluster', 'ScanRegistry']) {
      expect(inner[step]).toMatchObject({
        Type: 'Task',
        Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'RecordStepFailure' }],
        Retry: expect.arrayContaining([
          expect.objectContaining({ ErrorEquals: [RETRYABLE_STEP_ERROR], MaxAttempts: 3, JitterStrategy: 'FULL' }),
          expect.objectContaining({ ErrorEquals: expect.arrayContaining(['Lambda.ServiceException']) }),
        ]),
      });
    }
    expect(inner['RecordStepFailure']).toMatchObject({
      Type: 'Pass',
      Parameters: { status: 'ERROR', recorded: false, 'target.$': '$.item.target', 'error.$': '$.error' },
    });
    // The whole state (discover's output + the map's) is summarize's event.
    expect(states['Summarize']).toMatchObject({ Type: 'Task', Next: 'RunCompleted' });
    for (const state of [states['Summarize']!, inner['ScanCluster']!, inner['ScanRegistry']!]) expect(state['Parameters']).toBeUndefined();
  });

  it("every Lambda task retries Lambda throttling (TooManyRequestsException) with jittered backoff, then service faults and the step's own retryable errors: the shared retrier list, exactly", () => {
    const tasks: [string, Json][] = [];
    const walk = (states: Record<string, Json>) => {
      for (const [name, st] of Object.entries(states)) {
        if (st['Type'] === 'Task') tasks.push([name, st]);
        const inner = (st['ItemProcessor'] as Json | undefined)?.['States'];
        if (inner) walk(inner as Record<string, Json>);
      }
    };
    walk(stateMachineDefinition(template)['States'] as Record<string, Json>);
    expect(tasks.map(([n]) => n).sort()).toEqual(['Discover', 'ScanCluster', 'ScanRegistry', 'Summarize']);
    const rendered = STEP_RETRIERS.map((r) => ({
      ErrorEquals: [...r.errors],
      IntervalSeconds: r.intervalSeconds,
      MaxAttempts: r.maxAttempts,
      BackoffRate: r.backoffRate,
      ...(r.maxDelaySeconds ? { MaxDelaySeconds: r.maxDelaySeconds } : {}),
      JitterStrategy: r.jitter,
    }));
    for (const [name, st] of tasks) {
      expect(st['Retry'], name).toEqual(rendered);
      const throttle = (st['Retry'] as Json[]).find((r) => (r['ErrorEquals'] as string[]).includes(LAMBDA_THROTTLED));
      expect(throttle, name).toMatchObject({ BackoffRate: 2, JitterStrategy: 'FULL', MaxAttempts: expect.any(Number) });
      expect(throttle!['MaxAttempts'] as number).toBeGreaterThanOrEqual(6);
    }
  });

  it('the state machine logs ALL levels without execution data, is traced, and starts child executions of itself only', () => {
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      TracingConfiguration: { Enabled: true },
      LoggingConfiguration: Match.objectLike({ Level: 'ALL', IncludeExecutionData: false }),
    });
    const machineId = Object.keys(template.findResources('AWS::StepFunctions::StateMachine'))[0]!;
    const starts = iamStatements(template).filter(({ statement }) =>
      asList(statement['Action'] as string | string[]).includes('states:StartExecution'),
    );
    expect(starts.length).toBeGreaterThanOrEqual(2); // the scheduler's role and the Distributed Map's own
    for (const { statement } of starts) expect(statement['Resource']).toEqual({ Ref: machineId });
  });
});

describe('findings table', () => {
  it('keys and GSIs of the store, TTL, NEW_AND_OLD_IMAGES stream, PITR, SSE with the customer-managed key, deletion protection', () => {
    const key = new Capture();
    template.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      KeySchema: [
        { AttributeName: 'PK', KeyType: 'HASH' },
        { AttributeName: 'SK', KeyType: 'RANGE' },
      ],
      BillingMode: 'PAY_PER_REQUEST',
      StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' },
      TimeToLiveSpecification: { AttributeName: TTL_ATTRIBUTE, Enabled: true },
      SSESpecification: { SSEEnabled: true, SSEType: 'KMS' },
      GlobalSecondaryIndexes: Object.values(INDEX).map((i) =>
        Match.objectLike({
          IndexName: i.name,
          KeySchema: [
            { AttributeName: i.pk, KeyType: 'HASH' },
            { AttributeName: i.sk, KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        }),
      ),
      Replicas: [
        Match.objectLike({
          PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
          DeletionProtectionEnabled: true,
          SSESpecification: { KMSMasterKeyId: key },
        }),
      ],
    });
    const keyId = Object.entries(template.findResources('AWS::KMS::Key')).find(([, r]) =>
      flatten((r['Properties'] as Json)['Description']).includes('findings'),
    )![0];
    expect(flatten(key.asObject())).toContain(keyId);
    template.hasResourceProperties('AWS::KMS::Key', { Description: Match.stringLikeRegexp('findings'), EnableKeyRotation: true });
    template.hasResource('AWS::DynamoDB::GlobalTable', { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
  });
});

describe('events', () => {
  it('a custom bus with an archive of every hardline event', () => {
    template.resourceCountIs('AWS::Events::EventBus', 1);
    template.hasResourceProperties('AWS::Events::Archive', {
      EventPattern: { source: ['hardline'] },
      RetentionDays: 365,
      SourceArn: Match.anyValue(),
    });
  });

  it('stream → publisher with bisect, partial batch failures and an on-failure DLQ', () => {
    const dlq = new Capture();
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: Match.anyValue(),
      StartingPosition: 'TRIM_HORIZON',
      BisectBatchOnFunctionError: true,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      MaximumRetryAttempts: 10,
      DestinationConfig: { OnFailure: { Destination: dlq } },
    });
    expect(flatten(dlq.asObject())).toMatch(/StreamDeadLetters.*\.Arn/);
  });

  it('the example SIEM rule is the documented HIGH/CRITICAL pattern (opened, reopened and exempted), delivered to the SIEM queue with a DLQ', () => {
    const target = new Capture();
    template.hasResourceProperties('AWS::Events::Rule', {
      EventBusName: Match.anyValue(),
      EventPattern: {
        source: ['hardline'],
        'detail-type': ['Finding Opened', 'Finding Reopened', 'Finding Exempted'],
        detail: { severity: ['critical', 'high'] },
      },
      Targets: [
        Match.objectLike({
          Arn: target,
          DeadLetterConfig: { Arn: Match.anyValue() },
          RetryPolicy: { MaximumRetryAttempts: 8, MaximumEventAgeInSeconds: 86_400 },
        }),
      ],
    });
    expect(flatten(target.asObject())).toMatch(/SiemQueue.*\.Arn/);
    expect(HIGH_FINDINGS_PATTERN.detail).toEqual({ severity: ['critical', 'high'] });
  });
});

describe('findings API', () => {
  it('every route of the API handler, each with AWS_IAM authorization', () => {
    const expected = FINDINGS_API_ROUTES.flatMap((r) => r.methods.map((m) => `${m} ${r.path}`)).sort();
    const routes = Object.values(template.findResources('AWS::ApiGatewayV2::Route')).map((r) => r['Properties'] as Json);
    expect(routes.map((r) => r['RouteKey']).sort()).toEqual(expected);
    for (const r of routes) expect(r['AuthorizationType']).toBe('AWS_IAM');
  });

  it('page tokens are signed with a generated secret that only the API function may read (no key in code or template)', () => {
    const secrets = template.findResources('AWS::SecretsManager::Secret');
    expect(Object.keys(secrets)).toHaveLength(1);
    const [secretId, secret] = Object.entries(secrets)[0]!;
    expect((secret['Properties'] as Json)['GenerateSecretString']).toMatchObject({ PasswordLength: 64 });
    expect(flatten(envOf('hardline-api')['HARDLINE_CURSOR_SECRET_ARN'])).toBe(`\${${secretId}}`);
    const readers = Object.values(template.findResources('AWS::IAM::Policy'))
      .map((r) => r['Properties'] as Json)
      .filter((p) => ((p['PolicyDocument'] as Json)['Statement'] as Json[]).some((st) => flatten(st['Resource']).includes(secretId)));
    expect(readers).toHaveLength(1);
    const apiRole = fnProps().find((p) => ((p['Environment'] as Json)['Variables'] as Json)['POWERTOOLS_SERVICE_NAME'] === 'hardline-api')![
      'Role'
    ];
    expect(flatten(readers[0]!['Roles'])).toBe(flatten(apiRole).replace('.Arn}', '}'));
  });

  it('the stage is throttled and access-logged', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingRateLimit: 20, ThrottlingBurstLimit: 40 },
      AccessLogSettings: { DestinationArn: Match.anyValue(), Format: Match.stringLikeRegexp('identity.userArn') },
    });
  });
});

describe('alarms', () => {
  it('failed targets (summarize metric), failed runs, function errors and DLQ depth, all to the encrypted topic', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: RUN_METRICS.namespace,
      MetricName: RUN_METRICS.targetsFailed,
      Dimensions: [{ Name: 'service', Value: RUN_METRICS.service }],
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'ExecutionsFailed', Namespace: 'AWS/States' });
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')).map((r) => r['Properties'] as Json);
    expect(alarms.filter((a) => a['MetricName'] === 'Errors' && a['Namespace'] === 'AWS/Lambda')).toHaveLength(6);
    expect(alarms.filter((a) => a['MetricName'] === 'ApproximateNumberOfMessagesVisible')).toHaveLength(3);
    for (const a of alarms) expect(asList(a['AlarmActions'] as unknown[])).toHaveLength(1);
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
  });
});

describe('never silent when it does not run', () => {
  it('an alarm fires when no execution succeeded in 26 hours, and missing data (no run at all) counts as breaching', () => {
    const machineId = Object.keys(template.findResources('AWS::StepFunctions::StateMachine'))[0]!;
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/States',
      MetricName: 'ExecutionsSucceeded',
      Dimensions: [{ Name: 'StateMachineArn', Value: { Ref: machineId } }],
      Statistic: 'Sum',
      Period: 26 * 3600,
      EvaluationPeriods: 1,
      Threshold: 1,
      ComparisonOperator: 'LessThanThreshold',
      TreatMissingData: 'breaching',
      AlarmActions: [Match.anyValue()],
    });
  });

  it('the Scheduler target has an encrypted dead-letter queue whose depth is alarmed', () => {
    const dlq = new Capture();
    template.hasResourceProperties('AWS::Scheduler::Schedule', { Target: Match.objectLike({ DeadLetterConfig: { Arn: dlq } }) });
    const queueId = (dlq.asObject() as { 'Fn::GetAtt': string[] })['Fn::GetAtt'][0]!;
    expect(template.findResources('AWS::SQS::Queue')[queueId]!['Properties']).toMatchObject({ SqsManagedSseEnabled: true });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queueId, 'QueueName'] } }],
      AlarmActions: [Match.anyValue()],
    });
    // The Scheduler's role may send to that queue.
    const send = iamStatements(template).filter(
      ({ statement }) =>
        asList(statement['Action'] as string | string[]).includes('sqs:SendMessage') && flatten(statement['Resource']).includes(queueId),
    );
    expect(send).toHaveLength(1);
  });

  it("scan-cluster has reserved concurrency of at least the Map's MaxConcurrency (20 by default), so map items are not throttled", () => {
    const cluster = fnProps().find(
      (p) => ((p['Environment'] as Json)['Variables'] as Json)['POWERTOOLS_SERVICE_NAME'] === 'hardline-scan-cluster',
    )!;
    const map = (stateMachineDefinition(template)['States'] as Record<string, Json>)['ScanTargets']!;
    expect(cluster['ReservedConcurrentExecutions']).toBe(20);
    expect(cluster['ReservedConcurrentExecutions'] as number).toBeGreaterThanOrEqual(map['MaxConcurrency'] as number);
    const wider = buildService({ maxConcurrency: '40', scanClusterReservedConcurrency: '50' }).template;
    const reserved = Object.values(wider.findResources('AWS::Lambda::Function'))
      .map((r) => r['Properties'] as Json)
      .filter((p) => p['ReservedConcurrentExecutions'] !== undefined);
    expect(reserved.map((p) => p['ReservedConcurrentExecutions'])).toEqual([50]);
  });
});

describe('member read role (account mode: in this stack)', () => {
  it('read-only actions, trusted by this account only through the three scanner roles and the ExternalId', () => {
    const role = Object.values(template.findResources('AWS::IAM::Role'))
      .map((r) => r['Properties'] as Json)
      .find((p) => p['RoleName'] === 'hardline-read');
    expect(role).toBeDefined();
    const trust = ((role!['AssumeRolePolicyDocument'] as Json)['Statement'] as Json[])[0]!;
    expect(trust['Condition']).toMatchObject({ StringEquals: { 'sts:ExternalId': 'hardline' } });
    const arns = ((trust['Condition'] as Json)['ArnEquals'] as Json)['aws:PrincipalArn'] as unknown[];
    expect(arns.map(flatten).map((a) => a.replace(/.*:role\//, ''))).toEqual([
      'hardline-scanner-discover',
      'hardline-scanner-cluster',
      'hardline-scanner-registry',
    ]);
    const actions = (((role!['Policies'] as Json[])[0]!['PolicyDocument'] as Json)['Statement'] as Json[]).flatMap((st) => st['Action']);
    expect(actions).toEqual([...MEMBER_READ_ACTIONS]);
  });

  it('the scanner roles carry those fixed names and reach member accounts only by assuming that role', () => {
    const names = Object.values(template.findResources('AWS::IAM::Role'))
      .map((r) => (r['Properties'] as Json)['RoleName'])
      .filter(Boolean);
    expect(names).toEqual(expect.arrayContaining(['hardline-scanner-discover', 'hardline-scanner-cluster', 'hardline-scanner-registry']));
    const assume = Object.values(template.findResources('AWS::IAM::Policy')).flatMap((r) =>
      (((r['Properties'] as Json)['PolicyDocument'] as Json)['Statement'] as Json[]).filter((s) => s['Action'] === 'sts:AssumeRole'),
    );
    expect(assume).toHaveLength(3);
    for (const s of assume) expect(flatten(s['Resource'])).toBe('arn:${AWS::Partition}:iam::${AWS::AccountId}:role/hardline-read');
  });
});
