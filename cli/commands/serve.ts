import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { relative } from 'node:path';
import type { Context } from 'aws-lambda';
import type { Command } from 'commander';
import { apiEvent, errorResult, type ApiResult } from '../../shared/api/http.js';
import type { ApiSettings } from '../../shared/api/router.js';
import { ConfigError, describeError, UsageError } from '../../shared/core/errors.js';
import { describeLocation } from '../../shared/store/location.js';
import type { OpenStoreOptions } from '../../shared/store/open.js';
import type { WriteCounts } from '../../shared/store/embedded.js';
import type { FindingsStore } from '../../shared/store/store.js';
import { dashboardAsset } from '../dashboard/assets.js';
import { localStoreSecrets } from '../sources/store-secrets.js';
import { resolveConfig } from './scan-options.js';
import { isLoopback, localCaller, refuseRequest, type ServeAccess } from './serve-guard.js';
import { ResponseReuse } from './serve-reuse.js';

export const DEFAULT_PORT = 8787;
const MAX_BODY = 65_536;
/** Requests the handler works on at once; the rest wait in arrival order (a burst degrades evenly, and memory stays bounded). */
const MAX_IN_FLIGHT = 8;

export interface RunningServer {
  url: string;
  server: Server;
  close(): Promise<void>;
}

/** What a Lambda context would carry; the handler reads none of it, middy wants one. */
function localContext(requestId: string): Context {
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: 'hardline-serve',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:local:000000000000:function:hardline-serve',
    memoryLimitInMB: '0',
    awsRequestId: requestId,
    logGroupName: 'local',
    logStreamName: 'local',
    getRemainingTimeInMillis: () => 30_000,
    done: () => {},
    fail: () => {},
    succeed: () => {},
  };
}

async function readBody(req: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function send(res: ServerResponse, r: ApiResult): void {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(r.headers ?? {})) headers[k] = String(v);
  res.writeHead(r.statusCode ?? 200, headers);
  res.end(r.body ?? '');
}

export interface ApiServerOptions {
  port?: number;
  host?: string;
  log?: (line: string) => void;
  /** The store's token (required for writes) and who a request bearing it is. */
  access: ServeAccess;
  settings: ApiSettings;
  /** The store's write counts when this process serves it: GET answers are reused until it changes. */
  writeCounts?: () => WriteCounts;
}

/** At most `limit` calls of `fn` at once, the others started in arrival order as slots free up. */
function limited(limit: number): <T>(fn: () => Promise<T>) => Promise<T> {
  let running = 0;
  const waiting: (() => void)[] = [];
  return async (fn) => {
    if (running >= limit) await new Promise<void>((start) => waiting.push(start));
    else running++;
    try {
      return await fn();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else running--;
    }
  };
}

/**
 * The API handler behind node:http: each request becomes an HTTP API v2 event, exactly as in AWS.
 * In front of it, what API Gateway does there: requests for another Host are refused (a browser
 * page rebinding its DNS name to 127.0.0.1 must not reach this API), and writes need the store's
 * token, which makes the caller known.
 */
export async function startApiServer(store: FindingsStore, opts: ApiServerOptions): Promise<RunningServer> {
  // Loaded here, not at CLI start: only `serve` needs middy and the Lambda handler.
  const { createApiHandler } = await import('../../functions/api/handler.js');
  const handler = createApiHandler(
    () => store,
    (message) => opts.log?.(message),
    () => opts.settings,
  );
  const host = opts.host ?? '127.0.0.1';
  let port = 0;
  const slot = limited(MAX_IN_FLIGHT);
  const reuse = opts.writeCounts ? new ResponseReuse(opts.writeCounts) : undefined;
  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const page = dashboardAsset((req.method ?? 'GET').toUpperCase(), url.pathname);
      const refused = refuseRequest(req, { host, port, access: opts.access }, { page: page !== undefined });
      if (refused) return send(res, refused);
      if (page) return send(res, page);
      const body = await readBody(req);
      if (body === undefined) return send(res, errorResult(413, `body: larger than ${MAX_BODY} bytes`));
      const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : (v ?? '')]));
      // The token is checked; the handler needs only to know who holds it, never the token itself.
      delete headers['authorization'];
      const event = apiEvent(req.method ?? 'GET', url.pathname, url.search.slice(1), body === '' ? undefined : body, headers);
      if (req.headers.authorization) event.requestContext.authorizer = { lambda: { caller: opts.access.caller } };
      const answer = () => slot(() => handler(event, localContext(event.requestContext.requestId)));
      // A GET answer depends on the path and query only (the caller matters to writes).
      const reusable = reuse && event.requestContext.http.method === 'GET' && body === '';
      send(res, reusable ? await reuse.answer(`${url.pathname}?${url.search}`, answer) : await answer());
    })().catch((e: unknown) => {
      opts.log?.(`request failed: ${describeError(e)}`);
      if (!res.headersSent) send(res, errorResult(500, 'internal error'));
    });
  });
  await new Promise<void>((ok, fail) => {
    server.once('error', (e: NodeJS.ErrnoException) =>
      fail(
        e.code === 'EADDRINUSE'
          ? new UsageError(`port ${opts.port} on ${host} is in use: pass another --port`)
          : new ConfigError(`cannot listen on ${host}:${opts.port}: ${describeError(e)}`),
      ),
    );
    server.listen(opts.port ?? DEFAULT_PORT, host, () => ok());
  });
  port = (server.address() as AddressInfo).port;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    server,
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}

