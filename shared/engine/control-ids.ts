import { CONTROL_FACTS } from '../controls/facts.js';
import { globMatch } from '../core/glob.js';

const IDS: readonly string[] = CONTROL_FACTS.map((c) => c.id);

export const hasGlob = (pattern: string): boolean => /[*?]/.test(pattern);

/**
 * Why a control id (or glob) names nothing in the catalog, or undefined when it names something.
 * An exemption or a disabled control that matches no control is a typo that would silently do
 * nothing, so callers refuse it.
 */
export function unknownControlProblem(pattern: string): string | undefined {
  if (IDS.some((id) => globMatch(pattern, id))) return undefined;
  return hasGlob(pattern)
    ? `'${pattern}' matches no control id (see hardline controls)`
    : `unknown control id '${pattern}' (see hardline controls)`;
}
