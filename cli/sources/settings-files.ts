import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import type { HardlineConfig } from '../../shared/config/settings.js';
import { ConfigError, describeError, InputError } from '../../shared/core/errors.js';
import { parseConfig } from '../../shared/engine/config.js';
import { parseExemptions, type ExemptionParseOptions } from '../../shared/engine/exemptions.js';
import type { Exemption } from '../../shared/engine/types.js';

/** hardline.config.yaml (or --config FILE): read here, at the edge; the engine only ever sees parsed settings. */
export function loadConfigFile(file: string): HardlineConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new ConfigError(`cannot read config ${file}: ${describeError(e)}`, { cause: e });
  }
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (e) {
    throw new ConfigError(`${file}: not valid YAML: ${describeError(e)}`, { cause: e });
  }
  return parseConfig(raw, file);
}

/** An --exemptions file (YAML or JSON): every entry validated, named by index and field when wrong. */
export function loadExemptionsFile(file: string, opts: ExemptionParseOptions): Exemption[] {
  let raw: unknown;
  try {
    raw = parseYaml(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new InputError(`cannot read exemptions ${file}: ${describeError(e)}`, { file, cause: e });
  }
  return parseExemptions(raw, file, opts);
}
