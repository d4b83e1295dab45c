import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';

const CLEAN = 'test/controls/fixtures/workload.privileged/pass/hardened-deployment.yaml';
// No region anywhere: the AWS paths must load and then refuse with their own message.
const NO_AWS = {
  AWS_REGION: '',
  AWS_DEFAULT_REGION: '',
  AWS_PROFILE: '',
  AWS_CONFIG_FILE: '/nonexistent',
  AWS_SHARED_CREDENTIALS_FILE: '/nonexistent',
};

describe('AWS code the scan loads only when asked for', () => {
  it('--to-securityhub loads the import after the report is written and refuses without a region (exit 2)', () => {
    const r = runCli(['scan', CLEAN, '--controls', 'workload.privileged', '--to-securityhub'], { env: NO_AWS });
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('compliance score: 100.0%');
    expect(r.stderr).toContain('--to-securityhub needs an AWS region');
  });

  it('--aws loads the AWS source and refuses without a region (exit 2), writing no report', () => {
    const r = runCli(['scan', '--aws', '--format', 'json'], { env: NO_AWS });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('no AWS region configured');
    expect(r.stdout).toBe('');
  });
});
