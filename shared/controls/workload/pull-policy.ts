import { asString } from '../../inventory/read.js';
import { defineControl } from '../define.js';
import { isDigestPinned, parseImage } from './image.js';
import { KeptVerdicts } from './verdicts.js';
import { containerField, judgeWorkloads } from './walk.js';

/** Kept by policy and image, for a policy the container sets and one it leaves to the default. */
const keptVerdicts = (explicit: boolean) =>
  new KeptVerdicts({
    container: (c, policy, image) => ({
      message: `${c.type} '${c.name}' pulls mutable ${image} with imagePullPolicy ${policy}${explicit ? '' : ' (default)'}`,
      evidence: { field: containerField(c, 'imagePullPolicy'), image, policy },
    }),
  });
const explicitPolicy = keptVerdicts(true);
const defaultPolicy = keptVerdicts(false);

export const pullPolicy = defineControl(
  {
    id: 'workload.pull-policy',
    title: 'Mutable image tags must be pulled with imagePullPolicy: Always',
    severity: 'low',
    category: 'Images',
    scope: 'workload',
    frameworks: { nsa: 'Pod security: building secure container images', kubescape: ['C-0075'] },
    match: [
      {
        ref: 'KS C-0075',
        match: 'stricter',
        note: 'hardline requires Always for every image not pinned by digest; C-0075 only for latest/untagged (and configured floating) tags',
      },
    ],
    rationale:
      'With IfNotPresent a node keeps running whatever it cached under a mutable tag, and a pod can use an image cached by another tenant without pull credentials.',
    remediation: 'Pin the image by digest, or set imagePullPolicy: Always.',
  },
  judgeWorkloads({
    container: (c, _w, ctx) => {
      const image = asString(c.spec['image']) ?? '';
      const ref = parseImage(image);
      if (isDigestPinned(ref)) return undefined;
      const explicit = asString(c.spec['imagePullPolicy']);
      // Kubernetes defaults to Always for :latest or no tag, IfNotPresent otherwise.
      const policy = explicit ?? (ref.tag === undefined || ref.tag === 'latest' ? 'Always' : 'IfNotPresent');
      if (policy === 'Always') return undefined;
      return (explicit ? explicitPolicy : defaultPolicy).container(ctx, c, policy, image);
    },
    passMessage: 'pull policy fits the tag',
  }),
);
