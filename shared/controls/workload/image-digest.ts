import { asString } from '../../inventory/read.js';
import { defineControl } from '../define.js';
import { isDigestPinned, parseImage } from './image.js';
import { KeptVerdicts } from './verdicts.js';
import { containerField, judgeWorkloads } from './walk.js';

const verdicts = new KeptVerdicts({
  container: (c, image) => ({
    message: `${c.type} '${c.name}' image ${image || '(none)'} is not pinned by digest`,
    evidence: { field: containerField(c, 'image'), image },
  }),
});

export const imageDigest = defineControl(
  {
    id: 'workload.image-digest',
    title: 'Images should be pinned by digest',
    severity: 'low',
    category: 'Images',
    scope: 'workload',
    frameworks: { nsa: 'Pod security: building secure container images', kubescape: ['C-0306'] },
    match: [
      {
        ref: 'KS C-0306',
        match: 'stricter',
        note: 'hardline accepts only sha256 digests; C-0306 also sha512/blake3 and has an exempt-repository list (empty by default)',
      },
    ],
    rationale:
      'Only a digest guarantees the bytes that run are the bytes that were scanned; a tag can be moved (unless the repository is immutable).',
    remediation: 'Reference images as registry/repo@sha256:<digest> (tools such as kustomize or Kyverno can resolve tags to digests).',
  },
  judgeWorkloads({
    container: (c, _w, ctx) => {
      const image = asString(c.spec['image']) ?? '';
      return isDigestPinned(parseImage(image)) ? undefined : verdicts.container(ctx, c, image);
    },
    passMessage: 'image pinned by digest',
  }),
);
