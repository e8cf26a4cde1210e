/**
 * Reading credential material at load time: certificates and keys from files, secrets from the
 * environment or files. Every failure is added to the shared problem list (never thrown), so an unset
 * variable in one tenant and a wrong key in another show up in the same error.
 */
import { createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { PathSegments, ProblemList } from './problems.js';
import type { AuthFile } from './schema-tenant.js';
import { Secret } from './secret.js';
import type { AuthConfig } from './types.js';

/** What resolution needs: where relative paths start, the environment, and where problems go. */
export interface ResolveContext {
  readonly env: NodeJS.ProcessEnv;
  readonly baseDir: string;
  readonly problems: ProblemList;
}

const CERTIFICATE_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/** Reads a file named in the config (relative to the config's directory); undefined after reporting a problem. */
export async function readConfigFile(ctx: ResolveContext, path: PathSegments, file: string): Promise<string | undefined> {
  const absolute = resolve(ctx.baseDir, file);
  try {
    return await readFile(absolute, 'utf8');
  } catch (e: unknown) {
    ctx.problems.add(path, `cannot read ${absolute} (${unreadableReason(e)}); relative paths start at the config file's directory`);
    return undefined;
  }
}

/** Why a file could not be read, in words (`no such file`), from the error `fs` threw. */
export function unreadableReason(e: unknown): string {
  const code = e !== null && typeof e === 'object' && 'code' in e ? String(e.code) : undefined;
  return code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'it is a directory' : String(e);
}

/** Reads a named environment variable; undefined after reporting it unset or empty. */
export function readEnv(ctx: ResolveContext, path: PathSegments, name: string): string | undefined {
  const value = ctx.env[name];
  if (value === undefined || value.trim() === '') {
    ctx.problems.add(path, `environment variable ${name} is ${value === undefined ? 'not set' : 'empty'}`);
    return undefined;
  }
  return value;
}

/** A secret value without the trailing newline that `echo` and editors add to files. */
const withoutTrailingNewline = (value: string): string => value.replace(/[\r\n]+$/, '');

/**
 * PEM read from an environment variable. App-setting UIs often cannot hold newlines, so a value
 * written on one line with literal `\n` sequences is accepted too.
 */
const pemFromEnv = (value: string): string => (value.includes('\n') ? value : value.replace(/\\n/g, '\n'));

/** Parses the certificate PEM(s) in `text`; returns the leaf and the PEM blocks, or reports why not. */
export function parseCertificatePem(ctx: ResolveContext, path: PathSegments, text: string): { certificate: X509Certificate; pem: string } | undefined {
  const blocks = text.match(CERTIFICATE_BLOCK);
  const first = blocks?.[0];
  if (blocks === null || first === undefined) {
    ctx.problems.add(path, 'is not a PEM X.509 certificate (expected a "-----BEGIN CERTIFICATE-----" block)');
    return undefined;
  }
  try {
    // Only the certificate blocks are kept: a key sharing the file must not travel unredacted.
    return { certificate: new X509Certificate(first), pem: `${blocks.join('\n')}\n` };
  } catch (e: unknown) {
    ctx.problems.add(path, `holds a certificate block that does not parse (${e instanceof Error ? e.message : String(e)})`);
    return undefined;
  }
}

const PRIVATE_KEY_BLOCK = /-----BEGIN ([A-Z0-9 ]*)PRIVATE KEY-----[\s\S]+?-----END \1PRIVATE KEY-----/;

function parsePrivateKey(ctx: ResolveContext, path: PathSegments, text: string): KeyObject | undefined {
  try {
    // OpenSSL reads only the first PEM block, and a combined file often starts with the certificate.
    return createPrivateKey(PRIVATE_KEY_BLOCK.exec(text)?.[0] ?? text);
  } catch (e: unknown) {
    const reason = e instanceof Error ? e.message : String(e);
    ctx.problems.add(path, `does not hold a usable private key (${reason}); credwatch needs an unencrypted PEM key (PKCS#8 or PKCS#1)`);
    return undefined;
  }
}

/** `AB:CD:…` or `abcd…` → `ABCD…`. */
const normaliseThumbprint = (value: string): string => value.replace(/:/g, '').toUpperCase();

async function resolveCertificateAuth(
  auth: Extract<AuthFile, { mode: 'certificate' }>,
  path: PathSegments,
  ctx: ResolveContext,
): Promise<AuthConfig | undefined> {
  const certPath = [...path, auth.certificatePath !== undefined ? 'certificatePath' : 'certificateEnv'];
  const certText =
    auth.certificatePath !== undefined
      ? await readConfigFile(ctx, certPath, auth.certificatePath)
      : auth.certificateEnv !== undefined
        ? mapDefined(readEnv(ctx, certPath, auth.certificateEnv), pemFromEnv)
        : undefined;
  const certSource = auth.certificatePath !== undefined ? 'certificatePath' : 'certificateEnv';
  const cert = certText === undefined ? undefined : parseCertificatePem(ctx, certPath, certText);

  const keyPath = [...path, auth.privateKeyPath !== undefined ? 'privateKeyPath' : 'privateKeyEnv'];
  const keyText =
    auth.privateKeyPath !== undefined
      ? await readConfigFile(ctx, keyPath, auth.privateKeyPath)
      : auth.privateKeyEnv !== undefined
        ? mapDefined(readEnv(ctx, keyPath, auth.privateKeyEnv), pemFromEnv)
        : undefined;
  const key = keyText === undefined ? undefined : parsePrivateKey(ctx, keyPath, keyText);
  if (cert === undefined || key === undefined) return undefined;

  if (!cert.certificate.checkPrivateKey(key)) {
    ctx.problems.add(keyPath, `does not belong to the certificate in ${certSource} (their public keys differ)`);
    return undefined;
  }
  const thumbprint = normaliseThumbprint(cert.certificate.fingerprint256);
  if (auth.thumbprintSha256 !== undefined && normaliseThumbprint(auth.thumbprintSha256) !== thumbprint) {
    ctx.problems.add([...path, 'thumbprintSha256'], `does not match the certificate in ${certSource}, whose SHA-256 thumbprint is ${thumbprint}`);
    return undefined;
  }
  return {
    mode: 'certificate',
    clientId: auth.clientId,
    certificatePem: cert.pem,
    // PKCS#8 whatever the file held, so the graph layer handles one format.
    privateKeyPem: new Secret(key.export({ type: 'pkcs8', format: 'pem' }).toString()),
    thumbprintSha256: thumbprint,
  };
}

async function resolveSecretAuth(auth: Extract<AuthFile, { mode: 'secret' }>, path: PathSegments, ctx: ResolveContext): Promise<AuthConfig | undefined> {
  let value: string | undefined;
  if (auth.clientSecretPath !== undefined) {
    const secretPath = [...path, 'clientSecretPath'];
    value = mapDefined(await readConfigFile(ctx, secretPath, auth.clientSecretPath), withoutTrailingNewline);
    if (value === '') {
      ctx.problems.add(secretPath, 'names an empty file; it must hold the client secret');
      return undefined;
    }
  } else if (auth.clientSecretEnv !== undefined) {
    value = mapDefined(readEnv(ctx, [...path, 'clientSecretEnv'], auth.clientSecretEnv), withoutTrailingNewline);
  }
  return value === undefined ? undefined : { mode: 'secret', clientId: auth.clientId, clientSecret: new Secret(value) };
}

/** Resolves a tenant's auth block into the credential material the graph layer needs. */
export async function resolveAuth(auth: AuthFile, path: PathSegments, ctx: ResolveContext): Promise<AuthConfig | undefined> {
  switch (auth.mode) {
    case 'certificate':
      return resolveCertificateAuth(auth, path, ctx);
    case 'secret':
      return resolveSecretAuth(auth, path, ctx);
    case 'managedIdentity':
      return auth.clientId === undefined ? { mode: 'managedIdentity' } : { mode: 'managedIdentity', clientId: auth.clientId };
  }
}

function mapDefined<T, U>(value: T | undefined, f: (value: T) => U): U | undefined {
  return value === undefined ? undefined : f(value);
}
