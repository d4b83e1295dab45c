import { describe, expect, it } from 'vitest';
import { ResultWriter } from '../../shared/engine/results.js';

const target = { kind: 'manifests' as const, name: 't' };
const pod = (name: string) => ({ apiVersion: 'v1', kind: 'Pod', namespace: 'a', name, container: 'app' });

describe('result columns keep one copy of what a group repeats', () => {
  it('equal evidence under the same message is kept once; different values or key order are kept as they are', () => {
    const writer = new ResultWriter();
    const group = writer.group({ controlId: 'workload.privileged', severity: 'high', target });
    const message = "container 'app' is privileged";
    group.add('FAIL', pod('p1'), message, { field: 'containers[app].securityContext.privileged', value: true });
    group.add('FAIL', pod('p2'), `container 'app' is ${'privileged'}`, {
      field: 'containers[app].securityContext.privileged',
      value: true,
    });
    group.add('FAIL', pod('p3'), message, { field: 'containers[app].securityContext.privileged', value: 'yes', extra: ['x'] });
    group.add('FAIL', pod('p4'), message, { value: true, field: 'containers[app].securityContext.privileged' });
    group.add('FAIL', pod('p5'), message, { field: 'containers[app].securityContext.privileged', value: 'yes', extra: ['y'] });
    const [r1, r2, r3, r4, r5] = writer.finish().toArray();
    expect(r2!.evidence).toBe(r1!.evidence);
    expect(r2!.message).toBe(message);
    expect(r3!.evidence).not.toBe(r1!.evidence);
    expect(r4!.evidence).not.toBe(r1!.evidence);
    expect(JSON.stringify(r4!.evidence)).toBe('{"value":true,"field":"containers[app].securityContext.privileged"}');
    expect(r5!.evidence).toEqual({ field: 'containers[app].securityContext.privileged', value: 'yes', extra: ['y'] });
    expect([r1, r2, r3, r4, r5].map((r) => r!.resource.name)).toEqual(['p1', 'p2', 'p3', 'p4', 'p5']);
  });
});
