import { describe, expect, it } from 'vitest';
import { fluentBitRetry, parseLogOutputs } from '../../../shared/controls/cluster/logging-config.js';
import { manifests, run, verdicts } from './helpers.js';

describe('Fluent Bit Retry_Limit', () => {
  it.each([
    [undefined, false],
    ['False', false],
    ['no_limits', false],
    ['no_retries', false],
    ['0', false],
    ['-1', false],
    ['five', false],
    ['1', true],
    ['15', true],
  ])('%s → compliant %s', (value, ok) => {
    expect(fluentBitRetry(value).ok).toBe(ok);
  });
});

describe('log output parsing', () => {
  it('reads classic sections case-insensitively and ignores comments and directives', () => {
    const outputs = parseLogOutputs('fluent-bit', `
[SERVICE]
    Flush 1
@INCLUDE outputs.conf
# [OUTPUT] in a comment does not count
[OUTPUT]
    name   opensearch
    match  kube.*
    retry_limit 3
[OUTPUT]
    Name   null
    Match  noise.*
`, 'f.conf');
    expect(outputs.map((o) => [o.plugin, o.forwards, o.retry.ok])).toEqual([
      ['opensearch', true, true],
      ['null', false, false],
    ]);
  });

  it('reads Fluentd <match> directives, <store> under copy, and <label> sections', () => {
    const outputs = parseLogOutputs('fluentd', `
<label @SIEM>
  <match **>
    @type splunk_hec
    <buffer>
      retry_max_times 0
    </buffer>
  </match>
</label>
<match audit.**>
  @type copy
  <store>
    @type kinesis_firehose
  </store>
  <store>
    @type null
  </store>
</match>
<match other.**>
  @type relabel
  @label @SIEM
</match>
`, 'fluent.conf');
    expect(outputs.map((o) => [o.plugin, o.forwards, o.retry.ok])).toEqual([
      ['splunk_hec', true, false],
      ['kinesis_firehose', true, true],
      ['null', false, true],
    ]);
  });
});

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
