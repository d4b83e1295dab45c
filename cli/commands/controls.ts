import type { Command } from 'commander';
import { controls as catalog } from '../../shared/controls/index.js';
import { matchSentence } from '../../shared/controls/match.js';
import type { Control } from '../../shared/controls/types.js';
import { UsageError } from '../../shared/core/errors.js';
import { FRAMEWORK_IDS, frameworks, selectControls } from '../../shared/frameworks/index.js';

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

/** The frameworks whose control lists name this control. */
const memberOf = (id: string) => frameworks.filter((f) => f.controls.includes(id)).map((f) => f.id);

export function registerControls(program: Command): void {
  program
    .command('controls')
    .description('List the control catalog with cross-references and how close each one is to hardline’s verdict')
    .option('--framework <id>', FRAMEWORK_IDS.join(' | '), 'all')
    .option('--format <format>', 'table | json', 'table')
    .action((flags: { framework: string; format: string }) => {
      const list = selectControls(catalog, flags.framework);
      if (flags.format === 'json') {
        const out = list.map(({ check: _check, reads: _reads, requires: _requires, ...meta }) => ({
          ...meta,
          memberOf: memberOf(meta.id),
        }));
        process.stdout.write(JSON.stringify(out, null, 2) + '\n');
        return;
      }
      if (flags.format !== 'table') throw new UsageError(`unknown format '${flags.format}' (expected table or json)`);
      const width = Math.max(...list.map((c) => c.id.length));
      const indent = ' '.repeat(width + 12);
      for (const c of list) {
        const lines = [`${c.id.padEnd(width)}  ${c.severity.padEnd(8)}  ${c.title}`, `${indent}${refs(c) || 'no cross-references'}`];
        for (const m of c.match) lines.push(`${indent}  ${matchSentence(m)}`);
        process.stdout.write(lines.join('\n') + '\n');
      }
      process.stdout.write(`\n${list.length} controls${flags.framework !== 'all' ? ` in ${flags.framework}` : ''}\n`);
    });
}
