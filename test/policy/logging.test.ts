import { describe, expect, it } from 'vitest';
import { fluentBitRetry, parseLogOutputs } from '../../shared/policy/logging/config.js';

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
    const outputs = parseLogOutputs(
      'fluent-bit',
      `
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
`,
      'f.conf',
    );
    expect(outputs.map((o) => [o.plugin, o.forwards, o.retry.ok])).toEqual([
      ['opensearch', true, true],
      ['null', false, false],
    ]);
  });

  it('reads Fluentd <match> directives, <store> under copy, and <label> sections', () => {
    const outputs = parseLogOutputs(
      'fluentd',
      `
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
`,
      'fluent.conf',
    );
    expect(outputs.map((o) => [o.plugin, o.forwards, o.retry.ok])).toEqual([
      ['splunk_hec', true, false],
      ['kinesis_firehose', true, true],
      ['null', false, true],
    ]);
  });
});
