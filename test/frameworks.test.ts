import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { controls } from '../shared/controls/index.js';
import { UsageError } from '../shared/core/errors.js';
import { TOOL_VERSION } from '../shared/core/version.js';
import { frameworkById, frameworks, selectControls } from '../shared/frameworks/index.js';

/** The catalog when framework membership was still listed by hand. */
const CATALOG_THEN = [
  'admission.allowed-repos',
  'admission.mutation-defaults',
  'admission.pod-security',
  'cluster.metrics-server',
  'config.credentials-in-configmap',
  'dashboard.exposed',
  'ecr.kms-encryption',
  'ecr.lifecycle-policy',
  'ecr.public-policy',
  'ecr.running-image-vulnerabilities',
  'ecr.scan-on-push',
  'ecr.tag-immutability',
  'eks.addon-current',
  'eks.audit-logging',
  'eks.cluster-admin-access',
  'eks.endpoint-public-access',
  'eks.nodegroup-imdsv2',
  'eks.nodegroup-remote-access',
  'eks.secrets-encryption',
  'eks.supported-version',
  'logging.forwarder-retry',
  'logging.forwarder-siem',
  'namespace.limit-range',
  'namespace.required-labels',
  'namespace.resource-quota',
  'network.default-deny',
  'network.metadata-endpoint-blocked',
  'network.nodeport-service',
  'network.unique-service-selector',
  'network.workload-isolated',
  'rbac.anonymous-binding',
  'rbac.cluster-admin-binding',
  'rbac.default-service-account',
  'rbac.escalation-verbs',
  'rbac.exec-attach',
  'rbac.secrets-read',
  'rbac.wildcard',
  'workload.allowed-registries',
  'workload.apparmor',
  'workload.automount-service-account-token',
  'workload.capabilities-baseline',
  'workload.capabilities-dangerous',
  'workload.capabilities-drop-all',
  'workload.credentials-in-env',
  'workload.host-ipc',
  'workload.host-network',
  'workload.host-path',
  'workload.host-pid',
  'workload.host-port',
  'workload.host-probes',
  'workload.image-digest',
  'workload.image-tag',
  'workload.naked-pod',
  'workload.privilege-escalation',
  'workload.privileged',
  'workload.proc-mount',
  'workload.proc-mount-restricted',
  'workload.pull-policy',
  'workload.read-only-root-filesystem',
  'workload.resource-limits',
  'workload.resource-requests',
  'workload.run-as-non-root',
  'workload.run-as-user-root',
  'workload.seccomp',
  'workload.seccomp-unconfined',
  'workload.selinux',
  'workload.sysctls',
  'workload.volume-types',
  'workload.windows-host-process',
];

/** Each framework's membership as it was listed by hand, before it was derived from the controls' references. */
const LISTED_MEMBERSHIP: Record<string, readonly string[]> = {
  'nsa-cisa': [
    'admission.allowed-repos',
    'admission.mutation-defaults',
    'admission.pod-security',
    'cluster.metrics-server',
    'config.credentials-in-configmap',
    'dashboard.exposed',
    'ecr.running-image-vulnerabilities',
    'ecr.scan-on-push',
    'ecr.tag-immutability',
    'eks.addon-current',
    'eks.audit-logging',
    'eks.cluster-admin-access',
    'eks.endpoint-public-access',
    'eks.nodegroup-imdsv2',
    'eks.nodegroup-remote-access',
    'eks.secrets-encryption',
    'eks.supported-version',
    'logging.forwarder-retry',
    'logging.forwarder-siem',
    'namespace.limit-range',
    'namespace.resource-quota',
    'network.default-deny',
    'network.metadata-endpoint-blocked',
    'network.nodeport-service',
    'network.workload-isolated',
    'rbac.anonymous-binding',
    'rbac.cluster-admin-binding',
    'rbac.default-service-account',
    'rbac.escalation-verbs',
    'rbac.exec-attach',
    'rbac.secrets-read',
    'rbac.wildcard',
    'workload.allowed-registries',
    'workload.apparmor',
    'workload.automount-service-account-token',
    'workload.capabilities-baseline',
    'workload.capabilities-dangerous',
    'workload.capabilities-drop-all',
    'workload.credentials-in-env',
    'workload.host-ipc',
    'workload.host-network',
    'workload.host-path',
    'workload.host-pid',
    'workload.host-port',
    'workload.host-probes',
    'workload.image-digest',
    'workload.image-tag',
    'workload.privilege-escalation',
    'workload.privileged',
    'workload.proc-mount',
    'workload.proc-mount-restricted',
    'workload.pull-policy',
    'workload.read-only-root-filesystem',
    'workload.resource-limits',
    'workload.resource-requests',
    'workload.run-as-non-root',
    'workload.run-as-user-root',
    'workload.seccomp',
    'workload.seccomp-unconfined',
    'workload.selinux',
    'workload.sysctls',
    'workload.volume-types',
    'workload.windows-host-process',
  ],
  'cis-eks': [
    'admission.allowed-repos',
    'ecr.public-policy',
    'ecr.running-image-vulnerabilities',
    'ecr.scan-on-push',
    'eks.audit-logging',
    'eks.cluster-admin-access',
    'eks.endpoint-public-access',
    'eks.nodegroup-remote-access',
    'eks.secrets-encryption',
    'network.default-deny',
    'rbac.cluster-admin-binding',
    'rbac.default-service-account',
    'rbac.escalation-verbs',
    'rbac.secrets-read',
    'rbac.wildcard',
    'workload.allowed-registries',
    'workload.automount-service-account-token',
    'workload.credentials-in-env',
    'workload.host-ipc',
    'workload.host-network',
    'workload.host-pid',
    'workload.privilege-escalation',
    'workload.privileged',
  ],
  'pss-baseline': [
    'workload.apparmor',
    'workload.capabilities-baseline',
    'workload.host-ipc',
    'workload.host-network',
    'workload.host-path',
    'workload.host-pid',
    'workload.host-port',
    'workload.host-probes',
    'workload.privileged',
    'workload.proc-mount',
    'workload.seccomp-unconfined',
    'workload.selinux',
    'workload.sysctls',
    'workload.windows-host-process',
  ],
  'pss-restricted': [
    'workload.apparmor',
    'workload.capabilities-baseline',
    'workload.capabilities-drop-all',
    'workload.host-ipc',
    'workload.host-network',
    'workload.host-path',
    'workload.host-pid',
    'workload.host-port',
    'workload.host-probes',
    'workload.privilege-escalation',
    'workload.privileged',
    'workload.proc-mount',
    'workload.proc-mount-restricted',
    'workload.run-as-non-root',
    'workload.run-as-user-root',
    'workload.seccomp',
    'workload.seccomp-unconfined',
    'workload.selinux',
    'workload.sysctls',
    'workload.volume-types',
    'workload.windows-host-process',
  ],
};

