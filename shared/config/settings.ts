import * as z from 'zod';
import { SEVERITIES } from '../core/types.js';

/** Why a control id (or glob) names no control of the catalog, or undefined when it names one. */
export type ControlIdCheck = (id: string) => string | undefined;

/**
 * `hardline.config.yaml`: the knobs a security team sets once for its organisation. Every field is
 * optional; defaults are what a fleet of EKS clusters usually wants (README: Configuration).
 * Control ids are checked against the catalog by whoever knows it (the engine's parseConfig); this
 * layer sits below the controls, which read the settings.
 */
export function configSchemaFor(checkControlId: ControlIdCheck = () => undefined) {
  const knownControl = (id: string, ctx: z.RefinementCtx) => {
    const problem = checkControlId(id);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  };
  return z
    .object({
      /** Image prefixes workloads may pull from (`workload.allowed-registries`). `*` matches within a segment. */
      allowedRegistries: z.array(z.string().min(1)).default(['*.dkr.ecr.*.amazonaws.com/', 'public.ecr.aws/', 'registry.k8s.io/']),
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
           * eks:*; list in shared/policy/rbac/builtin.ts) like user objects. Off by default:
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
      eks: z
        .object({
          /**
           * The fewest days the control plane log group must keep logs (`eks.control-plane-log-retention`);
           * CloudWatch Logs retains at most 3653 days.
           */
          minLogRetentionDays: z.number().int().min(1).max(3653).default(365),
        })
        .strict()
        .default({ minLogRetentionDays: 365 }),
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
                const problem = checkControlId(id);
                if (problem) ctx.addIssue({ code: 'custom', path: [id], message: problem });
              }
            })
            .default({}),
        })
        .strict()
        .default({ disabled: [], severity: {} }),
    })
    .strict();
}

export type HardlineConfig = z.infer<ReturnType<typeof configSchemaFor>>;

/** The settings when nothing is configured. */
export function defaultConfig(): HardlineConfig {
  return configSchemaFor().parse({});
}
