/**
 * credwatch's own identities in the simulated tenant: its app registration (a generated certificate
 * and a client secret the token endpoint accepts) and two managed identities. Its Graph roles live
 * only in the tokens (`grantedRoles`), not as directory app role assignments, so credwatch's own
 * Mail.Send never shows up as a finding in the scenarios.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { generateCertificate, type GeneratedCertificate } from './pki.js';
import type { Application, ServicePrincipal } from './scenario.js';
import type { SimulatorState } from './state.js';

/** credwatch's app credentials as handed to tests. */
export interface OwnApp {
  clientId: string;
  certificate: GeneratedCertificate;
  clientSecret: string;
}

const DAY_IN_MS = 86_400_000;

/** A secret in Entra's current format: three characters, a version marker `8Q~`, then random text. */
function newClientSecret(): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.~';
  const bytes = randomBytes(37);
  const chars = [...bytes].map((b) => alphabet[b % alphabet.length] ?? 'a');
  return `${chars.slice(0, 3).join('')}8Q~${chars.slice(3).join('')}`;
}

function servicePrincipal(
  id: string,
  appId: string,
  displayName: string,
  type: ServicePrincipal['servicePrincipalType'],
  owner: string | null,
): ServicePrincipal {
  return {
    id,
    appId,
    displayName,
    appDisplayName: displayName,
    appOwnerOrganizationId: owner,
    servicePrincipalType: type,
    accountEnabled: true,
    signInAudience: type === 'ManagedIdentity' ? null : 'AzureADMyOrg',
    servicePrincipalNames: [appId],
    publisherName: null,
    tags: [],
    appRoles: [],
    oauth2PermissionScopes: [],
    keyCredentials: [],
    passwordCredentials: [],
  };
}

/** Registers credwatch's app (certificate + secret) in the tenant. */
export async function registerOwnApp(state: SimulatorState, now: Date): Promise<OwnApp> {
  const clientId = randomUUID();
  const start = new Date(now.getTime() - DAY_IN_MS);
  // 180 days keeps credwatch's own credential clear of the long-lived and expiring findings.
  const certificate = await generateCertificate({ subject: 'CN=credwatch', notBefore: start, days: 180 });
  const clientSecret = newClientSecret();
  const certKeyId = randomUUID();
  const secretKeyId = randomUUID();
  const app: Application = {
    id: randomUUID(),
    appId: clientId,
    displayName: 'credwatch',
    createdDateTime: start.toISOString(),
    signInAudience: 'AzureADMyOrg',
    publisherDomain: state.scenario.tenant.defaultDomain,
    keyCredentials: [
      {
        keyId: certKeyId,
        customKeyIdentifier: Buffer.from(certificate.thumbprintSha1, 'hex').toString('base64'),
        displayName: 'CN=credwatch',
        startDateTime: start.toISOString(),
        endDateTime: new Date(start.getTime() + 180 * DAY_IN_MS).toISOString(),
        type: 'AsymmetricX509Cert',
        usage: 'Verify',
        key: certificate.derBase64,
      },
    ],
    passwordCredentials: [
      {
        keyId: secretKeyId,
        customKeyIdentifier: null,
        displayName: 'credwatch (simulator)',
        hint: clientSecret.slice(0, 3),
        startDateTime: start.toISOString(),
        endDateTime: new Date(start.getTime() + 90 * DAY_IN_MS).toISOString(),
        secretText: null,
      },
    ],
    requiredResourceAccess: [],
  };
  state.scenario.applications.push(app);
  state.addServicePrincipal(servicePrincipal(randomUUID(), clientId, 'credwatch', 'Application', state.tenantId));
  state.registerCertificate(clientId, certKeyId, certificate.derBase64);
  state.registerSecret(clientId, clientSecret);
  return { clientId, certificate, clientSecret };
}

/** Adds the system-assigned and user-assigned managed identities' service principals. */
export function registerManagedIdentities(state: SimulatorState): {
  systemAssigned: { appId: string; objectId: string };
  userAssigned: { appId: string; objectId: string };
} {
  const systemAssigned = { appId: randomUUID(), objectId: randomUUID() };
  const userAssigned = { appId: randomUUID(), objectId: randomUUID() };
  state.addServicePrincipal(servicePrincipal(systemAssigned.objectId, systemAssigned.appId, 'credwatch-func', 'ManagedIdentity', null));
  state.addServicePrincipal(servicePrincipal(userAssigned.objectId, userAssigned.appId, 'credwatch-identity', 'ManagedIdentity', null));
  return { systemAssigned, userAssigned };
}
