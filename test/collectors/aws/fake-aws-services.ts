import { FakeError, page, type FakeAwsWorld, type FakeRegion, type Json, type RecordedCall } from './fake-aws-world.js';

export const assumedKey = (accountId: string) => `ASIAFAKE${accountId}`;

/** The operations of the fake AWS, one method per protocol; the HTTP server lives in fake-aws.ts. */
export class FakeAwsServices {
  readonly calls: RecordedCall[] = [];

  constructor(readonly world: FakeAwsWorld) {}

  protected record(service: string, op: string, account: string, region: string, params: Json): void {
    this.calls.push({ service, op, account, region, params });
    for (const f of this.world.faults ?? []) {
      if (f.op !== `${service}:${op}` || (f.account && f.account !== account) || (f.region && f.region !== region)) continue;
      if (f.times !== undefined && (f.hits ?? 0) >= f.times) continue;
      f.hits = (f.hits ?? 0) + 1;
      if (f.error === 'AccessDenied') {
        const code = service === 'ec2' ? 'UnauthorizedOperation' : service === 'sts' ? 'AccessDenied' : 'AccessDeniedException';
        throw new FakeError(
          code,
          403,
          `User: arn:aws:sts::${account}:assumed-role/hardline-read/s is not authorized to perform: ${service}:${op}`,
        );
      }
      if (f.error === 'Throttling')
        throw new FakeError(service === 'ec2' ? 'RequestLimitExceeded' : 'ThrottlingException', 400, 'Rate exceeded');
      throw new FakeError('InternalFailure', 500, 'internal failure');
    }
  }

  protected regionOf(account: string, region: string): FakeRegion {
    return this.world.accounts.find((a) => a.id === account)?.regions?.[region] ?? {};
  }

  protected get size(): number {
    return this.world.pageSize ?? 2;
  }

  protected eks(method: string, url: URL, account: string, region: string): Json {
    const p = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    const q = Object.fromEntries(url.searchParams);
    const clusters = this.regionOf(account, region).clusters ?? {};
    const cluster = (name: string) => {
      const c = clusters[name];
      if (!c) throw new FakeError('ResourceNotFoundException', 404, `No cluster found for name: ${name}.`);
      return c;
    };
    const op = (name: string, params: Json = {}) => this.record('eks', name, account, region, { ...q, ...params });
    if (method !== 'GET') throw new FakeError('InvalidRequestException', 400, 'read-only fake');
    if (p[0] === 'addons' && p[1] === 'supported-versions') {
      op('DescribeAddonVersions');
      const k8s = q['kubernetesVersion'];
      const addons = (this.world.addonVersions ?? [])
        .filter((a) => !q['addonName'] || a['addonName'] === q['addonName'])
        .map((a) => ({
          ...a,
          addonVersions: (a['addonVersions'] as Json[]).filter((v) =>
            (v['compatibilities'] as Json[]).some((c) => !k8s || c['clusterVersion'] === k8s),
          ),
        }));
      const pg = page(addons, q['nextToken'], this.size);
      return { addons: pg.items, ...(pg.next ? { nextToken: pg.next } : {}) };
    }
    if (p[0] !== 'clusters') throw new FakeError('NotFoundException', 404, url.pathname);
    if (p.length === 1) {
      op('ListClusters');
      const pg = page(Object.keys(clusters), q['nextToken'], this.size);
      return { clusters: pg.items, ...(pg.next ? { nextToken: pg.next } : {}) };
    }
    const c = cluster(p[1]!);
    if (p.length === 2) {
      op('DescribeCluster', { name: p[1] });
      return { cluster: c.cluster };
    }
    const listOrGet = (kind: string, items: Record<string, Json>, listKey: string, itemKey: string, notFound: string) => {
      if (p.length === 3) {
        op(`List${kind}s`, { clusterName: p[1] });
        const pg = page(Object.keys(items), q['nextToken'], this.size);
        return { [listKey]: pg.items, ...(pg.next ? { nextToken: pg.next } : {}) };
      }
      op(`Describe${kind}`, { clusterName: p[1], name: p[3] });
      const item = items[p[3]!];
      if (!item) throw new FakeError('ResourceNotFoundException', 404, `${notFound} ${p[3]} not found`);
      return { [itemKey]: item };
    };
    if (p[2] === 'node-groups') return listOrGet('Nodegroup', c.nodegroups ?? {}, 'nodegroups', 'nodegroup', 'nodegroup');
    if (p[2] === 'addons') return listOrGet('Addon', c.addons ?? {}, 'addons', 'addon', 'addon');
    if (p[2] === 'access-entries') {
      const entries = c.accessEntries ?? {};
      if (p.length === 3) {
        op('ListAccessEntries', { clusterName: p[1] });
        const pg = page(Object.keys(entries), q['nextToken'], this.size);
        return { accessEntries: pg.items, ...(pg.next ? { nextToken: pg.next } : {}) };
      }
      op('ListAssociatedAccessPolicies', { clusterName: p[1], principalArn: p[3] });
      const policies = entries[p[3]!];
      if (!policies) throw new FakeError('ResourceNotFoundException', 404, 'access entry not found');
      const pg = page(policies, q['nextToken'], this.size);
      return { clusterName: p[1], principalArn: p[3], associatedAccessPolicies: pg.items, ...(pg.next ? { nextToken: pg.next } : {}) };
    }
    throw new FakeError('NotFoundException', 404, url.pathname);
  }

