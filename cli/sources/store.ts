import type { ScanReport } from '../../shared/report/model.js';
import { UsageError } from '../../shared/errors.js';

/** `--save`: writes the scan into the findings store. (Implemented by the store issue.) */
export async function saveReport(_report: ScanReport): Promise<string> {
  throw new UsageError('--save is not available in this build yet');
}
