/**
 * Verifies a `client_assertion` (RFC 7523 jwt-bearer) the way Entra does: the header's `x5t#S256`
 * (or legacy `x5t`) picks one of the app's registered certificates, the signature must verify with
 * its public key (PS256 or RS256), `aud` must be the token endpoint, `iss` = `sub` = client id, and
 * the time claims must hold with five minutes of skew. Assertions are checked against real time,
 * not the injected clock, because MSAL signs them with the real time.
 */
import { decodeProtectedHeader, jwtVerify } from 'jose';
import { assertionClientMismatch, assertionOutOfRange, invalidAssertionSignature, type AadstsError } from './aadsts.js';
import type { RegisteredKey } from './state.js';

const SKEW_IN_SECONDS = 300;

/** What the token endpoint needs to check one assertion. */
export interface AssertionCheck {
  assertion: string;
  clientId: string;
  /** Audiences accepted (the token endpoint URL in its accepted spellings). */
  audiences: string[];
  keys: readonly RegisteredKey[];
}

function thumbprintFromHeader(header: Record<string, unknown>): string {
  const raw = typeof header['x5t#S256'] === 'string' ? header['x5t#S256'] : typeof header.x5t === 'string' ? header.x5t : '';
  return Buffer.from(raw, 'base64url').toString('hex').toUpperCase();
}

/** @returns the key that signed the assertion, or the AADSTS error to send. */
export async function verifyClientAssertion(check: AssertionCheck): Promise<RegisteredKey | AadstsError> {
  let header: Record<string, unknown>;
  try {
    header = decodeProtectedHeader(check.assertion) as Record<string, unknown>;
  } catch {
    return invalidAssertionSignature(check.clientId, '', 'The assertion is not a well-formed JWT.');
  }
  const thumbprint = thumbprintFromHeader(header);
  const byS256 = typeof header['x5t#S256'] === 'string' ? check.keys.find((k) => k.x5tS256 === header['x5t#S256']) : undefined;
  const key = byS256 ?? (typeof header.x5t === 'string' ? check.keys.find((k) => k.x5t === header.x5t) : undefined);
  if (!key) return invalidAssertionSignature(check.clientId, thumbprint, 'The key was not found.');

  try {
    await jwtVerify(check.assertion, key.publicKey, {
      algorithms: ['PS256', 'RS256'],
      audience: check.audiences,
      clockTolerance: SKEW_IN_SECONDS,
      requiredClaims: ['exp', 'aud', 'iss', 'sub'],
    });
  } catch (error: unknown) {
    const code = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : '';
    const claim = typeof error === 'object' && error !== null && 'claim' in error ? String(error.claim) : '';
    if (code === 'ERR_JWT_EXPIRED' || claim === 'nbf') {
      return assertionOutOfRange(`Current time: ${new Date().toISOString()}.`);
    }
    if (code === 'ERR_JWT_CLAIM_VALIDATION_FAILED' && claim === 'aud') {
      return invalidAssertionSignature(check.clientId, thumbprint, `The audience of the assertion is not the token endpoint`);
    }
    if (code === 'ERR_JWT_CLAIM_VALIDATION_FAILED') return assertionClientMismatch();
    return invalidAssertionSignature(check.clientId, thumbprint, 'Key was found, but use of the key to verify the signature failed.');
  }
  // jose checked presence; the values must name the client itself.
  const payload = JSON.parse(Buffer.from(check.assertion.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
  if (payload.iss !== check.clientId || payload.sub !== check.clientId) return assertionClientMismatch();
  return key;
}
