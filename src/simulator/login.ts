/**
 * The identity platform endpoints MSAL Node uses: OpenID configuration, signing keys and the v2.0
 * token endpoint (client credentials with a secret or a certificate assertion).
 */
import { randomUUID } from 'node:crypto';
import {
  aadstsResponse,
  invalidScope,
  invalidSecret,
  missingCredential,
  tenantNotFound,
  unknownClient,
  unknownResource,
  unsupportedGrant,
  type AadstsError,
} from './aadsts.js';
import { verifyClientAssertion } from './assertion.js';
import { jsonResponse, type SimRequest, type SimResponse } from './http.js';
import type { SimulatorState } from './state.js';
import type { TokenIssuer } from './tokens.js';

const GRAPH_APP_ID = '00000003-0000-0000-c000-000000000000';
const OIDC_SCOPES = new Set(['openid', 'profile', 'offline_access', 'email']);

/** What the login handler needs. */
export interface LoginContext {
  baseUrl: string;
  state: SimulatorState;
  issuer: TokenIssuer;
  now: () => Date;
}

/** Routes `/{tenant}/…` login requests; returns undefined for paths it does not own. */
export async function handleLogin(request: SimRequest, context: LoginContext): Promise<SimResponse | undefined> {
  const match = /^\/([^/]+)\/(v2\.0\/\.well-known\/openid-configuration|discovery\/v2\.0\/keys|oauth2\/v2\.0\/token)$/.exec(request.url.pathname);
  if (!match) return undefined;
  const [, tenant = '', endpoint] = match;
  const correlationId = request.headers['client-request-id'];
  if (!isTenant(tenant, context.state)) return aadstsResponse(tenantNotFound(tenant), context.now(), correlationId);
  if (endpoint === 'discovery/v2.0/keys') return jsonResponse(200, { keys: [context.issuer.publicJwk] });
  if (endpoint === 'oauth2/v2.0/token' && request.method === 'POST') return token(request, tenant, context);
  if (endpoint === 'oauth2/v2.0/token') return jsonResponse(405, { error: 'invalid_request' });
  return jsonResponse(200, openIdConfiguration(context.baseUrl, context.state.tenantId));
}

function isTenant(tenant: string, state: SimulatorState): boolean {
  const t = tenant.toLowerCase();
  return t === state.tenantId || t === state.scenario.tenant.defaultDomain.toLowerCase();
}

/** The v2.0 OpenID configuration document, pointing at the simulator host. */
export function openIdConfiguration(baseUrl: string, tenantId: string): Record<string, unknown> {
  const root = `${baseUrl}/${tenantId}`;
  return {
    token_endpoint: `${root}/oauth2/v2.0/token`,
    token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
    jwks_uri: `${root}/discovery/v2.0/keys`,
    response_modes_supported: ['query', 'fragment', 'form_post'],
    subject_types_supported: ['pairwise'],
    id_token_signing_alg_values_supported: ['RS256'],
    response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
    scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
    issuer: `${root}/v2.0`,
    request_uri_parameter_supported: false,
    userinfo_endpoint: `${baseUrl}/oidc/userinfo`,
    authorization_endpoint: `${root}/oauth2/v2.0/authorize`,
    device_authorization_endpoint: `${root}/oauth2/v2.0/devicecode`,
    http_logout_supported: true,
    frontchannel_logout_supported: true,
    end_session_endpoint: `${root}/oauth2/v2.0/logout`,
    claims_supported: [
      'sub',
      'iss',
      'cloud_instance_name',
      'cloud_instance_host_name',
      'cloud_graph_host_name',
      'msgraph_host',
      'aud',
      'exp',
      'iat',
      'auth_time',
      'acr',
      'nonce',
      'preferred_username',
      'name',
      'tid',
      'ver',
      'at_hash',
      'c_hash',
      'email',
    ],
    kerberos_endpoint: `${root}/kerberos`,
    tenant_region_scope: 'EU',
    cloud_instance_name: 'microsoftonline.com',
    cloud_graph_host_name: 'graph.windows.net',
    msgraph_host: 'graph.microsoft.com',
    rbac_url: 'https://pas.windows.net',
  };
}

/** Accepted `{resource}/.default` scopes: Graph by URL or app id, or the simulator's own URL. */
function resourceOf(scope: string): string | AadstsError {
  const scopes = scope.split(' ').filter((s) => s !== '' && !OIDC_SCOPES.has(s));
  const only = scopes[0] ?? '';
  if (scopes.length !== 1 || !only.endsWith('/.default')) return invalidScope(scope);
  return only.slice(0, -'/.default'.length).replace(/\/$/, '');
}

async function token(request: SimRequest, tenant: string, context: LoginContext): Promise<SimResponse> {
  const { state, now } = context;
  const form = new URLSearchParams(request.body);
  const correlationId = request.headers['client-request-id'];
  const fail = (failure: AadstsError): SimResponse => ({ ...aadstsResponse(failure, now(), correlationId), clientId });
  const clientId = form.get('client_id') ?? '';
  const grantType = form.get('grant_type') ?? '';
  if (grantType !== 'client_credentials') return fail(unsupportedGrant(grantType));
  const resource = resourceOf(form.get('scope') ?? '');
  if (typeof resource !== 'string') return fail(resource);
  if (![`https://graph.microsoft.com`, GRAPH_APP_ID, context.baseUrl].includes(resource)) {
    return fail(unknownResource(resource, state.tenantId));
  }
  if (!state.knowsClient(clientId)) return fail(unknownClient(clientId, state.tenantId));

  const secret = form.get('client_secret');
  const assertion = form.get('client_assertion');
  let appIdAcr: '1' | '2';
  if (assertion) {
    const tokenEndpoint = (t: string): string => `${context.baseUrl}/${t}/oauth2/v2.0/token`;
    const verdict = await verifyClientAssertion({
      assertion,
      clientId,
      audiences: [tokenEndpoint(tenant), tokenEndpoint(state.tenantId), `${context.baseUrl}/${state.tenantId}/v2.0`],
      keys: state.keysFor(clientId),
    });
    if ('code' in verdict) return fail(verdict);
    appIdAcr = '2';
  } else if (secret !== null) {
    if (!state.secretsFor(clientId).includes(secret)) return fail(invalidSecret(clientId));
    appIdAcr = '1';
  } else {
    return fail(missingCredential());
  }

  const sp = state.servicePrincipalFor(clientId);
  const issued = await context.issuer.issue({ appId: clientId, objectId: sp?.id ?? randomUUID(), roles: state.grantedRoles, appIdAcr }, now());
  return {
    ...jsonResponse(200, {
      token_type: 'Bearer',
      expires_in: context.issuer.lifetime,
      ext_expires_in: context.issuer.lifetime,
      access_token: issued.token,
    }),
    clientId,
  };
}
