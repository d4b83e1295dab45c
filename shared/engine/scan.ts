import { kubernetesAccessOf } from '../cluster-access/kubernetes-access.js';
import type { OnboardingGuide } from '../cluster-access/onboarding-commands.js';
import type { HardlineConfig } from '../config/settings.js';
import type { Control } from '../controls/types.js';
import type { LoadError } from '../core/types.js';
import { TOOL_VERSION } from '../core/version.js';
import type { Inventory, TargetInput } from '../inventory/types.js';
import { evaluate } from './evaluate.js';
import { isExpired } from './expiry.js';
import { summarizeScan, type ScanReport, type TargetReport } from './report.js';
import { ResultSet } from './results.js';
import type { Exemption, IgnoredExemption } from './types.js';

export interface ScanOptions {
  controls: readonly Control[];
  exemptions: readonly Exemption[];
  config: HardlineConfig;
  framework: string;
  /** The scan's identity and clock come from the caller: the engine reads no clock and makes no ids. */
  scanId: string;
  startedAt: Date;
  /** Read once every target is evaluated. */
  finishedAt: () => Date;
  /** The scan's clock for exemption expiry and support dates; defaults to startedAt. */
  now?: Date;
  errors?: LoadError[];
  /** How AWS clusters are onboarded: the onboarding step of an unreadable cluster names it (default readers-group). */
  onboarding?: OnboardingGuide;
}

export function targetStatus(inv: Inventory, loadErrors: readonly LoadError[] = []): Pick<TargetReport, 'status' | 'reason'> {
  const reasons: string[] = [];
  if (loadErrors.length > 0) {
    const first = loadErrors[0]!;
    const more = loadErrors.length > 1 ? ` and ${loadErrors.length - 1} more` : '';
    reasons.push(
      `${loadErrors.length} file${loadErrors.length === 1 ? '' : 's'} or document${loadErrors.length === 1 ? '' : 's'} not loaded: ${first.file}${first.line ? `:${first.line}` : ''} (${first.message})${more}`,
    );
  }
  if (inv.gaps.length > 0) {
    const sources = [...new Set(inv.gaps.map((g) => g.source))];
    reasons.push(`could not read ${sources.slice(0, 5).join(', ')}${sources.length > 5 ? ', …' : ''}`);
  }
  return reasons.length === 0 ? { status: 'OK' } : { status: 'PARTIAL', reason: reasons.join('; ') };
}

/** Evaluates every target and assembles the report of the JSON contract. */
export function runScan(inputs: readonly TargetInput[], opts: ScanOptions): ScanReport {
  const now = opts.now ?? opts.startedAt;
  const results: ResultSet[] = [];
  const targets: TargetReport[] = [];
  const guide = opts.onboarding ?? { mode: 'readers-group' };
  const ignoredExemptions: IgnoredExemption[] = [];
  for (const input of inputs) {
    const access = kubernetesAccessOf(input, guide);
    const withAccess = access ? { kubernetesAccess: access } : {};
    if ('failure' in input) {
      targets.push({ ...input.target, status: input.failure.status, reason: input.failure.reason, resources: 0, gaps: 0, ...withAccess });
      continue;
    }
    const inv = input.inventory;
    results.push(evaluate(inv, opts.controls, opts.exemptions, { config: opts.config, now, ignoredExemptions }));
    const loadErrors = input.loadErrors ?? [];
    targets.push({
      ...inv.target,
      ...targetStatus(inv, loadErrors),
      resources: inv.resources.length,
      gaps: inv.gaps.length,
      ...(loadErrors.length > 0 ? { loadErrors: loadErrors.length } : {}),
      ...withAccess,
    });
  }
  const all = ResultSet.concat(results);
  const errors = opts.errors ?? [];
  const expiredExemptions = opts.exemptions
    .filter((e) => isExpired(e, now))
    .map((e) => ({ controlId: e.controlId, reason: e.reason, expires: e.expires!, ...(e.source ? { source: e.source } : {}) }));
  return {
    schemaVersion: 1,
    tool: { name: 'hardline', version: TOOL_VERSION },
    scan: {
      id: opts.scanId,
      startedAt: opts.startedAt.toISOString(),
      finishedAt: opts.finishedAt().toISOString(),
      framework: opts.framework,
      targets,
      errors,
      expiredExemptions,
      ignoredExemptions,
    },
    results: all,
    summary: summarizeScan(all, targets, errors),
  };
}
