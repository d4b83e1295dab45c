import { describe, expect, it } from 'vitest';
import { controlById } from '../../../shared/controls/index.js';
import { evaluate } from '../../../shared/engine/evaluate.js';
import { deployment, inventoryOf } from '../../support/inventory.js';

const control = controlById('cluster.metrics-server')!;
const now = new Date('2026-12-03T00:00:00Z');
const run = (...objects: Record<string, unknown>[]) => evaluate(inventoryOf(objects), [control], [], { now }).toArray();
const pod = (...images: string[]) => ({ containers: images.map((image, i) => ({ name: `c${i}`, image })) });

describe('cluster.metrics-server finds metrics-server through the shared image scan', () => {
  it('by its workload name, or by any container image naming it (a sidecar too), the first in inventory order', () => {
    const [byImage] = run(
      deployment('web', 'shop', pod('team/web:1.0')),
      deployment('metrics', 'kube-system', pod('team/proxy:1', 'registry.k8s.io/metrics-server/metrics-server:v0.7.2')),
      deployment('metrics-server', 'monitoring', pod('team/other:1')),
    );
    expect(byImage!.status).toBe('PASS');
    expect(byImage!.message).toBe('metrics-server runs as Deployment kube-system/metrics');
    const [byName] = run(deployment('metrics-server', 'monitoring', pod('team/other:1')));
    expect(byName!.message).toBe('metrics-server runs as Deployment monitoring/metrics-server');
  });

  it('is not fooled by the dashboard metrics scraper or other watched images', () => {
    const [result] = run(
      deployment('scraper', 'kubernetes-dashboard', pod('kubernetesui/metrics-scraper:v1.0.9')),
      deployment('ingress', 'ingress-nginx', pod('registry.k8s.io/ingress-nginx/controller:v1.11.2')),
    );
    expect(result!.status).toBe('FAIL');
  });
});
