import { describe, expect, it } from 'vitest';
import { controlById, controls } from '../../shared/controls/index.js';
import type { Control } from '../../shared/controls/types.js';
import { parseConfig } from '../../shared/engine/config.js';
import { evaluate } from '../../shared/engine/evaluate.js';
import { deployment, inventoryOf } from '../support/inventory.js';

const NOW = new Date('2026-11-30T12:00:00Z');
const privileged = controlById('workload.privileged')!;
const hostNetwork = controlById('workload.host-network')!;
const privPod = { containers: [{ name: 'c', image: 'x:1', securityContext: { privileged: true } }] };

describe('evaluate', () => {
  it('turns a throwing control into one ERROR result and keeps evaluating the others', () => {
    // Prepare
    const broken: Control = {
      ...privileged,
      id: 'test.broken',
      check: () => {
        throw new Error('boom\nstack');
      },
    };
    // Act
    const results = evaluate(inventoryOf([deployment('a', 'ns', privPod)]), [broken, privileged], [], { now: NOW }).toArray();
    // Assess
    expect(results.filter((r) => r.controlId === 'test.broken')).toEqual([
      expect.objectContaining({ status: 'ERROR', message: 'control failed: boom', resource: expect.objectContaining({ kind: 'Control' }) }),
    ]);
    expect(results.find((r) => r.controlId === 'workload.privileged')?.status).toBe('FAIL');
  });

  it('adds UNKNOWN for a gap in data a control reads, and still reports what it could read', () => {
    const inv = inventoryOf(
      [deployment('a', 'ns', privPod)],
      [{ source: 'DaemonSet', reason: 'forbidden', message: 'daemonsets is forbidden' }],
    );
    const results = evaluate(inv, [privileged], [], { now: NOW }).toArray();
    expect(results.map((r) => r.status).sort()).toEqual(['FAIL', 'UNKNOWN']);
    const unknown = results.find((r) => r.status === 'UNKNOWN')!;
    expect(unknown.message).toContain('could not read DaemonSet');
    expect(unknown.message).toContain('403');
  });

  it('reports one UNKNOWN per control when every kind failed the same way (unreachable API server)', () => {
    const gaps = ['Pod', 'Deployment', 'DaemonSet', 'StatefulSet'].map((source) => ({
      source,
      reason: 'unreachable' as const,
      message: 'connect ETIMEDOUT',
    }));
    const results = evaluate(inventoryOf([], gaps), [privileged, hostNetwork], [], { now: NOW }).toArray();
    expect(results.map((r) => [r.controlId, r.status, r.resource.name])).toEqual([
      ['workload.privileged', 'UNKNOWN', 'DaemonSet,Deployment,Pod,StatefulSet'],
      ['workload.host-network', 'UNKNOWN', 'DaemonSet,Deployment,Pod,StatefulSet'],
    ]);
    expect(results[0]!.message).toContain('unreachable');
  });

  it('makes a control UNKNOWN, never PASS, when data it requires could not be read', () => {
    const needsPolicies: Control = {
      ...privileged,
      id: 'test.needs-policies',
      reads: [],
      requires: ['NetworkPolicy'],
      check: function* (ctx) {
        yield ctx.outcome('PASS', { apiVersion: 'v1', kind: 'Namespace', name: 'ns' }, 'covered');
      },
    };
    const inv = inventoryOf([], [{ source: 'NetworkPolicy', reason: 'timeout', message: 'after 10s' }]);
    const results = evaluate(inv, [needsPolicies], [], { now: NOW }).toArray();
    expect(results).toHaveLength(1);
    expect(results[0]).toMatchObject({ status: 'UNKNOWN', controlId: 'test.needs-policies' });
  });

  it('judges a Deployment once, not again through its ReplicaSet and Pods', () => {
    const dep = deployment('web', 'shop', privPod);
    const rs = {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: { name: 'web-1', namespace: 'shop', ownerReferences: [{ kind: 'Deployment', name: 'web', controller: true }] },
      spec: { template: { spec: privPod } },
    };
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'web-1-x', namespace: 'shop', ownerReferences: [{ kind: 'ReplicaSet', name: 'web-1', controller: true }] },
      spec: privPod,
    };
    const orphan = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'runner', namespace: 'shop', ownerReferences: [{ kind: 'Workflow', name: 'w', controller: true }] },
      spec: privPod,
    };
    const results = evaluate(inventoryOf([dep, rs, pod, orphan]), [privileged], [], { now: NOW }).toArray();
    expect(results.map((r) => `${r.resource.kind}/${r.resource.name}`).sort()).toEqual(['Deployment/web', 'Pod/runner']);
  });

  it('applies config: disabled controls, severity overrides and excluded namespaces', () => {
    const config = parseConfig({
      controls: { disabled: ['workload.host-*'], severity: { 'workload.privileged': 'low' } },
      excludeNamespaces: ['sandbox-*'],
    });
    const inv = inventoryOf([deployment('a', 'prod', { ...privPod, hostNetwork: true }), deployment('b', 'sandbox-1', privPod)]);
    const results = evaluate(inv, [privileged, hostNetwork], [], { config, now: NOW }).toArray();
    expect(results.map((r) => [r.controlId, r.resource.name, r.severity])).toEqual([['workload.privileged', 'a', 'low']]);
  });

  it('judges a target only with the controls of its kind (a registry has no namespaces, a manifest folder no EKS settings)', () => {
    const registry = { ...inventoryOf([]), target: { kind: 'registry' as const, name: '111122223333.dkr.ecr.eu-west-1.amazonaws.com' } };
    const byScope = (scope: string) => controls.filter((c) => c.scope === scope);
    const judged = new Set(
      evaluate(registry, controls, [], { now: NOW })
        .toArray()
        .map((r) => controlById(r.controlId)!.scope),
    );
    expect([...judged].every((scope) => scope === 'ecr')).toBe(true);
    const manifests = evaluate(inventoryOf([deployment('a', 'ns', privPod)]), byScope('eks'), [], { now: NOW }).toArray();
    expect(manifests).toEqual([]);
  });
});
