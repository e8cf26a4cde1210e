import { createHash, X509Certificate as NodeX509 } from 'node:crypto';
import { X509Certificate as PeculiarX509 } from '@peculiar/x509';
import type { CertificateDetails } from '../events.js';

/**
 * Reads a certificate's public facts from its DER (Graph's base64 `key`). Node's X509Certificate
 * gives names, validity and the key; it does not expose the signature algorithm, which we need to
 * flag SHA-1, so that one field comes from @peculiar/x509. Returns undefined for unreadable input.
 */
export function parseCertificate(derBase64: string): CertificateDetails | undefined {
  let der: Buffer;
  try {
    der = Buffer.from(derBase64, 'base64');
    const cert = new NodeX509(der);
    const details = cert.publicKey.asymmetricKeyDetails;
    const signature = signatureAlgorithmOf(der);
    return {
      subject: oneLine(cert.subject),
      issuer: oneLine(cert.issuer),
      selfSigned: cert.subject === cert.issuer,
      keyAlgorithm: cert.publicKey.asymmetricKeyType ?? 'unknown',
      keySizeInBits: details?.modulusLength ?? (details?.namedCurve ? curveBits(details.namedCurve) : undefined),
      signatureAlgorithm: signature,
      notBefore: new Date(cert.validFrom),
      notAfter: new Date(cert.validTo),
      thumbprintSha1: createHash('sha1').update(der).digest('hex').toUpperCase(),
      thumbprintSha256: createHash('sha256').update(der).digest('hex').toUpperCase(),
    };
  } catch {
    return undefined;
  }
}

function signatureAlgorithmOf(der: Buffer): string {
  try {
    const algorithm = new PeculiarX509(der).signatureAlgorithm as { name?: string; hash?: { name?: string } };
    return [algorithm.hash?.name, algorithm.name].filter(Boolean).join(' with ') || 'unknown';
  } catch {
    return 'unknown';
  }
}

function oneLine(name: string): string {
  return name.split('\n').filter(Boolean).join(', ');
}

function curveBits(curve: string): number | undefined {
  const m = /(\d{3})/.exec(curve);
  return m ? Number(m[1]) : undefined;
}
