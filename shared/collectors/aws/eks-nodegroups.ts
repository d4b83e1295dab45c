import type {
  EC2Client,
  LaunchTemplateInstanceMetadataOptions,
  LaunchTemplateInstanceNetworkInterfaceSpecification,
} from '@aws-sdk/client-ec2';
import { DescribeNodegroupCommand, paginateListNodegroups, type EKSClient, type Nodegroup } from '@aws-sdk/client-eks';
import { mapLimit } from '../../core/concurrency.js';
import type { EksImdsSettings, EksNodegroup } from '../../inventory/eks.js';
import type { Gap } from '../../inventory/types.js';
import { gapFrom } from './errors.js';
import { toJsonRecord } from './json.js';

export interface NodegroupsResult {
  nodegroups?: EksNodegroup[];
  gaps: Gap[];
}

/**
 * Managed nodegroups with the IMDS settings their nodes launch with. A nodegroup with a custom
 * launch template is read at the exact version it uses; one without gets EKS's own launch
 * template (tagged with the cluster and nodegroup names), so the verdict is about what the nodes
 * really run — never assumed from documentation.
 */
export async function collectNodegroups(
  eks: EKSClient,
  ec2: () => Promise<EC2Client>,
  clusterName: string,
  concurrency: number,
): Promise<NodegroupsResult> {
  const gaps: Gap[] = [];
  const names: string[] = [];
  try {
    for await (const page of paginateListNodegroups({ client: eks }, { clusterName })) names.push(...(page.nodegroups ?? []));
  } catch (e) {
    return { gaps: [gapFrom('eks:nodegroups', e, `ListNodegroups ${clusterName}`)] };
  }
  const described = await mapLimit(names, concurrency, async (nodegroupName) => {
    try {
      const out = await eks.send(new DescribeNodegroupCommand({ clusterName, nodegroupName }));
      return out.nodegroup ?? { nodegroupName };
    } catch (e) {
      gaps.push(gapFrom('eks:nodegroups', e, `DescribeNodegroup ${clusterName}/${nodegroupName}`));
      return undefined;
    }
  });
  const nodegroups: EksNodegroup[] = [];
  await mapLimit(
    described.filter((n): n is Nodegroup => n !== undefined),
    concurrency,
    async (ng) => {
      const name = ng.nodegroupName ?? '(unnamed)';
      const entry: EksNodegroup = { ...toJsonRecord(ng), name };
      try {
        const lt = await readLaunchTemplate(ec2, clusterName, ng);
        if (lt) {
          entry.imds = lt.imds;
          entry.imdsLaunchTemplate = lt.template;
          if (lt.keyName) entry.launchTemplateKeyName = lt.keyName;
          if (lt.publicIp !== undefined) entry.launchTemplatePublicIp = lt.publicIp;
        } else {
          gaps.push({
            source: 'eks:launch-templates',
            reason: 'not-found',
            message: `nodegroup ${clusterName}/${name}: no launch template found (neither a custom one nor EKS's tagged eks:nodegroup-name=${name})`,
          });
        }
      } catch (e) {
        gaps.push(gapFrom('eks:launch-templates', e, `launch template of nodegroup ${clusterName}/${name}`));
      }
      nodegroups.push(entry);
    },
  );
  nodegroups.sort((a, b) => a.name.localeCompare(b.name));
  return { nodegroups, gaps };
}

interface LaunchTemplateRead {
  imds: EksImdsSettings;
  template: { id?: string; name?: string; version?: string };
  keyName?: string;
  publicIp?: boolean;
}

async function readLaunchTemplate(
  ec2Client: () => Promise<EC2Client>,
  clusterName: string,
  ng: Nodegroup,
): Promise<LaunchTemplateRead | undefined> {
  // The EC2 client comes from the Lambda runtime, loaded on first use (infra/constructs/scanner-function.ts).
  const [ec2, { DescribeLaunchTemplateVersionsCommand, DescribeLaunchTemplatesCommand }] = await Promise.all([
    ec2Client(),
    import('@aws-sdk/client-ec2'),
  ]);
  const custom = ng.launchTemplate;
  if (custom && (custom.id || custom.name)) {
    const version = custom.version ?? '$Default';
    const out = await ec2.send(
      new DescribeLaunchTemplateVersionsCommand({
        ...(custom.id ? { LaunchTemplateId: custom.id } : { LaunchTemplateName: custom.name }),
        Versions: [version],
      }),
    );
    const v = out.LaunchTemplateVersions?.[0];
    if (!v) return undefined;
    return {
      imds: toImds(v.LaunchTemplateData?.MetadataOptions, 'launch-template'),
      template: compact({
        id: v.LaunchTemplateId ?? custom.id,
        name: v.LaunchTemplateName ?? custom.name,
        version: String(v.VersionNumber ?? version),
      }),
      ...(v.LaunchTemplateData?.KeyName ? { keyName: v.LaunchTemplateData.KeyName } : {}),
      ...publicIpOf(v.LaunchTemplateData?.NetworkInterfaces),
    };
  }
  // No custom template: EKS generated one in the account for the nodegroup's Auto Scaling group.
  const found = await ec2.send(
    new DescribeLaunchTemplatesCommand({
      Filters: [
        { Name: 'tag:eks:cluster-name', Values: [clusterName] },
        { Name: 'tag:eks:nodegroup-name', Values: [ng.nodegroupName ?? ''] },
      ],
    }),
  );
  const template = found.LaunchTemplates?.[0];
  if (!template?.LaunchTemplateId) return undefined;
  // EKS adds a version on every nodegroup update and launches from the newest one.
  const out = await ec2.send(
    new DescribeLaunchTemplateVersionsCommand({ LaunchTemplateId: template.LaunchTemplateId, Versions: ['$Latest'] }),
  );
  const v = out.LaunchTemplateVersions?.[0];
  if (!v) return undefined;
  return {
    imds: toImds(v.LaunchTemplateData?.MetadataOptions, 'eks-default'),
    template: compact({ id: template.LaunchTemplateId, name: template.LaunchTemplateName, version: String(v.VersionNumber ?? '$Latest') }),
  };
}

/** The primary network interface's AssociatePublicIpAddress, which wins over the subnet's MapPublicIpOnLaunch. */
function publicIpOf(interfaces: LaunchTemplateInstanceNetworkInterfaceSpecification[] | undefined): { publicIp?: boolean } {
  const primary = (interfaces ?? []).find((n) => (n.DeviceIndex ?? 0) === 0);
  return typeof primary?.AssociatePublicIpAddress === 'boolean' ? { publicIp: primary.AssociatePublicIpAddress } : {};
}

function toImds(m: LaunchTemplateInstanceMetadataOptions | undefined, source: EksImdsSettings['source']): EksImdsSettings {
  const imds: EksImdsSettings = { source };
  if (m?.HttpTokens === 'required' || m?.HttpTokens === 'optional') imds.httpTokens = m.HttpTokens;
  if (typeof m?.HttpPutResponseHopLimit === 'number') imds.httpPutResponseHopLimit = m.HttpPutResponseHopLimit;
  if (m?.HttpEndpoint === 'enabled' || m?.HttpEndpoint === 'disabled') imds.httpEndpoint = m.HttpEndpoint;
  return imds;
}

function compact<T extends Record<string, string | undefined>>(o: T): { [K in keyof T]?: string } {
  const out: { [K in keyof T]?: string } = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) out[k as keyof T] = v;
  return out;
}
