import { describe, expect, it } from 'vitest';
import { controlById } from '../../shared/controls/index.js';
import { InputError } from '../../shared/core/errors.js';
import { DEFAULT_EXEMPTIONS } from '../../shared/engine/default-exemptions.js';
import { evaluate } from '../../shared/engine/evaluate.js';
import { parseExemptions } from '../../shared/engine/exemptions.js';
import { deployment, inventoryOf } from '../support/inventory.js';

const NOW = new Date('2026-11-30T12:00:00Z');
const privileged = controlById('workload.privileged')!;
const privPod = { containers: [{ name: 'c', image: 'x:1', securityContext: { privileged: true } }] };

describe('exemptions', () => {
  it('marks a matching FAIL as exempted and keeps its real status', () => {
    const ex = parseExemptions(
      [{ controlId: 'workload.priv*', match: { namespace: 'ingress-*', kind: 'Deployment' }, reason: 'data plane', expires: '2027-01-31' }],
      'ex.yaml',
      { now: NOW },
    );
    const results = evaluate(
      inventoryOf([deployment('envoy', 'ingress-a', privPod), deployment('app', 'shop', privPod)]),
      [privileged],
      ex,
      { now: NOW },
    ).toArray();
    const envoy = results.find((r) => r.resource.name === 'envoy')!;
    expect(envoy.status).toBe('FAIL');
    expect(envoy.exempted).toEqual({ by: 'file:ex.yaml', reason: 'data plane', expires: '2027-01-31', source: 'file:ex.yaml' });
    expect(results.find((r) => r.resource.name === 'app')!.exempted).toBeUndefined();
  });

  it('matches literal, glob and any-value patterns for the target and the resource, first applicable one winning', () => {
    const ex = parseExemptions(
      [
        { controlId: 'workload.privileged', match: { cluster: 'prod-*', namespace: 'ns', name: 'a?' }, reason: 'prod only' },
        { controlId: 'workload.*', match: { cluster: 'stage', kind: 'Deploy*', name: '*' }, reason: 'stage any' },
        { controlId: 'workload.privileged', match: { namespace: 'other' }, reason: 'never here' },
      ],
      'ex.yaml',
      { now: NOW },
    );
    const pods = [deployment('ab', 'ns', privPod), deployment('abc', 'ns', privPod), deployment('b', 'ns', privPod)];
    const reasons = (cluster: string) =>
      evaluate(inventoryOf(pods, [], cluster), [privileged], ex, { now: NOW })
        .toArray()
        .map((r) => `${r.resource.name}:${r.exempted?.reason ?? '-'}`);
    expect(reasons('prod-eu')).toEqual(['ab:prod only', 'abc:-', 'b:-']);
    expect(reasons('stage')).toEqual(['ab:stage any', 'abc:stage any', 'b:stage any']);
    expect(reasons('dev')).toEqual(['ab:-', 'abc:-', 'b:-']);
  });

  it('stops applying an expired exemption and says so on the result', () => {
    const ex = parseExemptions([{ controlId: 'workload.privileged', match: {}, reason: 'temporary', expires: '2026-11-29' }], 'ex.yaml', {
      now: NOW,
    });
    const [r] = evaluate(inventoryOf([deployment('a', 'ns', privPod)]), [privileged], ex, { now: NOW }).toArray();
    expect(r!.exempted).toBeUndefined();
    expect(r!.exemptionExpired).toMatchObject({ reason: 'temporary', expires: '2026-11-29' });
  });

  it('treats a date-only expiry as valid through that day (UTC)', () => {
    const ex = parseExemptions([{ controlId: 'workload.privileged', match: {}, reason: 'today still', expires: '2026-11-30' }], 'ex.yaml', {
      now: NOW,
    });
    const [r] = evaluate(inventoryOf([deployment('a', 'ns', privPod)]), [privileged], ex, { now: NOW }).toArray();
    expect(r!.exempted?.reason).toBe('today still');
  });

  it('honours the hardline.dev/exempt annotation on the resource and on its namespace', () => {
    const annotated = deployment('a', 'ns1', privPod, {
      metadata: {
        annotations: { 'hardline.dev/exempt': 'workload.host-network, workload.privileged', 'hardline.dev/exempt-reason': 'CNI agent' },
      },
    });
    const ns2 = {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: {
        name: 'ns2',
        annotations: { 'hardline.dev/exempt': 'workload.privileged', 'hardline.dev/exempt-reason': 'build sandbox' },
      },
    };
    const results = evaluate(
      inventoryOf([annotated, ns2, deployment('b', 'ns2', privPod), deployment('c', 'ns3', privPod)]),
      [privileged],
      [],
      { now: NOW },
    ).toArray();
    const by = Object.fromEntries(results.map((r) => [r.resource.name, r.exempted]));
    expect(by['a']).toEqual({ reason: 'CNI agent', by: 'annotation:Deployment/ns1/a', source: 'annotation:Deployment/ns1/a' });
    expect(by['b']).toMatchObject({ by: 'annotation:Namespace/ns2', source: 'annotation:Namespace/ns2' });
    expect(by['c']).toBeUndefined();
  });

  it('rejects exemptions without a reason or with a bad date, naming the entry and field', () => {
    expect(() => parseExemptions([{ controlId: 'workload.privileged', match: {} }], 'f.yaml', { now: NOW })).toThrow(
      /exemptions\[0\]\.reason/,
    );
    expect(() => parseExemptions([{ controlId: 'workload.privileged', reason: 'r', expires: 'someday' }], 'f.yaml', { now: NOW })).toThrow(
      InputError,
    );
    expect(() => parseExemptions([{ controlId: 'workload.privileged', reason: 'r', match: { pod: 'y' } }], 'f.yaml', { now: NOW })).toThrow(
      /exemptions\[0\]\.match/,
    );
  });

  it('ships default exemptions that only name specific components, each with a reason', () => {
    for (const e of DEFAULT_EXEMPTIONS) {
      expect(e.reason.length).toBeGreaterThan(20);
      expect(Object.keys(e.match).length, `${e.controlId} must be scoped`).toBeGreaterThan(0);
    }
    const envoy = deployment('envoy', 'tanzu-system-ingress', {
      containers: [{ name: 'envoy', image: 'x:1', securityContext: { capabilities: { add: ['NET_ADMIN'] } } }],
    });
    const results = evaluate(inventoryOf([envoy]), [controlById('workload.capabilities-dangerous')!], DEFAULT_EXEMPTIONS, {
      now: NOW,
    }).toArray();
    expect(results[0]).toMatchObject({ status: 'FAIL', exempted: { by: 'default', source: 'default' } });
  });
});
