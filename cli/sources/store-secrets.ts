import { randomBytes } from 'node:crypto';
import { chmodSync, linkSync, mkdirSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ConfigError, describeError } from '../../shared/core/errors.js';
import type { StoreLocation } from '../../shared/store/location.js';

/**
 * Secrets of a local store, generated on first use and kept beside it, readable by its owner only
 * (0600): the token `hardline serve` requires for writes, and the key that signs page tokens.
 */
export interface LocalStoreSecrets {
  dir: string;
  tokenFile: string;
  token: string;
  cursorKey: Buffer;
  /** Problems fixed on the way (a secret file others could read). */
  warnings: string[];
}

const TOKEN_FILE = 'serve-token';
const CURSOR_KEY_FILE = 'cursor-key';

/** The embedded store's folder; for a DynamoDB table, a folder of its own under ./.hardline. */
export function secretsDir(loc: StoreLocation, cwd = process.cwd()): string {
  return loc.kind === 'embedded' ? loc.dir : resolve(cwd, '.hardline', `table-${loc.table.replace(/[^A-Za-z0-9._-]/g, '_')}`);
}

/** Reads a secret file, or creates it atomically (temp file + link), so two processes agree on one value. */
function readOrCreate(file: string, make: () => string, warnings: string[]): string {
  try {
    const mode = statSync(file).mode;
    if ((mode & 0o077) !== 0) {
      chmodSync(file, 0o600);
      warnings.push(`${file} was readable by others (mode ${(mode & 0o777).toString(8)}); now 0600 — rotate it by deleting the file`);
    }
    return readFileSync(file, 'utf8').trim();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw new ConfigError(`cannot read ${file}: ${describeError(e)}`, { cause: e });
  }
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  writeFileSync(tmp, `${make()}\n`, { mode: 0o600, flag: 'wx' });
  try {
    linkSync(tmp, file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw new ConfigError(`cannot create ${file}: ${describeError(e)}`, { cause: e });
  } finally {
    unlinkSync(tmp);
  }
  return readFileSync(file, 'utf8').trim();
}

export function localStoreSecrets(loc: StoreLocation, cwd = process.cwd()): LocalStoreSecrets {
  const dir = secretsDir(loc, cwd);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const warnings: string[] = [];
  const tokenFile = join(dir, TOKEN_FILE);
  const token = readOrCreate(tokenFile, () => `hl_${randomBytes(32).toString('base64url')}`, warnings);
  const cursorKey = Buffer.from(
    readOrCreate(join(dir, CURSOR_KEY_FILE), () => randomBytes(32).toString('base64url'), warnings),
    'base64url',
  );
  if (token.length < 20 || cursorKey.length < 32)
    throw new ConfigError(`the secrets in ${dir} are damaged: delete ${TOKEN_FILE} and ${CURSOR_KEY_FILE} there to make new ones`);
  return { dir, tokenFile, token, cursorKey, warnings };
}
