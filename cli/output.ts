import { statSync, writeFileSync } from 'node:fs';
import { dirname, extname, join, resolve } from 'node:path';
import { UsageError } from '../shared/core/errors.js';
import type { ScanReport } from '../shared/engine/report.js';
import { isReportFormat, renderReport, REPORT_FORMATS, type FormatOptions, type ReportFormat } from '../shared/report/format.js';
import { policyReportFiles, type PolicyReportFile } from '../shared/report/policyreport.js';
import { writeChunks } from './io.js';

/** Where a report goes: stdout, one file, or one file per PolicyReport in a directory. */
export type OutputTarget = { kind: 'stdout' } | { kind: 'file'; path: string } | { kind: 'directory'; path: string };

export const FORMAT_BY_EXTENSION: Readonly<Record<string, ReportFormat>> = {
  '.json': 'json',
  '.sarif': 'sarif',
  '.xml': 'junit',
  '.html': 'html',
  '.htm': 'html',
  '.yaml': 'policyreport',
  '.yml': 'policyreport',
};

function isDirectory(path: string): boolean | undefined {
  try {
    return statSync(path).isDirectory();
  } catch {
    return undefined;
  }
}

/**
 * The file's folder must already exist: a typo in a path must not scatter folders (and a report)
 * somewhere unexpected. Checked before scanning, so a bad path costs nothing and saves nothing.
 */
export function assertOutputFolder(file: string, flag = '--output'): void {
  const folder = dirname(resolve(file));
  if (isDirectory(folder) !== true)
    throw new UsageError(`${flag} ${file}: no such folder ${folder} (create it first; nothing was written)`);
}

/**
 * The format and target of `scan --output`: `--format` wins; otherwise the file's extension decides
 * (.json, .sarif, .xml → junit, .html, .yaml/.yml → policyreport) and anything else is a table. A
 * directory (a trailing slash, or one that exists) takes one PolicyReport per file.
 */
export function resolveOutput(output: string | undefined, format: string | undefined): { format: ReportFormat; target: OutputTarget } {
  if (format !== undefined && !isReportFormat(format)) {
    throw new UsageError(`unknown format '${format}' (expected one of ${REPORT_FORMATS.join(', ')})`);
  }
  if (output === undefined) return { format: format ?? 'table', target: { kind: 'stdout' } };
  if (output === '') throw new UsageError('--output needs a file or a directory name');
  if (/[/\\]$/.test(output) || isDirectory(output)) {
    if (format !== undefined && format !== 'policyreport') {
      throw new UsageError(
        `--output ${output} is a directory: only --format policyreport writes one file per report (give a file name for ${format})`,
      );
    }
    if (isDirectory(output) !== true) throw new UsageError(`--output ${output}: no such directory (create it first; nothing was written)`);
    return { format: 'policyreport', target: { kind: 'directory', path: output } };
  }
  assertOutputFolder(output);
  return { format: format ?? FORMAT_BY_EXTENSION[extname(output).toLowerCase()] ?? 'table', target: { kind: 'file', path: output } };
}

/** Writes each PolicyReport file into the directory; returns the paths written. */
function writeReportFiles(directory: string, files: readonly PolicyReportFile[]): string[] {
  return files.map((f) => {
    const path = join(directory, f.fileName);
    writeFileSync(path, f.text);
    return path;
  });
}

/**
 * Renders the scan in the resolved format and writes it where it goes; says on stderr what was
 * written to files (stdout carries the report only).
 */
export async function writeReport(report: ScanReport, format: ReportFormat, target: OutputTarget, opts: FormatOptions): Promise<void> {
  if (target.kind === 'directory') {
    const written = writeReportFiles(target.path, policyReportFiles(report, opts.controls, opts));
    process.stderr.write(
      `hardline: wrote ${written.length} PolicyReport file${written.length === 1 ? '' : 's'} to ${target.path} (kubectl apply -f ${target.path})\n`,
    );
    return;
  }
  // Written as it is rendered: a report of a million results is never one string.
  const chunks = renderReport(report, format, { ...opts, color: opts.color === true && target.kind === 'stdout' });
  if (target.kind === 'stdout') {
    await writeChunks(chunks);
    return;
  }
  await writeChunks(chunks, target.path);
  process.stderr.write(`hardline: wrote ${format} report to ${target.path}\n`);
}
