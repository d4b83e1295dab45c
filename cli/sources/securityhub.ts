import type { ScanReport } from '../../shared/report/model.js';
import { UsageError } from '../../shared/errors.js';

/** `--to-securityhub`: imports the scan's findings into AWS Security Hub. (Implemented by the events/reports issue.) */
export async function importToSecurityHub(_report: ScanReport): Promise<string> {
  throw new UsageError('--to-securityhub is not available in this build yet');
}