  protected accountApi(url: URL, account: string, region: string, body: string): Json {
    if (url.pathname !== '/listRegions') throw new FakeError('ResourceNotFoundException', 404, url.pathname);
    const params = JSON.parse(body || '{}') as Json;
    this.record('account', 'ListRegions', account, region, params);
    const enabled = this.world.accounts.find((a) => a.id === account)?.enabledRegions ?? [];
    return { Regions: enabled.map((r) => ({ RegionName: r, RegionOptStatus: 'ENABLED' })) };
  }

  protected jsonRpc(service: string, target: string, account: string, region: string, body: string): Json {
    const op = target.split('.').pop() ?? '';
    const params = JSON.parse(body || '{}') as Json;
    this.record(service, op, account, region, params);
    if (service === 'organizations') {
      if (op !== 'ListAccounts') throw new FakeError('UnknownOperationException', 400, op);
      const accounts = this.world.accounts.map((a) => ({
        Id: a.id,
        Name: a.name ?? a.id,
        Status: a.status ?? 'ACTIVE',
        Arn: `arn:aws:organizations::${this.world.callerAccount}:account/o-x/${a.id}`,
      }));
      const pg = page(accounts, params['NextToken'] as string | undefined, this.size);
      return { Accounts: pg.items, ...(pg.next ? { NextToken: pg.next } : {}) };
    }
    const reg = this.regionOf(account, region).registry ?? { repositories: [] };
    const name = params['repositoryName'] as string | undefined;
    switch (op) {
      case 'DescribeRepositories': {
        const pg = page(reg.repositories, params['nextToken'] as string | undefined, this.size);
        return { repositories: pg.items, ...(pg.next ? { nextToken: pg.next } : {}) };
      }
      case 'GetRegistryScanningConfiguration':
        return { registryId: account, scanningConfiguration: reg.scanning ?? { scanType: 'BASIC', rules: [] } };
      case 'BatchGetRepositoryScanningConfiguration': {
        const names = params['repositoryNames'] as string[];
        if (names.length > 25) throw new FakeError('ValidationException', 400, 'repositoryNames: at most 25 items');
        return {
          scanningConfigurations: names.map((n) => {
            const repo = reg.repositories.find((r) => r['repositoryName'] === n);
            const onPush = (repo?.['imageScanningConfiguration'] as Json | undefined)?.['scanOnPush'] === true;
            return { repositoryName: n, scanOnPush: onPush, scanFrequency: onPush ? 'SCAN_ON_PUSH' : 'MANUAL', appliedScanFilters: [] };
          }),
          failures: [],
        };
      }
      case 'GetLifecyclePolicy': {
        const text = reg.lifecyclePolicies?.[name ?? ''];
        if (!text) throw new FakeError('LifecyclePolicyNotFoundException', 400, 'Lifecycle policy does not exist');
        return { registryId: account, repositoryName: name, lifecyclePolicyText: text };
      }
      case 'GetRepositoryPolicy': {
        const text = reg.repositoryPolicies?.[name ?? ''];
        if (!text) throw new FakeError('RepositoryPolicyNotFoundException', 400, 'Repository policy does not exist');
        return { registryId: account, repositoryName: name, policyText: text };
      }
      case 'DescribeImageScanFindings': {
        const id = params['imageId'] as { imageTag?: string; imageDigest?: string };
        const found = reg.imageFindings?.[id.imageDigest ? `${name}@${id.imageDigest}` : `${name}:${id.imageTag}`];
        if (!found) throw new FakeError('ScanNotFoundException', 400, 'Image scan does not exist for the image');
        return { registryId: account, repositoryName: name, imageId: id, ...found };
      }
      default:
        throw new FakeError('UnknownOperationException', 400, op);
    }
  }

