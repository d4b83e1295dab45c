import { CONTROL_FACTS } from './facts.generated.js';
import type { ControlFacts } from './types.js';

export { CONTROL_FACTS } from './facts.generated.js';

const byId = new Map(CONTROL_FACTS.map((c) => [c.id, c]));

/** A control's facts by id, without importing the catalog and its checks. */
export function controlFacts(id: string): ControlFacts | undefined {
  return byId.get(id);
}
