// dynalite ships no types (there is no @types/dynalite); only what the embedded store uses.
declare module 'dynalite' {
  import type { Server } from 'node:http';

  interface DynaliteOptions {
    path?: string;
    createTableMs?: number;
    deleteTableMs?: number;
    updateTableMs?: number;
    maxItemSizeKb?: number;
  }

  function dynalite(options?: DynaliteOptions): Server;
  export default dynalite;
}

// dynalite's storage factory (its CommonJS `db` module): shared/store/dynalite-tuning.ts wraps it.
declare module 'dynalite/db' {
  const db: { create?: unknown };
  export default db;
}
