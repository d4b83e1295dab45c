import { describe, expect, it } from 'vitest';
import { credentialValueKind, isPlaceholderValue, VALUE_PATTERNS } from '../../shared/redaction/credentials.js';
import { redact, redactDocument } from '../../shared/redaction/redact.js';

/** The text shapes credentials hide in beyond token formats, and the look-alikes that must stay as they are. */
describe('redaction of credentials in free text', () => {
  it.each([
    ['robot:Img5ecret@registry.example.com/shop/app:1.0', '[REDACTED]@registry.example.com/shop/app:1.0'],
    ['ci:Img5ecret@localhost:5000/app:1', '[REDACTED]@localhost:5000/app:1'],
    ['/srv/app/password=HostPath5ecret', '/srv/app/password=[REDACTED]'],
    ['-Xmx1g -Dspring.datasource.password=Assign5ecret -Dx=1', '-Xmx1g -Dspring.datasource.password=[REDACTED] -Dx=1'],
    ['Server=db;Database=shop;User Id=sa;Password=Conn5ecret;', 'Server=db;Database=shop;User Id=sa;Password=[REDACTED];'],
    ['Data Source=db;Pwd=Conn5ecret', 'Data Source=db;Pwd=[REDACTED]'],
    ['jdbc:postgresql://db/shop?user=app&password=Query5ecret&ssl=true', 'jdbc:postgresql://db/shop?user=app&password=[REDACTED]&ssl=true'],
    ['client_secret=Client5ecret api-key = Key5ecret', 'client_secret=[REDACTED] api-key = [REDACTED]'],
    ['postgres://u:Url5ecret@h/db', '[REDACTED]h/db'],
    [
      'DefaultEndpointsProtocol=https;AccountName=shop;AccountKey=Zm9vYmFyQWNjb3VudEtleTU=;EndpointSuffix=core.windows.net',
      'DefaultEndpointsProtocol=https;AccountName=shop;AccountKey=[REDACTED];EndpointSuffix=core.windows.net',
    ],
    [
      'Endpoint=sb://shop.servicebus.windows.net/;SharedAccessKeyName=Root;SharedAccessKey=U2hhcmVkS2V5NWVjcmV0=',
      'Endpoint=sb://shop.servicebus.windows.net/;SharedAccessKeyName=Root;SharedAccessKey=[REDACTED]',
    ],
    [
      'https://shop.blob.core.windows.net/img?sv=2022-11-02&sp=rl&se=2027-01-01&sig=Sas5ecretSignature%2Bab%3D',
      'https://shop.blob.core.windows.net/img?sv=2022-11-02&sp=rl&se=2027-01-01&sig=[REDACTED]',
    ],
    ['AZURE_CLIENT_SECRET=Az78Q~Cl1ent5ecretAbcdefghijklmnopqrstuv', 'AZURE_CLIENT_SECRET=[REDACTED]'],
    ['client secret Az78Q~Cl1ent5ecretAbcdefghijklmnopqrstuv in use', 'client secret [REDACTED] in use'],
    ['key AIzaSyA1b2c3d4e5f6g7h8i9j0KLMNOPQRSTU_- used', 'key [REDACTED] used'],
    ['{"type": "service_account", "private_key": "MIIEvQIBADANGcp5ecret\\n"}', '{"type": "service_account", "private_key": "[REDACTED]"}'],
    ['----BEGIN RSA PRIVATE KEY----\nMIIEFourDash5ecret\n----END RSA PRIVATE KEY----\nnext', '[REDACTED]\nnext'],
    ['-----BEGIN  RSA  PRIVATE KEY-----\nMIIESpaced5ecret\n-----END  RSA  PRIVATE KEY-----', '[REDACTED]'],
    ['----- BEGIN EC PRIVATE KEY -----\nMHcEc5ecret\n----- END EC PRIVATE KEY -----', '[REDACTED]'],
    ['-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaSsh5ecret\n-----END OPENSSH PRIVATE KEY-----', '[REDACTED]'],
    ['-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIFEnc5ecret\n-----END ENCRYPTED PRIVATE KEY-----', '[REDACTED]'],
    ['-----BEGIN PGP PRIVATE KEY BLOCK-----\nlQPgp5ecret\n-----END PGP PRIVATE KEY BLOCK-----', '[REDACTED]'],
    ['PuTTY-User-Key-File-3: ssh-ed25519\nPrivate-Lines: 1\nAAAAPutty5ecret\nPrivate-MAC: 0a1b2c\nnext', '[REDACTED]\nnext'],
    ['curl -H "Authorization: Bearer Bearer5ecretTokenAbcdefghij" x', 'curl -H "Authorization: Bearer [REDACTED]" x'],
    ['STRIPE_API_KEY=Api5ecretValue NPM_TOKEN=Npm5ecretValue', 'STRIPE_API_KEY=[REDACTED] NPM_TOKEN=[REDACTED]'],
  ])('%s', (text, expected) => {
    expect(redact(text)).toBe(expected);
    expect(redactDocument(JSON.stringify({ message: text }))).toBe(JSON.stringify({ message: expected }));
    expect(redact(redact(text))).toBe(expected);
    expect(credentialValueKind(text)).toBeDefined();
  });

  it.each([
    'nginx:1.25@sha256:0123456789abcdef',
    'registry.example.com:5000/app:1.0@sha256:0123456789abcdef',
    'admin@example.com',
    'password=',
    'password= token=',
    'password=$(DB_PASSWORD)',
    'password=${DB_PASSWORD}',
    'password={{ .Values.password }}',
    'secret=<set-me>',
    'secret_name=db-credentials',
    'tokenizer=bert bypass=true',
    'env var DB_PASSWORD: literal value',
    '{"password":"kept-as-a-json-key-is-not-free-text"}',
    'KEY_NAME=foo TOKEN_TTL=3600 API_KEY_HEADER=X-Api-Key',
    '-----BEGIN CERTIFICATE-----\nMIIBCertificate\n-----END CERTIFICATE-----',
    '-----BEGIN PUBLIC KEY-----\nMIIBIjPublic\n-----END PUBLIC KEY-----',
    '-----BEGIN OPENSSH PUBLIC KEY-----',
    'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIPublicOnly user@host',
    'https://example.com/search?q=signature&sigma=1&sig=short',
    '"private_key_id": "abc123", "private_key": ""',
    'Authorization: Bearer $(TOKEN)',
    'AIzaTooShort',
  ])('%s is left as it is (not a literal credential in text)', (text) => {
    expect(redact(text)).toBe(text);
    expect(credentialValueKind(text)).toBeUndefined();
  });

  it('redacts inside XML/HTML renderings, where & and " are escaped', () => {
    expect(redactDocument('<failure message="https://a.blob.core.windows.net/c?sv=1&amp;sig=Sas5ecretSignature%2Bab%3D"/>')).toBe(
      '<failure message="https://a.blob.core.windows.net/c?sv=1&amp;sig=[REDACTED]"/>',
    );
    expect(redactDocument('<td>{&quot;private_key&quot;: &quot;MIIEvGcp5ecret\\n&quot;}</td>')).toBe(
      '<td>{&quot;private_key&quot;: &quot;[REDACTED]&quot;}</td>',
    );
  });

  it('placeholders after password= are redacted but not reported as credentials', () => {
    expect(credentialValueKind('PWD=/home/app token=true password=1234')).toBeUndefined();
  });

  it('the one-pattern pre-filter drops no value a token pattern recognises', () => {
    // Each pattern on its own, as credentialValueKind judged before the union of hints ran first.
    const byEachPattern = (value: string) =>
      VALUE_PATTERNS.find(
        (p) =>
          p.hint.test(value) &&
          p.re.test(value) &&
          (!p.literal || [...value.matchAll(new RegExp(p.re.source, 'gi'))].some((m) => p.literal!(m[0].slice(m[1]!.length)))),
      )?.kind;
    const samples = [
      'AKIAABCDEFGHIJKLMNOP',
      'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJlLXZhbHVl',
      'ghp_abcdefghijklmnopqrstuvwxyz0123456789',
      'github_pat_abcdefghijklmnopqrstuvwxyz0123456789',
      'xoxb-1234567890-abcdefghij',
      'sk_live_abcdefghijklmnop1234',
      'robot:Img5ecret@registry.example.com/app:1 and x:y@SHA256:abc',
      'x:y@SHA256:abc',
      'API_TOKEN = Tok5ecretValue',
      'Token=Tok5ecretValue',
      '\\"private_key\\": \\"MIIE',
      'server:\n  port: 8080\n',
      'quay.io/team/svc-0:1.0.0',
    ];
    for (const value of samples) expect(credentialValueKind(value), value).toBe(byEachPattern(value));
    expect(isPlaceholderValue('Tok5ecretValue')).toBe(false);
  });
});
