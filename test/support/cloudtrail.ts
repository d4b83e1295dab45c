import { randomUUID } from 'node:crypto';

/**
 * An EventBridge event as CloudTrail delivers a management API call to the default bus (and as a
 * forwarding rule passes it on: `account` and `region` stay the source's), for tests and the
 * fleet simulation. Shapes follow recorded events: EKS puts the cluster in `requestParameters.name`
 * (and `clusterName` for nodegroup, add-on and access-entry calls), ECR the repository in
 * `requestParameters.repositoryName`.
 */
export interface ApiCall {
  service: 'eks' | 'ecr';
  eventName: string;
  accountId: string;
  region: string;
  requestParameters?: Record<string, unknown>;
  responseElements?: Record<string, unknown>;
  /** Present when the call failed (AccessDenied, ResourceInUseException, …). */
  errorCode?: string;
  time?: Date;
  /** Same id → the same event delivered twice (EventBridge delivers at least once). */
  id?: string;
  readOnly?: boolean;
}

export function cloudTrailEvent(call: ApiCall): Record<string, unknown> {
  const time = (call.time ?? new Date()).toISOString().replace(/\.\d{3}Z$/, 'Z');
  return {
    version: '0',
    id: call.id ?? randomUUID(),
    'detail-type': 'AWS API Call via CloudTrail',
    source: `aws.${call.service}`,
    account: call.accountId,
    time,
    region: call.region,
    resources: [],
    detail: {
      eventVersion: '1.09',
      userIdentity: {
        type: 'AssumedRole',
        accountId: call.accountId,
        arn: `arn:aws:sts::${call.accountId}:assumed-role/platform-admin/alice`,
      },
      eventTime: time,
      eventSource: `${call.service}.amazonaws.com`,
      eventName: call.eventName,
      awsRegion: call.region,
      sourceIPAddress: '198.51.100.7',
      userAgent: 'aws-cli/2.17.0',
      requestParameters: call.requestParameters ?? null,
      responseElements: call.responseElements ?? null,
      ...(call.errorCode ? { errorCode: call.errorCode, errorMessage: `simulated ${call.errorCode}` } : {}),
      requestID: randomUUID(),
      eventID: randomUUID(),
      readOnly: call.readOnly ?? false,
      eventType: 'AwsApiCall',
      managementEvent: true,
      recipientAccountId: call.accountId,
      eventCategory: 'Management',
    },
  };
}
