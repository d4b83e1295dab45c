import { describe, expect, it } from 'vitest';
import { controlById } from '../../../shared/controls/index.js';
import { evaluate } from '../../../shared/engine/evaluate.js';
import type { KubeObject } from '../../../shared/inventory/types.js';
import { inventory, NOW, run, verdicts } from '../../support/controls.js';

const deployment = (name: string, namespace: string, image: string, args: string[] = []): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace },
  spec: { template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'main', image, args }] } } },
});

describe('finding the dashboard and the ingress proxies among the workloads', () => {
  const objs = [
    // Recognised by its image alone, under a name of its own.
    deployment('ops-ui', 'tools', 'registry.example.com/kubernetesui/dashboard:v2.7.0', ['--enable-skip-login']),
    // Recognised by its name alone (a mirrored image of another name).
    deployment('kubernetes-dashboard', 'kd', 'registry.example.com/ui/web:7.0.0'),
    deployment('dashboard-metrics-scraper', 'kd', 'kubernetesui/metrics-scraper:v1.0.8'),
    deployment('edge', 'ingress', 'registry.k8s.io/ingress-nginx/controller:v1.11.3'),
    deployment('web', 'shop', 'public.ecr.aws/shop/web:1.0'),
  ];

  it('recognises a dashboard by its image or by its name, and nothing else', () => {
    expect(verdicts(run('dashboard.exposed', objs))).toEqual(['FAIL Deployment/tools/ops-ui', 'PASS Deployment/kd/kubernetes-dashboard']);
  });

  it('gives the same results when the controls that look at images judge one inventory together', () => {
    const ids = ['dashboard.exposed', 'network.ingress-nginx-eol', 'network.ingress-nginx-snippets', 'network.internet-exposed'];
    const together = evaluate(
      inventory(objs),
      ids.map((id) => controlById(id)!),
      [],
      { now: NOW },
    ).toArray();
    expect(together).toEqual(ids.flatMap((id) => run(id, objs)));
    expect(verdicts(together.filter((r) => r.controlId === 'network.ingress-nginx-eol'))).toEqual(['FAIL Deployment/ingress/edge']);
  });
});
