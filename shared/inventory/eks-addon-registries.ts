/**
 * The AWS accounts whose ECR registries serve the images of Amazon EKS's own add-ons (VPC CNI,
 * kube-proxy, CoreDNS, the EBS CSI driver, …), one per partition/region group, as the Amazon EKS
 * User Guide lists them under "Amazon container image registries for Amazon EKS add-ons". ECR does
 * not share these registries' scan findings with other accounts, so asking would only ever be denied.
 */
const EKS_ADDON_REGISTRY_ACCOUNTS: ReadonlyMap<string, string> = new Map([
  ['602401143452', 'most commercial regions'],
  ['877085696533', 'af-south-1'],
  ['800184023465', 'ap-east-1'],
  ['900889452093', 'ap-south-2'],
  ['296578399912', 'ap-southeast-3'],
  ['491585149902', 'ap-southeast-4'],
  ['761377655185', 'ca-west-1'],
  ['900612956339', 'eu-central-2'],
  ['590381155156', 'eu-south-1'],
  ['455263428931', 'eu-south-2'],
  ['066635153087', 'il-central-1'],
  ['759879836304', 'me-central-1'],
  ['558608220178', 'me-south-1'],
  ['918309763551', 'cn-north-1'],
  ['961992271922', 'cn-northwest-1'],
  ['151742754352', 'us-gov-east-1'],
  ['013241004608', 'us-gov-west-1'],
]);

/** True when an ECR registry (account id) is AWS's own registry of EKS add-on images. */
export function isEksAddonRegistry(registryId: string): boolean {
  return EKS_ADDON_REGISTRY_ACCOUNTS.has(registryId);
}
