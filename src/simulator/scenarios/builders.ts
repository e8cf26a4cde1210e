/**
 * Small constructors shared by the scenarios, so each scenario reads as a list of facts about a
 * tenant. Object ids are derived from readable labels (name-based, like UUID v5) so every run of a
 * scenario has the same ids.
 */
import { createHash } from 'node:crypto';
import type { Application, AppRoleAssignment, KeyCredential, PasswordCredential, ServicePrincipal } from '../scenario.js';
import type { ScenarioCertificate } from './certificates.js';
import { guid } from './guid.js';

export { guid } from './guid.js';
export { signIn, type SignInSpec } from './signins.js';

/** One day in milliseconds. */
export const DAY_IN_MS = 86_400_000;

/** `now` shifted by a number of days (negative = past), as a Date. */
export function daysFrom(now: Date, days: number): Date {
  return new Date(now.getTime() + days * DAY_IN_MS);
}

/** A certificate credential as Entra stores it (customKeyIdentifier = SHA-1 thumbprint bytes). */
export function certificateCredential(label: string, cert: ScenarioCertificate, displayName: string): KeyCredential {
  return {
    keyId: guid(`key/${label}`),
    customKeyIdentifier: cert.customKeyIdentifier,
    displayName,
    startDateTime: cert.notBefore.toISOString(),
    endDateTime: cert.notAfter.toISOString(),
    type: 'AsymmetricX509Cert',
    usage: 'Verify',
    key: cert.derBase64,
  };
}

/** A client secret credential (only the first three characters are ever visible, as `hint`). */
export function secretCredential(label: string, displayName: string, start: Date, end: Date, hint: string): PasswordCredential {
  return {
    keyId: guid(`secret/${label}`),
    customKeyIdentifier: null,
    displayName,
    hint,
    startDateTime: start.toISOString(),
    endDateTime: end.toISOString(),
    secretText: null,
  };
}

/** Options for {@link ownApp}. */
export interface OwnAppOptions {
  tenantId: string;
  displayName: string;
  created: Date;
  domain: string;
  keyCredentials?: KeyCredential[];
  passwordCredentials?: PasswordCredential[];
  /** Graph application roles requested (ids). */
  graphRoles?: string[];
  /** Office 365 Exchange Online application roles requested (ids). */
  exchangeRoles?: string[];
}

/** An app registered in the tenant plus its service principal (credentials on the app). */
export function ownApp(options: OwnAppOptions): { app: Application; sp: ServicePrincipal } {
  const appId = guid(`${options.tenantId}/appId/${options.displayName}`);
  const app: Application = {
    id: guid(`${options.tenantId}/app/${options.displayName}`),
    appId,
    displayName: options.displayName,
    createdDateTime: options.created.toISOString(),
    signInAudience: 'AzureADMyOrg',
    publisherDomain: options.domain,
    keyCredentials: options.keyCredentials ?? [],
    passwordCredentials: options.passwordCredentials ?? [],
    requiredResourceAccess: [
      ...(options.graphRoles?.length
        ? [{ resourceAppId: '00000003-0000-0000-c000-000000000000', resourceAccess: options.graphRoles.map((id) => ({ id, type: 'Role' as const })) }]
        : []),
      ...(options.exchangeRoles?.length
        ? [{ resourceAppId: '00000002-0000-0ff1-ce00-000000000000', resourceAccess: options.exchangeRoles.map((id) => ({ id, type: 'Role' as const })) }]
        : []),
    ],
  };
  return { app, sp: servicePrincipalFor(options.tenantId, appId, options.displayName, options.tenantId, 'AzureADMyOrg') };
}

/** A service principal (without credentials) for an app owned by `ownerTenantId`. */
export function servicePrincipalFor(tenantId: string, appId: string, displayName: string, ownerTenantId: string, audience: string): ServicePrincipal {
  return {
    id: guid(`${tenantId}/sp/${appId}`),
    appId,
    displayName,
    appDisplayName: displayName,
    appOwnerOrganizationId: ownerTenantId,
    servicePrincipalType: 'Application',
    accountEnabled: true,
    signInAudience: audience,
    servicePrincipalNames: [appId],
    publisherName: null,
    tags: ['WindowsAzureActiveDirectoryIntegratedApp'],
    appRoles: [],
    oauth2PermissionScopes: [],
    keyCredentials: [],
    passwordCredentials: [],
  };
}

/** `principal` holds `appRoleId` on `resource`. */
export function assignment(principal: ServicePrincipal, resource: ServicePrincipal, appRoleId: string, created: Date): AppRoleAssignment {
  return {
    // Graph's assignment ids are base64url strings, not GUIDs.
    id: createHash('sha256').update(`${principal.id}/${resource.id}/${appRoleId}`).digest('base64url').slice(0, 43),
    appRoleId,
    createdDateTime: created.toISOString(),
    deletedDateTime: null,
    principalDisplayName: principal.displayName,
    principalId: principal.id,
    principalType: 'ServicePrincipal',
    resourceDisplayName: resource.displayName,
    resourceId: resource.id,
  };
}
