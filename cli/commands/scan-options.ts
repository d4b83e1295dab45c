import { existsSync } from 'node:fs';
import { defaultConfig, loadConfigFile, type HardlineConfig } from '../../shared/config.js';
import { controls as catalog } from '../../shared/controls/index.js';
import { SEVERITIES, type Control, type Severity } from '../../shared/controls/types.js';
import { DEFAULT_EXEMPTIONS } from '../../shared/engine/default-exemptions.js';
import { loadExemptionsFile } from '../../shared/engine/exemptions.js';
import type { Exemption } from '../../shared/engine/types.js';
import { UsageError } from '../../shared/errors.js';
import { FRAMEWORK_IDS, selectControls } from '../../shared/frameworks/index.js';
import { storedExemptions } from '../sources/store.js';

export interface CommonScanFlags {
  framework: string;
  controls?: string;
  exemptions?: string;
  config?: string;
  failOn: string;
}

export const DEFAULT_CONFIG_FILE = 'hardline.config.yaml';

/** Config from --config, else ./hardline.config.yaml when present, else defaults. */
export function resolveConfig(file?: string): HardlineConfig {
  if (file) return loadConfigFile(file);
  return existsSync(DEFAULT_CONFIG_FILE) ? loadConfigFile(DEFAULT_CONFIG_FILE) : defaultConfig();
}

export function resolveControls(flags: CommonScanFlags): Control[] {
  if (!(FRAMEWORK_IDS as readonly string[]).includes(flags.framework)) {
    throw new UsageError(`unknown framework '${flags.framework}' (expected one of ${FRAMEWORK_IDS.join(', ')})`);
  }
  const only = flags.controls?.split(',').map((s) => s.trim()).filter(Boolean);
  return selectControls(catalog, flags.framework, only);
}

export async function resolveExemptions(flags: CommonScanFlags, config: HardlineConfig): Promise<Exemption[]> {
  const list: Exemption[] = config.defaultExemptions ? [...DEFAULT_EXEMPTIONS] : [];
  if (flags.exemptions) list.push(...loadExemptionsFile(flags.exemptions, { policy: config.exemptions, now: new Date() }));
  // Exemptions granted through the API (PUT /exemptions) apply on the next scan; no store → none.
  const stored = await storedExemptions();
  if (stored.warning) process.stderr.write(`hardline: ${stored.warning}\n`);
  list.push(...stored.exemptions);
  return list;
}

export function resolveFailOn(value: string): Severity {
  if (!(SEVERITIES as readonly string[]).includes(value) || value === 'info') {
    throw new UsageError(`--fail-on must be one of critical, high, medium, low (got '${value}')`);
  }
  return value as Severity;
}
