import { describe, expect, it } from 'vitest';
import type { ResourceMessage } from '../../shared/core/types.js';
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

  it('a group whose messages name their resource keeps each as given; repeats after them are still kept once', () => {
    const writer = new ResultWriter();
    const group = writer.group({ controlId: 'workload.image-digest', severity: 'medium', target });
    const unique = Array.from({ length: 600 }, (_, i) => ({
      message: `image team/svc-${i}:1.0 is not pinned`,
      evidence: { image: `team/svc-${i}:1.0` },
    }));
    for (const [i, u] of unique.entries()) group.add('FAIL', pod(`p${i}`), u.message, u.evidence);
    // Alternating containers: consecutive results differ, so only the lookup can find the copy.
    for (let i = 0; i < 4; i++)
      group.add('FAIL', pod(`q${i}`), `container '${i % 2 ? 'app' : 'envoy'}' is privileged`, {
        field: `containers[${i % 2 ? 'app' : 'envoy'}]`,
      });
    const results = writer.finish().toArray();
    expect(results.slice(0, 600).map((r) => [r.message, r.evidence])).toEqual(unique.map((u) => [u.message, u.evidence]));
    expect(results.slice(0, 600).every((r, i) => r.evidence === unique[i]!.evidence)).toBe(true);
    const tail = results.slice(600);
    expect(tail.map((r) => r.message)).toEqual([
      "container 'envoy' is privileged",
      "container 'app' is privileged",
      "container 'envoy' is privileged",
      "container 'app' is privileged",
    ]);
    expect(tail.map((r) => r.evidence)).toEqual([
      { field: 'containers[envoy]' },
      { field: 'containers[app]' },
      { field: 'containers[envoy]' },
      { field: 'containers[app]' },
    ]);
    // After 600 misses the group no longer looks: the repeats are kept as given, equal in value.
    expect(tail[2]!.evidence).not.toBe(tail[0]!.evidence);
  });

  it('a group that repeats its messages keeps one copy, also when they alternate', () => {
    const writer = new ResultWriter();
    const group = writer.group({ controlId: 'workload.privileged', severity: 'high', target });
    for (let i = 0; i < 1000; i++) {
      const name = i % 2 ? 'app' : 'envoy';
      group.add('FAIL', pod(`p${i}`), `container '${name}' is privileged`, { field: `containers[${name}]` });
    }
    const results = writer.finish().toArray();
    expect(new Set(results.map((r) => r.evidence)).size).toBe(2);
    expect(results[998]!.evidence).toEqual({ field: 'containers[envoy]' });
    expect(results[999]!.message).toBe("container 'app' is privileged");
  });
});

describe('result columns across their resource chunks', () => {
  it('keeps every resource, status, message and exemption in order past chunk boundaries, through truncate and keepOnly', () => {
    const writer = new ResultWriter();
    const group = writer.group({ controlId: 'workload.privileged', severity: 'high', target });
    for (let i = 0; i < 2500; i++)
      group.add(i % 3 ? 'PASS' : 'FAIL', pod(`p${i}`), i % 3 ? 'not privileged' : `container 'c${i}' runs privileged`);
    group.truncate(2048);
    group.truncate(1030);
    for (let i = 1030; i < 3100; i++) group.add('PASS', pod(`r${i}`), 'not privileged');
    // What a check returned out of order: the rows from 3000 on, reversed.
    group.keepOnly(3000, [3099, 3000]);
    group.exempt(1024, { exempted: { by: 'team', reason: 'accepted', source: 'default' } });
    const results = writer.finish().toArray();
    expect(results).toHaveLength(3002);
    expect(results.slice(0, 1030).map((r) => r.resource.name)).toEqual(Array.from({ length: 1030 }, (_, i) => `p${i}`));
    expect(results.slice(1030, 3000).map((r) => r.resource.name)).toEqual(Array.from({ length: 1970 }, (_, i) => `r${i + 1030}`));
    expect(results.slice(3000).map((r) => r.resource.name)).toEqual(['r3099', 'r3000']);
    expect(results[1023]!.status).toBe('FAIL');
    expect(results[1023]!.message).toBe("container 'c1023' runs privileged");
    expect(results[1024]!.exempted?.by).toBe('team');
    expect(results[1025]!.exempted).toBeUndefined();
  });
});

describe('messages that name their resource', () => {
  it('are written from each result’s own resource when read, kept once, and survive keepOnly and exemptions', () => {
    const writer = new ResultWriter();
    const group = writer.group({ controlId: 'network.unique-service-selector', severity: 'low', target });
    let written = 0;
    const unique: ResourceMessage = (ref) => {
      written++;
      return `Service ${ref.namespace}/${ref.name} has a unique selector`;
    };
    for (let i = 0; i < 2000; i++) group.add('PASS', pod(`s${i}`), unique);
    group.add('FAIL', pod('dup'), 'Service a/dup has the same selector (app=x) as s1');
    // Recording writes nothing: the text is written when a result is read.
    expect(written).toBe(0);
    group.keepOnly(1998, [2000, 1999, 1998]);
    group.exempt(5, { exempted: { by: 'team', reason: 'accepted', source: 'default' } });
    const results = writer.finish().toArray();
    expect(written).toBe(2000);
    expect(results).toHaveLength(2001);
    expect(results[0]!.message).toBe('Service a/s0 has a unique selector');
    expect(results[5]!.message).toBe('Service a/s5 has a unique selector');
    expect(results[5]!.exempted?.by).toBe('team');
    expect(results.slice(1998).map((r) => r.message)).toEqual([
      'Service a/dup has the same selector (app=x) as s1',
      'Service a/s1999 has a unique selector',
      'Service a/s1998 has a unique selector',
    ]);
    // One entry for the 2,000 results: their messages are one function, not 2,000 strings.
    const columns = (group as unknown as { columns: { entryMessages: unknown[] } }).columns;
    expect(columns.entryMessages).toHaveLength(2);
  });
});

describe('PASS rows with one message', () => {
  it('addPass records what add records, one entry for all, also between FAILs and after a truncate', () => {
    const viaAdd = new ResultWriter();
    const viaPass = new ResultWriter();
    const a = viaAdd.group({ controlId: 'workload.privileged', severity: 'high', target });
    const p = viaPass.group({ controlId: 'workload.privileged', severity: 'high', target });
    const ok = 'no container is privileged';
    const named: ResourceMessage = (ref) => `Pod a/${ref.name} passes`;
    for (let i = 0; i < 3000; i++) {
      const message = i % 500 === 0 ? named : ok;
      a.add('PASS', pod(`p${i}`), message);
      p.addPass(pod(`p${i}`), message);
      if (i % 3 === 0) {
        a.add('FAIL', pod(`p${i}`), "container 'app' is privileged", { field: 'x' });
        p.add('FAIL', pod(`p${i}`), "container 'app' is privileged", { field: 'x' });
      }
      if (i === 1500) {
        a.truncate(1000);
        p.truncate(1000);
      }
    }
    expect(JSON.stringify(viaPass.finish())).toBe(JSON.stringify(viaAdd.finish()));
    const columns = (p as unknown as { columns: { entryMessages: unknown[] } }).columns;
    expect(columns.entryMessages).toHaveLength(3);
  });
});
