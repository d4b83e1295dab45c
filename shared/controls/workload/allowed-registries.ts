import { globToRegExp } from '../../core/glob.js';
import { asString } from '../../inventory/read.js';
import { defineControl } from '../define.js';
import { parseImage } from './image.js';
import { containerField, judgeWorkloads } from './walk.js';

const compiled = new WeakMap<readonly string[], RegExp[]>();

/** Prefix patterns: `*` matches within one path segment, so `*.dkr.ecr.*.amazonaws.com/` cannot match `evil.com/x.dkr.ecr…`. */
function prefixMatchers(patterns: readonly string[]): RegExp[] {
  let list = compiled.get(patterns);
  if (!list) {
    list = patterns.map((p) => new RegExp(globToRegExp(p).source.replace(/\.\*/g, '[^/]*').replace(/\$$/, '')));
    compiled.set(patterns, list);
  }
  return list;
}

export const allowedRegistries = defineControl(
  {
    id: 'workload.allowed-registries',
    title: 'Images must come from an allowed registry',
    severity: 'high',
    category: 'Images',
    scope: 'workload',
    frameworks: { nsa: 'Pod security: building secure container images', kubescape: ['C-0078', 'C-0001'], cis: ['5.1.4'] },
    rationale: 'Images from registries outside your control escape your scanning, signing and immutability guarantees (supply-chain risk).',
    remediation:
      'Mirror the image into an allowed registry (e.g. your ECR) or add the registry to allowedRegistries in hardline.config.yaml.',
  },
  judgeWorkloads({
    notApplicable: (_w, ctx) => (ctx.config.allowedRegistries.length === 0 ? 'no allowedRegistries configured' : undefined),
    container: (c, _w, ctx) => {
      const image = asString(c.spec['image']) ?? '';
      const ref = parseImage(image);
      // Both the reference as written and its normalized form (docker.io/library/…) are tried.
      const candidates = [image, ref.normalized];
      const ok = prefixMatchers(ctx.config.allowedRegistries).some((re) => candidates.some((s) => re.test(s)));
      return ok
        ? undefined
        : {
            message: `${c.type} '${c.name}' image ${image || '(none)'} is from ${ref.registry}, not an allowed registry`,
            evidence: { field: containerField(c, 'image'), image, registry: ref.registry },
          };
    },
    passMessage: 'image from an allowed registry',
  }),
);
