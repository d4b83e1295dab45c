import { asNumber, asRecord, asString, asStrings } from '../../inventory/read.js';
import { defineControl } from '../define.js';
import { judgeImageFindings } from './image-findings.js';
import { judgeRepositories } from './repositories.js';

export const latestImageVulnerabilities = defineControl(
  {
    id: 'ecr.latest-image-vulnerabilities',
    title: 'The most recently pushed image of a repository must have no CRITICAL or HIGH vulnerabilities',
    severity: 'medium',
    category: 'Images',
    scope: 'ecr',
    frameworks: {
      nsa: 'Upgrading and application security practices',
    },
    match: [
      {
        ref: 'Prowler ecr_repositories_scan_vulnerabilities_in_latest_image',
        match: 'weaker',
        note: 'its default threshold is MEDIUM and it also fails a latest image without a scan',
      },
    ],
    rationale:
      'The newest image of a repository is the one the next deployment, autoscaling event or another team will pull, whether or not ' +
      'a scanned cluster runs it today. Its scan findings (ECR basic scanning, or Inspector under enhanced scanning) are judged: ' +
      'any CRITICAL or HIGH fails it. "Newest" is the most recently pushed container image; image indexes, cosign signatures and ' +
      'other OCI artifacts are skipped, and a repository holding none is not applicable. An image without a completed scan is ' +
      'UNKNOWN, never a pass (ecr.scan-on-push says why it was not scanned).',
    remediation:
      'Rebuild on a patched base image and push; if the vulnerable image must stay, push a fixed one after it, or record an ' +
      'exemption with an expiry.',
  },
  judgeRepositories(['ecr:images', 'ecr:image-scan-findings'], ({ ctx, repo, name, ref }) => {
    const latest = asRecord(repo['latestImage']);
    if (!latest) return ctx.outcome('UNKNOWN', ref, `the images of ${name} were not listed`);
    if (asString(latest['status']) === 'none') {
      const artifacts = asNumber(latest['artifacts']) ?? 0;
      const what = artifacts > 0 ? `only ${artifacts} non-image artifact(s) (indexes, signatures, charts)` : 'no image';
      return ctx.outcome('NOT_APPLICABLE', ref, `${name} holds ${what}`);
    }
    const digest = asString(latest['imageDigest']) ?? '?';
    const tags = asStrings(latest['imageTags']);
    const image = `${name}@${digest}`;
    const label = `the latest image ${image}${tags.length > 0 ? ` (${tags.join(', ')})` : ''}`;
    const findings = asRecord(latest['findings']);
    if (!findings) return ctx.outcome('UNKNOWN', ref, `no scan findings were collected for ${label}`);
    const verdict = judgeImageFindings(image, findings, label);
    const pushedAt = asString(latest['imagePushedAt']);
    const evidence = verdict.evidence
      ? { ...verdict.evidence, imageTags: tags, ...(pushedAt ? { imagePushedAt: pushedAt } : {}) }
      : undefined;
    return ctx.outcome(verdict.status, ref, verdict.message, evidence);
  }),
);
