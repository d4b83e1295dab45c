import { FakeAwsServices } from './fake-aws-services.js';
import { FakeError, page, type Json } from './fake-aws-world.js';

/**
 * The reads behind the node, detection and image controls: GuardDuty (REST-JSON), CloudWatch Logs
 * (JSON 1.1), IAM (query, XML with `<member>` lists), EC2 DescribeSubnets and ECR DescribeImages.
 */
export class FakeAwsSecurityServices extends FakeAwsServices {
  protected guardDuty(url: URL, account: string, region: string): Json {
    const p = url.pathname.split('/').filter(Boolean);
    const detector = this.regionOf(account, region).detector;
    if (p[0] !== 'detector') throw new FakeError('BadRequestException', 400, url.pathname);
    if (p.length === 1) {
      this.record('guardduty', 'ListDetectors', account, region, {});
      return { detectorIds: detector ? [detector.id] : [] };
    }
    this.record('guardduty', 'GetDetector', account, region, { detectorId: p[1] });
    if (!detector || detector.id !== p[1])
      throw new FakeError(
        'BadRequestException',
        400,
        'The request is rejected because the input detectorId is not owned by the current account.',
      );
    return {
      status: detector.status,
      serviceRole: `arn:aws:iam::${account}:role/aws-service-role/guardduty.amazonaws.com/AWSServiceRoleForAmazonGuardDuty`,
      features: detector.features,
    };
  }

  protected logs(target: string, account: string, region: string, body: string): Json {
    const op = target.split('.').pop() ?? '';
    const params = JSON.parse(body || '{}') as Json;
    this.record('logs', op, account, region, params);
    if (op !== 'DescribeLogGroups') throw new FakeError('UnknownOperationException', 400, op);
    const prefix = String(params['logGroupNamePrefix'] ?? '');
    const groups = Object.entries(this.regionOf(account, region).logGroups ?? {})
      .filter(([name]) => name.startsWith(prefix))
      .map(([logGroupName, retention]) => ({ logGroupName, ...(retention === null ? {} : { retentionInDays: retention }) }));
    const pg = page(groups, params['nextToken'] as string | undefined, this.size);
    return { logGroups: pg.items, ...(pg.next ? { nextToken: pg.next } : {}) };
  }

  protected override jsonRpc(service: string, target: string, account: string, region: string, body: string): Json {
    if (service !== 'ecr' || !target.endsWith('.DescribeImages')) return super.jsonRpc(service, target, account, region, body);
    const params = JSON.parse(body || '{}') as Json;
    this.record('ecr', 'DescribeImages', account, region, params);
    const images = this.regionOf(account, region).registry?.images?.[String(params['repositoryName'])] ?? [];
    const pg = page(images, params['nextToken'] as string | undefined, this.size);
    return { imageDetails: pg.items, ...(pg.next ? { nextToken: pg.next } : {}) };
  }

  protected override query(
    service: string,
    account: string,
    region: string,
    form: URLSearchParams,
  ): { action: string; result: Json; ec2?: boolean } {
    const action = form.get('Action') ?? '';
    if (service === 'iam') {
      this.record('iam', action, account, region, Object.fromEntries(form));
      return { action, result: this.iam(action, account, form) };
    }
    if (service !== 'ec2' || action !== 'DescribeSubnets') return super.query(service, account, region, form);
    this.record('ec2', action, account, region, Object.fromEntries(form));
    const wanted = new Set([...form].filter(([k]) => /^Filter\.1\.Value\.\d+$/.test(k)).map(([, v]) => v));
    const subnets = (this.regionOf(account, region).subnets ?? []).filter((s) => wanted.has(String(s['subnetId'])));
    return { action, ec2: true, result: { subnetSet: subnets } };
  }

  private iam(action: string, account: string, form: URLSearchParams): Json {
    const owner = this.world.accounts.find((a) => a.id === account);
    const roleName = form.get('RoleName') ?? '';
    const role = owner?.roles?.[roleName];
    const noSuch = (what: string) => new FakeError('NoSuchEntity', 404, `The ${what} cannot be found.`);
    const policy = (arn: string) =>
      owner?.policies?.[arn] ?? this.world.accounts.flatMap((a) => (arn.includes(':aws:policy/') ? [a.policies?.[arn]] : [])).find(Boolean);
    const encode = (doc: Json) => encodeURIComponent(JSON.stringify(doc));
    switch (action) {
      case 'GetRole':
        if (!role) throw noSuch(`role with name ${roleName}`);
        return {
          Role: {
            RoleName: roleName,
            Arn: `arn:aws:iam::${account}:role/${roleName}`,
            Path: '/',
            RoleId: 'AROAFAKE',
            CreateDate: '2025-01-01T00:00:00Z',
            ...(role.boundary ? { PermissionsBoundary: { PermissionsBoundaryType: 'Policy', PermissionsBoundaryArn: role.boundary } } : {}),
          },
        };
      case 'ListAttachedRolePolicies':
        if (!role) throw noSuch(`role with name ${roleName}`);
        return {
          AttachedPolicies: (role.attached ?? []).map((arn) => ({ PolicyArn: arn, PolicyName: arn.split('/').pop() })),
          IsTruncated: false,
        };
      case 'ListRolePolicies':
        if (!role) throw noSuch(`role with name ${roleName}`);
        return { PolicyNames: Object.keys(role.inline ?? {}), IsTruncated: false };
      case 'GetRolePolicy': {
        const doc = role?.inline?.[form.get('PolicyName') ?? ''];
        if (!doc) throw noSuch('role policy');
        return { RoleName: roleName, PolicyName: form.get('PolicyName'), PolicyDocument: encode(doc) };
      }
      case 'GetPolicy': {
        const arn = form.get('PolicyArn') ?? '';
        if (!policy(arn)) throw noSuch(`policy ${arn}`);
        return { Policy: { PolicyName: arn.split('/').pop(), Arn: arn, DefaultVersionId: 'v1', PolicyId: 'ANPAFAKE' } };
      }
      case 'GetPolicyVersion': {
        const doc = policy(form.get('PolicyArn') ?? '');
        if (!doc) throw noSuch('policy version');
        return { PolicyVersion: { Document: encode(doc), VersionId: form.get('VersionId'), IsDefaultVersion: true } };
      }
      default:
        throw new FakeError('InvalidAction', 400, action);
    }
  }
}
