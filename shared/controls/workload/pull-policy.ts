import { asString } from '../../inventory/read.js';
import { defineControl } from '../define.js';
import { isDigestPinned, parseImage } from './image.js';
import { containerField, judgeWorkloads } from './walk.js';

export const pullPolicy = defineControl(
  {
    id: 'workload.pull-policy',
    title: 'Mutable image tags must be pulled with imagePullPolicy: Always',
    severity: 'low',
    category: 'Images',
    scope: 'workload',
    frameworks: { nsa: 'Pod security: building secure container images', kubescape: ['C-0075'] },
    rationale:
      'With IfNotPresent a node keeps running whatever it cached under a mutable tag, and a pod can use an image cached by another tenant without pull credentials.',
    remediation: 'Pin the image by digest, or set imagePullPolicy: Always.',
  },
  judgeWorkloads({
    container: (c) => {
      const image = asString(c.spec['image']) ?? '';
      const ref = parseImage(image);
      if (isDigestPinned(ref)) return undefined;
      const explicit = asString(c.spec['imagePullPolicy']);
      // Kubernetes defaults to Always for :latest or no tag, IfNotPresent otherwise.
      const policy = explicit ?? (ref.tag === undefined || ref.tag === 'latest' ? 'Always' : 'IfNotPresent');
      return policy === 'Always'
        ? undefined
        : {
            message: `${c.type} '${c.name}' pulls mutable ${image} with imagePullPolicy ${policy}${explicit ? '' : ' (default)'}`,
            evidence: { field: containerField(c, 'imagePullPolicy'), image, policy },
          };
    },
    passMessage: 'pull policy fits the tag',
  }),
);
