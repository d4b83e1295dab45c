import { asString } from '../../inventory/read.js';
import { defineControl } from '../define.js';
import { isDigestPinned, parseImage } from './image.js';
import { containerField, judgeWorkloads } from './walk.js';

export const imageTag = defineControl(
  {
    id: 'workload.image-tag',
    title: 'Images must name a version tag, not latest or nothing',
    severity: 'medium',
    category: 'Images',
    scope: 'workload',
    frameworks: { nsa: 'Upgrading and application security practices', kubescape: ['C-0075'] },
    rationale: 'latest (or no tag) changes under the workload: what runs cannot be traced to a scanned, approved build.',
    remediation: 'Reference a versioned tag (better: a digest) and roll out new versions deliberately.',
  },
  judgeWorkloads({
    container: (c) => {
      const image = asString(c.spec['image']);
      if (!image) return { message: `${c.type} '${c.name}' has no image`, evidence: { field: containerField(c, 'image') } };
      const ref = parseImage(image);
      if (isDigestPinned(ref)) return undefined;
      if (ref.tag === undefined || ref.tag === '' || ref.tag === 'latest') {
        return {
          message: `${c.type} '${c.name}' uses ${ref.tag ? 'the latest tag' : 'no tag'} (${image})`,
          evidence: { field: containerField(c, 'image'), image },
        };
      }
      return undefined;
    },
    passMessage: 'image has a version tag or digest',
  }),
);
