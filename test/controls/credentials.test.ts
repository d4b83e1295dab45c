import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { credentialReason, embeddedCredentials } from '../../shared/redaction/credentials.js';
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

describe('credential names and values of every cloud', () => {
  it.each([
    ['AZURE_CLIENT_SECRET', 'literal-client-secret'],
    ['AZURE_STORAGE_ACCOUNT_KEY', 'Zm9vYmFyQWNjb3VudEtleQ=='],
    ['AZURE_STORAGE_CONNECTION_STRING', 'DefaultEndpointsProtocol=https;AccountName=a;AccountKey=Zm9vYmFy='],
    ['AZURE_SAS', 'sv=2022-11-02&sp=r&sig=c2FzU2lnbmF0dXJlVmFsdWU%3D'],
    ['GCP_SA_KEY', 'literal-key-material'],
    ['GOOGLE_APPLICATION_CREDENTIALS', '{"type":"service_account","private_key":"MIIEvQIBADAN"}'],
    ['SENDGRID_API_KEY', 'SG.literal-value'],
    ['NPM_TOKEN', 'npm-literal-value'],
    ['DATADOG_APP_KEY', 'literal-app-key'],
    ['SECRET_KEY_BASE', 'literal-rails-secret'],
    // Recognised by the value whatever the name.
    ['CONFIG', 'Az78Q~Cl1ent5ecretAbcdefghijklmnopqrstuv'],
    ['MAPS', 'AIzaSyA1b2c3d4e5f6g7h8i9j0KLMNOPQRSTU_-'],
    ['BLOB', 'https://a.blob.core.windows.net/c?sv=2022-11-02&sig=c2FzU2lnbmF0dXJlVmFsdWU%3D'],
    ['ID', '----BEGIN RSA PRIVATE KEY----\nMIIE\n----END RSA PRIVATE KEY----'],
    ['PPK', 'PuTTY-User-Key-File-2: ssh-rsa\nPrivate-Lines: 1\nAAAA\nPrivate-MAC: 0a1b'],
  ])('%s is a credential', (name, value) => {
    expect(credentialReason(name, value)).toBeDefined();
  });

  it.each([
    ['KEY_NAME', 'foo'],
    ['TOKEN_TTL', '3600'],
    ['API_KEY_HEADER', 'X-Api-Key'],
    ['GOOGLE_APPLICATION_CREDENTIALS', '/var/run/secrets/google/key.json'],
    ['S3_KEY', 'uploads/2026/report.csv'],
    ['PARTITION_KEY', 'customerId'],
    ['TLS_CERT', '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----'],
    ['SSH_PUBLIC_KEY', 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIPublic user@host'],
    ['PUBLIC_KEY', '-----BEGIN PUBLIC KEY-----\nMIIBIj\n-----END PUBLIC KEY-----'],
    ['AZURE_TENANT_ID', '4f1c2d3e-0000-4000-8000-123456789abc'],
    ['AZURE_CLIENT_ID', '9a8b7c6d-0000-4000-8000-123456789abc'],
  ])('%s=%s is not', (name, value) => {
    expect(credentialReason(name, value)).toBeUndefined();
  });
});
