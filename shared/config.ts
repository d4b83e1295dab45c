import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { ConfigError, describeError } from './core/errors.js';
import { SEVERITIES } from './core/types.js';
import { unknownControlProblem } from './engine/control-ids.js';
import { formatZodIssues } from './core/zod-issues.js';

const knownControl = (id: string, ctx: z.RefinementCtx) => {
  const problem = unknownControlProblem(id);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
};

/**
 * `hardline.config.yaml`: the knobs a security team sets once for its organisation. Every field is
 * optional; defaults are what a fleet of EKS clusters usually wants (README: Configuration).
 */
export const configSchema = z
  .object({
    /** Image prefixes workloads may pull from (`workload.allowed-registries`). `*` matches within a segment. */
    allowedRegistries: z
      .array(z.string().min(1))
      .default(['*.dkr.ecr.*.amazonaws.com/', 'public.ecr.aws/', 'registry.k8s.io/']),
    requiredLabels: z
      .object({
        /** Labels every namespace must carry (`namespace.required-labels`). */
        namespace: z.array(z.string().min(1)).default(['owner']),
      })
      .strict()
      .default({ namespace: ['owner'] }),
    /** Namespaces (globs) not scanned at all. Prefer exemptions: they keep the result visible. */
    excludeNamespaces: z.array(z.string().min(1)).default([]),
    /** Namespaces treated as platform-owned by namespace-level controls (quota, labels, default-deny). */
    systemNamespaces: z.array(z.string().min(1)).default(['kube-system', 'kube-public', 'kube-node-lease']),
    /**
     * How the namespace-hygiene controls (namespace.resource-quota, namespace.limit-range,
     * namespace.required-labels, admission.pod-security, admission.allowed-repos coverage,
     * network.workload-isolated) treat `systemNamespaces`: 'skip' reports them NOT_APPLICABLE
     * (platform-owned; EKS runs privileged node agents in kube-system), 'evaluate' judges them like
     * any namespace. RBAC, network.default-deny, network.metadata-endpoint-blocked and
     * config.credentials-in-configmap always judge them (evidence `systemNamespace: true`).
     */
    systemNamespaceControls: z.enum(['skip', 'evaluate']).default('skip'),
    rbac: z
      .object({
        /**
         * Judge the RBAC objects Kubernetes and EKS ship (cluster-admin → system:masters, system:*,
         * eks:*; list in shared/controls/cluster/rbac-builtin.ts) like user objects. Off by default:
         * they are not user findings and cannot be removed.
         */
        judgeBuiltIn: z.boolean().default(false),
      })
      .strict()
      .default({ judgeBuiltIn: false }),
    /** Apply the built-in exemptions for known platform components (README: Default exemptions). */
    defaultExemptions: z.boolean().default(true),
    exemptions: z
      .object({
        /**
         * What a `hardline.dev/exempt` annotation may do. Anyone who can edit a namespace can write
         * one, so by default (`named`) it must name catalog ids (no globs) and give a reason.
         */
        annotations: z.enum(['off', 'named', 'any']).default('named'),
        /** How far ahead an exemption's `expires` may lie: further is an error (files, API) or not applied (annotations). */
        maxDays: z.number().int().min(1).max(3650).default(365),
      })
      .strict()
      .default({ annotations: 'named', maxDays: 365 }),
    /** Capabilities `workload.capabilities-dangerous` reports when added (compared without CAP_ and case). */
    dangerousCapabilities: z
      .array(z.string().min(1))
      .default([
        'ALL',
        'SYS_ADMIN',
        'NET_ADMIN',
        'SYS_PTRACE',
        'SYS_MODULE',
        'SYS_RAWIO',
        'SYS_BOOT',
        'SYS_TIME',
        'NET_RAW',
        'DAC_READ_SEARCH',
        'BPF',
        'PERFMON',
        'MAC_ADMIN',
        'MAC_OVERRIDE',
        'SYSLOG',
        'LINUX_IMMUTABLE',
      ]),
    controls: z
      .object({
        /** Ids or globs; one that matches no control is a typo that would silently disable nothing. */
        disabled: z.array(z.string().min(1).superRefine(knownControl)).default([]),
        severity: z
          .record(z.string(), z.enum(SEVERITIES))
          .superRefine((overrides, ctx) => {
            for (const id of Object.keys(overrides)) {
              const problem = unknownControlProblem(id);
              if (problem) ctx.addIssue({ code: 'custom', path: [id], message: problem });
            }
          })
          .default({}),
      })
      .strict()
      .default({ disabled: [], severity: {} }),
  })
  .strict();

export type HardlineConfig = z.infer<typeof configSchema>;

export function defaultConfig(): HardlineConfig {
  return configSchema.parse({});
}

export function parseConfig(raw: unknown, source = 'config'): HardlineConfig {
  const result = configSchema.safeParse(raw ?? {});
  if (!result.success) {
    throw new ConfigError(`${source}: ${formatZodIssues(result.error)}`);
  }
  return result.data;
}

export function loadConfigFile(file: string): HardlineConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new ConfigError(`cannot read config ${file}: ${describeError(e)}`, { cause: e });
  }
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (e) {
    throw new ConfigError(`${file}: not valid YAML: ${describeError(e)}`, { cause: e });
  }
  return parseConfig(raw, file);
}
