/**
 * The normalized types shared by collectors, rules and reports: the contract between `collect/`
 * (which alone knows Graph's JSON) and everything downstream.
 */
import type { Severity, SourceStatus } from './contract.js';

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

/**
 * Which protocol or API a mailbox permission opens: EWS, Microsoft Graph, IMAP, POP, SMTP AUTH, or
 * Exchange administration (docs/inventory.md, "Mailbox reach").
 */
export type MailboxApi = 'ews' | 'graph' | 'imap' | 'pop' | 'smtp' | 'exchangeAdmin';

export interface MailboxPermission {
  /** The permission's name as the resource defines it, e.g. `full_access_as_app`, `Mail.Read`. */
  permission: string;
  resource: 'exchange' | 'graph';
  api: MailboxApi;
  type: 'application' | 'delegated';
  /**
   * `allMailboxes` for application roles (Graph cannot see Exchange's Application Access Policies
   * or RBAC scopes, so an assignment reaches every mailbox unless scoped there); `allUsers` for an
   * admin-consented delegated grant; `someUsers` for per-user consent; `grantedMailboxes` for
   * Exchange's IMAP/POP/SMTP application roles, which open only the mailboxes an Exchange admin
   * grants the app (Add-MailboxPermission), a list Graph cannot read
   * (https://learn.microsoft.com/exchange/client-developer/legacy-protocols/how-to-authenticate-an-imap-pop-smtp-application-by-using-oauth).
   */
  reach: 'allMailboxes' | 'grantedMailboxes' | 'allUsers' | 'someUsers';
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

export type { SourceStatus } from './contract.js';

export interface Inventory {
  tenantId: string;
  collectedAt: Date;
  apps: InventoryApp[];
  sources: SourceStatus[];
}

// ─── Events read from logs (issue: detection) ────────────────────────────────────────────────

/**
 * `clientCredentialType` exactly as the beta signIn resource documents it
 * (https://learn.microsoft.com/graph/api/resources/signin?view=graph-rest-beta): how a service
 * principal authenticated. `certificate` and `clientAssertion` are both certificate-like;
 * `unknownFutureValue` is Microsoft's evolvable-enum sentinel, sent to clients that did not opt in
 * to newer members.
 */
export type DocumentedCredentialType =
  'none' | 'clientSecret' | 'clientAssertion' | 'federatedIdentityCredential' | 'managedIdentity' | 'certificate' | 'unknownFutureValue';

/**
 * The credential type credwatch read from a sign-in: a documented value, `unrecognized` for any
 * other text (kept verbatim in `SignInEvent.rawCredentialType`), or `notRecorded` when the property
 * is absent or `""`. Each value is a decision somewhere in the rules, so none is folded into another
 * (a missing value is not `none`, an undocumented one is not `unknownFutureValue`).
 */
export type ClientCredentialType = DocumentedCredentialType | 'unrecognized' | 'notRecorded';

/**
 * Whether the sign-in worked. `unknown` when the record has no numeric `status.errorCode`: Microsoft's
 * own List signIns example publishes `"status": {}` for a successful sign-in
 * (https://learn.microsoft.com/graph/api/signin-list?view=graph-rest-beta), so a missing code is
 * neither a success credwatch can vouch for nor a failure it may discount.
 */
export type SignInOutcome = 'success' | 'failure' | 'unknown';

/** A service-principal sign-in, normalized from Graph's beta signIn. */
export interface SignInEvent {
  id: string;
  createdAt: Date;
  appId: string;
  appDisplayName: string | undefined;
  servicePrincipalId: string | undefined;
  /** Canonical text form (IPv4-mapped IPv6 becomes IPv4); undefined when absent or unparseable. */
  ipAddress: string | undefined;
  /** The raw value when it could not be parsed (kept for the alert, never matched). */
  rawIpAddress: string | undefined;
  countryOrRegion: string | undefined;
  city: string | undefined;
  asn: number | undefined;
  resourceId: string | undefined;
  resourceDisplayName: string | undefined;
  credentialType: ClientCredentialType;
  /** The logged `clientCredentialType` text when it is not a documented value (`credentialType: 'unrecognized'`). */
  rawCredentialType: string | undefined;
  /** `servicePrincipalCredentialKeyId`; `""` in the log becomes undefined. */
  credentialKeyId: string | undefined;
  credentialThumbprint: string | undefined;
  /** `federatedCredentialId`: which federated identity credential was used, when one was. */
  federatedCredentialId: string | undefined;
  outcome: SignInOutcome;
  errorCode: number | undefined;
  failureReason: string | undefined;
  correlationId: string | undefined;
}

export type AuditActivityKind =
  | 'applicationCredentialsChanged'
  | 'servicePrincipalCredentialsAdded'
  | 'servicePrincipalCredentialsRemoved'
  | 'consent'
  | 'appRoleAssignmentAdded'
  | 'delegatedGrantAdded'
  | 'ownerAdded'
  | 'servicePrincipalUpdated'
  | 'other';

export interface CredentialChange {
  change: 'added' | 'removed';
  keyId: string | undefined;
  /** `AsymmetricX509Cert`, `Password`, `Symmetric`, … as the audit row says. */
  keyType: string | undefined;
  keyUsage: string | undefined;
  displayName: string | undefined;
}

/** A directory audit row about apps, credentials or consent, normalized. */
export interface AuditEvent {
  id: string;
  activityAt: Date;
  /** The activity name exactly as logged (attacker-visible text; escape on output). */
  activity: string;
  kind: AuditActivityKind;
  result: string | undefined;
  initiatedBy: { type: 'user' | 'app' | 'unknown'; id: string | undefined; name: string | undefined };
  target: { id: string | undefined; type: string | undefined; displayName: string | undefined; appId: string | undefined };
  credentialChanges: CredentialChange[];
  /** Role or scope names this change granted (new minus old), when the row carries them. */
  permissions: string[];
  /**
   * Grant activities only: the client that received the permissions and the API they are for, as
   * the row names them (docs/rules.md, "How grant audit rows name the app"). `target` stays the
   * row's first target, which for a grant is usually the API, not the client.
   */
  grant?: { client: AuditGrantParty; resource: AuditGrantParty } | undefined;
}

/** One side of a grant in an audit row; any part may be missing (the real rows log nulls). */
export interface AuditGrantParty {
  /** Service principal object id. */
  servicePrincipalId: string | undefined;
  appId: string | undefined;
  displayName: string | undefined;
}

// The one severity scale lives in the contract module; re-exported for the modules that read events.
export { SEVERITY_ORDER } from './contract.js';
export type { Severity } from './contract.js';

/** Where an allowed range came from, carried into findings and alerts. */
export interface RangeProvenance {
  vendor: string;
  /** `cidrs`, `file:<path>`, `url:<url>` or `namedLocation:<name>`. */
  source: string;
  cidr: string;
  fetchedAt: Date | undefined;
  stale: boolean;
}

/** One rule's verdict about one event or state. */
export interface Finding {
  ruleId: string;
  severity: Severity;
  tenant: string;
  appId: string;
  appDisplayName: string;
  /** The credential involved (key id), when known. */
  credentialKeyId: string | undefined;
  /** The network key used for grouping: `AS<n>`, an IPv4 /24 or IPv6 /48, or undefined. */
  network: string | undefined;
  occurredAt: Date;
  /** Ids of the log records behind it (sign-in or audit ids), for dedupe and drill-down. */
  eventIds: string[];
  /** One line: what happened. */
  summary: string;
  ip: string | undefined;
  country: string | undefined;
  asn: number | undefined;
  resource: string | undefined;
  success: boolean | undefined;
  /** The nearest allowed ranges (for "outside the allowlist" findings) or the range matched. */
  allowlist: RangeProvenance[];
  /** Rule-specific facts, small and JSON-safe. */
  details: Record<string, string | number | boolean | null>;
}

/** A change found by diffing this run's inventory with the previous snapshot. */
export type InventoryChange =
  | {
      kind: 'credentialAdded';
      app: InventoryApp;
      credentialKeyId: string;
      credentialKind: 'certificate' | 'secret' | 'federated';
      holder: 'application' | 'servicePrincipal';
    }
  | { kind: 'credentialRemoved'; app: InventoryApp; credentialKeyId: string }
  | {
      kind: 'mailboxPermissionAdded';
      app: InventoryApp;
      permission: string;
      type: 'application' | 'delegated';
      /** Set when an existing per-user delegated grant now covers every user. */
      widenedToAllUsers?: boolean;
    }
  | { kind: 'appAdded'; app: InventoryApp };

/** Certificate and client assertion are both certificate-like (https://learn.microsoft.com/graph/api/resources/signin?view=graph-rest-beta). */
export function isCertificateLike(type: ClientCredentialType): boolean {
  return type === 'certificate' || type === 'clientAssertion';
}

/**
 * How a MailItemsAccessed record says the mail was reached (its OperationProperties MailAccessType,
 * "Bind" or "Sync": https://learn.microsoft.com/purview/audit-log-investigate-accounts). A sync
 * record stands for a whole folder, every item of which is to be taken as read; anything else is
 * `unknown`, never one of the two.
 */
export type MailAccessType = 'bind' | 'sync' | 'unknown';

/** One mail access audit record, normalized (src/collect/audit-records.ts). */
export interface MailAccessRecord {
  recordId: string;
  /** The owner of the mailbox read (MailboxOwnerUPN), lower-cased; undefined when not logged. */
  mailbox: string | undefined;
  operation: string;
  at: Date | undefined;
  /** The client address, normalized (IPv4-mapped IPv6 as IPv4, no port). */
  clientIp: string | undefined;
  /** Every application id the record names (lower-cased GUIDs); empty when it names none. */
  appIds: string[];
  accessType: MailAccessType;
  /** The logged MailAccessType when it is not Bind or Sync (truncated). */
  rawAccessType: string | undefined;
  /** Messages named in Folders[].FolderItems; undefined when the record lists no folders. */
  itemCount: number | undefined;
  /** Folders named in Folders[]; undefined when absent. */
  folderCount: number | undefined;
  /** OperationProperties IsThrottled: after a throttled record, access is not audited for 24 hours. */
  throttled: boolean | undefined;
}

/** What the alerted app read from the alerted addresses, as far as the audit log tells (src/collect/blast-radius.ts). */
export interface BlastRadius {
  appId: string;
  ips: string[];
  from: Date;
  to: Date;
  /** Records of the app from the alerted addresses. */
  records: number;
  /** Distinct mailbox owners read; `list` holds at most a bounded number. */
  mailboxes: { count: number; list: string[]; truncated: boolean };
  /** Records of the app from those addresses that name no mailbox: each may be one more. */
  recordsWithoutMailbox: number;
  /** Messages named by bind records. */
  itemsNamed: number;
  /** Records whose item count is not logged: more items than `itemsNamed` were reached. */
  recordsWithoutItemCount: number;
  folders: number;
  recordsWithoutFolderCount: number;
  bind: number;
  sync: number;
  unknownAccessType: number;
  firstAccess: Date | undefined;
  lastAccess: Date | undefined;
  recordsWithoutTime: number;
  /** Mailboxes with an IsThrottled record: access after it went unaudited for 24 hours. */
  throttledMailboxes: string[];
  perIp: Array<{ ip: string; records: number; mailboxes: number }>;
  /** From the alerted addresses but naming no application: could be the app, counted apart. */
  recordsWithoutApp: number;
  /** Left out: another app, or another address. */
  otherAppRecords: number;
  otherIpRecords: number;
  /**
   * False when the list is known to be short: credwatch stopped at its record cap, Graph said the
   * query exceeded its record limit, or a record could not be read.
   */
  complete: boolean;
  /** Records that could not be normalized (no id, not an object). */
  unreadableRecords: number;
}

/**
 * Where an alert's blast radius stands (docs/blast-radius.md): asked and not answered yet, known,
 * or unknown with a stable error code and why. Every state names what was (or is being) asked —
 * the addresses and the window — so a later scan can tell whether the alert outgrew it.
 */
export type AlertBlastRadius = {
  /** The alerted addresses asked about (normalized). */
  ips: string[];
  /** The window asked about, the alert's own plus a margin. */
  from: Date;
  to: Date;
  /** The audit query's intent id (docs/blast-radius.md), when one was opened. */
  intentId: string | undefined;
  /** When this state was reached. */
  at: Date;
} & ({ status: 'pending' } | { status: 'known'; radius: BlastRadius } | { status: 'unknown'; code: string; reason: string });
