import { relative } from 'node:path';
import type { Command } from 'commander';
import { ManifestLoader, type SourceLocation } from '../../shared/collectors/manifests.js';
import { controls as catalog } from '../../shared/controls/index.js';
import { runScan, type TargetInput } from '../../shared/engine/scan.js';
import { UsageError } from '../../shared/errors.js';
import { redact } from '../../shared/findings/redact.js';
import { formatReport, REPORT_FORMATS } from '../../shared/report/format.js';
import { failuresAtOrAbove, type ScanReport } from '../../shared/report/model.js';
import { readStdin, useColor, writeOutput } from '../io.js';
import { createProgress, silentProgress, type Progress } from '../progress.js';
import { collectAwsTargets, type AwsSourceFlags } from '../sources/aws.js';
import { collectKubeTargets, type KubeSourceFlags } from '../sources/kube.js';
import { importToSecurityHub } from '../sources/securityhub.js';
import { saveReport } from '../sources/store.js';
import { resolveConfig, resolveControls, resolveExemptions, resolveFailOn, type CommonScanFlags } from './scan-options.js';

export interface ScanFlags extends CommonScanFlags, KubeSourceFlags, AwsSourceFlags {
  format: string;
  output?: string;
  verbose?: boolean;
  save?: boolean;
  toSecurityhub?: boolean;
}

export const EXIT = { OK: 0, FAILURES: 1, USAGE: 2 } as const;

export interface ScanOutcome {
  report: ScanReport;
  locations: Map<string, SourceLocation>;
  /** Targets that produced an inventory (0 → nothing could be scanned). */
  scanned: number;
}

/** Gathers targets from every source the flags name (manifests, kubeconfig contexts, AWS) and scans them. */
export async function scanSources(paths: readonly string[], flags: CommonScanFlags & KubeSourceFlags & AwsSourceFlags, progress: Progress = silentProgress): Promise<ScanOutcome> {
  const config = resolveConfig(flags.config);
  const controls = resolveControls(flags);
  const exemptions = await resolveExemptions(flags, config);
  const startedAt = new Date();
  const inputs: TargetInput[] = [];
  let locations = new Map<string, SourceLocation>();
  let errors: ReturnType<ManifestLoader['result']>['errors'] = [];
  if (paths.length > 0) {
    const loader = new ManifestLoader();
    for (const p of paths) {
      progress.update(`reading ${p}`);
      if (p === '-') loader.addText(await readStdin(), '-');
      else loader.addPath(p);
    }
    const name = paths.length === 1 ? (paths[0] === '-' ? 'stdin' : relative(process.cwd(), paths[0]!) || '.') : 'manifests';
    const loaded = loader.result({ kind: 'manifests', name }, startedAt.toISOString());
    inputs.push(...loaded.inventories.map((inventory) => ({ inventory })));
    locations = loaded.locations;
    errors = loaded.errors;
  }
  // --kubeconfig alone scans that file's current context.
  if (flags.context || flags.allContexts || flags.kubeconfig) inputs.push(...(await collectKubeTargets(flags, progress)));
  if (flags.aws) inputs.push(...(await collectAwsTargets(flags, progress)));
  progress.update(`evaluating ${controls.length} controls on ${inputs.length} target${inputs.length === 1 ? '' : 's'}`);
  const report = runScan(inputs, { controls, exemptions, config, framework: flags.framework, startedAt, errors });
  progress.done();
  return { report, locations, scanned: inputs.filter((i) => 'inventory' in i).length };
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
    .option('--framework <id>', 'nsa-cisa | cis-eks | pss-baseline | pss-restricted | all', 'all')
    .option('--controls <ids>', 'only these control ids (comma-separated, globs allowed)')
    .option('--exemptions <file>', 'exemptions file (YAML or JSON)')
    .option('--config <file>', 'configuration file (default: ./hardline.config.yaml when present)')
    .option('--format <format>', REPORT_FORMATS.join(' | '), 'table')
    .option('--output <file>', 'write the report to a file instead of stdout')
    .option('--fail-on <severity>', 'exit 1 when an un-exempted FAIL is at or above: critical | high | medium | low', 'low')
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
  hardline scan k8s/ --format sarif --output hardline.sarif
  hardline scan snapshot.json --format json            replay a recorded cluster snapshot
  hardline scan --context prod-eu --format json        scan a live cluster
  hardline scan --aws --regions eu-west-1,us-east-1    scan EKS and ECR settings of this account

Exit codes: 0 no un-exempted failure at or above --fail-on; 1 such failures; 2 usage or input error.`,
    )
    .action(async (paths: string[], flags: ScanFlags) => {
      if (paths.length === 0 && !flags.context && !flags.allContexts && !flags.kubeconfig && !flags.aws) {
        throw new UsageError('nothing to scan: give manifest paths (or - for stdin), --kubeconfig/--context/--all-contexts or --aws');
      }
      if (flags.context && flags.allContexts) throw new UsageError('--context and --all-contexts are mutually exclusive');
      const failOn = resolveFailOn(flags.failOn);
      if (!(REPORT_FORMATS as readonly string[]).includes(flags.format)) {
        throw new UsageError(`unknown format '${flags.format}' (expected one of ${REPORT_FORMATS.join(', ')})`);
      }
      const { report, locations, scanned } = await scanSources(paths, flags, createProgress());
      for (const e of report.scan.errors) process.stderr.write(`hardline: skipped ${e.file}${e.line ? `:${e.line}` : ''}: ${e.message}\n`);
      for (const e of report.scan.ignoredExemptions ?? []) process.stderr.write(redact(`hardline: exemption not applied: ${e.source}${e.controlId ? ` ${e.controlId}` : ''}: ${e.problem}\n`));
      for (const t of report.scan.targets.filter((t) => t.status === 'ERROR' || t.status === 'UNKNOWN')) {
        process.stderr.write(`hardline: target ${t.name}: ${t.status}${t.reason ? ` — ${t.reason}` : ''}\n`);
      }
      const text = formatReport(report, flags.format, {
        controls: catalog,
        locations,
        color: useColor(Boolean(flags.output)),
        ...(flags.verbose ? { verbose: true } : {}),
      });
      writeOutput(text, flags.output);
      if (flags.output) process.stderr.write(`hardline: wrote ${flags.format} report to ${flags.output}\n`);
      if (flags.save && scanned > 0) process.stderr.write(`hardline: ${await saveReport(report)}\n`);
      if (flags.toSecurityhub && scanned > 0) process.stderr.write(`hardline: ${await importToSecurityHub(report)}\n`);
      if (scanned === 0) {
        process.stderr.write('hardline: nothing could be scanned\n');
        process.exitCode = EXIT.USAGE;
        return;
      }
      process.exitCode = failuresAtOrAbove(report.results, failOn).length > 0 ? EXIT.FAILURES : EXIT.OK;
    });
}
