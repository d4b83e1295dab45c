import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { FakeCluster, type FakeClusterOptions } from './k8s-fake-cluster.js';
import { testTlsMaterial, type TlsMaterial } from './tls-cert.js';

export { FakeCluster, type FakeClusterOptions } from './k8s-fake-cluster.js';

/**
 * A real HTTPS Kubernetes API server on 127.0.0.1 (port 0) serving fixture objects with real list
 * semantics. One process can host many fake clusters: each is keyed by a path prefix
 * (`https://127.0.0.1:PORT/clusters/<key>`), which kubeconfig `server:` URLs and client-node
 * support, so a fleet simulation can run a thousand clusters on a few servers. The cluster with
 * key '' answers at the root.
 */
export class K8sApiServer {
  readonly tls: TlsMaterial;
  private readonly server: Server;
  private readonly clusters = new Map<string, FakeCluster>();
  private readonly sockets = new Set<Socket>();
  private portNumber = 0;

  private constructor(tls: TlsMaterial) {
    this.tls = tls;
    this.server = createServer({ key: tls.keyPem, cert: tls.certPem }, (req, res) => this.handle(req, res));
    this.server.on('secureConnection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    // A client that disconnects mid-response must not crash the test process.
    this.server.on('tlsClientError', () => {});
  }

  static async start(tls?: TlsMaterial): Promise<K8sApiServer> {
    const s = new K8sApiServer(tls ?? (await testTlsMaterial()));
    await new Promise<void>((resolve, reject) => {
      s.server.once('error', reject);
      s.server.listen(0, '127.0.0.1', () => resolve());
    });
    s.portNumber = (s.server.address() as AddressInfo).port;
    return s;
  }

  get port(): number {
    return this.portNumber;
  }

  /** base64 of the CA PEM, for a kubeconfig's `certificate-authority-data`. */
  get caData(): string {
    return Buffer.from(this.tls.caPem).toString('base64');
  }

  /** Adds (or replaces) a fake cluster; '' serves at the root. */
  addCluster(key: string, options: FakeClusterOptions = {}): FakeCluster {
    if (key.includes('/')) throw new Error(`cluster key must not contain '/': ${key}`);
    const c = new FakeCluster(key, options);
    this.clusters.set(key, c);
    return c;
  }

  cluster(key = ''): FakeCluster {
    const c = this.clusters.get(key);
    if (!c) throw new Error(`no fake cluster '${key}'`);
    return c;
  }

  /** The `server:` URL of a fake cluster. */
  url(key = ''): string {
    return `https://127.0.0.1:${this.portNumber}${key ? `/clusters/${encodeURIComponent(key)}` : ''}`;
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'https://fake');
    let key = '';
    let path = url.pathname;
    const m = path.match(/^\/clusters\/([^/]+)(\/.*)?$/);
    if (m) {
      key = decodeURIComponent(m[1]!);
      path = m[2] ?? '/';
    }
    const cluster = this.clusters.get(key);
    if (!cluster) {
      res
        .writeHead(404, { 'content-type': 'application/json' })
        .end(JSON.stringify({ kind: 'Status', code: 404, message: `no cluster ${key}` }));
      return;
    }
    void cluster.handle(req, res, path, url.searchParams);
  }
}

/** A kubeconfig (YAML-compatible JSON) with one context per entry, all trusting the server's CA. */
export function kubeconfigFor(
  server: K8sApiServer,
  contexts: readonly { name: string; cluster?: string; server?: string; token?: string; exec?: Record<string, unknown>; caData?: string }[],
  current?: string,
): string {
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: contexts.map((c) => ({
      name: `${c.name}-cluster`,
      cluster: { server: c.server ?? server.url(c.cluster ?? ''), 'certificate-authority-data': c.caData ?? server.caData },
    })),
    users: contexts.map((c) => ({ name: `${c.name}-user`, user: c.exec ? { exec: c.exec } : { token: c.token ?? 'test-token' } })),
    contexts: contexts.map((c) => ({ name: c.name, context: { cluster: `${c.name}-cluster`, user: `${c.name}-user` } })),
    'current-context': current ?? contexts[0]?.name ?? '',
  });
}
