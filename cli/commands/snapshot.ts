import type { Command } from 'commander';
import { UsageError } from '../../shared/core/errors.js';
import {
  type Inventory,
  type InventorySnapshot,
  SNAPSHOT_API_VERSION,
  SNAPSHOT_KIND,
  type TargetInput,
} from '../../shared/inventory/types.js';
import { writeOutput } from '../io.js';
import { assertOutputFolder } from '../output.js';
import { createProgress, type Progress } from '../progress.js';
import type { AwsSourceFlags } from '../sources/aws.js';
import { collectKubeTargets, type KubeSourceFlags } from '../sources/kube.js';
import { EXIT } from './scan.js';

export interface SnapshotFlags extends KubeSourceFlags, AwsSourceFlags {
  output?: string;
  pretty?: boolean;
}

export function toSnapshot(inventory: Inventory): InventorySnapshot {
  return { apiVersion: SNAPSHOT_API_VERSION, kind: SNAPSHOT_KIND, ...inventory };
}

/** Collects the targets the flags name; the current kubeconfig context when none is named. */
export async function collectSnapshotTargets(flags: SnapshotFlags, progress: Progress): Promise<TargetInput[]> {
  const inputs: TargetInput[] = [];
  const wantsKube = Boolean(flags.context || flags.allContexts || flags.kubeconfig || !flags.aws);
  if (wantsKube) inputs.push(...(await collectKubeTargets(flags, progress)));
  if (flags.aws) inputs.push(...(await (await import('../sources/aws.js')).collectAwsTargets(flags, progress)));
  progress.done();
  return inputs;
}

export function registerSnapshot(program: Command): void {
  program
    .command('snapshot')
    .description('Record live clusters (kubeconfig) or AWS accounts as an inventory file that `hardline scan FILE` replays')
    .option('--context <name>', 'the kubeconfig context to record (default: the current context)')
    .option('--all-contexts', 'record every context of the kubeconfig (a JSON array of snapshots)')
    .option('--kubeconfig <file>', 'kubeconfig file (default: $KUBECONFIG or ~/.kube/config)')
    .option('--aws', 'record EKS clusters and ECR registries of the current AWS account')
    .option('--regions <list>', 'with --aws: comma-separated regions (default: the configured region)')
    .option('--org', 'with --aws: every ACTIVE account of the organisation, through --role-name')
    .option('--role-name <name>', 'with --org: the read-only role to assume in member accounts', 'hardline-read')
    .option('--external-id <id>', 'with --org: the ExternalId the member role requires')
    .option('--output <file>', 'write the snapshot to a file instead of stdout (its folder must exist)')
    .option('--pretty', 'indent the JSON (larger, easier to read and diff)')
    .addHelpText(
      'after',
      `
Examples:
  hardline snapshot --context prod-eu > prod-eu.json     record one cluster
  hardline scan prod-eu.json --format json              scan the recording offline
  hardline snapshot --all-contexts --output fleet.json  every context, one file

A snapshot holds what the scan reads (no Secrets, no managedFields); ConfigMap data is included.
Exit codes: 0 recorded; 2 usage error or nothing could be recorded.`,
    )
    .action(async (flags: SnapshotFlags) => {
      if (flags.context && flags.allContexts) throw new UsageError('--context and --all-contexts are mutually exclusive');
      if (flags.output !== undefined) assertOutputFolder(flags.output);
      const inputs = await collectSnapshotTargets(flags, createProgress());
      const snapshots: InventorySnapshot[] = [];
      for (const input of inputs) {
        if ('inventory' in input) {
          snapshots.push(toSnapshot(input.inventory));
          const gaps = input.inventory.gaps.length;
          if (gaps > 0)
            process.stderr.write(
              `hardline: ${input.inventory.target.name}: ${gaps} data source${gaps === 1 ? '' : 's'} could not be read (recorded as gaps)\n`,
            );
        } else {
          process.stderr.write(`hardline: target ${input.target.name}: ${input.failure.status} — ${input.failure.reason}\n`);
        }
      }
      if (snapshots.length === 0) {
        process.stderr.write('hardline: nothing could be recorded\n');
        process.exitCode = EXIT.USAGE;
        return;
      }
      const doc = snapshots.length === 1 && !flags.allContexts ? snapshots[0] : snapshots;
      writeOutput(JSON.stringify(doc, null, flags.pretty ? 2 : undefined) + '\n', flags.output);
      if (flags.output)
        process.stderr.write(`hardline: wrote ${snapshots.length} snapshot${snapshots.length === 1 ? '' : 's'} to ${flags.output}\n`);
      process.exitCode = EXIT.OK;
    });
}
