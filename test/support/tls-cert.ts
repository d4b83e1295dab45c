import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';

/**
 * A throw-away certificate authority and a server certificate for 127.0.0.1/localhost, made at test
 * time with node:crypto alone. Why not the openssl CLI: CI machines are fresh Debian images where
 * the `openssl` binary is not guaranteed; X.509 is only a little DER, and Node signs it.
 */
export interface TlsMaterial {
  /** PEM of the CA that signed the server certificate: what a kubeconfig's certificate-authority-data holds. */
  caPem: string;
  certPem: string;
  keyPem: string;
}

// --- minimal DER encoder (X.690) -------------------------------------------------------------
function len(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v >>= 8) bytes.unshift(v & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}
const tlv = (tag: number, body: Buffer): Buffer => Buffer.concat([Buffer.from([tag]), len(body.length), body]);
const seq = (...items: Buffer[]): Buffer => tlv(0x30, Buffer.concat(items));
const set = (...items: Buffer[]): Buffer => tlv(0x31, Buffer.concat(items));
const octets = (b: Buffer): Buffer => tlv(0x04, b);
const bits = (b: Buffer, unused = 0): Buffer => tlv(0x03, Buffer.concat([Buffer.from([unused]), b]));
const bool = (v: boolean): Buffer => tlv(0x01, Buffer.from([v ? 0xff : 0]));
const utf8 = (s: string): Buffer => tlv(0x0c, Buffer.from(s, 'utf8'));
const explicit = (n: number, body: Buffer): Buffer => tlv(0xa0 + n, body);

function integer(b: Buffer): Buffer {
  // DER integers are signed: a leading 0 keeps a high first bit positive.
  return tlv(0x02, b[0]! & 0x80 ? Buffer.concat([Buffer.from([0]), b]) : b);
}

function oid(dotted: string): Buffer {
  const parts = dotted.split('.').map(Number);
  const out = [40 * parts[0]! + parts[1]!];
  for (const p of parts.slice(2)) {
    const chunk: number[] = [p & 0x7f];
    for (let v = p >> 7; v > 0; v >>= 7) chunk.unshift((v & 0x7f) | 0x80);
    out.push(...chunk);
  }
  return tlv(0x06, Buffer.from(out));
}

function utcTime(d: Date): Buffer {
  const p = (n: number) => String(n).padStart(2, '0');
  const s = `${p(d.getUTCFullYear() % 100)}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}Z`;
  return tlv(0x17, Buffer.from(s, 'ascii'));
}

const OID = {
  commonName: '2.5.4.3',
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
  basicConstraints: '2.5.29.19',
  keyUsage: '2.5.29.15',
  extKeyUsage: '2.5.29.37',
  serverAuth: '1.3.6.1.5.5.7.3.1',
  subjectAltName: '2.5.29.17',
  subjectKeyId: '2.5.29.14',
  authorityKeyId: '2.5.29.35',
} as const;

const name = (cn: string): Buffer => seq(set(seq(oid(OID.commonName), utf8(cn))));
const extension = (id: string, critical: boolean, value: Buffer): Buffer =>
  seq(oid(id), ...(critical ? [bool(true)] : []), octets(value));

function keyId(publicKey: KeyObject): Buffer {
  return createHash('sha1').update(publicKey.export({ type: 'spki', format: 'der' })).digest();
}

interface CertSpec {
  subject: string;
  issuer: string;
  publicKey: KeyObject;
  signingKey: KeyObject;
  issuerPublicKey: KeyObject;
  ca: boolean;
  altNames?: { dns: string[]; ips: string[] };
}

function certificate(spec: CertSpec): string {
  const sigAlg = seq(oid(OID.ecdsaWithSha256));
  const serial = randomBytes(16);
  serial[0] = serial[0]! & 0x7f;
  const now = Date.now();
  const exts = [
    extension(OID.basicConstraints, true, spec.ca ? seq(bool(true)) : seq()),
    // keyCertSign + cRLSign for the CA; digitalSignature for the server (ECDHE signing).
    extension(OID.keyUsage, true, spec.ca ? bits(Buffer.from([0x06]), 1) : bits(Buffer.from([0x80]), 7)),
    extension(OID.subjectKeyId, false, octets(keyId(spec.publicKey))),
    extension(OID.authorityKeyId, false, seq(tlv(0x80, keyId(spec.issuerPublicKey)))),
  ];
  if (!spec.ca) exts.push(extension(OID.extKeyUsage, false, seq(oid(OID.serverAuth))));
  if (spec.altNames) {
    const ipBytes = (ip: string) => Buffer.from(ip.split('.').map(Number));
    const general = [
      ...spec.altNames.dns.map((d) => tlv(0x82, Buffer.from(d, 'ascii'))),
      ...spec.altNames.ips.map((ip) => tlv(0x87, ipBytes(ip))),
    ];
    exts.push(extension(OID.subjectAltName, false, seq(...general)));
  }
  const tbs = seq(
    explicit(0, integer(Buffer.from([2]))),
    integer(serial),
    sigAlg,
    name(spec.issuer),
    seq(utcTime(new Date(now - 60 * 60 * 1000)), utcTime(new Date(now + 2 * 24 * 60 * 60 * 1000))),
    name(spec.subject),
    spec.publicKey.export({ type: 'spki', format: 'der' }),
    tlv(0xa3, seq(...exts)),
  );
  const signature = sign('sha256', tbs, spec.signingKey); // DER ECDSA-Sig-Value for EC keys
  const der = seq(tbs, sigAlg, bits(signature));
  return `-----BEGIN CERTIFICATE-----\n${der.toString('base64').replace(/.{1,64}/g, '$&\n')}-----END CERTIFICATE-----\n`;
}

let cached: TlsMaterial | undefined;

/** A CA plus a server certificate for 127.0.0.1 and localhost, shared by the process's test servers. */
export function testTlsMaterial(): TlsMaterial {
  cached ??= createTlsMaterial();
  return cached;
}

/** A new, unrelated CA and server certificate (e.g. to prove a client rejects a server its CA did not sign). */
export function createTlsMaterial(): TlsMaterial {
  const ca = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const server = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const caPem = certificate({
    subject: 'hardline test CA',
    issuer: 'hardline test CA',
    publicKey: ca.publicKey,
    signingKey: ca.privateKey,
    issuerPublicKey: ca.publicKey,
    ca: true,
  });
  const certPem = certificate({
    subject: '127.0.0.1',
    issuer: 'hardline test CA',
    publicKey: server.publicKey,
    signingKey: ca.privateKey,
    issuerPublicKey: ca.publicKey,
    ca: false,
    altNames: { dns: ['localhost'], ips: ['127.0.0.1'] },
  });
  return { caPem, certPem, keyPem: server.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() };
}
