import { defaultConfig, type HardlineConfig } from '../config/settings.js';
import { appliesTo, type Control } from '../controls/types.js';
import { globMatch } from '../core/glob.js';
import type { ResourceRef } from '../core/types.js';
import { InventoryIndex, namespaceOf } from '../inventory/indexed.js';
import { endObjectRefs, startObjectRefs } from '../inventory/objects.js';
import type { Gap, Inventory } from '../inventory/types.js';
import { ExemptionMatcher } from './exemptions.js';
import { checkContext, type CheckRun, runChecks } from './checks.js';
import { type GroupWriter, type ResultSet, ResultWriter } from './results.js';
import type { Exemption, IgnoredExemption } from './types.js';

export interface EvaluateOptions {
  config?: HardlineConfig;
  /** The scan's clock (exemption expiry, version support dates): the engine never reads the system time. */
  now: Date;
  /** Receives the annotation exemptions the policy (config `exemptions`) refused, with the reason. */
  ignoredExemptions?: IgnoredExemption[];
}

const GAP_WORDS: Record<Gap['reason'], string> = {
  forbidden: 'access denied (403)',
  unauthorized: 'not authenticated (401)',
  'not-found': 'not found',
  timeout: 'timed out',
  unreachable: 'unreachable',
  'private-no-route': 'private endpoint with no route from the scanner (private-no-route)',
  throttled: 'throttled beyond retries',
  error: 'failed',
};

/** The settings of a scan without a config file, read once (building them parses `{}` with the schema). */
let unconfigured: HardlineConfig | undefined;

export function gapMessage(g: Gap): string {
  return `could not read ${g.source}${g.namespace ? ` in namespace ${g.namespace}` : ''}: ${GAP_WORDS[g.reason]} — ${g.message}`;
}

/**
 * One UNKNOWN per control and cause: when an API server is unreachable every kind has the same gap,
 * and thirty identical UNKNOWN rows per control would bury the one line that matters.
 */
function gapOutcomes(gaps: readonly Gap[]): { resource: ResourceRef; message: string }[] {
  const groups = new Map<string, Gap[]>();
  for (const g of gaps) {
    const key = `${g.namespace ?? ''}\u0000${g.reason}\u0000${g.message}`;
    groups.set(key, [...(groups.get(key) ?? []), g]);
  }
  return [...groups.values()].map((group) => {
    const first = group[0]!;
    const sources = [...new Set(group.map((g) => g.source))].sort();
    const resource: ResourceRef = { apiVersion: 'hardline.dev/v1', kind: 'DataSource', name: sources.join(',') };
    if (first.namespace) resource.namespace = first.namespace;
    return { resource, message: gapMessage({ ...first, source: sources.join(', ') }) };
  });
}

/**
 * Evaluates every control against one inventory. Pure: no I/O; the clock comes from options. A
 * control that throws yields one ERROR result and the scan goes on. Gaps in the data a control
 * reads become UNKNOWN results with the reason — never silent PASS.
 */
export function evaluate(
  inventory: Inventory,
  controls: readonly Control[],
  exemptions: readonly Exemption[],
  options: EvaluateOptions,
): ResultSet {
  startObjectRefs();
  try {
    return evaluateInventory(inventory, controls, exemptions, options);
  } finally {
    endObjectRefs();
  }
}

function evaluateInventory(
  inventory: Inventory,
  controls: readonly Control[],
  exemptions: readonly Exemption[],
  options: EvaluateOptions,
): ResultSet {
  const config = options.config ?? (unconfigured ??= defaultConfig());
  const now = options.now;
  const index = new InventoryIndex(excludeNamespaces(inventory, config.excludeNamespaces));
  const matcher = new ExemptionMatcher(exemptions, index, now, config.exemptions);
  options.ignoredExemptions?.push(...matcher.ignored);
  const target = inventory.target;
  const gapsBySource = new Map<string, Gap[]>();
  for (const g of inventory.gaps) gapsBySource.set(g.source, [...(gapsBySource.get(g.source) ?? []), g]);
  const results = new ResultWriter();
  const base = { inventory: index.inventory, index, config, now };
  const runs: CheckRun[] = [];
  const groups: { controlId: string; group: GroupWriter }[] = [];

  for (const control of controls) {
    if (!appliesTo(control, target.kind)) continue;
    if (config.controls.disabled.some((p) => globMatch(p, control.id))) continue;
    const group = results.group({ controlId: control.id, severity: config.controls.severity[control.id] ?? control.severity, target });
    groups.push({ controlId: control.id, group });
    const blocking = (control.requires ?? []).flatMap((s) => gapsBySource.get(s) ?? []);
    const partial = control.reads.flatMap((s) => gapsBySource.get(s) ?? []).filter((g) => !blocking.includes(g));
    for (const g of gapOutcomes([...blocking, ...partial])) group.add('UNKNOWN', g.resource, g.message);
    if (blocking.length === 0) runs.push({ control, group, ctx: checkContext(base, group) });
  }
  runChecks(runs);

  // Verdict messages may quote manifest text (images, hosts, names). They are redacted where
  // results leave the process — the report formats, the store codec, events, Security Hub, logs —
  // not here: one pass per sink is cheaper than one per result, and a sink is where a leak would
  // happen (test/hygiene plants credentials and checks every sink).
  for (const { controlId, group } of groups) {
    const exemptionFor = matcher.forControl(controlId);
    if (!exemptionFor) continue;
    for (let i = 0; i < group.length; i++) {
      if (!group.isFailOrUnknown(i)) continue;
      const decision = exemptionFor(target, group.resourceAt(i));
      if (decision) group.exempt(i, decision);
    }
  }
  return results.finish();
}

function excludeNamespaces(inventory: Inventory, patterns: readonly string[]): Inventory {
  if (patterns.length === 0) return inventory;
  const excluded = (ns: string | undefined) => ns !== undefined && patterns.some((p) => globMatch(p, ns));
  return {
    ...inventory,
    resources: inventory.resources.filter((o) =>
      o.kind === 'Namespace' ? !excluded(o.metadata?.name) : !excluded(namespaceOf(o) || undefined),
    ),
  };
}
