import { describeError } from '../../shared/core/errors.js';
import type { ScanReport } from '../../shared/engine/report.js';
import type { Exemption } from '../../shared/engine/types.js';
import { describeLocation, embeddedExemptionCount, embeddedStoreExists, storeLocation } from '../../shared/store/location.js';
import type { OpenStoreOptions } from '../../shared/store/open.js';

/** The SDK and dynalite load only when the store is really used: a plain scan never pays for them. */
const openStore = async (opts: OpenStoreOptions) => (await import('../../shared/store/open.js')).openStore(opts);

export const QUERY_HINT = 'query it with `hardline findings --severity high` or `hardline serve`';

/** `--save`: writes the scan into the findings store and says where, what changed and how to query it. */
export async function saveReport(report: ScanReport, opts: OpenStoreOptions = {}): Promise<string> {
  const opened = await openStore(opts);
  try {
    const { changes } = await opened.store.saveScan(report);
    const parts = [
      `${changes.opened} new`,
      `${changes.resolved} resolved`,
      ...(changes.reopened ? [`${changes.reopened} reopened`] : []),
      ...(changes.exempted ? [`${changes.exempted} exempted`] : []),
      ...(changes.unexempted ? [`${changes.unexempted} no longer exempted`] : []),
      `${changes.unchanged} unchanged`,
      ...(changes.kept ? [`${changes.kept} kept (not judged by this scan)`] : []),
      ...(changes.supersededTargets ? [`${changes.supersededTargets} target(s) skipped: a newer scan is already saved`] : []),
    ];
    return `saved scan ${report.scan.id} to ${describeLocation(opened.location, opts.cwd)} (${parts.join(', ')}); ${QUERY_HINT}`;
  } finally {
    await opened.close();
  }
}

/**
 * Exemptions kept in the store (PUT /exemptions), for the next scan. A plain scan must stay fast:
 * no store → nothing to read, and the embedded database is not started when it holds none.
 * A configured AWS table that cannot be read is reported, not fatal: the scan runs without them.
 */
export async function storedExemptions(opts: OpenStoreOptions = {}): Promise<{ exemptions: Exemption[]; warning?: string }> {
  const loc = storeLocation(opts.env, opts.cwd);
  if (loc.kind === 'embedded' && (!embeddedStoreExists(loc) || embeddedExemptionCount(loc) === 0)) return { exemptions: [] };
  try {
    const opened = await openStore(opts);
    try {
      return { exemptions: await opened.store.exemptionsForScan() };
    } finally {
      await opened.close();
    }
  } catch (e) {
    return { exemptions: [], warning: `exemptions in ${describeLocation(loc, opts.cwd)} not applied: ${describeError(e)}` };
  }
}
