/**
 * The App Service / Azure Functions managed-identity endpoint (`IDENTITY_ENDPOINT`), plain HTTP on
 * loopback like the real one: `GET /msi/token?resource=…&api-version=2019-08-01[&client_id=…]` with
 * the `X-IDENTITY-HEADER` secret.
 */
import { randomBytes } from 'node:crypto';
import { jsonResponse, type SimRequest, type SimResponse } from './http.js';
import type { SimulatorState } from './state.js';
import { GRAPH_AUDIENCE, type TokenIssuer } from './tokens.js';

/** The identities the endpoint can issue tokens for. */
export interface ManagedIdentities {
  header: string;
  systemAssigned: { appId: string; objectId: string };
  userAssigned: { appId: string; objectId: string };
}

/** Creates the identity header secret and identities' ids for one simulator. */
export function newManagedIdentities(
  systemAssigned: { appId: string; objectId: string },
  userAssigned: { appId: string; objectId: string },
): ManagedIdentities {
  return { header: randomBytes(24).toString('hex'), systemAssigned, userAssigned };
}

/** The Azure Storage resource (tables, queues, blobs). */
const STORAGE_AUDIENCE = 'https://storage.azure.com';

function error(status: number, code: string, message: string): SimResponse {
  return jsonResponse(status, { statusCode: status, error: code, message, error_description: message });
}

/** Answers one managed-identity token request. */
export async function handleManagedIdentity(
  request: SimRequest,
  identities: ManagedIdentities,
  state: SimulatorState,
  issuer: TokenIssuer,
  now: () => Date,
  /** The simulator's own Graph URL, accepted as a resource like the token endpoint accepts it. */
  graphBaseUrl: string,
): Promise<SimResponse> {
  if (request.url.pathname !== '/msi/token' || request.method !== 'GET') return error(404, 'not_found', 'Not found.');
  if (request.headers['x-identity-header'] !== identities.header) {
    return error(401, 'unauthorized_client', 'The X-IDENTITY-HEADER header is missing or does not match.');
  }
  const params = request.url.searchParams;
  if (params.get('api-version') !== '2019-08-01') return error(400, 'invalid_request', 'api-version must be 2019-08-01.');
  const resource = (params.get('resource') ?? '').replace(/\/\.default$/, '').replace(/\/$/, '');
  // Azure Storage is the other resource credwatch asks for (tables, queues, blobs in Functions);
  // its tokens carry no Graph roles.
  const storage = resource === STORAGE_AUDIENCE;
  if (!storage && resource !== GRAPH_AUDIENCE && resource !== graphBaseUrl && resource !== '00000003-0000-0000-c000-000000000000') {
    return error(400, 'invalid_resource', `The resource '${resource}' is not supported by the simulator.`);
  }
  const clientId = params.get('client_id');
  let identity = identities.systemAssigned;
  if (clientId !== null) {
    if (clientId !== identities.userAssigned.appId) return error(400, 'invalid_request', `No user-assigned identity with client id '${clientId}'.`);
    identity = identities.userAssigned;
  }
  const issued = storage
    ? await issuer.issue({ appId: identity.appId, objectId: identity.objectId, roles: [], appIdAcr: '2' }, now(), STORAGE_AUDIENCE)
    : await issuer.issue({ appId: identity.appId, objectId: identity.objectId, roles: state.grantedRoles, appIdAcr: '2' }, now());
  return {
    ...jsonResponse(200, {
      access_token: issued.token,
      // MSAL turns expires_on into a lifetime against the real clock, so report it in real time
      // even when the injected clock (which the token's own exp follows) is elsewhere.
      expires_on: String(Math.floor(Date.now() / 1000) + issuer.lifetime),
      resource: params.get('resource'),
      token_type: 'Bearer',
      client_id: identity.appId,
    }),
    clientId: identity.appId,
  };
}
