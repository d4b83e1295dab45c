import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FakeAwsSecurityServices } from './fake-aws-security.js';
import { FakeError, toXml, xmlEscape, type FakeAwsWorld, type Json, type RecordedCall } from './fake-aws-world.js';

export * from './fake-aws-world.js';

/** The fake AWS as an HTTP server on 127.0.0.1 (see fake-aws-world.ts for what it plays). */
export class FakeAws extends FakeAwsSecurityServices {
  private readonly server: Server;
  private portNumber = 0;

  private constructor(world: FakeAwsWorld) {
    super(world);
    this.server = createServer((req, res) => {
      void this.handle(req, res);
    });
  }

  static async start(world: FakeAwsWorld): Promise<FakeAws> {
    const f = new FakeAws(world);
    await new Promise<void>((resolve) => f.server.listen(0, '127.0.0.1', resolve));
    f.portNumber = (f.server.address() as AddressInfo).port;
    return f;
  }

  get url(): string {
    return `http://127.0.0.1:${this.portNumber}`;
  }

  /** Environment for a client process: every service pointed here, fake caller credentials. */
  env(region: string): Record<string, string> {
    const env: Record<string, string> = {
      AWS_REGION: region,
      AWS_ACCESS_KEY_ID: this.world.callerAccessKeyId,
      AWS_SECRET_ACCESS_KEY: 'fake-secret-for-tests-only',
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_MAX_ATTEMPTS: '2',
    };
    for (const s of ['EKS', 'ECR', 'STS', 'EC2', 'ORGANIZATIONS', 'ACCOUNT', 'GUARDDUTY', 'CLOUDWATCH_LOGS', 'IAM'])
      env[`AWS_ENDPOINT_URL_${s}`] = this.url;
    return env;
  }

  callsTo(op: string): RecordedCall[] {
    return this.calls.filter((c) => `${c.service}:${c.op}` === op);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const auth = String(req.headers['authorization'] ?? '');
    const scope = /Credential=([^/]+)\/\d+\/([^/]+)\/([^/]+)\//.exec(auth);
    const [, key = '', region = '', service = ''] = scope ?? [];
    const account = key === this.world.callerAccessKeyId ? this.world.callerAccount : key.startsWith('ASIAFAKE') ? key.slice(8) : '';
    const url = new URL(req.url ?? '/', 'http://fake');
    try {
      if (!account) throw new FakeError('UnrecognizedClientException', 403, 'The security token included in the request is invalid.');
      switch (service) {
        case 'eks':
          return this.json(res, this.eks(req.method ?? 'GET', url, account, region));
        case 'account':
          return this.json(res, this.accountApi(url, account, region, body));
        case 'guardduty':
          return this.json(res, this.guardDuty(url, account, region));
        case 'logs':
          return this.json(res, this.logs(String(req.headers['x-amz-target'] ?? ''), account, region, body), 'application/x-amz-json-1.1');
        case 'ecr':
        case 'organizations':
          return this.json(
            res,
            this.jsonRpc(service, String(req.headers['x-amz-target'] ?? ''), account, region, body),
            'application/x-amz-json-1.1',
          );
        case 'sts':
        case 'iam':
        case 'ec2':
          return this.xml(res, service, this.query(service, account, region, new URLSearchParams(body)));
        default:
          throw new FakeError('UnknownService', 400, `no fake for service '${service}'`);
      }
    } catch (e) {
      const err = e instanceof FakeError ? e : new FakeError('InternalFailure', 500, String(e));
      if (service === 'sts' || service === 'iam' || service === 'ec2') {
        const xml =
          service === 'ec2'
            ? `<Response><Errors><Error><Code>${err.code}</Code><Message>${xmlEscape(err.message)}</Message></Error></Errors><RequestID>r</RequestID></Response>`
            : `<ErrorResponse><Error><Type>Sender</Type><Code>${err.code}</Code><Message>${xmlEscape(err.message)}</Message></Error><RequestId>r</RequestId></ErrorResponse>`;
        res.writeHead(err.status, { 'content-type': 'text/xml' }).end(xml);
      } else if (service === 'ecr' || service === 'organizations' || service === 'logs') {
        res
          .writeHead(err.status, { 'content-type': 'application/x-amz-json-1.1' })
          .end(JSON.stringify({ __type: err.code, message: err.message }));
      } else {
        res
          .writeHead(err.status, { 'content-type': 'application/json', 'x-amzn-errortype': err.code })
          .end(JSON.stringify({ message: err.message }));
      }
    }
  }

  private json(res: ServerResponse, value: Json, type = 'application/json'): void {
    res.writeHead(200, { 'content-type': type }).end(JSON.stringify(value));
  }

  private xml(res: ServerResponse, service: string, value: { action: string; result: Json; ec2?: boolean }): void {
    const ns = value.ec2
      ? 'http://ec2.amazonaws.com/doc/2016-11-15/'
      : service === 'iam'
        ? 'https://iam.amazonaws.com/doc/2010-05-08/'
        : 'https://sts.amazonaws.com/doc/2011-06-15/';
    const inner = value.ec2
      ? `<requestId>r</requestId>${toXml(value.result)}`
      : `<${value.action}Result>${toXml(value.result, undefined, 'member')}</${value.action}Result><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata>`;
    res.writeHead(200, { 'content-type': 'text/xml' }).end(`<${value.action}Response xmlns="${ns}">${inner}</${value.action}Response>`);
  }
}
