import type { Command } from 'commander';
import { decodeCursor, encodeCursor, queryDigest } from '../../shared/api/cursor.js';
import { findFinding, SHORT_ID_LENGTH } from '../../shared/api/finding-lookup.js';
import { parseFindingsQuery } from '../../shared/api/params.js';
import { isHardlineError, UsageError, ValidationError } from '../../shared/core/errors.js';
import { describeLocation, embeddedStoreExists, storeLocation } from '../../shared/store/location.js';
import type { OpenStoreOptions } from '../../shared/store/open.js';
import type { FindingView } from '../../shared/store/query.js';
import { writeOutput } from '../io.js';
import { localStoreSecrets } from '../sources/store-secrets.js';
import { findingDetail } from './finding-detail.js';

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

/** The table; an EXEMPTED BY column (the exemption's source: default, file:…, store:…, annotation:…) when a row is exempted. */
export function findingsTable(items: readonly FindingView[]): string {
  if (items.length === 0) return 'no findings match\n';
  const exemptions = items.some((f) => f.exempted);
  const rows = items.map((f) => {
    const r = f.resource;
    const resource = `${r.kind}/${r.namespace ? `${r.namespace}/` : ''}${r.name}${r.container ? `:${r.container}` : ''}`;
    const row = [f.severity.toUpperCase(), f.state, f.controlId, f.target.name, resource, f.message, f.findingId.slice(0, SHORT_ID_LENGTH)];
    return exemptions ? [...row, f.exempted?.source ?? ''] : row;
  });
  const widths = [8, 8, 34, 20, 40, 60, 12, 40];
  const head = ['SEVERITY', 'STATE', 'CONTROL', 'CLUSTER', 'RESOURCE', 'MESSAGE', 'ID', ...(exemptions ? ['EXEMPTED BY'] : [])];
  return (
    [head, ...rows]
      .map((row) =>
        row
          .map((c, i) => cell(c, widths[i]!))
          .join(' ')
          .trimEnd(),
      )
      .join('\n') + '\n'
  );
}

const FILTER_FLAGS = ['state', 'severity', 'control', 'cluster', 'account', 'region', 'namespace', 'cursor'] as const;

/** `hardline findings show ID`: one finding by its full or 12-character short id, as GET /findings/{id}. */
export async function showFinding(id: string, format: string, storeOptions: OpenStoreOptions = {}): Promise<string> {
  const opened = await openExistingStore(storeOptions);
  try {
    const found = await findFinding(opened.store, id).catch((e: unknown) => {
      throw isHardlineError(e) && (e.code === 'VALIDATION' || e.code === 'NOT_FOUND') ? new UsageError(e.message) : e;
    });
    return format === 'json' ? JSON.stringify(found, null, 2) + '\n' : findingDetail(found);
  } finally {
    await opened.close();
  }
}

async function openExistingStore(storeOptions: OpenStoreOptions) {
  const loc = storeLocation(storeOptions.env, storeOptions.cwd);
  if (loc.kind === 'embedded' && !embeddedStoreExists(loc)) {
    throw new UsageError(
      `no findings store yet (${describeLocation(loc, storeOptions.cwd)}): save a scan first with \`hardline scan PATH --save\` or \`npm start\``,
    );
  }
  const { openStore } = await import('../../shared/store/open.js');
  return openStore(storeOptions);
}

/** `hardline findings`: the same query, validation and pagination as GET /findings, without HTTP. */
export async function listFindings(flags: FindingsFlags, storeOptions: OpenStoreOptions = {}): Promise<{ text: string; count: number }> {
  if (flags.format !== 'table' && flags.format !== 'json') throw new UsageError(`--format must be table or json (got '${flags.format}')`);
  const query: Record<string, string> = { limit: flags.limit };
  for (const k of FILTER_FLAGS) {
    const v = flags[k];
    if (v !== undefined) query[k] = v;
  }
  let parsed: ReturnType<typeof parseFindingsQuery>;
  try {
    parsed = parseFindingsQuery(query);
  } catch (e) {
    throw e instanceof ValidationError ? new UsageError(`--${e.message}`) : e;
  }
  const digest = queryDigest('findings', { ...parsed.filter });
  const opened = await openExistingStore(storeOptions);
  try {
    // Page tokens are signed with the store's own key, like the API's: one printed here works with --cursor.
    const { cursorKey } = localStoreSecrets(opened.location, storeOptions.cwd);
    let position: ReturnType<typeof decodeCursor> | undefined;
    try {
      position = parsed.paging.cursor ? decodeCursor(parsed.paging.cursor, digest, cursorKey) : undefined;
    } catch (e) {
      throw e instanceof ValidationError ? new UsageError(`--${e.message}`) : e;
    }
    const items: FindingView[] = [];
    let next: string | undefined;
    do {
      const page = await opened.store.findings(parsed.filter, { limit: parsed.paging.limit, ...(position ? { position } : {}) });
      items.push(...page.items);
      position = page.next;
      next = page.next ? encodeCursor(page.next, digest, cursorKey) : undefined;
    } while (flags.all && position);
    if (flags.format === 'json')
      return {
        text: JSON.stringify(next ? { items, count: items.length, nextCursor: next } : { items, count: items.length }, null, 2) + '\n',
        count: items.length,
      };
    const more = next ? `more: add --cursor ${next} (or --all)\n` : '';
    return {
      text:
        findingsTable(items) +
        `${items.length} finding${items.length === 1 ? '' : 's'} from ${describeLocation(opened.location, storeOptions.cwd)}\n` +
        more,
      count: items.length,
    };
  } finally {
    await opened.close();
  }
}

export function registerFindings(program: Command): void {
  const findings = program
    .command('findings')
    .description(
      'List stored findings (what `scan --save` and the service recorded), open and most severe first; `findings show ID` shows one',
    )
    .argument('[id]', 'same as `findings show ID`')
    // `findings show ID --format json`: options after `show` are its own.
    .enablePositionalOptions()
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
    .addHelpText(
      'after',
      '\nExamples:\n  hardline findings --severity high --state open\n  hardline findings --control workload.privileged --format json --all\n  hardline findings show 3f2a9c41d0b7   one finding: evidence, exemption and its source, history',
    )
    .action(async (id: string | undefined, flags: FindingsFlags) => {
      if (id !== undefined) {
        const filters: string[] = [...FILTER_FLAGS.filter((k) => flags[k] !== undefined), ...(flags.all ? ['all'] : [])];
        if (filters.length > 0) throw new UsageError(`an id names one finding: drop --${filters.join(', --')}`);
        writeOutput(await showFinding(id, checkedFormat(flags.format)));
        return;
      }
      const { text } = await listFindings(flags);
      writeOutput(text);
    });
  findings
    .command('show')
    .description(
      'One finding by its full id or the 12-character short id the table prints: details, evidence, exemption and its source, history of states with scan ids and times',
    )
    .argument('<id>', 'full or short finding id')
    .option('--format <format>', 'table | json (as GET /findings/{id})', 'table')
    .action(async (id: string, flags: { format: string }) => {
      writeOutput(await showFinding(id, checkedFormat(flags.format)));
    });
}

function checkedFormat(format: string): string {
  if (format !== 'table' && format !== 'json') throw new UsageError(`--format must be table or json (got '${format}')`);
  return format;
}
