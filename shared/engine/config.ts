import { configSchemaFor, type HardlineConfig } from '../config/settings.js';
import { ConfigError } from '../core/errors.js';
import { formatZodIssues } from '../core/zod-issues.js';
import { unknownControlProblem } from './control-ids.js';

/** The settings of hardline.config.yaml (or the service's JSON), control ids checked against the catalog. */
export function parseConfig(raw: unknown, source = 'config'): HardlineConfig {
  const result = configSchemaFor(unknownControlProblem).safeParse(raw ?? {});
  if (!result.success) throw new ConfigError(`${source}: ${formatZodIssues(result.error)}`);
  return result.data;
}
