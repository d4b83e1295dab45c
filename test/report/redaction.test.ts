import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../shared/config/settings.js';
import { controls } from '../../shared/controls/index.js';
import { runScan } from '../../shared/engine/scan.js';
import { formatReport, REPORT_FORMATS } from '../../shared/report/format.js';
import { deployment, inventoryOf } from '../support/inventory.js';

const KEY = 'AKIAIOSFODNN7EXAMPLE';
const PEM = '-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAplanted\n-----END RSA PRIVATE KEY-----';

describe('every report format', () => {
  it('never prints a credential, even one smuggled into names the engine does not rewrite', () => {
    // Prepare: a credential in the resource name, the container name and the image reference.
    const inv = inventoryOf([
      deployment(`leak-${KEY}`, 'ns', {
        containers: [{ name: `c-${KEY}`, image: `https://u:${KEY}@registry.example.com/app`, env: [{ name: 'TLS_KEY', value: PEM }] }],
      }),
    ]);
    const report = runScan([{ inventory: inv }], {
      controls,
      exemptions: [],
      config: defaultConfig(),
      framework: 'all',
      scanId: 'redaction',
      startedAt: new Date('2026-11-30T00:00:00Z'),
      finishedAt: () => new Date('2026-11-30T00:00:01Z'),
    });
    expect(report.summary.byStatus.FAIL).toBeGreaterThan(0);
    for (const format of REPORT_FORMATS) {
      // Act
      const text = formatReport(report, format, { controls });
      // Assess
      expect(text, format).not.toContain(KEY);
      expect(text, format).not.toContain('MIIEowIBAAKCAQEAplanted');
      expect(text, format).toContain('[REDACTED]');
      if (['json', 'sarif', 'ocsf', 'asff'].includes(format)) expect(() => JSON.parse(text), format).not.toThrow();
    }
  });
});
