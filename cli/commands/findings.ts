import type { Command } from 'commander';
import { decodeCursor, encodeCursor, queryDigest } from '../../shared/api/cursor.js';
import { parseFindingsQuery } from '../../shared/api/params.js';
import { UsageError, ValidationError } from '../../shared/errors.js';
import { describeLocation, embeddedStoreExists, storeLocation } from '../../shared/store/location.js';
import type { OpenStoreOptions } from '../../shared/store/open.js';
import type { FindingView } from '../../shared/store/query.js';
import { writeOutput } from '../io.js';

export interface FindingsFlags {
  state?: string;
  severity?: string;
  control?: string;
  cluster?: string;
  account?: string;
  region?: string;
  namespace?: string;
  limit: string;
  cursor?: string;
  all?: boolean;
  format: string;
}

function cell(s: string, width: number): string {
  return s.length > width ? `${s.slice(0, width - 1)}…` : s.padEnd(width);
}

export function findingsTable(items: readonly FindingView[]): string {
  if (items.length === 0) return 'no findings match\n';
  const rows = items.map((f) => {
    const r = f.resource;
    const resource = `${r.kind}/${r.namespace ? `${r.namespace}/` : ''}${r.name}${r.container ? `:${r.container}` : ''}`;
    return [f.severity.toUpperCase(), f.state, f.controlId, f.target.name, resource, f.message, f.findingId.slice(0, 12)];
  });
  const widths = [8, 8, 34, 20, 40, 60, 12];
  const head = ['SEVERITY', 'STATE', 'CONTROL', 'CLUSTER', 'RESOURCE', 'MESSAGE', 'ID'];
  return [head, ...rows].map((row) => row.map((c, i) => cell(c, widths[i]!)).join(' ').trimEnd()).join('\n') + '\n';
}

/** `hardline findings`: the same query, validation and pagination as GET /findings, without HTTP. */
export async function listFindings(flags: FindingsFlags, storeOptions: OpenStoreOptions = {}): Promise<{ text: string; count: number }> {
  if (flags.format !== 'table' && flags.format !== 'json') throw new UsageError(`--format must be table or json (got '${flags.format}')`);
  const query: Record<string, string> = { limit: flags.limit };
  for (const k of ['state', 'severity', 'control', 'cluster', 'account', 'region', 'namespace', 'cursor'] as const) {
    const v = flags[k];
    if (v !== undefined) query[k] = v;
  }
  let parsed: ReturnType<typeof parseFindingsQuery>;
  try {
    parsed = parseFindingsQuery(query);
  } catch (e) {
    throw e instanceof ValidationError ? new UsageError(`--${e.message}`) : e;
  }
  const loc = storeLocation(storeOptions.env, storeOptions.cwd);
  if (loc.kind === 'embedded' && !embeddedStoreExists(loc)) {
    throw new UsageError(`no findings store yet (${describeLocation(loc, storeOptions.cwd)}): save a scan first with \`hardline scan PATH --save\` or \`npm start\``);
  }
  const digest = queryDigest('findings', { ...parsed.filter });
  const { openStore } = await import('../../shared/store/open.js');
  const opened = await openStore(storeOptions);
  try {
    const items: FindingView[] = [];
    let position = parsed.paging.cursor ? decodeCursor(parsed.paging.cursor, digest) : undefined;
    let next: string | undefined;
    do {
      const page = await opened.store.findings(parsed.filter, { limit: parsed.paging.limit, ...(position ? { position } : {}) });
      items.push(...page.items);
      position = page.next;
      next = page.next ? encodeCursor(page.next, digest) : undefined;
    } while (flags.all && position);
    if (flags.format === 'json') return { text: JSON.stringify(next ? { items, count: items.length, nextCursor: next } : { items, count: items.length }, null, 2) + '\n', count: items.length };
    const more = next ? `more: add --cursor ${next} (or --all)\n` : '';
    return { text: findingsTable(items) + `${items.length} finding${items.length === 1 ? '' : 's'} from ${describeLocation(opened.location, storeOptions.cwd)}\n` + more, count: items.length };
  } finally {
    await opened.close();
  }
}

export function registerFindings(program: Command): void {
  program
    .command('findings')
    .description('List stored findings (what `scan --save` and the service recorded), open and most severe first')
    .option('--state <states>', 'open | exempted | resolved (comma-separated)')
    .option('--severity <severities>', 'critical | high | medium | low | info (comma-separated)')
    .option('--control <ids>', 'control ids (comma-separated)')
    .option('--cluster <names>', 'cluster (target) names (comma-separated)')
    .option('--account <ids>', 'AWS account ids')
    .option('--region <regions>', 'AWS regions')
    .option('--namespace <names>', 'Kubernetes namespaces')
    .option('--limit <n>', 'findings per page (1-500)', '50')
    .option('--cursor <token>', 'continue after the page that printed this token')
    .option('--all', 'every page')
    .option('--format <format>', 'table | json', 'table')
    .addHelpText('after', '\nExamples:\n  hardline findings --severity high --state open\n  hardline findings --control workload.privileged --format json --all')
    .action(async (flags: FindingsFlags) => {
      const { text } = await listFindings(flags);
      writeOutput(text);
    });
}
