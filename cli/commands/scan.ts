import type { Command } from 'commander';
import { ManifestLoader } from '../../shared/collectors/manifests.js';
import { controls as catalog } from '../../shared/controls/index.js';
import { runScan, type TargetInput } from '../../shared/engine/scan.js';
import { UsageError } from '../../shared/errors.js';
import { formatReport, REPORT_FORMATS } from '../../shared/report/format.js';
import { failuresAtOrAbove, type ScanReport } from '../../shared/report/model.js';
import { readStdin, useColor, writeOutput } from '../io.js';
import { resolveConfig, resolveControls, resolveExemptions, resolveFailOn, type CommonScanFlags } from './scan-options.js';

export interface ScanFlags extends CommonScanFlags {
  format: string;
  output?: string;
  verbose?: boolean;
}

export const EXIT = { OK: 0, FAILURES: 1, USAGE: 2 } as const;

export interface ManifestScan {
  report: ScanReport;
  locations: ReturnType<ManifestLoader['result']>['locations'];
  scanned: number;
}

/** Loads manifest paths (and `-` for stdin) and scans them. Shared by `scan` and the demo. */
export async function scanManifestPaths(paths: readonly string[], flags: CommonScanFlags): Promise<ManifestScan> {
  const config = resolveConfig(flags.config);
  const controls = resolveControls(flags);
  const exemptions = resolveExemptions(flags, config);
  const startedAt = new Date();
  const loader = new ManifestLoader();
  for (const p of paths) {
    if (p === '-') loader.addText(await readStdin(), '-');
    else loader.addPath(p);
  }
  const name = paths.length === 1 ? (paths[0] === '-' ? 'stdin' : paths[0]!) : 'manifests';
  const loaded = loader.result({ kind: 'manifests', name }, startedAt.toISOString());
  const inputs: TargetInput[] = loaded.inventories.map((inventory) => ({ inventory }));
  const report = runScan(inputs, { controls, exemptions, config, framework: flags.framework, startedAt, errors: loaded.errors });
  return { report, locations: loaded.locations, scanned: loaded.inventories.length };
}

export function registerScan(program: Command): void {
  program
    .command('scan')
    .description('Scan manifests, recorded snapshots (and, with later options, live clusters and AWS accounts)')
    .argument('[paths...]', 'files or folders (recursive) of YAML/JSON manifests or snapshots; - reads stdin')
    .option('--framework <id>', 'nsa-cisa | cis-eks | pss-baseline | pss-restricted | all', 'all')
    .option('--controls <ids>', 'only these control ids (comma-separated, globs allowed)')
    .option('--exemptions <file>', 'exemptions file (YAML or JSON)')
    .option('--config <file>', 'configuration file (default: ./hardline.config.yaml when present)')
    .option('--format <format>', REPORT_FORMATS.join(' | '), 'table')
    .option('--output <file>', 'write the report to a file instead of stdout')
    .option('--fail-on <severity>', 'exit 1 when an un-exempted FAIL is at or above: critical | high | medium | low', 'low')
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

Exit codes: 0 no un-exempted failure at or above --fail-on; 1 such failures; 2 usage or input error.`,
    )
    .action(async (paths: string[], flags: ScanFlags) => {
      if (paths.length === 0) throw new UsageError('nothing to scan: give manifest paths (or - for stdin)');
      const failOn = resolveFailOn(flags.failOn);
      const { report, locations, scanned } = await scanManifestPaths(paths, flags);
      for (const e of report.scan.errors) process.stderr.write(`hardline: skipped ${e.file}${e.line ? `:${e.line}` : ''}: ${e.message}\n`);
      if (scanned === 0) {
        process.stderr.write('hardline: nothing could be scanned (no readable Kubernetes objects)\n');
        process.exitCode = EXIT.USAGE;
        if (flags.format !== 'table') writeOutput(formatReport(report, flags.format, { controls: catalog, locations }), flags.output);
        return;
      }
      const text = formatReport(report, flags.format, {
        controls: catalog,
        locations,
        color: useColor(Boolean(flags.output)),
        ...(flags.verbose ? { verbose: true } : {}),
      });
      writeOutput(text, flags.output);
      if (flags.output) process.stderr.write(`hardline: wrote ${flags.format} report to ${flags.output}\n`);
      process.exitCode = failuresAtOrAbove(report.results, failOn).length > 0 ? EXIT.FAILURES : EXIT.OK;
    });
}
