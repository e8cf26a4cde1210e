import type { TenantConfig } from '../config/types.js';
import type { GraphLimits } from './limits.js';
import type { Logger } from '../logging.js';
import { createTokenSource, type AppCredential, type TokenSource } from './auth.js';
import { createGraphApi, type GraphApi } from './client.js';
import { createFetch, type FetchLike } from './http.js';
import type { Clock, GraphBudgets } from './rate-limit.js';
import type { RetryPolicy } from './retry.js';

export interface TenantConnection {
  tenant: TenantConfig;
  tokens: TokenSource;
  graph: GraphApi;
}

export interface ConnectOptions {
  logger: Logger;
  clock?: Clock;
  retry?: Partial<RetryPolicy>;
  fetchTimeoutInMs?: number;
  /** Benchmarks against the simulator only; production always keeps Graph's budgets. */
  enforceBudgets?: boolean;
  /**
   * The process's shared budgets: Graph allows 122 report requests per 10 s per app across all
   * tenants, so every connection an entry point makes draws on one `GraphBudgets`.
   */
  budgets?: GraphBudgets;
  /** Caps on what is read (graph/limits.ts); tests lower them to hit them quickly. */
  limits?: Partial<GraphLimits>;
}

/**
 * A fetch that trusts what this tenant's endpoints trust (an added CA for the simulator or a
 * TLS-inspecting proxy): used for Graph and for the tenant's URL allowlists alike.
 */
export function tenantFetch(tenant: TenantConfig, timeoutInMs?: number): FetchLike {
  return createFetch({
    ...(tenant.endpoints.caCertificatePem ? { caCertificatePem: tenant.endpoints.caCertificatePem } : {}),
    ...(timeoutInMs ? { timeoutInMs } : {}),
  });
}

/** Builds the token source and Graph client for one tenant from its resolved configuration. */
export function connectTenant(tenant: TenantConfig, options: ConnectOptions): TenantConnection {
  const logger = options.logger.child({ tenant: tenant.name });
  const fetch = tenantFetch(tenant, options.fetchTimeoutInMs);
  const tokens = createTokenSource({
    tenantId: tenant.tenantId,
    authorityHost: tenant.endpoints.authorityHost,
    graphBaseUrl: tenant.endpoints.graphBaseUrl,
    credential: credentialOf(tenant),
    fetch,
    logger,
  });
  const graph = createGraphApi({
    graphBaseUrl: tenant.endpoints.graphBaseUrl,
    tokens,
    fetch,
    logger,
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.retry ? { retry: options.retry } : {}),
    ...(options.enforceBudgets === false ? { enforceBudgets: false } : {}),
    ...(options.limits ? { limits: options.limits } : {}),
    ...(options.budgets ? { windows: options.budgets.forTenant(appKeyOf(tenant), tenant.tenantId) } : {}),
  });
  return { tenant, tokens, graph };
}

/** The app Graph counts requests against: its client id, or the managed identity's. */
function appKeyOf(tenant: TenantConfig): string {
  const auth = tenant.auth;
  return auth.mode === 'managedIdentity' ? `managedIdentity:${(auth.clientId ?? 'system').toLowerCase()}` : auth.clientId.toLowerCase();
}

/** The one place a secret leaves its wrapper: on its way into MSAL. */
function credentialOf(tenant: TenantConfig): AppCredential {
  const auth = tenant.auth;
  switch (auth.mode) {
    case 'certificate':
      return { mode: 'certificate', clientId: auth.clientId, privateKeyPem: auth.privateKeyPem.reveal(), thumbprintSha256: auth.thumbprintSha256 };
    case 'secret':
      return { mode: 'secret', clientId: auth.clientId, clientSecret: auth.clientSecret.reveal() };
    case 'managedIdentity':
      return { mode: 'managedIdentity', clientId: auth.clientId };
  }
}
