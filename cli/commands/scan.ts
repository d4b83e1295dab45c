import { randomUUID } from 'node:crypto';
import { statSync } from 'node:fs';
import type { Command } from 'commander';
import { manifestsTargetName } from '../../shared/collectors/manifest-target.js';
import type { ManifestSources } from '../../shared/collectors/field-lines.js';
import { ManifestLoader } from '../../shared/collectors/manifests.js';
import { SourceLocations } from '../../shared/collectors/source-locations.js';
import { controls as catalog } from '../../shared/controls/index.js';
import { UsageError } from '../../shared/core/errors.js';
import { type LoadError, SEVERITIES, type Severity, SEVERITY_RANK } from '../../shared/core/types.js';
import { incompleteNote, type ScanReport } from '../../shared/engine/report.js';
import { runScan } from '../../shared/engine/scan.js';
import type { TargetInput } from '../../shared/inventory/types.js';
import { redact } from '../../shared/redaction/redact.js';
import { REPORT_FORMATS } from '../../shared/report/format.js';
import { readStdin, useColor } from '../io.js';
import { resolveOutput, writeReport } from '../output.js';
import { createProgress, silentProgress, type Progress } from '../progress.js';
import type { AwsSourceFlags } from '../sources/aws.js';
import { collectKubeTargets, type KubeSourceFlags } from '../sources/kube.js';
import { saveReport } from '../sources/store.js';
import {
  resolveConfig,
  resolveControls,
  resolveExemptions,
  resolveFailOn,
  validateSourceFlags,
  type CommonScanFlags,
} from './scan-options.js';

export interface ScanFlags extends CommonScanFlags, ManifestSourceFlags, KubeSourceFlags, AwsSourceFlags {
  format?: string;
  output?: string;
  verbose?: boolean;
  save?: boolean;
  toSecurityhub?: boolean;
  allowIncomplete?: boolean;
}

export interface ManifestSourceFlags {
  /** Names the manifests target instead of the paths' identity. */
  targetName?: string;
  /** What reports call standard input (`-`): file name in SARIF and in errors. */
  stdinName?: string;
}

export const EXIT = { OK: 0, FAILURES: 1, USAGE: 2, INCOMPLETE: 3 } as const;

export interface ScanOutcome {
  report: ScanReport;
  locations: SourceLocations;
  /** The manifests' sources (SARIF points at the offending field's line). */
  sources?: ManifestSources;
  /** Targets with something read (0 → nothing could be scanned). */
  scanned: number;
}

/**
 * A PATH that does not exist is a typo, not an empty folder: scanning on would resolve everything
 * saved for it. One that exists but cannot be read is left to the loader, which reports it.
 */
function assertPathsExist(paths: readonly string[]): void {
  const missing = paths.filter((p) => {
    if (p === '-') return false;
    try {
      statSync(p);
      return false;
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      return code === 'ENOENT' || code === 'ENOTDIR';
    }
  });
  if (missing.length > 0) throw new UsageError(`no such file or folder: ${missing.join(', ')} (nothing was scanned or saved)`);
}

