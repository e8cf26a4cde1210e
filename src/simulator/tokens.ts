/**
 * Access tokens: the simulator signs app-only tokens the way Entra's v1 endpoint does for Graph
 * (aud https://graph.microsoft.com, iss sts.windows.net/{tid}/, roles, idtyp app) and verifies them
 * on every Graph request against the injected clock, so advancing the clock expires them.
 */
import { randomUUID, type webcrypto } from 'node:crypto';
import { SignJWT, exportJWK, generateKeyPair, jwtVerify, type JWK, type JWTPayload } from 'jose';

/** The Graph audience in tokens. */
export const GRAPH_AUDIENCE = 'https://graph.microsoft.com';

/** Who a token is for. */
export interface TokenSubject {
  appId: string;
  /** Object id of the service principal (or managed identity). */
  objectId: string;
  roles: readonly string[];
  /** `appidacr`: 1 secret, 2 certificate, 0 managed identity/other. */
  appIdAcr: '0' | '1' | '2';
}

/** Claims credwatch's graph layer may read from a simulator token. */
export interface AccessTokenClaims extends JWTPayload {
  tid: string;
  appid: string;
  azp: string;
  oid: string;
  roles: string[];
  idtyp: 'app';
}

/** Signs and verifies the simulator's access tokens. */
export class TokenIssuer {
  private constructor(
    private readonly privateKey: webcrypto.CryptoKey,
    private readonly publicKey: webcrypto.CryptoKey,
    readonly publicJwk: JWK,
    private readonly tenantId: string,
    private readonly lifetimeInSeconds: number,
  ) {}

  /** Creates an issuer with a fresh RS256 key. */
  static async create(tenantId: string, lifetimeInSeconds: number): Promise<TokenIssuer> {
    const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
    const jwk = await exportJWK(publicKey);
    const kid = randomUUID().replace(/-/g, '').slice(0, 27);
    return new TokenIssuer(privateKey, publicKey, { ...jwk, kid, use: 'sig', alg: 'RS256' }, tenantId, lifetimeInSeconds);
  }

  /** Seconds a token lives. */
  get lifetime(): number {
    return this.lifetimeInSeconds;
  }

  /** Issues an access token for Graph (or another audience, e.g. Azure Storage) at the injected time `now`. */
  async issue(subject: TokenSubject, now: Date, audience: string = GRAPH_AUDIENCE): Promise<{ token: string; expiresOn: number }> {
    const iat = Math.floor(now.getTime() / 1000);
    const expiresOn = iat + this.lifetimeInSeconds;
    const token = await new SignJWT({
      aio: randomUUID(),
      appid: subject.appId,
      appidacr: subject.appIdAcr,
      azp: subject.appId,
      idp: `https://sts.windows.net/${this.tenantId}/`,
      idtyp: 'app',
      oid: subject.objectId,
      rh: randomUUID(),
      roles: [...subject.roles],
      sub: subject.objectId,
      tid: this.tenantId,
      uti: randomUUID().replace(/-/g, ''),
      ver: '1.0',
    })
      .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: this.publicJwk.kid ?? 'sim' })
      .setAudience(audience)
      .setIssuer(`https://sts.windows.net/${this.tenantId}/`)
      .setIssuedAt(iat)
      .setNotBefore(iat)
      .setExpirationTime(expiresOn)
      .sign(this.privateKey);
    return { token, expiresOn };
  }

  /**
   * Verifies signature, audience and lifetime at `now`.
   * @returns the claims, or a Graph-style reason when the token is not acceptable.
   */
  async verify(token: string, now: Date): Promise<{ claims: AccessTokenClaims } | { reason: string }> {
    try {
      const { payload } = await jwtVerify(token, this.publicKey, {
        algorithms: ['RS256'],
        audience: [GRAPH_AUDIENCE, '00000003-0000-0000-c000-000000000000'],
        currentDate: now,
      });
      return { claims: payload as AccessTokenClaims };
    } catch (error: unknown) {
      const code = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : '';
      if (code === 'ERR_JWT_EXPIRED') return { reason: 'Lifetime validation failed, the token is expired.' };
      if (code === 'ERR_JWT_CLAIM_VALIDATION_FAILED') return { reason: 'Access token validation failure. Invalid audience.' };
      return { reason: 'Access token validation failure.' };
    }
  }
}
