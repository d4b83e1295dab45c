import { asString } from '../../inventory/read.js';
import { defineControl } from '../define.js';
import { isDigestPinned, parseImage } from './image.js';
import { KeptVerdicts } from './verdicts.js';
import { containerField, judgeWorkloads } from './walk.js';

/** Kept by image ('' for none); the image decides whether it has no tag or the latest one. */
const verdicts = new KeptVerdicts({
  container: (c, image) => {
    if (!image) return { message: `${c.type} '${c.name}' has no image`, evidence: { field: containerField(c, 'image') } };
    const tag = parseImage(image).tag;
    return {
      message: `${c.type} '${c.name}' uses ${tag ? 'the latest tag' : 'no tag'} (${image})`,
      evidence: { field: containerField(c, 'image'), image },
    };
  },
});

export const imageTag = defineControl(
  {
    id: 'workload.image-tag',
    title: 'Images must name a version tag, not latest or nothing',
    severity: 'medium',
    category: 'Images',
    scope: 'workload',
    frameworks: { nsa: 'Upgrading and application security practices', kubescape: ['C-0075'] },
    match: [
      {
        ref: 'KS C-0075',
        match: 'stricter',
        note: 'hardline fails latest/untagged images whatever the pull policy; C-0075 only with imagePullPolicy IfNotPresent or Never',
      },
    ],
    rationale: 'latest (or no tag) changes under the workload: what runs cannot be traced to a scanned, approved build.',
    remediation: 'Reference a versioned tag (better: a digest) and roll out new versions deliberately.',
  },
  judgeWorkloads({
    container: (c, _w, ctx) => {
      const image = asString(c.spec['image']);
      if (!image) return verdicts.container(ctx, c, '');
      const ref = parseImage(image);
      if (isDigestPinned(ref)) return undefined;
      return ref.tag === undefined || ref.tag === '' || ref.tag === 'latest' ? verdicts.container(ctx, c, image) : undefined;
    },
    passMessage: 'image has a version tag or digest',
  }),
);
