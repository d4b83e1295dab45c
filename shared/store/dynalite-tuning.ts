/**
 * Tuning of dynalite's storage (LevelDB through classic-level) for the embedded store. dynalite
 * answers every write with one LevelDB put per item and per index entry, reads its table
 * description back from LevelDB (and parses it) for every item, and opens LevelDB with a 4 MB
 * write buffer: a first save of 100,000 findings spent most of its CPU there and in compactions.
 * Here, wrapped around dynalite's own store factory (its `db` module), without changing what any
 * request answers:
 * - the writes the store issues in one turn of the event loop go to LevelDB as one batch, in the
 *   order they were issued, and the reads as one getMany; each caller is answered once its batch
 *   is written or read, as before;
 * - item requests reuse the table description while it is unchanged (any write to the table
 *   list drops it; table requests always read it);
 * - LevelDB gets a 64 MB write buffer (bulk loads flush and compact far less often).
 * When dynalite's internals do not have the expected shape, nothing is changed.
 */

type Callback = (err: Error | null, value?: unknown) => void;
type WriteOp = { type: 'put'; key: string; value: string; valueEncoding: 'utf8' } | { type: 'del'; key: string };

interface LevelDatabase {
  put(key: string, value: unknown, cb: Callback): void;
  del(key: string, cb: Callback): void;
  batch(ops: WriteOp[], cb: Callback): void;
  get(key: string, cb: Callback): void;
  getMany(keys: string[]): Promise<unknown[]>;
  open(options: Record<string, unknown>): Promise<void>;
}

interface TableList {
  put(key: string, value: unknown, cb: Callback): void;
  del(key: string, cb: Callback): void;
}

type GetTable = (name: string, checkStatus: boolean | Callback, cb?: Callback) => void;

interface DynaliteStore {
  db: LevelDatabase;
  tableDb: TableList;
  getTable: GetTable;
}

interface DynaliteDbModule {
  create(options: unknown): DynaliteStore;
}

/** LevelDB's default is 4 MB; up to two buffers are held in memory while one is flushed. */
export const WRITE_BUFFER_BYTES = 64 << 20;

/** Reads and writes issued, and the LevelDB requests they went out in, since the process started (a test reads it). */
export const coalesced = { writes: 0, batches: 0, reads: 0, getManys: 0 };

const TUNED = Symbol.for('hardline.dynaliteTuned');

function isStore(s: unknown): s is DynaliteStore {
  const store = s as Partial<DynaliteStore> | undefined;
  return (
    typeof store?.getTable === 'function' &&
    typeof store.db?.put === 'function' &&
    typeof store.db.del === 'function' &&
    typeof store.db.batch === 'function' &&
    typeof store.db.get === 'function' &&
    typeof store.db.getMany === 'function' &&
    typeof store.db.open === 'function' &&
    typeof store.tableDb?.put === 'function' &&
    typeof store.tableDb.del === 'function'
  );
}

/**
 * Item and index entries (keys `item-…`, `index-…`) are never changed after dynalite puts them: the
 * same item object is put as the item and as each of its index entries (projection ALL), so its
 * JSON is made once. Anything else (table descriptions are changed and put again) is encoded on
 * every put.
 */
const ENCODED_ONCE = /^(item|index)-/;

/**
 * Puts and deletes issued in one turn go out as one batch, in order; every caller hears the batch's
 * outcome. Values are encoded when put (as LevelDB's json encoding would), so a later change to the
 * object does not reach the batch.
 */
function coalesceWrites(db: LevelDatabase): void {
  const batch = db.batch.bind(db);
  const encoded = new WeakMap<object, string>();
  let queue: { op: WriteOp; cb: Callback }[] = [];
  const flush = () => {
    const pending = queue;
    queue = [];
    coalesced.batches++;
    batch(
      pending.map((p) => p.op),
      (err) => {
        for (const p of pending) p.cb(err);
      },
    );
  };
  const enqueue = (op: WriteOp, cb: Callback) => {
    if (queue.length === 0) setImmediate(flush);
    coalesced.writes++;
    queue.push({ op, cb });
  };
  const json = (key: string, value: unknown): string => {
    if (!ENCODED_ONCE.test(key) || value === null || typeof value !== 'object') return JSON.stringify(value);
    let text = encoded.get(value);
    if (text === undefined) {
      text = JSON.stringify(value);
      encoded.set(value, text);
    }
    return text;
  };
  db.put = (key, value, cb) => {
    let text: string;
    try {
      text = json(key, value);
    } catch (e) {
      return void setImmediate(cb, e as Error);
    }
    enqueue({ type: 'put', key, value: text, valueEncoding: 'utf8' }, cb);
  };
  db.del = (key, cb) => enqueue({ type: 'del', key }, cb);
}

/**
 * Reads issued in one turn go to LevelDB as one getMany (one request to its thread pool and one
 * snapshot instead of one each: dynalite reads the stored item before every write).
 */
function coalesceReads(db: LevelDatabase): void {
  const getMany = db.getMany.bind(db);
  let queue: { key: string; cb: Callback }[] = [];
  const flush = () => {
    const pending = queue;
    queue = [];
    coalesced.getManys++;
    getMany(pending.map((p) => p.key)).then(
      (values) => pending.forEach((p, i) => setImmediate(p.cb, null, values[i])),
      (err: unknown) => pending.forEach((p) => setImmediate(p.cb, err instanceof Error ? err : new Error(String(err)))),
    );
  };
  db.get = (key, cb) => {
    if (queue.length === 0) setImmediate(flush);
    coalesced.reads++;
    queue.push({ key, cb });
  };
}

/**
 * Item requests (getTable with a callback only) share the ACTIVE table's description; dynalite's
 * item actions only read it. Table requests (checkStatus false) read it as before, and update it
 * in place, so they never get the shared one.
 */
function cacheTables(store: DynaliteStore): void {
  const getTable = store.getTable.bind(store);
  const tables = new Map<string, unknown>();
  const list = store.tableDb;
  const put = list.put.bind(list);
  const del = list.del.bind(list);
  list.put = (key, value, cb) => {
    tables.clear();
    put(key, value, (err) => {
      tables.clear();
      cb(err);
    });
  };
  list.del = (key, cb) => {
    tables.clear();
    del(key, (err) => {
      tables.clear();
      cb(err);
    });
  };
  store.getTable = (name, checkStatus, cb) => {
    if (typeof checkStatus !== 'function') return getTable(name, checkStatus, cb);
    const known = tables.get(name);
    if (known) return void setImmediate(checkStatus, null, known);
    getTable(name, (err, table) => {
      if (!err && (table as { TableStatus?: string } | undefined)?.TableStatus === 'ACTIVE') tables.set(name, table);
      checkStatus(err, table);
    });
  };
}

/** Installs the tuning on dynalite's store factory (once per process; stores created before keep theirs). */
export async function tuneDynalite(): Promise<void> {
  const mod = (await import('dynalite/db')).default as Partial<DynaliteDbModule> & { [TUNED]?: boolean };
  if (mod[TUNED] || typeof mod.create !== 'function') return;
  const create = mod.create.bind(mod);
  mod.create = (options: unknown) => {
    const store = create(options);
    if (!isStore(store)) return store;
    // LevelDB opens on the next microtask with the constructor's options: opening first adds ours.
    store.db.open({ writeBufferSize: WRITE_BUFFER_BYTES }).catch(() => {
      // An open that fails is reported by the open dynalite's first request waits for.
    });
    coalesceWrites(store.db);
    coalesceReads(store.db);
    cacheTables(store);
    return store;
  };
  mod[TUNED] = true;
}
