import { RESCAN_REQUEST_DETAIL_TYPE, RESCAN_REQUEST_SOURCE } from '../pipeline/rescan-input.js';

/**
 * The management API calls that change what hardline judges, as CloudTrail records them. Each one
 * makes the target it touches due for a rescan: an EKS call → that cluster, an ECR call → the
 * registry of that account and region. Reads, and calls that change nothing hardline checks, are
 * left out (a rescan costs a Step Functions execution and a Lambda run).
 */
export const EKS_CHANGE_EVENTS = [
  'CreateCluster',
  'DeleteCluster',
  'UpdateClusterConfig',
  'UpdateClusterVersion',
  'CreateAccessEntry',
  'UpdateAccessEntry',
  'AssociateAccessPolicy',
  'CreateNodegroup',
  'UpdateNodegroupConfig',
  'UpdateNodegroupVersion',
  'CreateAddon',
  'UpdateAddon',
  'DeleteAddon',
] as const;

export const ECR_CHANGE_EVENTS = [
  'CreateRepository',
  'DeleteRepository',
  'PutImageTagMutability',
  'PutImageScanningConfiguration',
  'PutRegistryScanningConfiguration',
  'SetRepositoryPolicy',
  'DeleteRepositoryPolicy',
  'PutLifecyclePolicy',
  'DeleteLifecyclePolicy',
] as const;

export const CLOUDTRAIL_DETAIL_TYPE = 'AWS API Call via CloudTrail';

/**
 * The EventBridge pattern of the member accounts' forwarding rule (and of the scanner bus's rule):
 * exactly those calls, and only successful ones — CloudTrail records a refused or failed call too,
 * with an `errorCode`, and such a call changed nothing.
 */
export const CHANGE_EVENT_PATTERN = {
  source: ['aws.eks', 'aws.ecr'],
  'detail-type': [CLOUDTRAIL_DETAIL_TYPE],
  detail: {
    eventSource: ['eks.amazonaws.com', 'ecr.amazonaws.com'],
    eventName: [...EKS_CHANGE_EVENTS, ...ECR_CHANGE_EVENTS],
    errorCode: [{ exists: false }],
  },
};

/** What a user's own forwarder (Kubernetes audit events, a pipeline hook) puts on the changes bus: the rescan input as detail. */
export const RESCAN_REQUEST_PATTERN = {
  source: [RESCAN_REQUEST_SOURCE],
  'detail-type': [RESCAN_REQUEST_DETAIL_TYPE],
};

/** The scanner's bus the member accounts forward to. */
export const CHANGES_BUS_NAME = 'hardline-changes';
