import { globToRegExp } from '../../core/glob.js';
import { asString } from '../../inventory/read.js';
import { defineControl } from '../define.js';
import { parseImage } from './image.js';
import { KeptVerdicts } from './verdicts.js';
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

const verdicts = new KeptVerdicts({
  container: (c, image) => {
    const registry = parseImage(image).registry;
    return {
      message: `${c.type} '${c.name}' image ${image || '(none)'} is from ${registry}, not an allowed registry`,
      evidence: { field: containerField(c, 'image'), image, registry },
    };
  },
});

export const allowedRegistries = defineControl(
  {
    id: 'workload.allowed-registries',
    title: 'Images must come from an allowed registry',
    severity: 'high',
    category: 'Images',
    scope: 'workload',
    frameworks: { nsa: 'Pod security: building secure container images', kubescape: ['C-0078', 'C-0001'], cis: ['5.1.4'] },
    match: [
      { ref: 'KS C-0078', match: 'same', note: "(at the same allowlist; C-0078's default list is empty, so it fails every image)" },
      { ref: 'KS C-0001', match: 'related', note: 'a blocklist of untrusted/public registries' },
      { ref: 'CIS 5.1.4', match: 'same', note: '(as C-0078)' },
    ],
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
      const matchers = prefixMatchers(ctx.config.allowedRegistries);
      for (let i = 0; i < matchers.length; i++) if (matchers[i]!.test(image) || matchers[i]!.test(ref.normalized)) return undefined;
      return verdicts.container(ctx, c, image);
    },
    passMessage: 'image from an allowed registry',
  }),
);
