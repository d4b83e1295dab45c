import type { JsonObject } from './k8s-list.js';

/**
 * Pods as a live API server returns them: managed fields, the kubectl last-applied annotation,
 * owner references and a full status — the weight the collector strips as pages arrive.
 * Deterministic: pod i is always the same object.
 */
export function syntheticPod(i: number, namespaces = 50): JsonObject {
  const ns = `team-${String(i % namespaces).padStart(3, '0')}`;
  const app = `app-${i % 200}`;
  const name = `${app}-7d9f8c6b5-${i.toString(36).padStart(5, '0')}`;
  const container = {
    name: 'main',
    image: `123456789012.dkr.ecr.eu-west-1.amazonaws.com/${app}:1.${i % 17}.0`,
    imagePullPolicy: 'IfNotPresent',
    ports: [{ containerPort: 8080, protocol: 'TCP' }],
    env: [
      { name: 'LOG_LEVEL', value: 'info' },
      { name: 'POD_NAME', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.name' } } },
    ],
    resources: i % 3 === 0 ? {} : { limits: { cpu: '500m', memory: '256Mi' }, requests: { cpu: '100m', memory: '128Mi' } },
    securityContext:
      i % 5 === 0
        ? { privileged: true }
        : { allowPrivilegeEscalation: false, runAsNonRoot: true, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
    volumeMounts: [{ name: 'kube-api-access-abcde', mountPath: '/var/run/secrets/kubernetes.io/serviceaccount', readOnly: true }],
    terminationMessagePath: '/dev/termination-log',
    terminationMessagePolicy: 'File',
  };
  const spec = {
    containers: [container],
    serviceAccountName: 'default',
    nodeName: `ip-10-0-${i % 250}-${i % 200}.eu-west-1.compute.internal`,
    restartPolicy: 'Always',
    dnsPolicy: 'ClusterFirst',
    schedulerName: 'default-scheduler',
    securityContext: {},
    tolerations: [
      { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
      { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
    ],
    volumes: [
      { name: 'kube-api-access-abcde', projected: { sources: [{ serviceAccountToken: { expirationSeconds: 3607, path: 'token' } }] } },
    ],
  };
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: ns,
      uid: `00000000-0000-4000-8000-${i.toString(16).padStart(12, '0')}`,
      resourceVersion: String(100000 + i),
      creationTimestamp: '2026-10-01T10:00:00Z',
      labels: { app, 'pod-template-hash': '7d9f8c6b5' },
      annotations: {
        'kubectl.kubernetes.io/last-applied-configuration': JSON.stringify({
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: { name, namespace: ns },
          spec: { containers: [container] },
        }),
        'prometheus.io/scrape': 'true',
      },
      ownerReferences: [
        { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: `${app}-7d9f8c6b5`, uid: 'rs-uid', controller: true, blockOwnerDeletion: true },
      ],
      managedFields: [
        {
          manager: 'kube-controller-manager',
          operation: 'Update',
          apiVersion: 'v1',
          time: '2026-10-01T10:00:00Z',
          fieldsType: 'FieldsV1',
          fieldsV1: {
            'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} }, 'f:ownerReferences': {} },
            'f:spec': { 'f:containers': { 'k:{"name":"main"}': { '.': {}, 'f:image': {}, 'f:name': {}, 'f:ports': {} } } },
          },
        },
        {
          manager: 'kubelet',
          operation: 'Update',
          apiVersion: 'v1',
          time: '2026-10-01T10:00:05Z',
          fieldsType: 'FieldsV1',
          subresource: 'status',
          fieldsV1: { 'f:status': { 'f:conditions': {}, 'f:containerStatuses': {}, 'f:phase': {}, 'f:podIP': {} } },
        },
      ],
    },
    spec,
    status: {
      phase: 'Running',
      conditions: ['Initialized', 'Ready', 'ContainersReady', 'PodScheduled'].map((type) => ({
        type,
        status: 'True',
        lastTransitionTime: '2026-10-01T10:00:05Z',
      })),
      hostIP: `10.0.${i % 250}.${i % 200}`,
      podIP: `10.1.${i % 250}.${i % 200}`,
      podIPs: [{ ip: `10.1.${i % 250}.${i % 200}` }],
      startTime: '2026-10-01T10:00:00Z',
      qosClass: 'Burstable',
      containerStatuses: [
        {
          name: 'main',
          state: { running: { startedAt: '2026-10-01T10:00:04Z' } },
          lastState: {},
          ready: true,
          restartCount: 0,
          image: container.image,
          imageID: `${container.image.split(':')[0]}@sha256:${(i % 17).toString(16).padStart(64, 'a')}`,
          containerID: `containerd://${i.toString(16).padStart(64, '0')}`,
          started: true,
        },
      ],
    },
  };
}

export function syntheticPods(n: number, namespaces = 50): JsonObject[] {
  return Array.from({ length: n }, (_, i) => syntheticPod(i, namespaces));
}
