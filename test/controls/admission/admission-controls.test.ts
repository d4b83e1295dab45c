import { describe, expect, it } from 'vitest';
import { manifests, run, verdicts } from '../../support/controls.js';

const namespaces = `
apiVersion: v1
kind: Namespace
metadata: { name: prod-a, labels: { env: prod } }
---
apiVersion: v1
kind: Namespace
metadata: { name: dev-a, labels: { env: dev } }
---
apiVersion: v1
kind: Namespace
metadata: { name: kube-system }
`;
const constraint = (spec: string) =>
  manifests(`${namespaces}---
apiVersion: constraints.gatekeeper.sh/v1beta1
kind: K8sPSPPrivilegedContainer
metadata: { name: c }
spec:
${spec}`);

describe('admission.pod-security with Gatekeeper', () => {
  it('covers only the namespaces the match selects', () => {
    const results = run('admission.pod-security', constraint(`  match:\n    namespaceSelector: { matchLabels: { env: prod } }\n`));
    expect(verdicts(results)).toEqual(['FAIL Namespace/dev-a', 'NOT_APPLICABLE Namespace/kube-system', 'PASS Namespace/prod-a']);
  });

  it('treats a labelSelector or a non-pod kind list as partial coverage', () => {
    expect(
      verdicts(run('admission.pod-security', constraint(`  match:\n    labelSelector: { matchLabels: { hardened: "true" } }\n`))),
    ).toContain('FAIL Namespace/prod-a');
    expect(verdicts(run('admission.pod-security', constraint(`  match:\n    kinds: [{ apiGroups: [""], kinds: [Service] }]\n`)))).toContain(
      'FAIL Namespace/prod-a',
    );
    expect(
      verdicts(run('admission.pod-security', constraint(`  match:\n    kinds: [{ apiGroups: [apps], kinds: [Deployment] }]\n`))),
    ).toContain('PASS Namespace/prod-a');
  });

  it('counts scoped enforcement only when the validation webhook denies', () => {
    const scoped = (point: string) =>
      run(
        'admission.pod-security',
        constraint(
          `  enforcementAction: scoped\n  scopedEnforcementActions:\n    - action: deny\n      enforcementPoints: [{ name: ${point} }]\n`,
        ),
      );
    expect(verdicts(scoped('validation.gatekeeper.sh'))).toContain('PASS Namespace/prod-a');
    expect(verdicts(scoped('audit.gatekeeper.sh'))).toContain('FAIL Namespace/prod-a');
  });

  it('honours the Gatekeeper Config exclusions', () => {
    const objs = [
      ...constraint(`  match: {}\n`),
      ...manifests(`
apiVersion: config.gatekeeper.sh/v1alpha1
kind: Config
metadata: { name: config, namespace: gatekeeper-system }
spec:
  match:
    - excludedNamespaces: ["dev-*"]
      processes: ["*"]
`),
    ];
    const results = run('admission.pod-security', objs);
    expect(results.find((r) => r.resource.name === 'dev-a')?.status).toBe('FAIL');
    expect(results.find((r) => r.resource.name === 'prod-a')?.status).toBe('PASS');
  });

  it('judges system namespaces with systemNamespaceControls: evaluate', () => {
    const results = run('admission.pod-security', manifests(namespaces), { systemNamespaceControls: 'evaluate' });
    expect(verdicts(results)).toContain('FAIL Namespace/kube-system');
  });
});

describe('admission.pod-security with Kyverno', () => {
  const policy = (spec: string) =>
    manifests(`${namespaces}---
apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata: { name: pss }
spec:
${spec}
  rules:
    - name: baseline
      match: { any: [{ resources: { kinds: [Pod] } }] }
      exclude: { any: [{ resources: { namespaces: ["dev-*"] } }] }
      validate: { podSecurity: { level: baseline } }
`);

  it('applies exclusions and Audit overrides per namespace', () => {
    expect(verdicts(run('admission.pod-security', policy('  validationFailureAction: Enforce')))).toEqual([
      'FAIL Namespace/dev-a',
      'NOT_APPLICABLE Namespace/kube-system',
      'PASS Namespace/prod-a',
    ]);
    const overridden = policy(
      '  validationFailureAction: Enforce\n  validationFailureActionOverrides:\n    - { action: Audit, namespaces: [prod-a] }',
    );
    expect(verdicts(run('admission.pod-security', overridden))).toContain('FAIL Namespace/prod-a');
  });

  it('does not count the privileged level', () => {
    const objs = manifests(`${namespaces}---
apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata: { name: pss }
spec:
  validationFailureAction: Enforce
  rules:
    - name: p
      match: { any: [{ resources: { kinds: [Pod] } }] }
      validate: { podSecurity: { level: privileged } }
`);
    expect(verdicts(run('admission.pod-security', objs))).toContain('FAIL Namespace/prod-a');
  });
});

