import type { AppCredential, CredentialHolder, DelegatedGrant, InventoryApp, Ownership } from '../events.js';
import { parseCertificate } from '../inventory/certificate.js';
import { MICROSOFT_FIRST_PARTY_TENANT_ID } from '../inventory/resources.js';
import { base64ToHex, bool, date, objects, str, strings, type Json } from './values.js';

/**
 * Fields read from service principals; `$select` keeps directory reads cheap, and naming
 * keyCredentials in it is what makes the list return each certificate's `key` — at the price of a
 * separate budget of 150 such requests per minute per tenant (serviceprincipal-list, application-list).
 */
export const SERVICE_PRINCIPAL_SELECT = [
  'id',
  'appId',
  'displayName',
  'appOwnerOrganizationId',
  'servicePrincipalType',
  'accountEnabled',
  'keyCredentials',
  'passwordCredentials',
  'createdDateTime',
] as const;

/** Fields read from app registrations; keyCredentials in `$select` brings the certificates' `key` too. */
export const APPLICATION_SELECT = ['id', 'appId', 'displayName', 'signInAudience', 'keyCredentials', 'passwordCredentials', 'createdDateTime'] as const;

/**
 * Key and password credentials of an application or service principal object, as a list page
 * returns them. A list names `key` (the certificate's public DER) when keyCredentials is in `$select`
 * (https://learn.microsoft.com/graph/api/application-list and …/serviceprincipal-list, "Optional
 * query parameters"), but reading one costs about half a millisecond, so only the certificates of
 * mailbox-capable apps are parsed (`parseCertificates`); the others keep their list facts.
 */
export function credentialsOf(object: Json, holder: CredentialHolder, parseCertificates: boolean): AppCredential[] {
  const out: AppCredential[] = [];
  for (const k of objects(object.keyCredentials)) {
    const keyId = str(k.keyId);
    if (!keyId) continue;
    const der = parseCertificates && str(k.type) !== 'Symmetric' ? str(k.key) : undefined;
    const certificate = der ? parseCertificate(der) : undefined;
    const type = str(k.type);
    out.push({
      keyId,
      kind: type === 'Symmetric' ? 'secret' : 'certificate',
      holder,
      displayName: str(k.displayName),
      startDateTime: date(k.startDateTime),
      endDateTime: date(k.endDateTime),
      thumbprintSha1: thumbprintFromIdentifier(k.customKeyIdentifier) ?? certificate?.thumbprintSha1,
      hint: undefined,
      usage: str(k.usage),
      federated: undefined,
      certificate,
    });
  }
  for (const p of objects(object.passwordCredentials)) {
    const keyId = str(p.keyId);
    if (!keyId) continue;
    out.push({
      keyId,
      kind: 'secret',
      holder,
      displayName: str(p.displayName),
      startDateTime: date(p.startDateTime),
      endDateTime: date(p.endDateTime),
      thumbprintSha1: undefined,
      hint: str(p.hint),
      usage: undefined,
      federated: undefined,
      certificate: undefined,
    });
  }
  return out;
}

/** `customKeyIdentifier` is the SHA-1 thumbprint by default; anything else is a free label. */
function thumbprintFromIdentifier(value: unknown): string | undefined {
  const hex = base64ToHex(value);
  return hex && hex.length === 40 ? hex : undefined;
}

/** Federated identity credentials (one page of the navigation property) as inventory credentials. */
export function federatedCredentialsOf(items: readonly Json[]): AppCredential[] {
  return items.flatMap((f) => {
    const keyId = str(f.id);
    if (!keyId) return [];
    return [
      {
        keyId,
        kind: 'federated' as const,
        holder: 'application' as const,
        displayName: str(f.name),
        startDateTime: undefined,
        endDateTime: undefined,
        thumbprintSha1: undefined,
        hint: undefined,
        usage: undefined,
        federated: { issuer: str(f.issuer) ?? '', subject: str(f.subject) ?? '', audiences: strings(f.audiences) },
        certificate: undefined,
      },
    ];
  });
}

