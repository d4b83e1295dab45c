import type { ControlMeta } from '../controls/types.js';
import { UsageError } from '../core/errors.js';
import type { ScanReport } from '../engine/report.js';
import { formatAsff } from './asff.js';
import type { ReportContext } from './context.js';
import { formatHtml } from './html.js';
import { formatJunit } from './junit.js';
import { formatOcsf } from './ocsf.js';
import { redactedChunks, type Rendered, StreamedJson } from './pieces.js';
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
 * Renders a scan report in one of the CLI's formats, as chunks to write one after another (see
 * `Rendered`). Results hold manifest text as it was (messages may quote images, hosts, names),
 * so the rendered text is redacted here, chunk by chunk: whatever path a value took into a format,
 * a credential does not come out.
 */
export function renderReport(report: ScanReport, format: string, opts: FormatOptions): Iterable<string> {
  if (!isReportFormat(format)) throw new UsageError(`unknown format '${format}' (expected one of ${REPORT_FORMATS.join(', ')})`);
  return redactedChunks(render(report, format, opts));
}

/** The whole rendered report as one string (small reports, tests). */
export function formatReport(report: ScanReport, format: string, opts: FormatOptions): string {
  let text = '';
  for (const chunk of renderReport(report, format, opts)) text += chunk;
  return text;
}

function render(report: ScanReport, format: ReportFormat, opts: FormatOptions): Rendered {
  switch (format) {
    case 'table':
      return formatTable(report, { color: opts.color ?? false, ...(opts.verbose ? { verbose: true } : {}) });
    case 'json':
      return jsonReport(report);
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

/** The JSON contract, results written one by one. */
function jsonReport(report: ScanReport): Rendered {
  const json = new StreamedJson();
  return json.pieces({ ...report, results: json.array(report.results) });
}
