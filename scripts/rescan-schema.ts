import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { rescanInputJsonSchema } from '../shared/pipeline/rescan-input.js';

/** `npx tsx scripts/rescan-schema.ts` regenerates docs/rescan-input.schema.json (a test fails when it is stale). */
export const RESCAN_SCHEMA_FILE = fileURLToPath(new URL('../docs/rescan-input.schema.json', import.meta.url));

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(RESCAN_SCHEMA_FILE, `${JSON.stringify(rescanInputJsonSchema(), null, 2)}\n`);
}
