import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import type { HttpHandler } from '@smithy/protocol-http';
import { ConfigError, describeError } from '../core/errors.js';
import { tuneDynalite } from './dynalite-tuning.js';
import { inProcessHandler } from './in-process-transport.js';

/**
 * The embedded store: dynalite (the DynamoDB wire API over LevelDB) started in-process, data under
 * `<dir>/data`. LevelDB allows one process per directory, so the owner writes `<dir>/owner.json`
 * with its endpoint and a second process (a `scan --save` while `serve` runs) talks to the owner's
 * server instead of opening the files — opening them twice crashes dynalite.
 */
export interface EmbeddedDynamo {
  endpoint: string;
  dir: string;
  /** True when another process owns the files and this one only connects to it. */
  shared: boolean;
  ownerPid: number;
  /** Writes this process's server has received and answered (owner only: another owner's writes are not seen). */
  writes?: () => WriteCounts;
  /** Owner only: the SDK request handler that hands requests to this process's server without a socket. */
  requestHandler?: HttpHandler;
  close(): Promise<void>;
}

/** Every write request to the store passes through the owner's server: these counts change with every one. */
export interface WriteCounts {
  started: number;
  finished: number;
}

const WRITE_OPERATIONS = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem', 'CreateTable', 'UpdateTable', 'DeleteTable']);

/**
 * Counts write requests (by their X-Amz-Target) as they reach dynalite and as their answers leave: at the
 * server, so writes from every process count (client.ts's countWrites sees one client's requests only).
 */
function countServedWrites(server: Server): () => WriteCounts {
  const counts: WriteCounts = { started: 0, finished: 0 };
  const listeners = server.listeners('request') as ((req: IncomingMessage, res: ServerResponse) => void)[];
  server.removeAllListeners('request');
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const operation = String(req.headers['x-amz-target'] ?? '').split('.')[1] ?? '';
    if (WRITE_OPERATIONS.has(operation)) {
      counts.started++;
      res.once('close', () => counts.finished++);
    }
    for (const l of listeners) l(req, res);
  });
  return () => ({ ...counts });
}

interface Owner {
  pid: number;
  endpoint?: string;
  startedAt: string;
}

const OWNER_FILE = 'owner.json';

function readOwner(dir: string): Owner | undefined {
  try {
    const raw: unknown = JSON.parse(readFileSync(join(dir, OWNER_FILE), 'utf8'));
    if (raw && typeof raw === 'object' && typeof (raw as Owner).pid === 'number') return raw as Owner;
  } catch {
    // Missing or half-written: treated as no owner.
  }
  return undefined;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** In this process: one server per directory, shared by every open of it. */
const local = new Map<string, { server: Server; endpoint: string; refs: number; writes: () => WriteCounts; requestHandler: HttpHandler }>();

async function listen(dir: string): Promise<{ server: Server; endpoint: string; writes: () => WriteCounts }> {
  await tuneDynalite();
  const { default: dynalite } = await import('dynalite');
  const server = dynalite({ path: join(dir, 'data'), createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  const writes = countServedWrites(server);
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => ok());
  });
  return { server, endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, writes };
}

async function stop(server: Server): Promise<void> {
  server.closeIdleConnections();
  await new Promise<void>((ok) => server.close(() => ok()));
}

export async function startEmbeddedDynamo(dirInput: string): Promise<EmbeddedDynamo> {
  const dir = resolve(dirInput);
  const mine = local.get(dir);
  if (mine) {
    mine.refs++;
    const { endpoint, writes, requestHandler } = mine;
    return { endpoint, dir, shared: false, ownerPid: process.pid, writes, requestHandler, close: () => release(dir) };
  }
  try {
    mkdirSync(dir, { recursive: true });
  } catch (e) {
    throw new ConfigError(`cannot create the store directory ${dir}: ${describeError(e)}`, { cause: e });
  }
  for (let attempt = 0; attempt < 50; attempt++) {
    const owner = readOwner(dir);
    if (owner && owner.pid !== process.pid && alive(owner.pid)) {
      if (owner.endpoint) return { endpoint: owner.endpoint, dir, shared: true, ownerPid: owner.pid, close: async () => {} };
      await sleep(100); // the owner is still starting
      continue;
    }
    if (owner) rmSync(join(dir, OWNER_FILE), { force: true }); // left by a process that died
    try {
      writeFileSync(join(dir, OWNER_FILE), JSON.stringify({ pid: process.pid, startedAt: new Date().toISOString() }), { flag: 'wx' });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EEXIST') continue; // lost a race: read the winner
      throw new ConfigError(`cannot lock the store directory ${dir}: ${describeError(e)}`, { cause: e });
    }
    try {
      const { server, endpoint, writes } = await listen(dir);
      writeFileSync(join(dir, OWNER_FILE), JSON.stringify({ pid: process.pid, endpoint, startedAt: new Date().toISOString() }));
      const requestHandler = inProcessHandler(server);
      local.set(dir, { server, endpoint, refs: 1, writes, requestHandler });
      return { endpoint, dir, shared: false, ownerPid: process.pid, writes, requestHandler, close: () => release(dir) };
    } catch (e) {
      rmSync(join(dir, OWNER_FILE), { force: true });
      throw new ConfigError(`cannot start the embedded store in ${dir}: ${describeError(e)}`, { cause: e });
    }
  }
  throw new ConfigError(
    `the store in ${dir} is locked by another hardline process that does not answer; stop it or delete ${join(dir, OWNER_FILE)}`,
  );
}

async function release(dir: string): Promise<void> {
  const mine = local.get(dir);
  if (!mine || --mine.refs > 0) return;
  local.delete(dir);
  await stop(mine.server);
  if (readOwner(dir)?.pid === process.pid) rmSync(join(dir, OWNER_FILE), { force: true });
}
