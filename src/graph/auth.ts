import {
  AuthError,
  ConfidentialClientApplication,
  LogLevel,
  ManagedIdentityApplication,
  ServerError,
  type Configuration,
  type NodeSystemOptions,
} from '@azure/msal-node';
import { CredwatchError } from '../errors.js';
import type { Logger } from '../logging.js';
import { redact } from '../redact.js';
import type { FetchLike } from './http.js';
import { createMsalNetworkModule } from './msal-network.js';

/** How credwatch proves who it is. Secret material arrives already resolved by the config layer. */
export type AppCredential =
  | { mode: 'certificate'; clientId: string; privateKeyPem: string; thumbprintSha256: string }
  | { mode: 'secret'; clientId: string; clientSecret: string }
  | { mode: 'managedIdentity'; clientId?: string | undefined };

export interface AccessToken {
  token: string;
  expiresOn: Date | undefined;
  /** Application roles in the token: what credwatch has actually been granted. */
  roles: readonly string[];
  /** The app id the token was issued to. */
  appId: string | undefined;
}

export interface TokenSource {
  getToken(options?: { forceRefresh?: boolean }): Promise<AccessToken>;
}

export interface CreateTokenSourceOptions {
  tenantId: string;
  authorityHost: string;
  graphBaseUrl: string;
  credential: AppCredential;
  fetch: FetchLike;
  logger: Logger;
}

/** How long before its expiry a kept token is replaced (MSAL refreshes its cache as early). */
export const TOKEN_REFRESH_MARGIN_IN_MS = 5 * 60_000;

/** Options of {@link reuseTokens}. */
export interface ReuseTokensOptions {
  /** Epoch ms now (default `Date.now`). */
  now?: () => number;
  /** Default {@link TOKEN_REFRESH_MARGIN_IN_MS}. */
  refreshMarginInMs?: number;
}

/**
 * Hands out the last token until it is within the margin of its expiry instead of asking MSAL for
 * every Graph request: even a cache hit costs ~0.75 ms (the cache lookup, the account filter, the
 * result built again), and a scan of a million sign-ins makes a thousand requests. A
 * `forceRefresh` — Graph answered 401 — always goes to MSAL and replaces the kept token; callers
 * arriving while a token is being acquired share that acquisition. A token without an expiry is
 * never kept.
 */
export function reuseTokens(source: TokenSource, options: ReuseTokensOptions = {}): TokenSource {
  const now = options.now ?? Date.now;
  const margin = options.refreshMarginInMs ?? TOKEN_REFRESH_MARGIN_IN_MS;
  let kept: AccessToken | undefined;
  let acquiring: Promise<AccessToken> | undefined;
  return {
    async getToken({ forceRefresh = false } = {}) {
      if (!forceRefresh) {
        if (kept?.expiresOn && kept.expiresOn.getTime() - margin > now()) return kept;
        if (acquiring) return acquiring;
      }
      kept = undefined;
      const current = source.getToken({ forceRefresh });
      acquiring = current;
      try {
        const token = await current;
        // A forced refresh that started meanwhile wins: its token is the one Graph accepts.
        if (acquiring === current) kept = token;
        return token;
      } finally {
        if (acquiring === current) acquiring = undefined;
      }
    },
  };
}

/**
 * One MSAL application per tenant, kept for the life of the process so its in-memory token cache
 * serves every call until the token nears expiry; the last token is reused without asking MSAL
 * ({@link reuseTokens}).
 */
export function createTokenSource(options: CreateTokenSourceOptions): TokenSource {
  return reuseTokens(msalTokenSource(options));
}

function msalTokenSource(options: CreateTokenSourceOptions): TokenSource {
  const { credential, graphBaseUrl } = options;
  const system = msalSystemOptions(options.fetch, options.logger);
  if (credential.mode === 'managedIdentity') {
    const app = new ManagedIdentityApplication({
      system,
      ...(credential.clientId ? { managedIdentityIdParams: { userAssignedClientId: credential.clientId } } : {}),
    });
    return {
      async getToken({ forceRefresh = false } = {}) {
        const result = await translateAuthErrors(() => app.acquireToken({ resource: graphBaseUrl, forceRefresh }));
        return toAccessToken(result.accessToken, result.expiresOn);
      },
    };
  }
  const authorityUrl = new URL(options.authorityHost);
  const auth: Configuration['auth'] = {
    clientId: credential.clientId,
    authority: `${authorityUrl.origin}/${encodeURIComponent(options.tenantId)}`,
    // Listing the host (with its port) makes MSAL trust it without instance discovery, which
    // would otherwise call the public cloud even for national clouds and the simulator.
    knownAuthorities: [authorityUrl.host],
  };
  if (credential.mode === 'certificate') {
    auth.clientCertificate = { thumbprintSha256: credential.thumbprintSha256, privateKey: credential.privateKeyPem };
  } else {
    auth.clientSecret = credential.clientSecret;
  }
  const app = new ConfidentialClientApplication({ auth, system });
  const scopes = [`${graphBaseUrl.replace(/\/+$/, '')}/.default`];
  return {
    async getToken({ forceRefresh = false } = {}) {
      const result = await translateAuthErrors(() => app.acquireTokenByClientCredential({ scopes, skipCache: forceRefresh }));
      if (!result) throw new CredwatchError('AUTH_FAILED', 'The identity platform returned no token.');
      return toAccessToken(result.accessToken, result.expiresOn ?? undefined);
    },
  };
}

