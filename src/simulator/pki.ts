/**
 * Certificates for the simulator's TLS server, for credwatch's own app registration and for tests
 * that need a "wrong" certificate. Built with @peculiar/x509 on Node's webcrypto so every field is
 * what a real CA would produce (the clients under test parse them with OpenSSL).
 */
import { createHash, webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

/** Options for {@link generateCertificate}. */
export interface GenerateCertificateOptions {
  /** Distinguished name, e.g. `CN=credwatch`. A bare name is prefixed with `CN=`. */
  subject: string;
  /** Validity in days from `notBefore` (default 365). */
  days?: number;
  /** Start of validity (default: now minus one minute, so clock skew never makes it "not yet valid"). */
  notBefore?: Date;
  /** RSA modulus length in bits (default 2048). */
  keySize?: number;
  /** Signature hash (default SHA-256). */
  hash?: 'SHA-256' | 'SHA-1';
  /** Signing CA; self-signed when absent. */
  issuer?: { certificatePem: string; privateKeyPem: string };
  /** Marks the certificate as a CA (basicConstraints cA=true, keyCertSign). */
  isCa?: boolean;
  /** Subject alternative names: IPv4/IPv6 literals become IP entries, anything else DNS. */
  altNames?: string[];
}

/** A generated certificate with its key and the thumbprints Entra shows. */
export interface GeneratedCertificate {
  certificatePem: string;
  /** PKCS#8 PEM. */
  privateKeyPem: string;
  /** Base64 DER: what Graph returns in `keyCredentials[].key`. */
  derBase64: string;
  /** SHA-1 of the DER, hex upper case (Entra's "thumbprint"). */
  thumbprintSha1: string;
  /** SHA-256 of the DER, hex upper case (what MSAL puts in `x5t#S256`). */
  thumbprintSha256: string;
}

const IP_LITERAL = /^(\d{1,3}(\.\d{1,3}){3}|[0-9a-f:]+:[0-9a-f:.]*)$/i;

function rsaAlgorithm(hash: 'SHA-256' | 'SHA-1', modulusLength: number): webcrypto.RsaHashedKeyGenParams {
  return { name: 'RSASSA-PKCS1-v1_5', hash, publicExponent: new Uint8Array([1, 0, 1]), modulusLength };
}

async function importSigningKey(privateKeyPem: string, hash: 'SHA-256' | 'SHA-1'): Promise<webcrypto.CryptoKey> {
  const der = x509.PemConverter.decodeFirst(privateKeyPem);
  return webcrypto.subtle.importKey('pkcs8', der, { name: 'RSASSA-PKCS1-v1_5', hash }, false, ['sign']);
}

/**
 * Generates an RSA certificate, self-signed or signed by `issuer`.
 * @returns PEMs, base64 DER and both thumbprints (hex upper case).
 */
export async function generateCertificate(options: GenerateCertificateOptions): Promise<GeneratedCertificate> {
  const hash = options.hash ?? 'SHA-256';
  const algorithm = rsaAlgorithm(hash, options.keySize ?? 2048);
  const keys = (await webcrypto.subtle.generateKey(algorithm, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  const notBefore = options.notBefore ?? new Date(Date.now() - 60_000);
  const notAfter = new Date(notBefore.getTime() + (options.days ?? 365) * 86_400_000);
  const subject = options.subject.includes('=') ? options.subject : `CN=${options.subject}`;

  const extensions: x509.Extension[] = [
    new x509.BasicConstraintsExtension(options.isCa === true, undefined, true),
    new x509.KeyUsagesExtension(
      options.isCa === true
        ? x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign | x509.KeyUsageFlags.digitalSignature
        : x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment,
      true,
    ),
    await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
  ];
  if (options.altNames && options.altNames.length > 0) {
    extensions.push(new x509.SubjectAlternativeNameExtension(options.altNames.map((value) => ({ type: IP_LITERAL.test(value) ? 'ip' : 'dns', value }))));
  }
  if (!options.isCa) {
    extensions.push(new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth, x509.ExtendedKeyUsage.clientAuth]));
  }

  const serialNumber = createHash('sha1')
    .update(webcrypto.getRandomValues(new Uint8Array(16)))
    .digest('hex')
    .slice(0, 16);
  let certificate: x509.X509Certificate;
  if (options.issuer) {
    const issuerCert = new x509.X509Certificate(options.issuer.certificatePem);
    extensions.push(await x509.AuthorityKeyIdentifierExtension.create(issuerCert));
    certificate = await x509.X509CertificateGenerator.create({
      serialNumber: `01${serialNumber}`,
      subject,
      issuer: issuerCert.subject,
      notBefore,
      notAfter,
      signingAlgorithm: algorithm,
      publicKey: keys.publicKey,
      signingKey: await importSigningKey(options.issuer.privateKeyPem, hash),
      extensions,
    });
  } else {
    certificate = await x509.X509CertificateGenerator.createSelfSigned({
      serialNumber: `01${serialNumber}`,
      name: subject,
      notBefore,
      notAfter,
      signingAlgorithm: algorithm,
      keys,
      extensions,
    });
  }

  const der = Buffer.from(certificate.rawData);
  const pkcs8 = await webcrypto.subtle.exportKey('pkcs8', keys.privateKey);
  return {
    certificatePem: certificate.toString('pem'),
    privateKeyPem: x509.PemConverter.encode(pkcs8, 'PRIVATE KEY'),
    derBase64: der.toString('base64'),
    thumbprintSha1: createHash('sha1').update(der).digest('hex').toUpperCase(),
    thumbprintSha256: createHash('sha256').update(der).digest('hex').toUpperCase(),
  };
}