describe('frameworks as data', () => {
  it('name only controls that exist, each once', () => {
    for (const f of frameworks) {
      expect(
        f.controls.filter((id) => !controls.some((c) => c.id === id)),
        f.id,
      ).toEqual([]);
      expect(new Set(f.controls).size, f.id).toBe(f.controls.length);
    }
  });

  it('derive exactly the membership that was listed by hand (controls added since are judged by their references)', () => {
    expect(frameworks.map((f) => f.id)).toEqual(Object.keys(LISTED_MEMBERSHIP));
    for (const f of frameworks) expect(f.controls.filter((id) => CATALOG_THEN.includes(id)).sort(), f.id).toEqual(LISTED_MEMBERSHIP[f.id]);
  });

  it('agree with each control’s cross-references', () => {
    const ids = (id: string) => new Set(frameworkById(id)!.controls);
    for (const c of controls) {
      expect(ids('nsa-cisa').has(c.id), `${c.id} nsa`).toBe(c.frameworks.nsa !== undefined);
      expect(ids('cis-eks').has(c.id), `${c.id} cis`).toBe((c.frameworks.cis?.length ?? 0) > 0);
      expect(ids('pss-baseline').has(c.id), `${c.id} pss-baseline`).toBe(c.frameworks.pss?.level === 'baseline');
      expect(ids('pss-restricted').has(c.id), `${c.id} pss-restricted`).toBe(c.frameworks.pss !== undefined);
    }
  });

  it('selects by framework and by control globs, and rejects unknown ids', () => {
    expect(selectControls(controls, 'pss-baseline').every((c) => c.frameworks.pss?.level === 'baseline')).toBe(true);
    expect(selectControls(controls, 'all', ['workload.host-*']).map((c) => c.id)).toEqual([
      'workload.host-pid',
      'workload.host-ipc',
      'workload.host-network',
      'workload.host-port',
      'workload.host-path',
      'workload.host-probes',
    ]);
    expect(() => selectControls(controls, 'pci')).toThrow(UsageError);
    expect(() => selectControls(controls, 'all', ['workload.nope'])).toThrow(/workload\.nope/);
  });

  it('every control carries title, rationale, remediation and a unique kebab-case domain.check id', () => {
    expect(new Set(controls.map((c) => c.id)).size).toBe(controls.length);
    for (const c of controls) {
      expect(c.id).toMatch(/^[a-z]+\.[a-z0-9-]+$/);
      expect(c.title.length, c.id).toBeGreaterThan(10);
      expect(c.rationale.length, c.id).toBeGreaterThan(30);
      expect(c.remediation.length, c.id).toBeGreaterThan(20);
    }
  });
});

describe('version', () => {
  it('the CLI reports the package version', () => {
    expect(TOOL_VERSION).toBe(JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version);
  });
});
