/** A 12-digit AWS account id. */
export const ACCOUNT_ID = /^\d{12}$/;
/** An AWS region name such as eu-west-1 or us-gov-west-1. */
export const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;
/** An EKS cluster name (what CreateCluster accepts). */
export const EKS_CLUSTER_NAME = /^[0-9A-Za-z][A-Za-z0-9_-]{0,99}$/;
