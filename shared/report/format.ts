import type { ControlMeta } from '../controls/types.js';
import { UsageError } from '../core/errors.js';
import type { ScanReport } from '../engine/report.js';
import { redactDocument } from '../redaction/redact.js';
import { formatAsff } from './asff.js';
import type { ReportContext } from './context.js';
import { formatHtml } from './html.js';
import { formatJunit } from './junit.js';
import { formatOcsf } from './ocsf.js';
import { formatPolicyReports } from './policyreport.js';
import { formatSarif } from './sarif.js';
import { formatTable } from './table.js';

export const REPORT_FORMATS = ['table', 'json', 'sarif', 'junit', 'ocsf', 'asff', 'html', 'policyreport'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export interface FormatOptions extends ReportContext {
  controls: readonly ControlMeta[];
  color?: boolean;
  verbose?: boolean;
}

export function isReportFormat(s: string): s is ReportFormat {
  return (REPORT_FORMATS as readonly string[]).includes(s);
}

/**
 * Renders a scan report in one of the CLI's formats. Results are redacted by the engine already;
 * the rendered document is redacted once more as a whole, so names and identifiers that reach a
 * format by another path (resource names, file paths, targets) cannot carry a credential out either.
 */
export function formatReport(report: ScanReport, format: string, opts: FormatOptions): string {
  if (!isReportFormat(format)) throw new UsageError(`unknown format '${format}' (expected one of ${REPORT_FORMATS.join(', ')})`);
  return redactDocument(render(report, format, opts));
}

function render(report: ScanReport, format: ReportFormat, opts: FormatOptions): string {
  switch (format) {
    case 'table':
      return formatTable(report, { color: opts.color ?? false, ...(opts.verbose ? { verbose: true } : {}) });
    case 'json':
      return JSON.stringify(report, null, 2) + '\n';
    case 'sarif':
      return formatSarif(report, opts.controls, opts);
    case 'junit':
      return formatJunit(report, opts.controls);
    case 'ocsf':
      return formatOcsf(report, opts.controls);
    case 'asff':
      return formatAsff(report, opts.controls);
    case 'html':
      return formatHtml(report, opts.controls);
    case 'policyreport':
      return formatPolicyReports(report, opts.controls, opts);
  }
}
