import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../shared/inventory/types.js';
import { manifests, run, verdicts } from '../../support/controls.js';

const lbService = (annotations: Record<string, string>, spec: Record<string, unknown> = {}): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'web', namespace: 'shop', annotations },
  spec: { type: 'LoadBalancer', selector: { app: 'web' }, ports: [{ port: 80 }], ...spec },
});

const statusOfWeb = (controlId: string, svc: KubeObject) => run(controlId, [svc]).find((r) => r.resource.name === 'web')?.status;

describe('network.internet-exposed: who provisions a LoadBalancer Service decides its scheme', () => {
  it('the legacy provider: internal for any aws-load-balancer-internal value but "false"', () => {
    expect(
      statusOfWeb('network.internet-exposed', lbService({ 'service.beta.kubernetes.io/aws-load-balancer-internal': '0.0.0.0/0' })),
    ).toBe('PASS');
    expect(statusOfWeb('network.internet-exposed', lbService({ 'service.beta.kubernetes.io/aws-load-balancer-internal': 'false' }))).toBe(
      'FAIL',
    );
  });

  it('the AWS Load Balancer Controller: aws-load-balancer-internal "true" wins over an internet-facing scheme', () => {
    const svc = lbService(
      {
        'service.beta.kubernetes.io/aws-load-balancer-internal': 'true',
        'service.beta.kubernetes.io/aws-load-balancer-scheme': 'internet-facing',
      },
      { loadBalancerClass: 'service.k8s.aws/nlb' },
    );
    expect(statusOfWeb('network.internet-exposed', svc)).toBe('PASS');
    const autoMode = lbService(
      { 'service.beta.kubernetes.io/aws-load-balancer-scheme': 'internet-facing' },
      { loadBalancerClass: 'eks.amazonaws.com/nlb' },
    );
    expect(statusOfWeb('network.internet-exposed', autoMode)).toBe('FAIL');
  });

  it('a load balancer class hardline does not know is UNKNOWN, never PASS', () => {
    const results = run('network.internet-exposed', [lbService({}, { loadBalancerClass: 'example.com/lb' })]);
    expect(verdicts(results)).toEqual(['UNKNOWN Service/shop/web']);
    expect(results[0]!.message).toMatch(/example\.com\/lb/);
  });

  it('source ranges restrict only when none of them is /0 (the annotation form included)', () => {
    const ranged = (ranges: string) => lbService({ 'service.beta.kubernetes.io/load-balancer-source-ranges': ranges });
    expect(statusOfWeb('network.internet-exposed', ranged('10.0.0.0/8,192.0.2.0/24'))).toBe('PASS');
    expect(statusOfWeb('network.internet-exposed', ranged('10.0.0.0/8, 0.0.0.0/0'))).toBe('FAIL');
  });

  it('a class-less Ingress is judged against every ingress proxy in front of the internet', () => {
    const objs = manifests(`
apiVersion: apps/v1
kind: Deployment
metadata: { name: traefik, namespace: edge }
spec:
  selector: { matchLabels: { app: traefik } }
  template:
    metadata: { labels: { app: traefik } }
    spec: { containers: [{ name: traefik, image: docker.io/traefik:v3.1 }] }
---
apiVersion: v1
kind: Service
metadata: { name: traefik, namespace: edge }
spec: { type: LoadBalancer, selector: { app: traefik }, ports: [{ port: 443 }] }
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: { name: legacy, namespace: shop }
spec: { defaultBackend: { service: { name: legacy, port: { number: 80 } } } }
`);
    expect(verdicts(run('network.internet-exposed', objs))).toEqual(['FAIL Ingress/shop/legacy', 'FAIL Service/edge/traefik']);
  });
});

describe('network.ingress-tls', () => {
  const tlsService = (sslPorts?: string) =>
    lbService(
      {
        'service.beta.kubernetes.io/aws-load-balancer-ssl-cert': 'arn:aws:acm:eu-west-1:111122223333:certificate/abc',
        ...(sslPorts ? { 'service.beta.kubernetes.io/aws-load-balancer-ssl-ports': sslPorts } : {}),
      },
      {
        ports: [
          { name: 'http', port: 80 },
          { name: 'https', port: 443 },
        ],
      },
    );

  it('a port left out of aws-load-balancer-ssl-ports is still plain HTTP', () => {
    expect(statusOfWeb('network.ingress-tls', tlsService())).toBe('PASS');
    expect(statusOfWeb('network.ingress-tls', tlsService('https'))).toBe('FAIL');
    expect(statusOfWeb('network.ingress-tls', tlsService('443,80'))).toBe('PASS');
  });

  it('does not judge internal load balancers', () => {
    const internal = lbService({ 'service.beta.kubernetes.io/aws-load-balancer-internal': 'true' });
    expect(statusOfWeb('network.ingress-tls', internal)).toBe('NOT_APPLICABLE');
  });

  it('ingress-nginx with ssl-redirect "false" serves TLS hosts over HTTP too', () => {
    const objs = manifests(`
apiVersion: apps/v1
kind: Deployment
metadata: { name: ingress-nginx-controller, namespace: ingress-nginx }
spec:
  selector: { matchLabels: { app: nginx } }
  template:
    metadata: { labels: { app: nginx } }
    spec: { containers: [{ name: controller, image: registry.k8s.io/ingress-nginx/controller:v1.11.3 }] }
---
apiVersion: v1
kind: Service
metadata: { name: ingress-nginx-controller, namespace: ingress-nginx }
spec: { type: LoadBalancer, selector: { app: nginx }, ports: [{ port: 80 }, { port: 443 }] }
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: shop
  namespace: shop
  annotations: { nginx.ingress.kubernetes.io/ssl-redirect: "false" }
spec:
  ingressClassName: nginx
  tls: [{ hosts: [shop.example.com] }]
  rules: [{ host: shop.example.com, http: { paths: [{ path: /, pathType: Prefix, backend: { service: { name: shop, port: { number: 80 } } } }] } }]
`);
    const shop = run('network.ingress-tls', objs).find((r) => r.resource.kind === 'Ingress')!;
    expect(shop.status).toBe('FAIL');
    expect(shop.message).toMatch(/ssl-redirect/);
  });
});
