import { Agent, request } from 'node:https';
import type { IncomingMessage } from 'node:http';
import { createGunzip } from 'node:zlib';
import { TOOL_VERSION } from '../../core/version.js';
import { describeError } from '../../core/errors.js';
import { redact } from '../../redaction/redact.js';
import { KubeRequestError } from './errors.js';
import type { KubeConnection, KubeHttp, KubeResponse } from './transport.js';

/** An API server reached with a bearer token over HTTPS (EKS: DescribeCluster's endpoint and CA, an EKS token). */
export interface BearerEndpoint {
  /** The cluster's name (the default target name). */
  name: string;
  /** `https://…`, as DescribeCluster gives it (a path prefix is kept). */
  server: string;
  /** PEM of the CA that signed the server's certificate: the only one trusted. */
  caPem: string;
  /** Asked before every request, so a long scan gets refreshed tokens (EksTokenCache). */
  token: () => Promise<string>;
}

/** A connection to an API server with a bearer token (no client-node). */
export function viaBearerToken(endpoint: BearerEndpoint): KubeConnection {
  return { name: endpoint.name, open: () => Promise.resolve(bearerHttp(endpoint)) };
}

/** Bodies larger than this are refused: no list page of a sane page size comes close. */
const MAX_BODY_BYTES = 512 * 1024 * 1024;

async function readBody(res: IncomingMessage): Promise<string> {
  // kube-apiserver gzips large responses when asked to (as client-node's fetch asks).
  const stream = /\bgzip\b/i.test(String(res.headers['content-encoding'] ?? '')) ? res.pipe(createGunzip()) : res;
  if (stream !== res) res.once('error', (e) => stream.destroy(e));
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new Error(`response larger than ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * GETs with node:https: the server's own CA only (never the system store, never unverified), a
 * keep-alive pool so pages reuse one TLS connection, and the token as `Authorization: Bearer`.
 * This is all an EKS cluster needs, without client-node and undici (~1.5 MB of the Lambda bundle).
 */
function bearerHttp(endpoint: BearerEndpoint): KubeHttp {
  if (!/^https:\/\//i.test(endpoint.server)) throw new KubeRequestError('error', '', `API server must be https: ${endpoint.server}`);
  const agent = new Agent({ ca: endpoint.caPem, keepAlive: true, maxSockets: 8 });
  return {
    server: endpoint.server.replace(/\/+$/, ''),
    async get(url: string, path: string, signal: AbortSignal): Promise<KubeResponse> {
      let token: string;
      try {
        token = await endpoint.token();
      } catch (e) {
        throw new KubeRequestError('unauthorized', path, `could not obtain a token for ${endpoint.name}: ${redact(describeError(e))}`, {
          cause: e,
        });
      }
      const res = await new Promise<IncomingMessage>((resolve, reject) => {
        const req = request(
          url,
          {
            agent,
            signal,
            headers: {
              accept: 'application/json',
              'accept-encoding': 'gzip',
              authorization: `Bearer ${token}`,
              'user-agent': `hardline/${TOOL_VERSION}`,
            },
          },
          resolve,
        );
        req.once('error', reject);
        req.end();
      });
      let text: string;
      try {
        text = await readBody(res);
      } catch (e) {
        // An abort mid-body surfaces as a reset socket: report the timeout that caused it.
        throw signal.aborted ? (signal.reason ?? e) : e;
      }
      const retryAfter = res.headers['retry-after'];
      return { status: res.statusCode ?? 0, text, ...(retryAfter !== undefined ? { retryAfter } : {}) };
    },
    async close(): Promise<void> {
      agent.destroy();
    },
  };
}
