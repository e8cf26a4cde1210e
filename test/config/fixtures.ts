/**
 * Test material for config tests: self-signed certificates made with @peculiar/x509 on Node's
 * WebCrypto (Node cannot issue X.509 certificates itself), written to a temporary directory.
 */
import { webcrypto } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import * as x509 from '@peculiar/x509';
import type { ConfigProblem } from '../../src/config/index.js';
import { isCredwatchError } from '../../src/errors.js';

const algorithm = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256', publicExponent: new Uint8Array([1, 0, 1]), modulusLength: 2048 };

/** A certificate with its private key, both as PEM. */
export interface TestCertificate {
  readonly certificatePem: string;
  readonly privateKeyPem: string;
}

function toPem(label: string, der: ArrayBuffer): string {
  const base64 = Buffer.from(der)
    .toString('base64')
    .replace(/(.{64})/g, '$1\n');
  return `-----BEGIN ${label}-----\n${base64.replace(/\n$/, '')}\n-----END ${label}-----\n`;
}

/** A fresh self-signed RSA certificate. */
export async function makeCertificate(commonName = 'credwatch-test'): Promise<TestCertificate> {
  const keys = await webcrypto.subtle.generateKey(algorithm, true, ['sign', 'verify']);
  const certificate = await x509.X509CertificateGenerator.createSelfSigned(
    {
      serialNumber: '01',
      name: `CN=${commonName}`,
      notBefore: new Date(Date.now() - 60_000),
      notAfter: new Date(Date.now() + 86_400_000),
      signingAlgorithm: algorithm,
      keys,
    },
    webcrypto,
  );
  return {
    certificatePem: certificate.toString('pem'),
    privateKeyPem: toPem('PRIVATE KEY', await webcrypto.subtle.exportKey('pkcs8', keys.privateKey)),
  };
}

/** A temporary directory with helpers to write files into it; remove it with `cleanup`. */
export interface TempDir {
  readonly path: string;
  write(relativePath: string, contents: string): Promise<string>;
  cleanup(): Promise<void>;
}

export async function makeTempDir(): Promise<TempDir> {
  const path = await mkdtemp(join(tmpdir(), 'credwatch-config-'));
  return {
    path,
    async write(relativePath, contents) {
      const file = join(path, relativePath);
      await mkdir(dirname(file), { recursive: true });
      await writeFile(file, contents, 'utf8');
      return file;
    },
    cleanup: () => rm(path, { recursive: true, force: true }),
  };
}

/** The problems of the CONFIG_INVALID error `promise` rejects with (fails the test otherwise). */
export async function problemsOf(promise: Promise<unknown>): Promise<ConfigProblem[]> {
  const error: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isCredwatchError(error, 'CONFIG_INVALID')) {
    throw new Error(`expected a CONFIG_INVALID error, got ${error === undefined ? 'a config' : String(error)}`);
  }
  return error.details['problems'] as ConfigProblem[];
}

/** `path: message` lines, which read well in assertion failures. */
export const lines = (problems: readonly ConfigProblem[]): string[] => problems.map((p) => `${p.path}: ${p.message}`);

/** A tenant that needs no files or variables (managed identity). */
export const managedIdentityTenant = (name = 'contoso') => ({
  name,
  tenantId: `${name}.onmicrosoft.com`,
  auth: { mode: 'managedIdentity' },
});
