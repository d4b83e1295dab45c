import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { embeddedCredentials } from '../../shared/redaction/credentials.js';
import { run } from '../support/controls.js';

const configMap = (data: Record<string, string>) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'cm', namespace: 'a' },
  data,
});

describe('config.credentials-in-configmap', () => {
  it('names the keys and never repeats a value, for any generated secret', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z0-9]{12,40}$/), (secret) => {
        const results = run('config.credentials-in-configmap', [
          configMap({
            DB_PASSWORD: secret,
            'app.properties': `db.url=jdbc:x\ndb.password=${secret}\n`,
            'config.json': `{\n  "apiKey": "${secret}",\n  "x": 1\n}`,
          }),
        ]);
        expect(results[0]?.status).toBe('FAIL');
        expect(results[0]?.evidence?.['keys']).toEqual([
          'data.DB_PASSWORD',
          'data.app.properties: db.password',
          'data.config.json: apiKey',
        ]);
        expect(JSON.stringify(results)).not.toContain(secret);
      }),
      { numRuns: 50 },
    );
  });

  it('does not flag references, placeholders, certificates or host names', () => {
    const results = run('config.credentials-in-configmap', [
      configMap({
        PASSWORD_FILE: '/etc/secret/password',
        TOKEN: '${TOKEN}',
        password: '<from-vault>',
        'tls.crt': '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n',
        REDIS_HOST: 'master.prod-cache.abc123xyz.euw1.cache.amazonaws.com',
      }),
    ]);
    expect(results.map((r) => r.status)).toEqual(['PASS']);
  });
});

describe('embeddedCredentials', () => {
  it('reads .env, YAML, JSON and XML shapes, skipping comments', () => {
    const text = [
      'export API_TOKEN=abcd1234efgh',
      '# password: commented-out-value',
      'nested:',
      '  client_secret: "s3cr3t-value"',
      '"privateKey": "k3y-material-here",',
      '<password>xml-secret-value</password>',
    ].join('\n');
    expect(embeddedCredentials(text).map((h) => h.key)).toEqual(['API_TOKEN', 'client_secret', 'privateKey', 'password']);
  });
});
