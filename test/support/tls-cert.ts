import 'reflect-metadata'; // @peculiar/x509's dependency injection needs it loaded first
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

/**
 * A throw-away certificate authority and a server certificate for 127.0.0.1/localhost, made at test
 * time by @peculiar/x509 over Node's WebCrypto. Not the openssl CLI: a fresh CI image does not
 * always have it. Not hand-written DER: an encoder of our own produced a non-canonical serial about
 * once in 200 certificates, which Node rejected and made the suite fail at random.
 */
export interface TlsMaterial {
  /** PEM of the CA that signed the server certificate: what a kubeconfig's certificate-authority-data holds. */
  caPem: string;
  certPem: string;
  keyPem: string;
}

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

const ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const HOUR = 60 * 60 * 1000;

/** A positive serial in canonical form: 16 random bytes, first byte in 0x01..0x7f (no sign bit, no leading zero). */
function serialNumber(): string {
  const bytes = webcrypto.getRandomValues(new Uint8Array(16));
  bytes[0] = (bytes[0]! % 0x7f) + 1;
  return Buffer.from(bytes).toString('hex');
}

async function keyPair(): Promise<webcrypto.CryptoKeyPair> {
  return webcrypto.subtle.generateKey(ALGORITHM, true, ['sign', 'verify']);
}

let cached: Promise<TlsMaterial> | undefined;

/** A CA plus a server certificate for 127.0.0.1 and localhost, shared by the process's test servers. */
export function testTlsMaterial(): Promise<TlsMaterial> {
  cached ??= createTlsMaterial();
  return cached;
}

/** A new, unrelated CA and server certificate (e.g. to prove a client rejects a server its CA did not sign). */
export async function createTlsMaterial(): Promise<TlsMaterial> {
  const now = Date.now();
  const validity = { notBefore: new Date(now - HOUR), notAfter: new Date(now + 48 * HOUR) };
  const caKeys = await keyPair();
  const ca = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serialNumber(),
    name: 'CN=hardline test CA',
    keys: caKeys,
    signingAlgorithm: ALGORITHM,
    ...validity,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(caKeys.publicKey),
    ],
  });
  const serverKeys = await keyPair();
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serialNumber(),
    subject: 'CN=127.0.0.1',
    issuer: ca.subject,
    publicKey: serverKeys.publicKey,
    signingKey: caKeys.privateKey,
    signingAlgorithm: ALGORITHM,
    ...validity,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension([
        { type: 'dns', value: 'localhost' },
        { type: 'ip', value: '127.0.0.1' },
      ]),
      await x509.SubjectKeyIdentifierExtension.create(serverKeys.publicKey),
      await x509.AuthorityKeyIdentifierExtension.create(ca),
    ],
  });
  const pkcs8 = await webcrypto.subtle.exportKey('pkcs8', serverKeys.privateKey);
  return { caPem: ca.toString('pem'), certPem: cert.toString('pem'), keyPem: x509.PemConverter.encode(pkcs8, 'PRIVATE KEY') };
}
