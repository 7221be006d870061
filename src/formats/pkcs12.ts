import { createHash, createHmac, randomBytes, X509Certificate } from 'node:crypto';

/**
 * A PKCS#12 truststore (RFC 7292): certificates only, no key, as `keytool -importcert -storetype pkcs12`
 * or `openssl pkcs12 -export -nokeys` make them for TAK clients. The certificate bags sit in a plain `data`
 * safe (a certificate is public); the password guards integrity through the HMAC-SHA1 MAC, which every
 * Android and Java version reads. Each bag carries a friendly name and Java's "trusted for any purpose"
 * attribute, without which Java keystores skip key-less certificates.
 */
export interface TruststoreOptions {
  /** PEM text holding one or more certificates. */
  certsPem: string;
  password: string;
  /** Alias of the first certificate (more get `-2`, `-3`, …). */
  alias?: string;
  /** MAC salt (random when not given) and iteration count (default 2048). */
  salt?: Buffer;
  iterations?: number;
}

// --- DER, only what a PKCS#12 needs ---

function len(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

const tlv = (tag: number, ...parts: Buffer[]): Buffer => {
  const body = Buffer.concat(parts);
  return Buffer.concat([Buffer.from([tag]), len(body.length), body]);
};
const seq = (...parts: Buffer[]) => tlv(0x30, ...parts);
const set = (...parts: Buffer[]) => tlv(0x31, ...parts);
const octets = (b: Buffer) => tlv(0x04, b);
const explicit0 = (...parts: Buffer[]) => tlv(0xa0, ...parts);
const NULL = Buffer.from([0x05, 0x00]);

function integer(n: number): Buffer {
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  if (bytes.length === 0 || (bytes[0] as number) & 0x80) bytes.unshift(0);
  return tlv(0x02, Buffer.from(bytes));
}

function oid(dotted: string): Buffer {
  const [a = 0, b = 0, ...rest] = dotted.split('.').map(Number);
  const out = [40 * a + b];
  for (const v of rest) {
    const groups: number[] = [v & 0x7f];
    for (let x = Math.floor(v / 128); x > 0; x = Math.floor(x / 128)) groups.unshift((x & 0x7f) | 0x80);
    out.push(...groups);
  }
  return tlv(0x06, Buffer.from(out));
}

/** BMPString: UTF-16 big-endian, as PKCS#12 names and passwords are written. */
function bmp(s: string): Buffer {
  const le = Buffer.from(s, 'utf16le');
  const be = Buffer.alloc(le.length);
  for (let i = 0; i + 1 < le.length; i += 2) {
    be[i] = le[i + 1] as number;
    be[i + 1] = le[i] as number;
  }
  return be;
}

const OID = {
  data: '1.2.840.113549.1.7.1',
  certBag: '1.2.840.113549.1.12.10.1.3',
  x509Certificate: '1.2.840.113549.1.9.22.1',
  friendlyName: '1.2.840.113549.1.9.20',
  /** Oracle's trusted-key-usage bag attribute, set by keytool on trusted certificate entries. */
  trustedKeyUsage: '2.16.840.1.113894.746875.1.1',
  anyExtendedKeyUsage: '2.5.29.37.0',
  sha1: '1.3.14.3.2.26',
};

/** PKCS#12 key derivation (RFC 7292 appendix B.2) with SHA-1, for one 20-byte MAC key (ID 3). */
export function pkcs12MacKey(password: string, salt: Buffer, iterations: number): Buffer {
  const v = 64;
  const fill = (b: Buffer) => {
    if (b.length === 0) return b;
    const out = Buffer.alloc(v * Math.ceil(b.length / v));
    for (let i = 0; i < out.length; i++) out[i] = b[i % b.length] as number;
    return out;
  };
  const pass = Buffer.concat([bmp(password), Buffer.from([0, 0])]);
  const d = Buffer.alloc(v, 3);
  let a = Buffer.concat([d, fill(salt), fill(pass)]);
  for (let i = 0; i < iterations; i++) a = createHash('sha1').update(a).digest();
  return a;
}

/** The DER certificates of a PEM text, each checked to be a certificate. */
export function pemCertificates(pem: string): Buffer[] {
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  if (blocks.length === 0) throw new Error('no certificate in the PEM text');
  return blocks.map((b) => new X509Certificate(b).raw);
}

/** A PKCS#12 file trusting the given certificates. */
export function pkcs12Truststore(o: TruststoreOptions): Buffer {
  const iterations = o.iterations ?? 2048;
  const salt = o.salt ?? randomBytes(16);
  const alias = o.alias ?? 'howl';
  const bags = pemCertificates(o.certsPem).map((der, i) =>
    seq(
      oid(OID.certBag),
      explicit0(seq(oid(OID.x509Certificate), explicit0(octets(der)))),
      set(
        seq(oid(OID.friendlyName), set(tlv(0x1e, bmp(i === 0 ? alias : `${alias}-${i + 1}`)))),
        seq(oid(OID.trustedKeyUsage), set(oid(OID.anyExtendedKeyUsage))),
      ),
    ),
  );
  const safeContents = seq(...bags);
  const authSafe = seq(seq(oid(OID.data), explicit0(octets(safeContents))));
  const mac = createHmac('sha1', pkcs12MacKey(o.password, salt, iterations))
    .update(authSafe)
    .digest();
  return seq(
    integer(3),
    seq(oid(OID.data), explicit0(octets(authSafe))),
    seq(seq(seq(oid(OID.sha1), NULL), octets(mac)), octets(salt), integer(iterations)),
  );
}
