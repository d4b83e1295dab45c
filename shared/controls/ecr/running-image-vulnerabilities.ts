import { parseEcrImage } from '../../inventory/ecr.js';
import { isEksAddonRegistry } from '../../inventory/eks-addon-registries.js';
import { asRecords, asString } from '../../inventory/read.js';
import { POD_BEARING_KINDS } from '../../inventory/workloads.js';
import { defineControl } from '../define.js';
import type { Outcome } from '../types.js';
import { judgeImageFindings } from './image-findings.js';

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
    match: [
      { ref: 'KS C-0083', match: 'stricter', note: 'C-0083 counts only CRITICAL findings of pods behind a non-ClusterIP Service' },
      {
        ref: 'KS C-0085',
        match: 'stricter',
        note: "it fails only above thresholds (default > 5 critical or > 10 high); (both on Kubescape's own scan data, hardline on ECR's)",
      },
      { ref: 'CIS 5.1.1', match: 'related', note: 'it asks for scanning, not clean results' },
    ],
    rationale:
      'Scanning repositories says what is vulnerable; joining the findings to what actually runs says what is exposed. Every container ' +
      'of a scanned cluster whose image lives in a private ECR registry is judged by DescribeImageScanFindings (basic or enhanced) for ' +
      "the exact digest or tag it references. Images outside ECR are not applicable, and so are EKS add-on images in AWS's own " +
      'registries (their findings are not shared with other accounts; eks.addon-current keeps those add-ons current); an image of ' +
      'any other registry that was not scanned, or whose findings could not be read, is UNKNOWN — never a pass.',
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
          const ref = image ? parseEcrImage(image) : undefined;
          if (!image || !ref) {
            yield ctx.outcome('NOT_APPLICABLE', resource, `image ${image ?? '(none)'} is not in a private ECR registry`);
            continue;
          }
          if (isEksAddonRegistry(ref.registryId)) {
            const why = `AWS's EKS add-on registry (account ${ref.registryId}) does not share scan findings; keep the add-on current`;
            yield ctx.outcome('NOT_APPLICABLE', resource, `image ${image} is an Amazon EKS add-on image: ${why}`);
            continue;
          }
          const f = byImage.get(image);
          if (!f) {
            yield ctx.outcome('UNKNOWN', resource, `no scan findings were collected for ${image}`);
            continue;
          }
          const verdict = judgeImageFindings(image, f);
          yield ctx.outcome(verdict.status, resource, verdict.message, verdict.evidence);
        }
      }
    },
  },
);
