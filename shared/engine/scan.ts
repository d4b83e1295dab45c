import { randomUUID } from 'node:crypto';
import type { LoadError } from '../collectors/manifests.js';
import type { HardlineConfig } from '../config.js';
import type { Control } from '../controls/types.js';
import type { Inventory, Target } from '../inventory/types.js';
import { kubernetesAccessOf } from '../onboarding/access.js';
import type { OnboardingGuide } from '../onboarding/commands.js';
import { summarize, type ScanReport, type TargetReport } from '../report/model.js';
import { TOOL_VERSION } from '../version.js';
import { evaluate } from './evaluate.js';
import { isExpired } from './exemptions.js';
import type { Exemption, Result } from './types.js';

/** One target to report: its inventory, or why there is none (a dead API server, a denied AssumeRole). */
export type TargetInput =
  | { inventory: Inventory }
  | { target: Target; failure: { status: 'UNKNOWN' | 'ERROR'; reason: string } };

export interface ScanOptions {
  controls: readonly Control[];
  exemptions: readonly Exemption[];
  config: HardlineConfig;
  framework: string;
  startedAt: Date;
  /** The scan's clock for exemption expiry and support dates; defaults to startedAt. */
  now?: Date;
  scanId?: string;
  errors?: LoadError[];
  finishedAt?: () => Date;
  /** How AWS clusters are onboarded: the onboarding step of an unreadable cluster names it (default readers-group). */
  onboarding?: OnboardingGuide;
}

export function targetStatus(inv: Inventory): Pick<TargetReport, 'status' | 'reason'> {
  if (inv.gaps.length === 0) return { status: 'OK' };
  const sources = [...new Set(inv.gaps.map((g) => g.source))];
  return { status: 'PARTIAL', reason: `could not read ${sources.slice(0, 5).join(', ')}${sources.length > 5 ? ', …' : ''}` };
}

/** Evaluates every target and assembles the report of the JSON contract. */
export function runScan(inputs: readonly TargetInput[], opts: ScanOptions): ScanReport {
  const now = opts.now ?? opts.startedAt;
  const results: Result[] = [];
  const targets: TargetReport[] = [];
  const guide = opts.onboarding ?? { mode: 'readers-group' };
  for (const input of inputs) {
    const access = kubernetesAccessOf(input, guide);
    const withAccess = access ? { kubernetesAccess: access } : {};
    if ('failure' in input) {
      targets.push({ ...input.target, status: input.failure.status, reason: input.failure.reason, resources: 0, gaps: 0, ...withAccess });
      continue;
    }
    const inv = input.inventory;
    for (const r of evaluate(inv, opts.controls, opts.exemptions, { config: opts.config, now })) results.push(r);
    targets.push({ ...inv.target, ...targetStatus(inv), resources: inv.resources.length, gaps: inv.gaps.length, ...withAccess });
  }
  const expiredExemptions = opts.exemptions
    .filter((e) => isExpired(e, now))
    .map((e) => ({ controlId: e.controlId, reason: e.reason, expires: e.expires!, ...(e.source ? { source: e.source } : {}) }));
  return {
    schemaVersion: 1,
    tool: { name: 'hardline', version: TOOL_VERSION },
    scan: {
      id: opts.scanId ?? randomUUID(),
      startedAt: opts.startedAt.toISOString(),
      finishedAt: (opts.finishedAt?.() ?? new Date()).toISOString(),
      framework: opts.framework,
      targets,
      errors: opts.errors ?? [],
      expiredExemptions,
    },
    results,
    summary: summarize(results),
  };
}
