/**
 * The identity platform's error responses: `{error, error_description, error_codes, timestamp,
 * trace_id, correlation_id, error_uri}`, with the description ending in the trace/correlation lines
 * exactly like login.microsoftonline.com, so MSAL surfaces them unchanged.
 */
import { randomUUID } from 'node:crypto';
import { jsonResponse, type SimResponse } from './http.js';

/** An AADSTS error about to be sent. */
export interface AadstsError {
  status: 400 | 401;
  /** OAuth error: invalid_client, unauthorized_client, invalid_tenant, invalid_request … */
  error: string;
  /** The AADSTS number, e.g. 7000215. */
  code: number;
  /** Message after `AADSTSnnn: `. */
  message: string;
}

/** Formats Entra's timestamp: `2023-05-06 06:03:00Z`. */
function entraTimestamp(now: Date): string {
  return `${now.toISOString().slice(0, 19).replace('T', ' ')}Z`;
}

/** Builds the response for an AADSTS error. */
export function aadstsResponse(failure: AadstsError, now: Date, correlationId: string | undefined): SimResponse {
  const traceId = randomUUID();
  const correlation = correlationId ?? randomUUID();
  const timestamp = entraTimestamp(now);
  return jsonResponse(failure.status, {
    error: failure.error,
    error_description: `AADSTS${failure.code}: ${failure.message}\r\nTrace ID: ${traceId}\r\nCorrelation ID: ${correlation}\r\nTimestamp: ${timestamp}`,
    error_codes: [failure.code],
    timestamp,
    trace_id: traceId,
    correlation_id: correlation,
    error_uri: `https://login.microsoftonline.com/error?code=${failure.code}`,
  });
}

/** AADSTS90002: the tenant in the path does not exist. */
export const tenantNotFound = (tenant: string): AadstsError => ({
  status: 400,
  error: 'invalid_tenant',
  code: 90002,
  message: `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant.`,
});

/** AADSTS700016: no application with that client id in the tenant. */
export const unknownClient = (clientId: string, tenantId: string): AadstsError => ({
  status: 400,
  error: 'unauthorized_client',
  code: 700016,
  message: `Application with identifier '${clientId}' was not found in the directory '${tenantId}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`,
});

/** AADSTS7000215: the client secret is not one registered on the app. */
export const invalidSecret = (clientId: string): AadstsError => ({
  status: 401,
  error: 'invalid_client',
  code: 7000215,
  message: `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${clientId}'.`,
});

/** AADSTS700027: the assertion's key is unknown or its signature does not verify. */
export const invalidAssertionSignature = (clientId: string, thumbprint: string, reason: string): AadstsError => ({
  status: 401,
  error: 'invalid_client',
  code: 700027,
  message: `Client assertion contains an invalid signature. [Reason - ${reason}, Thumbprint of key used by client: '${thumbprint}', Please visit the Azure Portal, Graph Explorer or directly use MS Graph to see configured keys for app Id '${clientId}'.]`,
});

/** AADSTS700024: the assertion is expired or not yet valid. */
export const assertionOutOfRange = (detail: string): AadstsError => ({
  status: 401,
  error: 'invalid_client',
  code: 700024,
  message: `Client assertion is not within its valid time range. ${detail}`,
});

/** AADSTS700021: the assertion's iss/sub is not the client id. */
export const assertionClientMismatch = (): AadstsError => ({
  status: 401,
  error: 'invalid_client',
  code: 700021,
  message: "Client assertion application identifier doesn't match 'client_id' parameter.",
});

/** AADSTS7000218: neither a secret nor an assertion was sent. */
export const missingCredential = (): AadstsError => ({
  status: 401,
  error: 'invalid_client',
  code: 7000218,
  message: "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
});

/** AADSTS1002012: a client-credentials scope must be `{resource}/.default`. */
export const invalidScope = (scope: string): AadstsError => ({
  status: 400,
  error: 'invalid_scope',
  code: 1002012,
  message: `The provided value for scope ${scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`,
});

/** AADSTS500011: the resource is not in the tenant. */
export const unknownResource = (resource: string, tenantId: string): AadstsError => ({
  status: 400,
  error: 'invalid_resource',
  code: 500011,
  message: `The resource principal named ${resource} was not found in the tenant named ${tenantId}. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You might have sent your authentication request to the wrong tenant.`,
});

/** AADSTS70003: only client_credentials is supported here. */
export const unsupportedGrant = (grantType: string): AadstsError => ({
  status: 400,
  error: 'unsupported_grant_type',
  code: 70003,
  message: `The app requested an unsupported grant type '${grantType}'.`,
});
