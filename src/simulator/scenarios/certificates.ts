/**
 * Synchronous X.509 certificates for scenario data.
 *
 * Scenario builders are synchronous (`mimecastScenario(now)` returns data, not a promise) but the
 * directory must hold real, parseable certificates whose validity is relative to the injected clock.
 * @peculiar/x509 signs through webcrypto, which is async only, so this file DER-encodes a minimal
 * v3 certificate by hand and signs it with Node's synchronous `crypto.sign`. Key pairs are cached
 * per label: generating RSA keys is the slow part and scenario certificates carry no secrets.
 */
import { createHash, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';

/** A scenario certificate: what Entra stores and shows about it. */
export interface ScenarioCertificate {
  /** Base64 DER, as in `keyCredentials[].key`. */
  derBase64: string;
  /** SHA-1 thumbprint, hex upper case (sign-ins' `servicePrincipalCredentialThumbprint`). */
  thumbprintSha1: string;
  thumbprintSha256: string;
  /** Base64 of the SHA-1 thumbprint bytes: Entra's default `customKeyIdentifier`. */
  customKeyIdentifier: string;
  notBefore: Date;
  notAfter: Date;
}

/** Options for {@link makeScenarioCertificate}. */
export interface ScenarioCertificateOptions {
  /** Common name. */
  commonName: string;
  notBefore: Date;
  notAfter: Date;
  /** RSA modulus length (default 2048). */
  keySize?: number;
  /** Signature hash (default sha256). */
  hash?: 'sha256' | 'sha1';
  /** Cache key for the key pair; certificates with the same label share a key. */
  keyLabel?: string;
}

const keyCache = new Map<string, { publicKey: KeyObject; privateKey: KeyObject }>();

function tlv(tag: number, content: Buffer): Buffer {
  const n = content.length;
  let header: Buffer;
  if (n < 0x80) header = Buffer.from([tag, n]);
  else if (n < 0x100) header = Buffer.from([tag, 0x81, n]);
  else if (n < 0x10000) header = Buffer.from([tag, 0x82, n >> 8, n & 0xff]);
  else header = Buffer.from([tag, 0x83, n >> 16, (n >> 8) & 0xff, n & 0xff]);
  return Buffer.concat([header, content]);
}

const seq = (...parts: Buffer[]): Buffer => tlv(0x30, Buffer.concat(parts));

/** A DER INTEGER of an unsigned big-endian value: minimal (no redundant leading zero), never negative. */
function integer(bytes: Buffer): Buffer {
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0) start += 1;
  const minimal = bytes.subarray(start);
  const first = minimal[0] ?? 0;
  return tlv(0x02, first & 0x80 ? Buffer.concat([Buffer.from([0]), minimal]) : minimal);
}

function oid(dotted: string): Buffer {
  const arcs = dotted.split('.').map(Number);
  const out: number[] = [(arcs[0] ?? 0) * 40 + (arcs[1] ?? 0)];
  for (const arc of arcs.slice(2)) {
    const chunk: number[] = [arc & 0x7f];
    for (let v = Math.floor(arc / 128); v > 0; v = Math.floor(v / 128)) chunk.unshift((v & 0x7f) | 0x80);
    out.push(...chunk);
  }
  return tlv(0x06, Buffer.from(out));
}

function time(date: Date): Buffer {
  // RFC 5280: UTCTime through 2049, GeneralizedTime from 2050.
  const iso = date.toISOString().replace(/[-:T]/g, '').slice(0, 14);
  return date.getUTCFullYear() < 2050 ? tlv(0x17, Buffer.from(`${iso.slice(2)}Z`)) : tlv(0x18, Buffer.from(`${iso}Z`));
}

function name(commonName: string): Buffer {
  return seq(tlv(0x31, seq(oid('2.5.4.3'), tlv(0x0c, Buffer.from(commonName, 'utf8')))));
}

function keyPair(label: string, keySize: number): { publicKey: KeyObject; privateKey: KeyObject } {
  const cacheKey = `${label}/${keySize}`;
  let pair = keyCache.get(cacheKey);
  if (!pair) {
    pair = generateKeyPairSync('rsa', { modulusLength: keySize });
    keyCache.set(cacheKey, pair);
  }
  return pair;
}

/** Builds and signs a self-signed RSA certificate synchronously. */
export function makeScenarioCertificate(options: ScenarioCertificateOptions): ScenarioCertificate {
  const hash = options.hash ?? 'sha256';
  const keySize = options.keySize ?? 2048;
  const { publicKey, privateKey } = keyPair(options.keyLabel ?? options.commonName, keySize);
  const algorithm = seq(oid(hash === 'sha1' ? '1.2.840.113549.1.1.5' : '1.2.840.113549.1.1.11'), tlv(0x05, Buffer.alloc(0)));
  // Hash-derived, so a few serials start with zero bytes; integer() keeps the encoding minimal, as
  // OpenSSL (and Entra) reject a non-DER INTEGER.
  const serial = createHash('sha1').update(`${options.commonName}/${options.notBefore.toISOString()}`).digest().subarray(0, 12);
  const subject = name(options.commonName);
  const tbs = seq(
    tlv(0xa0, integer(Buffer.from([2]))),
    integer(serial),
    algorithm,
    subject,
    seq(time(options.notBefore), time(options.notAfter)),
    subject,
    publicKey.export({ type: 'spki', format: 'der' }),
  );
  const signature = sign(hash, tbs, privateKey);
  const der = seq(tbs, algorithm, tlv(0x03, Buffer.concat([Buffer.from([0]), signature])));
  const sha1 = createHash('sha1').update(der).digest();
  return {
    derBase64: der.toString('base64'),
    thumbprintSha1: sha1.toString('hex').toUpperCase(),
    thumbprintSha256: createHash('sha256').update(der).digest('hex').toUpperCase(),
    customKeyIdentifier: sha1.toString('base64'),
    notBefore: options.notBefore,
    notAfter: options.notAfter,
  };
}
