import type { Severity } from '../events.js';

/**
 * The weekly exposure report as data (`credwatch.report/v1`): built by a pure function from state,
 * rendered to HTML (people), JSON and CSV (machines) and a Teams summary. A value that could not be
 * collected is `null` and its source is listed under `health` — never 0, never "clean".
 */
export const REPORT_SCHEMA = 'credwatch.report/v1';

/** A headline number with last week's value; `null` = unknown (not collected), never zero. */
export interface Metric {
  key: string;
  label: string;
  value: number | null;
  previous: number | null;
  /** value − previous when both are known. */
  delta: number | null;
}

export interface ScorePart {
  factor: 'mailboxReach' | 'credentialType' | 'hygiene' | 'thirdParty' | 'unexpectedSignIns' | 'unused';
  points: number;
  reason: string;
}

export interface ExposureRow {
  appId: string;
  displayName: string;
  ownership: string;
  mailboxPermissions: string[];
  credentials: number;
  score: number;
  /** The parts add up to `score`, so the ranking explains itself. */
  parts: ScorePart[];
}

export interface CredentialRow {
  appId: string;
  displayName: string;
  keyId: string;
  kind: 'certificate' | 'secret' | 'federated';
  holder: 'application' | 'servicePrincipal';
  endDateTime: string | null;
  daysToExpiry: number | null;
  flags: string[];
  mailboxCapable: boolean;
}

/** A mailbox permission as the report keeps it (enough to diff grants week over week). */
export interface MailboxGrantRow {
  permission: string;
  type: 'application' | 'delegated';
  reach: 'allMailboxes' | 'grantedMailboxes' | 'allUsers' | 'someUsers';
  api: string;
}

/** One app of the inventory the report was built from: mailbox-capable apps and apps holding credentials. */
export interface InventoryAppRow {
  appId: string;
  displayName: string;
  ownership: string;
  appOwnerOrganizationId: string | null;
  mailboxCapable: boolean;
  mailboxPermissions: MailboxGrantRow[];
  credentials: CredentialRow[];
}

/**
 * The inventory behind the report, kept in the JSON so next week's report can say what changed
 * (new/removed credentials, new grants, new apps) without an inventory history in the store.
 */
export interface InventorySection {
  collectedAt: string;
  /** The inventory's own source statuses: a failed permission source makes grants incomparable. */
  sources: Array<{ source: string; status: string; errorCode: string | null }>;
  apps: InventoryAppRow[];
  /** Ids of the other apps (no credentials, no mailbox access), so an app that just gained a credential is not reported as new. */
  otherAppIds: string[];
}

/** One finding of the week (what `findings.csv` lists). */
export interface FindingRow {
  findingId: string;
  alertId: string;
  occurredAt: string;
  severity: Severity;
  ruleId: string;
  title: string;
  appId: string;
  appDisplayName: string;
  credentialKeyId: string | null;
  network: string | null;
  ip: string | null;
  country: string | null;
  asn: number | null;
  resource: string | null;
  success: boolean | null;
  suppressed: boolean;
  summary: string;
}

/** Why `changes` is or is not there. */
export type ChangesStatus = 'compared' | 'firstReport' | 'noInventory' | 'previousWithoutInventory';

export interface ConformityDay {
  day: string;
  allowed: number;
  unexpected: number;
  /** Sign-ins of apps whose allowlist was unknown or absent. */
  unchecked: number;
}

export interface ConformityRow {
  appId: string;
  displayName: string;
  days: ConformityDay[];
}

export interface NetworkRow {
  network: string;
  countries: string[];
  count: number;
  apps: string[];
}

