import { existsSync } from 'node:fs';
import { defaultConfig, type HardlineConfig } from '../../shared/config/settings.js';
import { controls as catalog } from '../../shared/controls/index.js';
import type { Control } from '../../shared/controls/types.js';
import { UsageError } from '../../shared/core/errors.js';
import { globMatch } from '../../shared/core/glob.js';
import { SEVERITIES, type Severity } from '../../shared/core/types.js';
import { DEFAULT_EXEMPTIONS } from '../../shared/engine/default-exemptions.js';
import type { Exemption } from '../../shared/engine/types.js';
import { FRAMEWORK_IDS, selectControls } from '../../shared/frameworks/index.js';
import type { AwsSourceFlags } from '../sources/aws.js';
import { loadConfigFile, loadExemptionsFile } from '../sources/settings-files.js';
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

/**
 * The controls to run. Every id or glob in --controls must name a control of the chosen framework:
 * one that names nothing there would silently narrow the scan to less than was asked for.
 */
export function resolveControls(flags: CommonScanFlags): Control[] {
  if (!(FRAMEWORK_IDS as readonly string[]).includes(flags.framework)) {
    throw new UsageError(`unknown framework '${flags.framework}' (expected one of ${FRAMEWORK_IDS.join(', ')})`);
  }
  if (flags.controls === undefined) return selectControls(catalog, flags.framework);
  const only = flags.controls
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (only.length === 0) throw new UsageError('--controls is empty: give control ids or globs (see hardline controls)');
  // Unknown ids are reported against the whole catalog first: a typo is not a framework mismatch.
  const anywhere = selectControls(catalog, 'all', only);
  if (flags.framework === 'all') return anywhere;
  const inFramework = selectControls(catalog, flags.framework);
  const outside = only.filter((p) => !inFramework.some((c) => globMatch(p, c.id)));
  if (outside.length > 0) {
    throw new UsageError(
      `--controls ${outside.join(', ')}: not in framework ${flags.framework} (drop --framework, or see hardline controls --framework ${flags.framework})`,
    );
  }
  return selectControls(catalog, flags.framework, only);
}

/** Flags that only mean something with another one: alone they would be silently ignored. */
export function validateSourceFlags(flags: AwsSourceFlags): void {
  const needAws = (['regions', 'org', 'targets'] as const).filter((k) => flags[k] !== undefined && !flags.aws);
  if (needAws.length > 0) throw new UsageError(`${needAws.map((k) => `--${k}`).join(' and ')} only apply with --aws`);
  if (flags.externalId !== undefined && !flags.org) throw new UsageError('--external-id only applies with --aws --org');
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
