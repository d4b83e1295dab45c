import { CONTROL_FACTS } from '../controls/facts.js';
import type { Control } from '../controls/types.js';
import { UsageError } from '../core/errors.js';
import { globToRegExp } from '../core/glob.js';
import { cisEks } from './cis-eks.js';
import { nsaCisa } from './nsa-cisa.js';
import { pssBaseline } from './pss-baseline.js';
import { pssRestricted } from './pss-restricted.js';
import type { Framework, FrameworkDefinition } from './types.js';

export type { Framework, FrameworkDefinition, FrameworkId } from './types.js';

/** The framework definitions in display order. */
export const FRAMEWORK_DEFINITIONS: readonly FrameworkDefinition[] = [nsaCisa, cisEks, pssBaseline, pssRestricted];

/** The frameworks, each with its controls derived from the controls' cross-references. */
export const frameworks: readonly Framework[] = FRAMEWORK_DEFINITIONS.map(({ id, title, version, includes }) => ({
  id,
  title,
  version,
  controls: CONTROL_FACTS.filter((c) => includes(c.frameworks)).map((c) => c.id),
}));
export const FRAMEWORK_IDS = ['nsa-cisa', 'cis-eks', 'pss-baseline', 'pss-restricted', 'all'] as const;

export function frameworkById(id: string): Framework | undefined {
  return frameworks.find((f) => f.id === id);
}

/**
 * The controls a scan runs: a framework's (or `all`), optionally narrowed to explicit ids (globs
 * allowed). Unknown framework or control ids are usage errors, not silently empty scans.
 */
export function selectControls(catalog: readonly Control[], framework = 'all', only?: readonly string[]): Control[] {
  let selected: Control[];
  if (framework === 'all') selected = [...catalog];
  else {
    const f = frameworkById(framework);
    if (!f) throw new UsageError(`unknown framework '${framework}' (expected one of ${FRAMEWORK_IDS.join(', ')})`);
    const ids = new Set(f.controls);
    selected = catalog.filter((c) => ids.has(c.id));
  }
  if (only && only.length > 0) {
    const patterns = only.map(globToRegExp);
    const unknown = only.filter((p, i) => !catalog.some((c) => patterns[i]!.test(c.id)));
    if (unknown.length > 0) throw new UsageError(`unknown control id${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')}`);
    selected = selected.filter((c) => patterns.some((re) => re.test(c.id)));
  }
  return selected;
}