  protected query(
    service: string,
    account: string,
    region: string,
    form: URLSearchParams,
  ): { action: string; result: Json; ec2?: boolean } {
    const action = form.get('Action') ?? '';
    this.record(service, action, account, region, Object.fromEntries(form));
    if (service === 'sts') {
      if (action === 'GetCallerIdentity') {
        return { action, result: { Arn: `arn:aws:iam::${account}:user/scanner`, UserId: 'AIDAFAKE', Account: account } };
      }
      if (action === 'AssumeRole') {
        const roleArn = form.get('RoleArn') ?? '';
        const target = /^arn:aws:iam::(\d{12}):role\//.exec(roleArn)?.[1];
        const trusted = target && this.world.accounts.some((a) => a.id === target) && !this.world.assumeDenied?.includes(target);
        if (!trusted || (this.world.externalId && form.get('ExternalId') !== this.world.externalId)) {
          throw new FakeError('AccessDenied', 403, `User is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`);
        }
        const expiration = new Date(Date.now() + 3600_000).toISOString();
        return {
          action,
          result: {
            Credentials: {
              AccessKeyId: assumedKey(target),
              SecretAccessKey: 'fake-assumed-secret',
              SessionToken: 'fake-session-token',
              Expiration: expiration,
            },
            AssumedRoleUser: { Arn: `${roleArn}/${form.get('RoleSessionName')}`, AssumedRoleId: 'AROAFAKE:s' },
          },
        };
      }
      throw new FakeError('InvalidAction', 400, action);
    }
    const templates = this.regionOf(account, region).launchTemplates ?? [];
    if (action === 'DescribeRegions') {
      const enabled = this.world.accounts.find((a) => a.id === account)?.enabledRegions ?? [];
      return { action, ec2: true, result: { regionInfo: enabled.map((r) => ({ regionName: r, optInStatus: 'opted-in' })) } };
    }
    if (action === 'DescribeLaunchTemplates') {
      const filters = new Map<string, string>();
      for (const [k, v] of form) {
        const m = /^Filter\.(\d+)\.Name$/.exec(k);
        if (m) filters.set(v, form.get(`Filter.${m[1]}.Value.1`) ?? '');
      }
      const found = templates.filter((t) =>
        [...filters].every(([name, value]) => name.startsWith('tag:') && t.tags?.[name.slice(4)] === value),
      );
      return { action, ec2: true, result: { launchTemplates: found.map((t) => ({ launchTemplateId: t.id, launchTemplateName: t.name })) } };
    }
    if (action === 'DescribeLaunchTemplateVersions') {
      const t = templates.find((x) => x.id === form.get('LaunchTemplateId') || x.name === form.get('LaunchTemplateName'));
      if (!t) throw new FakeError('InvalidLaunchTemplateId.NotFound', 400, 'launch template not found');
      const asked = [...form].filter(([k]) => /Version\.\d+$/.test(k)).map(([, v]) => v);
      const numbers = Object.keys(t.versions).map(Number);
      const pick = (v: string) => (v === '$Latest' || v === '$Default' ? Math.max(...numbers) : Number(v));
      const versions = asked.map(pick).filter((n) => t.versions[n]);
      return {
        action,
        ec2: true,
        result: {
          launchTemplateVersionSet: versions.map((n) => ({
            launchTemplateId: t.id,
            launchTemplateName: t.name,
            versionNumber: n,
            launchTemplateData: {
              metadataOptions: t.versions[n]!.metadataOptions,
              keyName: t.versions[n]!.keyName,
              networkInterfaceSet: t.versions[n]!.networkInterfaces,
            },
          })),
        },
      };
    }
    throw new FakeError('InvalidAction', 400, action);
  }
}
