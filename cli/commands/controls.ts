import type { Command } from 'commander';
import { controls as catalog } from '../../shared/controls/index.js';
import type { Control } from '../../shared/controls/types.js';
import { UsageError } from '../../shared/core/errors.js';
import { FRAMEWORK_IDS, selectControls } from '../../shared/frameworks/index.js';

function refs(c: Control): string {
  const f = c.frameworks;
  return [
    f.nsa ? `NSA: ${f.nsa}` : '',
    f.cis ? `CIS EKS ${f.cis.join(', ')}` : '',
    f.pss ? `PSS ${f.pss.level}: ${f.pss.check}` : '',
    f.kubescape ? `Kubescape ${f.kubescape.join(', ')}` : '',
    f.securityHub ? `Security Hub ${f.securityHub.join(', ')}` : '',
  ]
    .filter(Boolean)
    .join(' · ');
}

export function registerControls(program: Command): void {
  program
    .command('controls')
    .description('List the control catalog with cross-references')
    .option('--framework <id>', FRAMEWORK_IDS.join(' | '), 'all')
    .option('--format <format>', 'table | json', 'table')
    .action((flags: { framework: string; format: string }) => {
      const list = selectControls(catalog, flags.framework);
      if (flags.format === 'json') {
        const out = list.map(({ check: _check, reads: _reads, requires: _requires, ...meta }) => meta);
        process.stdout.write(JSON.stringify(out, null, 2) + '\n');
        return;
      }
      if (flags.format !== 'table') throw new UsageError(`unknown format '${flags.format}' (expected table or json)`);
      const width = Math.max(...list.map((c) => c.id.length));
      for (const c of list) {
        process.stdout.write(`${c.id.padEnd(width)}  ${c.severity.padEnd(8)}  ${c.title}\n${' '.repeat(width + 12)}${refs(c)}\n`);
      }
      process.stdout.write(`\n${list.length} controls${flags.framework !== 'all' ? ` in ${flags.framework}` : ''}\n`);
    });
}