/** Gathers targets from every source the flags name (manifests, kubeconfig contexts, AWS) and scans them. */
export async function scanSources(
  paths: readonly string[],
  flags: CommonScanFlags & ManifestSourceFlags & KubeSourceFlags & AwsSourceFlags,
  progress: Progress = silentProgress,
): Promise<ScanOutcome> {
  assertPathsExist(paths);
  const config = resolveConfig(flags.config);
  const controls = resolveControls(flags);
  const exemptions = await resolveExemptions(flags, config);
  const startedAt = new Date();
  const inputs: TargetInput[] = [];
  let locations = new SourceLocations();
  let errors: LoadError[] = [];
  let sources: ManifestSources | undefined;
  if (paths.length > 0) {
    const loader = new ManifestLoader();
    for (const p of paths) {
      progress.update(`reading ${p}`);
      if (p === '-') loader.addText(await readStdin(), flags.stdinName ?? 'stdin');
      else loader.addPath(p);
    }
    const name = manifestsTargetName(paths, flags.targetName !== undefined ? { override: flags.targetName } : {});
    const loaded = loader.result({ kind: 'manifests', name }, startedAt.toISOString());
    inputs.push(...loaded.targets);
    locations = loaded.locations;
    sources = loaded.sources;
    errors = loaded.errors;
  }
  // --kubeconfig alone scans that file's current context.
  if (flags.context || flags.allContexts || flags.kubeconfig) inputs.push(...(await collectKubeTargets(flags, progress)));
  // The AWS SDK clients load only for an AWS scan: a manifest scan has no use for their memory.
  if (flags.aws) inputs.push(...(await (await import('../sources/aws.js')).collectAwsTargets(flags, progress)));
  progress.update(`evaluating ${controls.length} controls on ${inputs.length} target${inputs.length === 1 ? '' : 's'}`);
  const report = runScan(inputs, {
    controls,
    exemptions,
    config,
    framework: flags.framework,
    scanId: randomUUID(),
    startedAt,
    finishedAt: () => new Date(),
    errors,
  });
  progress.done();
  // A manifests target holding nothing but load errors read nothing.
  const scanned = inputs.filter((i) => 'inventory' in i && (i.inventory.origin !== 'manifests' || i.inventory.resources.length > 0)).length;
  return { report, locations, ...(sources ? { sources } : {}), scanned };
}

export function registerScan(program: Command): void {
  program
    .command('scan')
    .description('Scan manifests, recorded snapshots, live clusters (kubeconfig) or AWS accounts')
    .argument('[paths...]', 'files or folders (recursive) of YAML/JSON manifests or snapshots; - reads stdin')
    .option('--context <name>', 'scan the live cluster of this kubeconfig context')
    .option('--all-contexts', 'scan every context of the kubeconfig, concurrently')
    .option('--kubeconfig <file>', 'kubeconfig file (default: $KUBECONFIG or ~/.kube/config)')
    .option('--aws', 'scan EKS clusters and ECR registries of the current AWS account')
    .option('--regions <list>', 'with --aws: comma-separated regions (default: the configured region)')
    .option('--org', 'with --aws: every ACTIVE account of the organisation, through --role-name')
    .option('--role-name <name>', 'with --org: the read-only role to assume in member accounts', 'hardline-read')
    .option('--external-id <id>', 'with --org: the ExternalId the member role requires')
    .option('--targets <list>', 'with --aws: only these targets, without listing the account: cluster:NAME (in each region), registry')
    .option('--framework <id>', 'nsa-cisa | cis-eks | pss-baseline | pss-restricted | all', 'all')
    .option('--controls <ids>', 'only these control ids (comma-separated, globs allowed)')
    .option('--exemptions <file>', 'exemptions file (YAML or JSON)')
    .option('--config <file>', 'configuration file (default: ./hardline.config.yaml when present)')
    .option('--format <format>', `${REPORT_FORMATS.join(' | ')} (default: from the --output extension, else table)`)
    .option('--output <file|dir/>', 'write the report to a file (its folder must exist), or one PolicyReport per file into a directory')
    .option('--fail-on <severity>', 'exit 1 when an un-exempted FAIL is at or above: critical | high | medium | low', 'low')
    .option('--allow-incomplete', 'exit 0 instead of 3 when nothing fails but not everything could be read or judged')
    .option('--stdin-name <name>', 'what reports call standard input (-), e.g. the chart it was rendered from (default: stdin)')
    .option('--target-name <name>', 'name of the manifests target (default: the paths inside their git repository, else absolute)')
    .option('--save', 'save the scan into the findings store (embedded under .hardline/ unless configured for AWS)')
    .option('--to-securityhub', 'import the findings into AWS Security Hub (BatchImportFindings)')
    .option('-v, --verbose', 'table format: also list passing results')
    .addHelpText(
      'after',
      `
Examples:
  hardline scan k8s/                                   scan every manifest below k8s/
  helm template app ./chart | hardline scan -          scan rendered manifests from stdin
  hardline scan k8s/ --framework pss-restricted --fail-on high
  hardline scan k8s/ --output hardline.sarif           SARIF, from the extension (.json .sarif .xml .html .yaml)
  hardline scan --context prod --output reports/       one PolicyReport per namespace: kubectl apply -f reports/
  hardline scan snapshot.json --format json            replay a recorded cluster snapshot
  hardline scan --context prod-eu --format json        scan a live cluster
  hardline scan --aws --regions eu-west-1,us-east-1    scan EKS and ECR settings of this account
  hardline scan --aws --targets cluster:prod,registry  just that cluster and the account's registry

Exit codes: 0 everything read, no un-exempted failure at or above --fail-on; 1 such failures;
2 usage or input error (a PATH that does not exist, nothing scannable); 3 no such failures but the
scan is incomplete (a file, folder or cluster not fully read, results UNKNOWN) — --allow-incomplete
turns 3 into 0.`,
    )
    .action(async (paths: string[], flags: ScanFlags) => {
      if (paths.length === 0 && !flags.context && !flags.allContexts && !flags.kubeconfig && !flags.aws) {
        throw new UsageError('nothing to scan: give manifest paths (or - for stdin), --kubeconfig/--context/--all-contexts or --aws');
      }
      if (flags.context && flags.allContexts) throw new UsageError('--context and --all-contexts are mutually exclusive');
      validateSourceFlags(flags);
      if (flags.targetName !== undefined && (paths.length === 0 || flags.targetName.trim() === '')) {
        throw new UsageError('--target-name names the manifests target: give it a non-empty name and manifest paths');
      }
      const failOn = resolveFailOn(flags.failOn);
      const output = resolveOutput(flags.output, flags.format);
      const { report, locations, sources, scanned } = await scanSources(paths, flags, createProgress());
      for (const e of report.scan.errors) process.stderr.write(`hardline: skipped ${e.file}${e.line ? `:${e.line}` : ''}: ${e.message}\n`);
      for (const e of report.scan.ignoredExemptions ?? [])
        process.stderr.write(redact(`hardline: exemption not applied: ${e.source}${e.controlId ? ` ${e.controlId}` : ''}: ${e.problem}\n`));
      for (const t of report.scan.targets.filter((t) => t.status !== 'OK')) {
        process.stderr.write(`hardline: target ${t.name}: ${t.status}${t.reason ? ` — ${t.reason}` : ''}\n`);
      }
      await writeReport(report, output.format, output.target, {
        controls: catalog,
        locations,
        ...(sources ? { sources } : {}),
        color: useColor(Boolean(flags.output)),
        ...(flags.verbose ? { verbose: true } : {}),
      });
      if (flags.save && scanned > 0) process.stderr.write(`hardline: ${await saveReport(report)}\n`);
      if (flags.toSecurityhub && scanned > 0) {
        const { importToSecurityHub } = await import('../sources/securityhub.js');
        process.stderr.write(`hardline: ${await importToSecurityHub(report)}\n`);
      }
      process.exitCode = exitCodeOf(report, scanned, failOn, flags.allowIncomplete === true);
    });
}

