import type { Evidence, Status } from '../../core/types.js';
import { asArray, asNumber, asRecord, asRecords, asString, type JsonRecord } from '../../inventory/read.js';

// ECR's own "judged" states: basic scans end COMPLETE, enhanced (Inspector) scans stay ACTIVE.
const JUDGED = new Set(['COMPLETE', 'ACTIVE']);
const BLOCKING = ['CRITICAL', 'HIGH'];

export interface ImageVerdict {
  status: Extract<Status, 'PASS' | 'FAIL' | 'UNKNOWN'>;
  message: string;
  evidence?: Evidence;
}

/**
 * The verdict on one image's collected scan findings (an EcrImageScanFindings record): FAIL with
 * any CRITICAL or HIGH finding, PASS with none after a completed scan, UNKNOWN when the findings
 * could not be read or the image was never scanned — never a pass without a scan.
 */
export function judgeImageFindings(image: string, f: JsonRecord, label = image): ImageVerdict {
  const unavailable = asRecord(f['unavailable']);
  if (unavailable) {
    return {
      status: 'UNKNOWN',
      message: `scan findings for ${label} unavailable (${asString(unavailable['reason']) ?? 'unknown'}): ${asString(unavailable['message']) ?? ''}`,
    };
  }
  const scanStatus = asString(f['scanStatus']);
  if (!scanStatus || !JUDGED.has(scanStatus))
    return { status: 'UNKNOWN', message: `${label} has no completed scan (status ${scanStatus ?? 'none'})` };
  const counts = asRecord(f['severityCounts']) ?? {};
  const count = (s: string) => asNumber(counts[s]) ?? 0;
  const top = asRecords(asArray(f['topFindings']))
    .filter((t) => BLOCKING.includes(asString(t['severity']) ?? ''))
    .map((t) => asString(t['id']) ?? '')
    .filter(Boolean);
  const evidence = {
    image,
    imageDigest: asString(f['imageDigest']),
    scanType: asString(f['scanType']),
    critical: count('CRITICAL'),
    high: count('HIGH'),
    medium: count('MEDIUM'),
    topFindings: top,
  };
  if (count('CRITICAL') + count('HIGH') > 0) {
    const ids = top.length ? ` (${top.slice(0, 5).join(', ')})` : '';
    return {
      status: 'FAIL',
      message: `${label} has ${count('CRITICAL')} CRITICAL and ${count('HIGH')} HIGH vulnerabilities${ids}`,
      evidence,
    };
  }
  return { status: 'PASS', message: `${label}: no CRITICAL or HIGH vulnerabilities`, evidence };
}
