/**
 * The data a simulated tenant serves, in Microsoft Graph's own JSON shapes (v1.0 for directory
 * objects, beta for sign-ins). Scenarios are plain data so tests can build or tweak one inline.
 */
import type { SignIn } from './signin-record.js';

export type * from './signin-record.js';

/** `keyCredential` (certificate or symmetric key). `key` is served only when `$select` names keyCredentials. */
export interface KeyCredential {
  keyId: string;
  customKeyIdentifier: string | null;
  displayName: string | null;
  startDateTime: string;
  endDateTime: string;
  type: 'AsymmetricX509Cert' | 'Symmetric' | 'X509CertAndPassword';
  usage: 'Verify' | 'Sign';
  /** Base64 DER of the certificate; null in responses that do not `$select` keyCredentials. */
  key: string | null;
}

/** `passwordCredential` (client secret). `secretText` is never readable after creation. */
export interface PasswordCredential {
  keyId: string;
  customKeyIdentifier: string | null;
  displayName: string | null;
  hint: string | null;
  startDateTime: string;
  endDateTime: string;
  secretText: null;
}

/** `federatedIdentityCredential` (navigation property of an application). */
export interface FederatedIdentityCredential {
  id: string;
  name: string;
  issuer: string;
  subject: string;
  audiences: string[];
  description: string | null;
}

/** `appRole` on an application or service principal. */
export interface AppRole {
  id: string;
  value: string;
  displayName: string;
  description: string;
  allowedMemberTypes: string[];
  isEnabled: boolean;
  origin: string;
}

/** `permissionScope` (delegated permission) on a resource service principal. */
export interface PermissionScope {
  id: string;
  value: string;
  type: 'Admin' | 'User';
  adminConsentDisplayName: string;
  adminConsentDescription: string;
  userConsentDisplayName: string | null;
  userConsentDescription: string | null;
  isEnabled: boolean;
}

/** `requiredResourceAccess` entry of an application. */
export interface RequiredResourceAccess {
  resourceAppId: string;
  resourceAccess: { id: string; type: 'Role' | 'Scope' }[];
}

/** `application` (app registration). Federated credentials are served from their own path. */
export interface Application {
  id: string;
  appId: string;
  displayName: string;
  createdDateTime: string;
  signInAudience: string;
  publisherDomain: string | null;
  keyCredentials: KeyCredential[];
  passwordCredentials: PasswordCredential[];
  requiredResourceAccess: RequiredResourceAccess[];
  /** Navigation property: never part of the application's JSON. */
  federatedIdentityCredentials?: FederatedIdentityCredential[];
}

/** `servicePrincipal` (enterprise application). */
export interface ServicePrincipal {
  id: string;
  appId: string;
  displayName: string;
  appDisplayName: string | null;
  appOwnerOrganizationId: string | null;
  servicePrincipalType: 'Application' | 'ManagedIdentity' | 'Legacy' | 'SocialIdp';
  accountEnabled: boolean;
  signInAudience: string | null;
  servicePrincipalNames: string[];
  publisherName: string | null;
  tags: string[];
  appRoles: AppRole[];
  oauth2PermissionScopes: PermissionScope[];
  keyCredentials: KeyCredential[];
  passwordCredentials: PasswordCredential[];
}

/** `appRoleAssignment`: `principalId` holds role `appRoleId` of resource `resourceId`. */
export interface AppRoleAssignment {
  id: string;
  appRoleId: string;
  createdDateTime: string;
  deletedDateTime: null;
  principalDisplayName: string;
  principalId: string;
  principalType: 'ServicePrincipal' | 'User' | 'Group';
  resourceDisplayName: string;
  resourceId: string;
}

/** `oAuth2PermissionGrant` (delegated permission grant). */
export interface OAuth2PermissionGrant {
  id: string;
  clientId: string;
  consentType: 'AllPrincipals' | 'Principal';
  principalId: string | null;
  resourceId: string;
  scope: string;
}

/** `ipNamedLocation` (the only named-location kind credwatch reads). */
export interface NamedLocation {
  '@odata.type': '#microsoft.graph.ipNamedLocation';
  id: string;
  displayName: string;
  createdDateTime: string;
  modifiedDateTime: string;
  isTrusted: boolean;
  ipRanges: { '@odata.type': '#microsoft.graph.iPv4CidrRange' | '#microsoft.graph.iPv6CidrRange'; cidrAddress: string }[];
}

/**
 * Sign-ins generated on demand. `at(i)` must return them in ascending `createdDateTime` order
 * (i = 0 is the oldest) and be deterministic, so a time window maps to an index range.
 */
export interface LazySignIns {
  count: number;
  at(index: number): SignIn;
}

/** `directoryAudit` record. */
export interface DirectoryAudit {
  id: string;
  category: string;
  correlationId: string;
  result: 'success' | 'failure' | 'timeout' | 'unknownFutureValue';
  resultReason: string;
  activityDisplayName: string;
  activityDateTime: string;
  loggedByService: string;
  operationType: string;
  initiatedBy: {
    user: { id: string; displayName: string | null; userPrincipalName: string; ipAddress: string | null } | null;
    app: { appId: string | null; displayName: string | null; servicePrincipalId: string; servicePrincipalName: string | null } | null;
  };
  targetResources: {
    id: string;
    displayName: string | null;
    type: string;
    userPrincipalName: string | null;
    groupType: string | null;
    modifiedProperties: { displayName: string; oldValue: string | null; newValue: string | null }[];
  }[];
  additionalDetails: { key: string; value: string }[];
}

/**
 * `auditLogRecord` (https://learn.microsoft.com/graph/api/resources/security-auditlogrecord); its
 * `auditData` is the workload's audit schema (for Exchange mailbox records, the Office 365
 * Management Activity API's Exchange mailbox schema).
 */
export interface AuditLogRecord {
  id: string;
  createdDateTime: string;
  auditLogRecordType: string;
  operation: string;
  organizationId: string;
  userType: string;
  userId: string;
  service: string;
  objectId: string | null;
  userPrincipalName: string;
  clientIp: string;
  administrativeUnits: string[];
  auditData: Record<string, unknown>;
}

/** The tenant's unified audit log as the audit log query API serves it, and how its queries run. */
export interface AuditLogScenario {
  records: AuditLogRecord[];
  /** How long a new query stays notStarted, then running, on the simulator's clock (defaults 1 and 4 minutes). */
  notStartedForMs?: number;
  runningForMs?: number;
  /** How a query ends: succeeded (default), failed, or never (running for ever). */
  outcome?: 'succeeded' | 'failed' | 'neverFinishes';
}

/** A whole simulated tenant. */
export interface Scenario {
  tenant: { id: string; displayName: string; defaultDomain: string; hasPremiumLicense: boolean };
  applications: Application[];
  servicePrincipals: ServicePrincipal[];
  appRoleAssignments: AppRoleAssignment[];
  oauth2PermissionGrants: OAuth2PermissionGrant[];
  namedLocations: NamedLocation[];
  signIns: SignIn[] | LazySignIns;
  directoryAudits: DirectoryAudit[];
  /** The unified audit log; without it the audit log query API finds no records. */
  auditLog?: AuditLogScenario;
}
