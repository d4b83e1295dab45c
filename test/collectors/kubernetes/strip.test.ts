import { describe, expect, it } from 'vitest';
import { KUBERNETES_KINDS, stripObject } from '../../../shared/collectors/kubernetes/index.js';
import { assertNotSecrets, parseRetryAfter } from '../../../shared/collectors/kubernetes/transport.js';
import { POD_BEARING_KINDS } from '../../../shared/inventory/workloads.js';
import { syntheticPod } from '../../support/synthetic-pods.js';

describe('stripObject', () => {
  const raw = syntheticPod(3);

  it('drops managedFields and the last-applied annotation, keeps other annotations, labels and owners', () => {
    const out = stripObject(raw, 'v1', 'Pod', 'pod');
    expect(out.metadata?.managedFields).toBeUndefined();
    expect(out.metadata?.annotations).toEqual({ 'prometheus.io/scrape': 'true' });
    expect(out.metadata?.labels).toEqual((raw['metadata'] as { labels: unknown }).labels);
    expect(out.metadata?.ownerReferences).toHaveLength(1);
    expect(out['spec']).toBe(raw['spec']);
  });

  it('pod retention keeps the phase and each container image digest, nothing else of status', () => {
    const out = stripObject(raw, 'v1', 'Pod', 'pod');
    expect(out['status']).toEqual({
      phase: 'Running',
      containerStatuses: [
        { name: 'main', image: expect.stringContaining('.dkr.ecr.'), imageID: expect.stringMatching(/@sha256:[0-9a-f]{64}$/) },
      ],
    });
    expect(JSON.stringify(out).length).toBeLessThan(JSON.stringify(raw).length / 2);
  });

  it('spec retention drops status; node retention keeps only the addresses of the status; all keeps status', () => {
    expect(stripObject({ metadata: { name: 'd' }, spec: { a: 1 }, status: { b: 2 } }, 'apps/v1', 'Deployment', 'spec')).toEqual({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'd' },
      spec: { a: 1 },
    });
    const node = {
      metadata: { name: 'n' },
      spec: { providerID: 'aws:///eu-west-1a/i-0abc' },
      status: {
        addresses: [
          { type: 'InternalIP', address: '10.0.1.5' },
          { type: 'ExternalIP', address: '203.0.113.7', extra: 'dropped' },
        ],
        images: [{ names: ['a'], sizeBytes: 1 }],
        conditions: [{ type: 'Ready', status: 'True' }],
      },
    };
    expect(stripObject(node, 'v1', 'Node', 'node')).toEqual({
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name: 'n' },
      status: {
        addresses: [
          { type: 'InternalIP', address: '10.0.1.5' },
          { type: 'ExternalIP', address: '203.0.113.7' },
        ],
      },
    });
    expect(stripObject({ metadata: { name: 'n' }, status: { addresses: 'odd' } }, 'v1', 'Node', 'node')).toEqual({
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name: 'n' },
    });
    expect(
      stripObject({ metadata: { name: 'a' }, status: { conditions: [] } }, 'apiregistration.k8s.io/v1', 'APIService', 'all')['status'],
    ).toEqual({ conditions: [] });
  });

  it('sets apiVersion and kind even when the list item had none, and survives odd objects', () => {
    expect(stripObject({}, 'v1', 'ConfigMap', 'all')).toEqual({ apiVersion: 'v1', kind: 'ConfigMap' });
    expect(stripObject({ metadata: 'nonsense', status: 'x' }, 'v1', 'Pod', 'pod')).toEqual({ apiVersion: 'v1', kind: 'Pod' });
  });

  it('every pod-bearing kind is collected without status', () => {
    for (const kind of POD_BEARING_KINDS) {
      const spec = KUBERNETES_KINDS.find((k) => k.kind === kind);
      expect(spec, kind).toBeDefined();
      expect(['spec', 'pod']).toContain(spec!.retain);
    }
  });
});

describe('transport helpers', () => {
  it('parses Retry-After as seconds or an HTTP date', () => {
    expect(parseRetryAfter('3')).toBe(3000);
    expect(parseRetryAfter(new Date(10_000).toUTCString(), 4_000)).toBe(6000);
    expect(parseRetryAfter('soon')).toBeUndefined();
    expect(parseRetryAfter(undefined)).toBeUndefined();
  });

  it('refuses any path naming secrets, and the kinds list never names them', () => {
    expect(() => assertNotSecrets('/api/v1/secrets')).toThrow(/never reads/);
    expect(() => assertNotSecrets('/api/v1/namespaces/x/secrets/y')).toThrow(/never reads/);
    expect(() => assertNotSecrets('/api/v1/configmaps')).not.toThrow();
    expect(KUBERNETES_KINDS.filter((k) => k.plural === 'secrets' || k.kind === 'Secret')).toEqual([]);
  });
});

describe('transport error messages', () => {
  it('name the innermost cause when fetch only says "fetch failed"', async () => {
    const { transportError } = await import('../../../shared/collectors/kubernetes/errors.js');
    const err = transportError(new TypeError('fetch failed', { cause: new Error('bad port') }), '/api', 'https://127.0.0.1:1', 1000);
    expect(err.reason).toBe('unreachable');
    expect(err.message).toBe('request to https://127.0.0.1:1 failed: fetch failed: bad port');
    const refused = transportError(
      new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }) }),
      '/api',
      'https://h',
      1000,
    );
    expect(refused.message).toMatch(/connection refused by https:\/\/h/);
    expect(refused.retryable).toBe(true);
    const timeout = transportError(new DOMException('The operation was aborted due to timeout', 'TimeoutError'), '/api', 'https://h', 1000);
    expect(timeout.reason).toBe('timeout');
  });
});
