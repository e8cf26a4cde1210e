/**
 * The normalized types shared by collectors, rules and reports: the contract between `collect/`
 * (which alone knows Graph's JSON) and everything downstream.
 */

export type CredentialKind = 'certificate' | 'secret' | 'federated';
/** Where Entra stores the credential: on the app registration, or directly on the service principal. */
export type CredentialHolder = 'application' | 'servicePrincipal';
export type Ownership = 'microsoft' | 'thirdParty' | 'own' | 'unknown';

export interface CertificateDetails {
  subject: string;
  issuer: string;
  selfSigned: boolean;
  keyAlgorithm: string;
  keySizeInBits: number | undefined;
  signatureAlgorithm: string;
  notBefore: Date;
  notAfter: Date;
  thumbprintSha1: string;
  thumbprintSha256: string;
}

export interface AppCredential {
  keyId: string;
  kind: CredentialKind;
  holder: CredentialHolder;
  displayName: string | undefined;
  startDateTime: Date | undefined;
  endDateTime: Date | undefined;
  /** Hex SHA-1 thumbprint from `customKeyIdentifier` (Entra's default for certificates). */
  thumbprintSha1: string | undefined;
  /** First characters of a secret, as Entra shows them. */
  hint: string | undefined;
  /** `Verify`/`Sign` for key credentials. */
  usage: string | undefined;
  federated: { issuer: string; subject: string; audiences: readonly string[] } | undefined;
  /** Parsed from the public key when Graph returned it; undefined otherwise. */
  certificate: CertificateDetails | undefined;
}

/** Which API a mailbox permission opens. */
export type MailboxApi = 'ews' | 'graph' | 'exchangeAdmin';

export interface MailboxPermission {
  /** The permission's name as the resource defines it, e.g. `full_access_as_app`, `Mail.Read`. */
  permission: string;
  resource: 'exchange' | 'graph';
  api: MailboxApi;
  type: 'application' | 'delegated';
  /**
   * `allMailboxes` for application roles (Graph cannot see Exchange's Application Access Policies
   * or RBAC scopes, so an assignment reaches every mailbox unless scoped there); `allUsers` for an
   * admin-consented delegated grant; `someUsers` for per-user consent.
   */
  reach: 'allMailboxes' | 'allUsers' | 'someUsers';
  grantedAt: Date | undefined;
}

export interface RoleAssignment {
  resourceAppId: string;
  resourceDisplayName: string;
  appRoleId: string;
  /** Resolved at runtime from the resource's appRoles; undefined when the role id is unknown. */
  roleValue: string | undefined;
  createdDateTime: Date | undefined;
}

export interface DelegatedGrant {
  resourceAppId: string | undefined;
  resourceDisplayName: string;
  consentType: 'AllPrincipals' | 'Principal' | string;
  scopes: readonly string[];
}

export interface InventoryApp {
  appId: string;
  displayName: string;
  servicePrincipalId: string | undefined;
  applicationObjectId: string | undefined;
  appOwnerOrganizationId: string | undefined;
  ownership: Ownership;
  servicePrincipalType: string | undefined;
  accountEnabled: boolean | undefined;
  signInAudience: string | undefined;
  createdDateTime: Date | undefined;
  credentials: AppCredential[];
  appRoleAssignments: RoleAssignment[];
  delegatedGrants: DelegatedGrant[];
  mailboxPermissions: MailboxPermission[];
}

/** One source's collection outcome. Anything not `complete` must be shown as unknown, not clean. */
export interface SourceStatus {
  source: string;
  status: 'complete' | 'partial' | 'failed' | 'skipped';
  errorCode?: string;
  message?: string;
  items?: number;
}

export interface Inventory {
  tenantId: string;
  collectedAt: Date;
  apps: InventoryApp[];
  sources: SourceStatus[];
}
