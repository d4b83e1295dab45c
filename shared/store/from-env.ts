import { ConfigError } from '../core/errors.js';
import { createDynamoClient, documentClient } from './client.js';
import { FindingsStore } from './store.js';

/**
 * For Lambda: the table from HARDLINE_TABLE, the client built once per container. Kept apart from
 * open.ts so a function bundle never pulls in dynalite and LevelDB.
 */
export function storeFromEnv(env: NodeJS.ProcessEnv = process.env): FindingsStore {
  const table = env['HARDLINE_TABLE']?.trim();
  if (!table) throw new ConfigError('HARDLINE_TABLE is not set');
  return new FindingsStore({ doc: documentClient(createDynamoClient()), table });
}