describe('admission.allowed-repos', () => {
  it('lists the allowed repositories in the evidence', () => {
    const objs = manifests(`
apiVersion: constraints.gatekeeper.sh/v1beta1
kind: K8sAllowedReposv2
metadata: { name: ecr }
spec:
  match: { kinds: [{ apiGroups: [""], kinds: [Pod] }] }
  parameters: { allowedImages: ["111122223333.dkr.ecr.eu-west-1.amazonaws.com/*", "public.ecr.aws/eks/*"] }
`);
    const [r] = run('admission.allowed-repos', objs);
    expect(r).toMatchObject({
      status: 'PASS',
      evidence: { allowedRepos: ['111122223333.dkr.ecr.eu-west-1.amazonaws.com/*', 'public.ecr.aws/eks/*'] },
    });
  });

  it('reads a Kyverno deny on image registries', () => {
    const objs = manifests(`
apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata: { name: registries }
spec:
  validationFailureAction: Enforce
  rules:
    - name: r
      match: { any: [{ resources: { kinds: [Pod] } }] }
      validate:
        deny:
          conditions:
            all:
              - key: "{{ images.containers.*.registry }}"
                operator: AnyNotIn
                value: ["111122223333.dkr.ecr.eu-west-1.amazonaws.com"]
`);
    expect(run('admission.allowed-repos', objs)[0]).toMatchObject({
      status: 'PASS',
      evidence: { allowedRepos: ['111122223333.dkr.ecr.eu-west-1.amazonaws.com'] },
    });
  });
});

describe('admission.mutation-defaults', () => {
  it('reads Kyverno JSON patches and Gatekeeper Assign of a whole securityContext', () => {
    const objs = manifests(`
apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata: { name: defaults }
spec:
  rules:
    - name: ro
      match: { any: [{ resources: { kinds: [Pod] } }] }
      mutate:
        patchesJson6902: |-
          - op: add
            path: /spec/containers/0/securityContext/readOnlyRootFilesystem
            value: true
---
apiVersion: mutations.gatekeeper.sh/v1
kind: Assign
metadata: { name: pod-sc }
spec:
  applyTo: [{ groups: [""], kinds: [Pod], versions: [v1] }]
  location: spec.securityContext
  parameters: { assign: { value: { runAsNonRoot: true, seccompProfile: { type: RuntimeDefault } } } }
`);
    const [r] = run('admission.mutation-defaults', objs);
    expect(r?.status).toBe('PASS');
    expect([...((r?.evidence?.['settings'] as string[]) ?? [])].sort()).toEqual(
      [
        'container securityContext.readOnlyRootFilesystem=true',
        'pod securityContext.runAsNonRoot=true',
        'pod seccompProfile.type=RuntimeDefault',
      ].sort(),
    );
  });

  it('ignores mutations that do not apply to pods', () => {
    const objs = manifests(`
apiVersion: mutations.gatekeeper.sh/v1
kind: Assign
metadata: { name: svc }
spec:
  applyTo: [{ groups: [""], kinds: [Service], versions: [v1] }]
  location: spec.securityContext.runAsNonRoot
  parameters: { assign: { value: true } }
`);
    expect(run('admission.mutation-defaults', objs)[0]?.status).toBe('FAIL');
  });
});

describe('admission.allowed-repos with Kyverno foreach', () => {
  it('reads a per-container deny on the image', () => {
    const objs = manifests(`
apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata: { name: registries }
spec:
  validationFailureAction: Enforce
  rules:
    - name: r
      match: { any: [{ resources: { kinds: [Pod] } }] }
      validate:
        foreach:
          - list: "request.object.spec.containers"
            deny:
              conditions:
                any:
                  - key: "{{ element.image }}"
                    operator: NotEquals
                    value: "ghcr.io/acme/*"
`);
    expect(run('admission.allowed-repos', objs)[0]).toMatchObject({ status: 'PASS', evidence: { allowedRepos: ['ghcr.io/acme/*'] } });
  });
});
