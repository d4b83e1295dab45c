import { CfnOutput, Duration, RemovalPolicy } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpIamAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import type { FindingsStore } from './findings-store.js';
import { acknowledge } from './nag.js';
import { ScannerFunction } from './scanner-function.js';

/** The routes shared/api/router.ts answers; test/infra checks the router serves each. */
export const FINDINGS_API_ROUTES: readonly { path: string; methods: readonly ('GET' | 'PUT' | 'DELETE')[] }[] = [
  { path: '/findings', methods: ['GET'] },
  { path: '/findings/{id}', methods: ['GET'] },
  { path: '/clusters', methods: ['GET'] },
  { path: '/summary', methods: ['GET'] },
  { path: '/trends', methods: ['GET'] },
  { path: '/changes', methods: ['GET'] },
  { path: '/scans/{id}', methods: ['GET'] },
  { path: '/exemptions', methods: ['GET', 'PUT'] },
  { path: '/exemptions/{id}', methods: ['GET', 'PUT', 'DELETE'] },
];

export interface FindingsApiProps {
  store: FindingsStore;
  logRetention: logs.RetentionDays;
  rateLimit: number;
  burstLimit: number;
  /** hardline.config.yaml content: the API applies its exemption policy (exemptions.maxDays) to PUT /exemptions. */
  scanConfig?: Record<string, unknown>;
}

/**
 * HTTP API → api function. Every route requires SigV4 (IAM authorizer): callers need
 * execute-api:Invoke on the route, so read access and exemption writes can be granted apart.
 * Throttled at the stage; every request is access-logged.
 */
export class FindingsApi extends Construct {
  readonly api: apigw.HttpApi;
  readonly handler: ScannerFunction;
  /** The key that signs page tokens: generated at deploy, readable by the API function only. */
  readonly cursorKey: secretsmanager.Secret;

  constructor(scope: Construct, id: string, props: FindingsApiProps) {
    super(scope, id);
    this.cursorKey = new secretsmanager.Secret(this, 'CursorKey', {
      description: 'hardline findings API: HMAC key of the pagination tokens (generated, never in code)',
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
    });
    acknowledge(
      this.cursorKey,
      'AwsSolutions-SMG4',
      'Signs page tokens only (a cursor grants nothing its query would not); rotating would just end open paginations. Replace the secret value to rotate.',
    );
    this.handler = new ScannerFunction(this, 'Handler', {
      entryName: 'api',
      logRetention: props.logRetention,
      // HTTP API gives up on an integration after 30 s: a longer function would run on for nobody.
      timeout: Duration.seconds(29),
      environment: {
        HARDLINE_TABLE: props.store.table.tableName,
        HARDLINE_CURSOR_SECRET_ARN: this.cursorKey.secretArn,
        ...(props.scanConfig ? { HARDLINE_CONFIG: JSON.stringify(props.scanConfig) } : {}),
      },
    });
    props.store.grantReadWrite(this.handler);
    this.cursorKey.grantRead(this.handler);
    this.api = new apigw.HttpApi(this, 'Api', {
      description: 'hardline findings API (IAM auth)',
      createDefaultStage: false,
      defaultAuthorizer: new HttpIamAuthorizer(),
    });
    const integration = new HttpLambdaIntegration('ApiIntegration', this.handler);
    for (const route of FINDINGS_API_ROUTES) {
      this.api.addRoutes({ path: route.path, methods: route.methods.map((m) => apigw.HttpMethod[m]), integration });
    }
    new CfnOutput(this, 'Url', { value: this.api.apiEndpoint, description: 'Findings API (SigV4, execute-api:Invoke)' });
    const accessLogs = new logs.LogGroup(this, 'AccessLogs', { retention: props.logRetention, removalPolicy: RemovalPolicy.DESTROY });
    new apigw.HttpStage(this, 'DefaultStage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: props.rateLimit, burstLimit: props.burstLimit },
      accessLogSettings: {
        destination: new apigw.LogGroupLogDestination(accessLogs),
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            caller: '$context.identity.userArn',
            sourceIp: '$context.identity.sourceIp',
            routeKey: '$context.routeKey',
            status: '$context.status',
            latencyMs: '$context.responseLatency',
            requestTime: '$context.requestTime',
          }),
        ),
      },
    });
  }
}