/** Who owns an app, from its service principal's owner tenant (a managed identity is always ours). */
export function ownershipOf(ownerTenantId: string | undefined, tenantId: string, servicePrincipalType: string | undefined): Ownership {
  if (servicePrincipalType === 'ManagedIdentity') return 'own';
  if (!ownerTenantId) return 'unknown';
  if (ownerTenantId.toLowerCase() === MICROSOFT_FIRST_PARTY_TENANT_ID) return 'microsoft';
  if (ownerTenantId.toLowerCase() === tenantId.toLowerCase()) return 'own';
  return 'thirdParty';
}

/**
 * An inventory entry from a service principal object (the app as it exists in this tenant);
 * `mailboxCapable` decides whether its certificates are parsed (see {@link credentialsOf}).
 */
export function appFromServicePrincipal(sp: Json, tenantId: string, mailboxCapable: boolean): InventoryApp | undefined {
  const appId = str(sp.appId);
  const id = str(sp.id);
  if (!appId || !id) return undefined;
  const owner = str(sp.appOwnerOrganizationId);
  const type = str(sp.servicePrincipalType);
  return {
    appId,
    displayName: str(sp.displayName) ?? appId,
    servicePrincipalId: id,
    applicationObjectId: undefined,
    appOwnerOrganizationId: owner,
    ownership: ownershipOf(owner, tenantId, type),
    servicePrincipalType: type,
    accountEnabled: bool(sp.accountEnabled),
    signInAudience: undefined,
    createdDateTime: date(sp.createdDateTime),
    credentials: credentialsOf(sp, 'servicePrincipal', mailboxCapable),
    appRoleAssignments: [],
    delegatedGrants: [],
    mailboxPermissions: [],
  };
}

/**
 * Merges an app registration into its service principal's entry (or makes one: an app without one
 * holds no permission in this tenant). Its certificates are parsed when the entry can reach mailboxes.
 */
export function mergeApplication(existing: InventoryApp | undefined, app: Json, tenantId: string): InventoryApp | undefined {
  const appId = str(app.appId);
  const id = str(app.id);
  if (!appId || !id) return undefined;
  const entry: InventoryApp = existing ?? {
    appId,
    displayName: str(app.displayName) ?? appId,
    servicePrincipalId: undefined,
    applicationObjectId: undefined,
    appOwnerOrganizationId: tenantId,
    ownership: 'own',
    servicePrincipalType: undefined,
    accountEnabled: undefined,
    signInAudience: undefined,
    createdDateTime: date(app.createdDateTime),
    credentials: [],
    appRoleAssignments: [],
    delegatedGrants: [],
    mailboxPermissions: [],
  };
  entry.applicationObjectId = id;
  entry.signInAudience = str(app.signInAudience);
  // A registration in this tenant is ours even if the service principal's owner id was missing.
  if (entry.ownership === 'unknown') entry.ownership = 'own';
  entry.credentials.push(...credentialsOf(app, 'application', entry.mailboxPermissions.length > 0));
  return entry;
}

/** A delegated grant with the ids it joins: the client holds it, the resource is the API it opens. */
export interface GrantRecord {
  clientId: string;
  resourceId: string;
  grant: DelegatedGrant;
}

/**
 * A delegated grant, its resource named from `resources` (service principal id → app) when known
 * there; {@link nameGrantResource} names the others once every service principal has been read.
 */
export function grantOf(grant: Json, resources: ReadonlyMap<string, { appId: string; displayName: string }>): GrantRecord | undefined {
  const clientId = str(grant.clientId);
  const resourceId = str(grant.resourceId);
  if (!clientId || !resourceId) return undefined;
  const record: GrantRecord = {
    clientId,
    resourceId,
    grant: {
      resourceAppId: undefined,
      resourceDisplayName: resourceId,
      consentType: str(grant.consentType) ?? 'unknown',
      scopes: (str(grant.scope) ?? '').split(/\s+/).filter(Boolean),
    },
  };
  nameGrantResource(record, resources.get(resourceId));
  return record;
}

/** Names a grant's resource; an unknown resource keeps its service principal id as its name. */
export function nameGrantResource(record: GrantRecord, resource: { appId: string; displayName: string } | undefined): void {
  if (!resource) return;
  record.grant.resourceAppId = resource.appId;
  record.grant.resourceDisplayName = resource.displayName;
}
