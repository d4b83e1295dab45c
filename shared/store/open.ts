import type { DynamoDBClient, DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { ConfigError, describeError, isHardlineError } from '../core/errors.js';
import { createDynamoClient, documentClient } from './client.js';
import { startEmbeddedDynamo, type WriteCounts } from './embedded.js';
import { describeLocation, embeddedExemptionCount, recordExemptionCount, storeLocation, type StoreLocation } from './location.js';
import { FindingsStore } from './store.js';
import { checkTable, ensureTable } from './table.js';

export interface OpenedStore {
  store: FindingsStore;
  location: StoreLocation;
  raw: DynamoDBClient;
  /**
   * Write requests the store has seen, when this process serves the embedded store (every writer,
   * in any process, goes through it). Unchanged counts mean an unchanged store.
   */
  writeCounts?: () => WriteCounts;
  close(): Promise<void>;
}

export interface OpenStoreOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Extra client configuration (tests add middleware through `onClient`). */
  clientConfig?: DynamoDBClientConfig;
  onClient?: (raw: DynamoDBClient) => void;
  now?: () => Date;
}

/** Opens the configured store: the AWS table (checked to exist) or the embedded one (started, table created). */
export async function openStore(opts: OpenStoreOptions = {}): Promise<OpenedStore> {
  const location = storeLocation(opts.env, opts.cwd);
  const now = opts.now ? { now: opts.now } : {};
  if (location.kind === 'aws') {
    const raw = createDynamoClient(opts.clientConfig);
    opts.onClient?.(raw);
    await checkTable(raw, location.table);
    const store = new FindingsStore({ doc: documentClient(raw), table: location.table }, now);
    return { store, location, raw, close: async () => raw.destroy() };
  }
  const engine = await startEmbeddedDynamo(location.dir);
  // Local endpoint, fixed fake credentials: AWS_PROFILE or real keys in the environment are never used or needed.
  const raw = createDynamoClient({
    region: 'us-east-1',
    credentials: { accessKeyId: 'hardline', secretAccessKey: 'embedded' },
    ...(engine.requestHandler ? { requestHandler: engine.requestHandler } : {}),
    ...opts.clientConfig,
    endpoint: engine.endpoint,
  });
  opts.onClient?.(raw);
  const close = async () => {
    raw.destroy();
    await engine.close();
  };
  try {
    await ensureTable(raw, location.table);
  } catch (e) {
    await close();
    if (isHardlineError(e)) throw e;
    const who = engine.shared ? ` (served by hardline process ${engine.ownerPid})` : '';
    throw new ConfigError(`cannot open ${describeLocation(location)}${who}: ${describeError(e)}`, { cause: e });
  }
  const recordCount = (count: number) => recordExemptionCount(location, count);
  const store = new FindingsStore(
    { doc: documentClient(raw), table: location.table, embedded: true },
    { ...now, onExemptionsChanged: recordCount },
  );
  if (embeddedExemptionCount(location) === undefined) recordCount((await store.exemptions()).length);
  return { store, location, raw, ...(engine.writes ? { writeCounts: engine.writes } : {}), close };
}
