import type { ScanReport } from '../engine/report.js';
import type { Exemption } from '../engine/types.js';
import type { StoreContext } from './client.js';
import { fleetCoverage, type FleetCoverage } from './coverage.js';
import { deleteExemption, exemptionsForScan, getExemption, listExemptions, putExemption, type StoredExemption } from './exemptions.js';
import type { Page, PageRequest } from './paginate.js';
import {
  allTargets,
  findingIdsByPrefix,
  getFinding,
  getScan,
  queryFindings,
  queryScanEvents,
  queryTargets,
  type FindingFilter,
  type FindingView,
  type FindingWithHistory,
  type TargetFilter,
  type TargetView,
} from './query.js';
import { saveScan, type SaveOptions, type SaveOutcome } from './save.js';
import { summarize, type StoreSummary } from './summary.js';
import { queryChanges, queryTrends, type ChangeView, type Trends } from './trends.js';

export interface FindingsStoreOptions {
  now?: () => Date;
  /** Called after exemptions change (the embedded store records whether a scan must read them). */
  onExemptionsChanged?: (count: number) => void;
}

/** The repository over the single table: what the API, the CLI and the pipeline call. */
export class FindingsStore {
  private readonly now: () => Date;

  constructor(
    readonly ctx: StoreContext,
    private readonly options: FindingsStoreOptions = {},
  ) {
    this.now = options.now ?? (() => new Date());
  }

  saveScan(report: ScanReport, opts: SaveOptions = {}): Promise<SaveOutcome> {
    return saveScan(this.ctx, report, { now: this.now, ...opts });
  }

  findings(filter: FindingFilter, page: PageRequest): Promise<Page<FindingView>> {
    return queryFindings(this.ctx, filter, page);
  }

  finding(id: string): Promise<FindingWithHistory | undefined> {
    return getFinding(this.ctx, id);
  }

  /** Full ids starting with a prefix (a short id): one id, several (ambiguous) or none. */
  findingIdsByPrefix(prefix: string, limit = 10): Promise<string[]> {
    return findingIdsByPrefix(this.ctx, prefix, limit);
  }

  targets(filter: TargetFilter, page: PageRequest): Promise<Page<TargetView>> {
    return queryTargets(this.ctx, filter, page);
  }

  summary(filter: TargetFilter = {}): Promise<StoreSummary> {
    return summarize(this.ctx, filter);
  }

  /** Opened/resolved per day over the last `days` days and the open count each day ended with. */
  async trends(days: number, now = this.now()): Promise<Trends> {
    const { bySeverity } = await summarize(this.ctx);
    return queryTrends(this.ctx, days, now, bySeverity);
  }

  /** The newest history events of the last `days` days, across the fleet. */
  changes(limit: number, days: number, now = this.now()): Promise<ChangeView[]> {
    return queryChanges(this.ctx, limit, days, now);
  }

  /** Fleet coverage over the matching target markers (GET /clusters carries it next to the page). */
  async coverage(filter: TargetFilter = {}): Promise<Omit<FleetCoverage, 'unreadable'> & { unreadable: number }> {
    const { unreadable, ...counts } = fleetCoverage(await allTargets(this.ctx, filter));
    return { ...counts, unreadable: unreadable.length };
  }

  scan(id: string): ReturnType<typeof getScan> {
    return getScan(this.ctx, id);
  }

  scanEvents(id: string, page: PageRequest): ReturnType<typeof queryScanEvents> {
    return queryScanEvents(this.ctx, id, page);
  }

  exemptions(): Promise<StoredExemption[]> {
    return listExemptions(this.ctx);
  }

  exemption(id: string): Promise<StoredExemption | undefined> {
    return getExemption(this.ctx, id);
  }

  async putExemption(id: string, e: Exemption): Promise<{ exemption: StoredExemption; created: boolean }> {
    const out = await putExemption(this.ctx, id, e, this.now());
    await this.exemptionsChanged();
    return out;
  }

  async deleteExemption(id: string): Promise<boolean> {
    const deleted = await deleteExemption(this.ctx, id);
    if (deleted) await this.exemptionsChanged();
    return deleted;
  }

  exemptionsForScan(): Promise<Exemption[]> {
    return exemptionsForScan(this.ctx);
  }

  private async exemptionsChanged(): Promise<void> {
    if (this.options.onExemptionsChanged) this.options.onExemptionsChanged((await listExemptions(this.ctx)).length);
  }
}
