import { describe, expect, it } from 'vitest';
import { credentialValueKind } from '../../shared/redaction/credentials.js';
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
  ])('%s is left as it is (not a literal credential in text)', (text) => {
    expect(redact(text)).toBe(text);
    expect(credentialValueKind(text)).toBeUndefined();
  });

  it('placeholders after password= are redacted but not reported as credentials', () => {
    expect(credentialValueKind('PWD=/home/app token=true password=1234')).toBeUndefined();
  });
});
