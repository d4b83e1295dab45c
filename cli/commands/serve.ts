import type { Command } from 'commander';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Context } from 'aws-lambda';
import { apiEvent, errorResult, type ApiResult } from '../../shared/api/http.js';
import { ConfigError, describeError, UsageError } from '../../shared/errors.js';
import { describeLocation } from '../../shared/store/location.js';
import type { OpenStoreOptions } from '../../shared/store/open.js';
import type { FindingsStore } from '../../shared/store/store.js';

export const DEFAULT_PORT = 8787;
const MAX_BODY = 65_536;

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

/** The API handler behind node:http: each request becomes an HTTP API v2 event, exactly as in AWS. */
export async function startApiServer(store: FindingsStore, opts: { port?: number; host?: string; log?: (line: string) => void } = {}): Promise<RunningServer> {
  // Loaded here, not at CLI start: only `serve` needs middy and the Lambda handler.
  const { createApiHandler } = await import('../../functions/api/handler.js');
  const handler = createApiHandler(() => store, (message) => opts.log?.(message));
  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const body = await readBody(req);
      if (body === undefined) return send(res, errorResult(413, `body: larger than ${MAX_BODY} bytes`));
      const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : (v ?? '')]));
      const event = apiEvent(req.method ?? 'GET', url.pathname, url.search.slice(1), body === '' ? undefined : body, headers);
      send(res, await handler(event, localContext(event.requestContext.requestId)));
    })().catch((e: unknown) => {
      opts.log?.(`request failed: ${describeError(e)}`);
      if (!res.headersSent) send(res, errorResult(500, 'internal error'));
    });
  });
  const host = opts.host ?? '127.0.0.1';
  await new Promise<void>((ok, fail) => {
    server.once('error', (e: NodeJS.ErrnoException) =>
      fail(e.code === 'EADDRINUSE' ? new UsageError(`port ${opts.port} on ${host} is in use: pass another --port`) : new ConfigError(`cannot listen on ${host}:${opts.port}: ${describeError(e)}`)),
    );
    server.listen(opts.port ?? DEFAULT_PORT, host, () => ok());
  });
  const { port } = server.address() as AddressInfo;
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
export async function serve(flags: { port: string; host: string }, storeOptions: OpenStoreOptions = {}): Promise<void> {
  const port = parsePort(flags.port);
  const { openStore } = await import('../../shared/store/open.js');
  const opened = await openStore(storeOptions);
  let running: RunningServer;
  try {
    running = await startApiServer(opened.store, { port, host: flags.host, log: (line) => process.stderr.write(`hardline: ${line}\n`) });
  } catch (e) {
    await opened.close();
    throw e;
  }
  if (!['127.0.0.1', 'localhost', '::1'].includes(flags.host)) {
    process.stderr.write(`hardline: warning: listening on ${flags.host} — this API has no authentication; anyone who can reach the port can read findings and change exemptions\n`);
  }
  process.stderr.write(
    `hardline: serving ${describeLocation(opened.location, storeOptions.cwd)} at ${running.url} (Ctrl-C to stop)\n` +
      `  curl '${running.url}/findings?severity=high&state=OPEN'\n` +
      `  curl '${running.url}/summary'\n` +
      `  curl '${running.url}/clusters'\n`,
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
    .description('Run the findings API (the Lambda handler) on localhost over the findings store')
    .option('--port <port>', 'port to listen on', String(DEFAULT_PORT))
    .option('--host <host>', 'interface to bind (the API has no authentication locally: keep it on loopback)', '127.0.0.1')
    .addHelpText(
      'after',
      `
Routes: GET /findings (account, region, cluster, control, severity, state, namespace, limit, cursor),
        GET /findings/{id}, GET /clusters, GET /summary, GET /scans/{id},
        GET|PUT /exemptions, GET|PUT|DELETE /exemptions/{id}
Store:  .hardline/store (HARDLINE_STORE_DIR), or the DynamoDB table named by HARDLINE_TABLE.`,
    )
    .action(async (flags: { port: string; host: string }) => {
      await serve(flags);
    });
}
