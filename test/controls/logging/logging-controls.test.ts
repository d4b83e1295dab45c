import { describe, expect, it } from 'vitest';
import { manifests, run, verdicts } from '../../support/controls.js';

describe('logging controls', () => {
  it('finds config through projected volumes and judges outputs given as arguments', () => {
    const objs = manifests(`
apiVersion: apps/v1
kind: DaemonSet
metadata: { name: fb, namespace: logging }
spec:
  template:
    spec:
      containers:
        - { name: agent, image: fluent/fluent-bit:3.1, args: ["-i", "tail", "-o", "stdout"] }
      volumes:
        - name: cfg
          projected:
            sources:
              - configMap: { name: fb-outputs }
---
apiVersion: v1
kind: ConfigMap
metadata: { name: fb-outputs, namespace: logging }
data:
  out.conf: |
    [OUTPUT]
        Name loki
        Match *
        Retry_Limit 4
`);
    expect(run('logging.forwarder-siem', objs)[0]).toMatchObject({ status: 'PASS', message: expect.stringContaining('loki') });
    // The stdout output from the args is local: it neither forwards nor needs retries.
    expect(verdicts(run('logging.forwarder-retry', objs))).toEqual(['PASS DaemonSet/logging/fb']);
  });

  it('reports UNKNOWN when the forwarder config is not visible at all', () => {
    const objs = manifests(`
apiVersion: apps/v1
kind: DaemonSet
metadata: { name: fluentd, namespace: logging }
spec:
  template:
    spec:
      containers: [{ name: fluentd, image: fluent/fluentd:v1.17 }]
`);
    expect(run('logging.forwarder-siem', objs).map((r) => r.status)).toEqual(['UNKNOWN']);
  });
});
