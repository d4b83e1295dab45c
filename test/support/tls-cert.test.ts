import { X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createTlsMaterial } from './tls-cert.js';

describe('test TLS material', () => {
  // The hand-written DER encoder this replaced failed about once in 200 certificates; 300 in a row
  // would have caught it with a probability of about 78 %.
  it('every generated server certificate verifies against its CA and names 127.0.0.1 and localhost', async () => {
    for (let i = 0; i < 300; i++) {
      const { caPem, certPem, keyPem } = await createTlsMaterial();
      const ca = new X509Certificate(caPem);
      const cert = new X509Certificate(certPem);
      expect(ca.ca).toBe(true);
      expect(cert.verify(ca.publicKey)).toBe(true);
      expect(cert.checkIssued(ca)).toBe(true);
      expect(cert.checkIP('127.0.0.1')).toBe('127.0.0.1');
      expect(cert.checkHost('localhost')).toBe('localhost');
      expect(keyPem).toMatch(/^-----BEGIN PRIVATE KEY-----/);
      // Canonical DER INTEGER: no leading zero byte, no sign bit.
      expect(cert.serialNumber).toMatch(/^(0[1-9A-F]|[1-7][0-9A-F])/i);
    }
  });
});
