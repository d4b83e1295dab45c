import { asRecords, asString } from '../../inventory/read.js';
import { defineControl } from '../define.js';
import { judgeRepositories } from './repositories.js';
import { exclusionBreadth } from './wildcard.js';

export const tagImmutability = defineControl(
  {
    id: 'ecr.tag-immutability',
    title: 'Repositories must make image tags immutable',
    severity: 'medium',
    category: 'Images',
    scope: 'ecr',
    frameworks: { nsa: 'Pod security: building secure container images', securityHub: ['ECR.2'] },
    rationale:
      'With mutable tags, whoever can push can silently replace what `app:1.4.2` means in every cluster, after it was scanned and ' +
      'approved. IMMUTABLE passes. IMMUTABLE_WITH_EXCLUSION passes only when every exclusion is narrow: an exact tag, or a wildcard ' +
      'after a literal prefix of 3+ characters that does not look like a release or moving tag (dev-*, pr-*, cache-* are narrow; ' +
      '*, *-rc, a*, latest*, v*, 1.*, release-*, prod* are wide). MUTABLE fails, and so does MUTABLE_WITH_EXCLUSION: only the listed ' +
      'tags are protected there, every other tag stays mutable.',
    remediation:
      'aws ecr put-image-tag-mutability --repository-name <repo> --image-tag-mutability IMMUTABLE ' +
      '(or IMMUTABLE_WITH_EXCLUSION with narrow --image-tag-mutability-exclusion-filters for throwaway tags only).',
  },
  judgeRepositories(['ecr:repositories'], ({ ctx, repo, name, ref }) => {
    const mutability = asString(repo['imageTagMutability']);
    const filters = asRecords(repo['imageTagMutabilityExclusionFilters'])
      .map((f) => asString(f['filter']))
      .filter((f): f is string => f !== undefined);
    const evidence = { imageTagMutability: mutability ?? null, exclusionFilters: filters };
    switch (mutability) {
      case 'IMMUTABLE':
        return ctx.outcome('PASS', ref, 'image tags are immutable', evidence);
      case 'IMMUTABLE_WITH_EXCLUSION': {
        const wide = filters.map((f) => ({ f, ...exclusionBreadth(f) })).filter((x) => !x.narrow);
        if (wide.length === 0) {
          return ctx.outcome('PASS', ref, `image tags are immutable except narrow exclusions: ${filters.join(', ') || '(none)'}`, evidence);
        }
        return ctx.outcome(
          'FAIL',
          ref,
          `image tags are immutable except wide exclusions: ${wide.map((x) => `'${x.f}' (${x.why})`).join(', ')}`,
          { ...evidence, wideExclusions: wide.map((x) => x.f) },
        );
      }
      case 'MUTABLE_WITH_EXCLUSION':
        return ctx.outcome(
          'FAIL',
          ref,
          `image tags are mutable; only tags matching ${filters.join(', ') || '(no filter)'} are protected`,
          evidence,
        );
      case 'MUTABLE':
        return ctx.outcome('FAIL', ref, `repository ${name} allows image tags to be overwritten (MUTABLE)`, evidence);
      default:
        return ctx.outcome('UNKNOWN', ref, `unknown imageTagMutability '${mutability ?? ''}'`, evidence);
    }
  }),
);