/** MSAL's network through our fetch (extra CA, never TLS off) and its logs through pino. */
export function msalSystemOptions(fetch: FetchLike, logger: Logger): NodeSystemOptions {
  return { networkClient: createMsalNetworkModule(fetch), loggerOptions: msalLoggerOptions(logger) };
}

function toAccessToken(token: string, expiresOn: Date | null | undefined): AccessToken {
  const claims = decodeJwtPayload(token);
  const roles = Array.isArray(claims.roles) ? claims.roles.filter((r): r is string => typeof r === 'string') : [];
  const appId = typeof claims.appid === 'string' ? claims.appid : typeof claims.azp === 'string' ? claims.azp : undefined;
  return { token, expiresOn: expiresOn ?? undefined, roles, appId };
}

/**
 * Reads the claims of an access token we just received over TLS from the identity platform. No
 * signature check: we only use it to tell the operator which roles were granted.
 */
export function decodeJwtPayload(token: string): Record<string, unknown> {
  const payload = token.split('.')[1];
  if (!payload) return {};
  try {
    const parsed: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    return parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

export async function translateAuthErrors<T>(acquire: () => Promise<T>): Promise<T> {
  try {
    return await acquire();
  } catch (e: unknown) {
    throw classifyAuthError(e);
  }
}

/** Maps MSAL's errors onto our codes: a rejected credential is not retryable, an outage is. */
export function classifyAuthError(e: unknown): CredwatchError {
  if (e instanceof CredwatchError) return e;
  const message = redact(e instanceof Error ? e.message : String(e));
  const aadsts = /AADSTS(\d+)/.exec(message)?.[1];
  if (e instanceof ServerError && (e.status ?? 0) >= 500) {
    return new CredwatchError('AUTH_UNAVAILABLE', `The token endpoint answered ${e.status}: ${message}`, { cause: e });
  }
  if (aadsts || e instanceof ServerError) {
    return new CredwatchError('AUTH_FAILED', `Token request rejected${aadsts ? ` (AADSTS${aadsts})` : ''}: ${message}`, {
      cause: e,
      details: { aadsts: aadsts ? `AADSTS${aadsts}` : undefined, errorCode: e instanceof AuthError ? e.errorCode : undefined },
    });
  }
  // endpoints_resolution_error: MSAL could not fetch the authority's metadata — the host did not answer.
  if (e instanceof AuthError && /endpoints_resolution|network|timeout|unavailable|unable_to_create/i.test(`${e.errorCode} ${message}`)) {
    return new CredwatchError('AUTH_UNAVAILABLE', `No token: ${message}`, { cause: e, details: { errorCode: e.errorCode } });
  }
  if (e instanceof AuthError) {
    return new CredwatchError('AUTH_FAILED', `No token: ${message}`, { cause: e, details: { errorCode: e.errorCode } });
  }
  return new CredwatchError('AUTH_UNAVAILABLE', `No token: ${message}`, { cause: e });
}

// One level down: MSAL's errors come back to us as thrown errors (logged once, with our code), and
// its warnings are library notes such as "No client info in response" for every app-only token.
const MSAL_LEVELS: Record<LogLevel, 'error' | 'warn' | 'info' | 'debug' | 'trace'> = {
  [LogLevel.Error]: 'warn',
  [LogLevel.Warning]: 'info',
  [LogLevel.Info]: 'debug',
  [LogLevel.Verbose]: 'trace',
  [LogLevel.Trace]: 'trace',
};

function msalLoggerOptions(logger: Logger): NodeSystemOptions['loggerOptions'] {
  const child = logger.child({ component: 'msal' });
  return {
    piiLoggingEnabled: false,
    logLevel: LogLevel.Info,
    loggerCallback: (level, message, containsPii) => {
      if (containsPii) return;
      child[MSAL_LEVELS[level]](redact(message));
    },
  };
}