/** Whether an un-exempted FAIL is at or above the threshold, read from the summary's counts (no result is built). */
function failsAtOrAbove(report: ScanReport, threshold: Severity): boolean {
  return SEVERITIES.some((s) => SEVERITY_RANK[s] >= SEVERITY_RANK[threshold] && report.summary.bySeverity[s] > 0);
}

/**
 * 1 when something fails at or above --fail-on (it wins: it is certain); else 3 when the scan did
 * not see or judge everything, so "nothing failed" is not an all-clear; 2 when nothing at all
 * could be read and no target even failed (only unloadable files).
 */
function exitCodeOf(report: ScanReport, scanned: number, failOn: Severity, allowIncomplete: boolean): number {
  if (scanned === 0 && report.scan.targets.every((t) => t.status !== 'ERROR' && t.status !== 'UNKNOWN')) {
    process.stderr.write('hardline: nothing could be scanned\n');
    return EXIT.USAGE;
  }
  if (failsAtOrAbove(report, failOn)) return EXIT.FAILURES;
  if (report.summary.complete || allowIncomplete) return EXIT.OK;
  const note = incompleteNote(report);
  process.stderr.write(`hardline: ${note ?? 'incomplete'}: exit 3 (--allow-incomplete accepts it)\n`);
  return EXIT.INCOMPLETE;
}
