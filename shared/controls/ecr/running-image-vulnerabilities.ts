import { parseEcrImage } from '../../inventory/ecr.js';
import { asArray, asNumber, asRecord, asRecords, asString } from '../../inventory/read.js';
import { POD_BEARING_KINDS } from '../../inventory/workloads.js';
import { defineControl } from '../define.js';
import type { Outcome } from '../types.js';

// ECR's own "judged" states: basic scans end COMPLETE, enhanced (Inspector) scans stay ACTIVE.
const JUDGED = new Set(['COMPLETE', 'ACTIVE']);
const BLOCKING = ['CRITICAL', 'HIGH'] as const;

export const runningImageVulnerabilities = defineControl(
  {
    id: 'ecr.running-image-vulnerabilities',
    title: 'Running ECR images must have no CRITICAL or HIGH vulnerabilities',
    severity: 'high',
    category: 'Images',
    scope: 'ecr',
    // Judges the workloads of a scanned cluster (its ECR findings are collected into the cluster's inventory).
    targets: ['cluster', 'manifests'],
    frameworks: { nsa: 'Upgrading and application security practices', kubescape: ['C-0083', 'C-0085'], cis: ['5.1.1'] },
    rationale:
      'Scanning repositories says what is vulnerable; joining the findings to what actually runs says what is exposed. Every container ' +
      'of a scanned cluster whose image lives in a private ECR registry is judged by DescribeImageScanFindings (basic or enhanced) for ' +
      'the exact digest or tag it references. Images outside ECR are not applicable; an image that was not scanned, or whose findings ' +
      'could not be read, is UNKNOWN — never a pass.',
    remediation:
      'Rebuild the image on a patched base, push, and roll the workload to the new digest; track exceptions as exemptions with an expiry.',
  },
  {
    reads: ['ecr:image-scan-findings', ...POD_BEARING_KINDS],
    *check(ctx): Iterable<Outcome> {
      const ecr = ctx.inventory.ecr;
      // Findings are collected only when the cluster was scanned through AWS; other scans get no results here.
      if (!ecr || !Array.isArray(ecr.imageScanFindings)) return;
      const byImage = new Map(asRecords(ecr.imageScanFindings).map((f) => [asString(f['image']) ?? '', f]));
      for (const w of ctx.index.workloads()) {
        for (const c of w.containers) {
          const resource = c.ref;
          const image = asString(c.spec['image'])?.trim();
          if (!image || !parseEcrImage(image)) {
            yield ctx.outcome('NOT_APPLICABLE', resource, `image ${image ?? '(none)'} is not in a private ECR registry`);
            continue;
          }
          const f = byImage.get(image);
          if (!f) {
            yield ctx.outcome('UNKNOWN', resource, `no scan findings were collected for ${image}`);
            continue;
          }
          const unavailable = asRecord(f['unavailable']);
          if (unavailable) {
            yield ctx.outcome(
              'UNKNOWN',
              resource,
              `scan findings for ${image} unavailable (${asString(unavailable['reason']) ?? 'unknown'}): ${asString(unavailable['message']) ?? ''}`,
            );
            continue;
          }
          const scanStatus = asString(f['scanStatus']);
          if (!scanStatus || !JUDGED.has(scanStatus)) {
            yield ctx.outcome('UNKNOWN', resource, `image ${image} has no completed scan (status ${scanStatus ?? 'none'})`);
            continue;
          }
          const counts = asRecord(f['severityCounts']) ?? {};
          const count = (s: string) => asNumber(counts[s]) ?? 0;
          const top = asRecords(asArray(f['topFindings']))
            .filter((t) => (BLOCKING as readonly string[]).includes(asString(t['severity']) ?? ''))
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
            yield ctx.outcome(
              'FAIL',
              resource,
              `${image} has ${count('CRITICAL')} CRITICAL and ${count('HIGH')} HIGH vulnerabilities${top.length ? ` (${top.slice(0, 5).join(', ')})` : ''}`,
              evidence,
            );
            continue;
          }
          yield ctx.outcome('PASS', resource, `${image}: no CRITICAL or HIGH vulnerabilities`, evidence);
        }
      }
    },
  },
);
