import { randomBytes } from 'node:crypto';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { defaultConfig } from '../config/settings.js';
import { ConfigError, describeError } from '../core/errors.js';
import { parseConfig } from '../engine/config.js';
import { DEFAULT_EXEMPTION_POLICY } from '../engine/exemptions.js';
import { checkCursorKey } from './cursor.js';
import type { ApiSettings } from './router.js';

/**
 * Settings for a handler that lives in one process (tests, a single `serve`): a random cursor key
 * made once, so page tokens work for that process and mean nothing anywhere else.
 */
export function ephemeralApiSettings(exemptions: ApiSettings['exemptions'] = DEFAULT_EXEMPTION_POLICY): () => ApiSettings {
  const settings: ApiSettings = { cursorKey: randomBytes(32), exemptions };
  return () => settings;
}

/**
 * The service's settings: the cursor key is a generated Secrets Manager secret
 * (HARDLINE_CURSOR_SECRET_ARN, readable by the API function only) shared by every instance, so a
 * page token from one instance works on the next; the exemption policy is the scanner's
 * configuration (HARDLINE_CONFIG). Read once per container; a failed read is retried next request.
 */
export function apiSettingsFromEnv(env: NodeJS.ProcessEnv = process.env, client?: SecretsManagerClient): () => Promise<ApiSettings> {
  let loading: Promise<ApiSettings> | undefined;
  const load = async (): Promise<ApiSettings> => {
    const arn = env['HARDLINE_CURSOR_SECRET_ARN']?.trim();
    if (!arn) throw new ConfigError('HARDLINE_CURSOR_SECRET_ARN is not set');
    let config = defaultConfig();
    try {
      if (env['HARDLINE_CONFIG']) config = parseConfig(JSON.parse(env['HARDLINE_CONFIG']), 'HARDLINE_CONFIG');
    } catch (e) {
      throw new ConfigError(`HARDLINE_CONFIG is not a valid hardline configuration (${describeError(e)})`, { cause: e });
    }
    const out = await (client ?? new SecretsManagerClient({})).send(new GetSecretValueCommand({ SecretId: arn }));
    if (!out.SecretString) throw new ConfigError('the cursor secret has no string value');
    return { cursorKey: checkCursorKey(Buffer.from(out.SecretString, 'utf8')), exemptions: config.exemptions };
  };
  return () =>
    (loading ??= load().catch((e: unknown) => {
      loading = undefined;
      throw e;
    }));
}