export interface AlertRow {
  alertId: string;
  severity: Severity;
  ruleId: string;
  title: string;
  appId: string;
  appDisplayName: string;
  count: number;
  firstSeen: string;
  lastSeen: string;
  suppressed: boolean;
  delivery: { sent: number; pending: number; failed: number; lastError: string | null };
  /**
   * Which mailboxes the app read from the alerted addresses, as the alert's notifications say it
   * ("7 mailboxes read from 198.51.100.43 …", "being determined: …", "unknown: … (CODE)"), shown
   * under "Needs action now" and "Mailbox access by flagged apps" (docs/blast-radius.md). Absent on
   * alerts without one: not known, not "none".
   */
  blastRadius?: string;
  /** The mailboxes read, when known: the count and the names (at most 500). */
  mailboxesRead?: { count: number; list: string[] };
}

export type HealthStatus = 'complete' | 'partial' | 'failed' | 'notLicensed' | 'notCollected';

export interface HealthRow {
  source: string;
  status: HealthStatus;
  /** Scans in the week that read this source completely / in all. */
  completeScans: number;
  scans: number;
  detail: string | null;
}

export interface Recommendation {
  priority: 'now' | 'soon' | 'plan';
  text: string;
  /** Report items it is about (app ids, alert ids, sources). */
  refersTo: string[];
  /** The section `refersTo` points into, which also says what kind of id it holds. */
  section: RecommendationSection;
}

/**
 * `alerts`: alert ids; `exposure`, `appsWithoutAllowlist`: app ids; `hygiene`: credential key ids;
 * `conformity`: network keys; `health`, `staleAllowlists`: health source names.
 */
export type RecommendationSection = 'alerts' | 'exposure' | 'appsWithoutAllowlist' | 'hygiene' | 'conformity' | 'health' | 'staleAllowlists';

export interface WeeklyReport {
  schema: typeof REPORT_SCHEMA;
  tenant: string;
  /** ISO week, e.g. 2026-W48. */
  week: string;
  from: string;
  to: string;
  generatedAt: string;
  summary: Metric[];
  exposure: ExposureRow[];
  hygiene: {
    expiringSoon: CredentialRow[];
    expired: CredentialRow[];
    longLived: CredentialRow[];
    onServicePrincipal: CredentialRow[];
    secretsOnMailboxApps: CredentialRow[];
    shared: CredentialRow[];
    /** RSA keys under 2048 bits or SHA-1 signatures (only where Graph returned the public key). */
    weak: CredentialRow[];
    /** null: credential last-use is not collected yet — unknown, not "none". */
    unusedPrivileged: CredentialRow[] | null;
  };
  conformity: { apps: ConformityRow[]; topUnexpectedNetworks: NetworkRow[] };
  alerts: AlertRow[];
  /** null when there is nothing to compare with; `changesStatus` says why. */
  changes: {
    /** The week compared with. */
    since: string;
    newCredentials: CredentialRow[];
    removedCredentials: CredentialRow[];
    newGrants: Array<{ appId: string; displayName: string; permission: string }>;
    newApps: Array<{ appId: string; displayName: string }>;
    /** What could not be compared (e.g. grants, when a permission source failed either week). */
    notes: string[];
  } | null;
  changesStatus: ChangesStatus;
  /** Mailbox-capable apps with no allowlist: vendors' (`thirdParty`), owner `unknown`, then the tenant's `own`. */
  appsWithoutAllowlist: Array<{ appId: string; displayName: string; ownership: string; mailboxPermissions: string[] }>;
  staleAllowlists: Array<{ vendor: string; source: string; status: string; detail: string | null }>;
  health: HealthRow[];
  /**
   * The week's sign-in log time that was read, whenever it was read (a backfill after the week
   * counts): `share` of the week (0–1) and the intervals. What `signIns` health is judged by.
   */
  signInTime: { share: number; read: Array<{ from: string; to: string }> };
  recommendations: Recommendation[];
  /** The week's findings, suppressed ones included (`findings.csv`). */
  findings: FindingRow[];
  /** null when no inventory was collected; kept so next week's `changes` can be computed. */
  inventory: InventorySection | null;
}
