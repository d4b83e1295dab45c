/** The AWS side of collection: EKS and ECR collectors, organisation discovery, sessions, regions. */
export { createSdkClientFactory, REQUEST_TIMEOUTS, type AwsClientFactory, type CredentialProvider, type SdkClientSettings } from './clients.js';
export { chunk, mapLimit } from '../../core/concurrency.js';
export { collectImageScanFindings, ecrImagesOf, type EcrClientFor } from './ecr-images.js';
export { collectEcrRegistry, SCANNING_BATCH_SIZE, type EcrRegistryCollection } from './ecr-registry.js';
export { collectEksCluster, listClusterNames, type EksClusterCollection, type EksCollectOptions, type EksConnection } from './eks-cluster.js';
export { classifyAwsError, gapFrom, mergeGaps, type AwsFailure } from './errors.js';
export { kubernetesUnreachable, liveKubernetesCollector, type LiveKubernetesOptions } from './kubernetes-part.js';
export { listActiveAccounts, type OrgAccount } from './organizations.js';
export { enabledRegions, type RegionEnablement } from './regions.js';
export { SessionCache, sessionNameFor, type AssumeRoleSettings, type SessionCredentials } from './sessions.js';
export { allClustersTarget, collectAwsTargets, registryTarget, scanCluster, scanRegistry, type AwsAccountScanOptions, type KubernetesCollector, type KubernetesPart } from './targets.js';