function parsePort(raw: string): number {
  if (!/^\d{1,5}$/.test(raw) || Number(raw) > 65_535) throw new UsageError(`--port must be a number from 0 to 65535 (got '${raw}')`);
  return Number(raw);
}

/** `hardline serve`: runs until SIGINT/SIGTERM, then closes the store cleanly (LevelDB flushes on close). */
export async function serve(flags: { port: string; host: string; config?: string }, storeOptions: OpenStoreOptions = {}): Promise<void> {
  const port = parsePort(flags.port);
  const config = resolveConfig(flags.config);
  const { openStore } = await import('../../shared/store/open.js');
  const opened = await openStore(storeOptions);
  const cwd = storeOptions.cwd ?? process.cwd();
  let running: RunningServer;
  let secrets: ReturnType<typeof localStoreSecrets>;
  try {
    secrets = localStoreSecrets(opened.location, cwd);
    running = await startApiServer(opened.store, {
      port,
      host: flags.host,
      log: (line) => process.stderr.write(`hardline: ${line}\n`),
      access: { token: secrets.token, caller: localCaller() },
      settings: { cursorKey: secrets.cursorKey, exemptions: config.exemptions },
      ...(opened.writeCounts ? { writeCounts: opened.writeCounts } : {}),
    });
  } catch (e) {
    await opened.close();
    throw e;
  }
  for (const w of secrets.warnings) process.stderr.write(`hardline: warning: ${w}\n`);
  if (!isLoopback(flags.host)) {
    process.stderr.write(
      `hardline: warning: listening on ${flags.host} — every request needs the token; anyone who has it can read findings and change exemptions\n`,
    );
  }
  const tokenFile = relative(cwd, secrets.tokenFile) || secrets.tokenFile;
  process.stderr.write(
    `hardline: serving ${describeLocation(opened.location, storeOptions.cwd)} at ${running.url} (Ctrl-C to stop)\n` +
      `  token for changes (kept in ${tokenFile}, mode 0600): ${secrets.token}\n` +
      `  dashboard: ${running.url}/\n` +
      `  curl '${running.url}/findings?severity=high&state=OPEN'\n` +
      `  curl '${running.url}/summary'\n` +
      `  curl -X PUT -H "Authorization: Bearer $(cat ${tokenFile})" '${running.url}/exemptions' -d '{"controlId":"workload.privileged","match":{"namespace":"ops"},"reason":"…","expires":"…"}'\n`,
  );
  await new Promise<void>((done) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      done();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  await running.close();
  await opened.close();
  process.stderr.write('hardline: stopped\n');
}

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('Run the findings API (the Lambda handler) and the fleet dashboard on localhost over the findings store')
    .option('--port <port>', 'port to listen on', String(DEFAULT_PORT))
    .option('--host <host>', 'interface to bind (keep it on loopback: beyond it every request needs the token)', '127.0.0.1')
    .option('--config <file>', 'configuration file (exemptions.maxDays; default: ./hardline.config.yaml when present)')
    .addHelpText(
      'after',
      `
Dashboard: GET / (the fleet view over these routes, read-only)
Routes: GET /findings (account, region, cluster, control, severity, state, namespace, limit, cursor),
        GET /findings/{id}, GET /clusters, GET /summary, GET /trends (days), GET /changes (limit, days),
        GET /scans/{id},
        GET|PUT /exemptions, GET|PUT|DELETE /exemptions/{id}
Access: requests must address this server (Host 127.0.0.1:PORT or localhost:PORT); PUT and DELETE
        need Authorization: Bearer <token> (the store's serve-token file, printed at start).
Store:  .hardline/store (HARDLINE_STORE_DIR), or the DynamoDB table named by HARDLINE_TABLE.`,
    )
    .action(async (flags: { port: string; host: string; config?: string }) => {
      await serve(flags);
    });
}
