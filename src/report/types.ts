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
}

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
    /** null: credential last-use is not collected yet — unknown, not "none". */
    unusedPrivileged: CredentialRow[] | null;
  };
  conformity: { apps: ConformityRow[]; topUnexpectedNetworks: NetworkRow[] };
  alerts: AlertRow[];
  changes: { newCredentials: CredentialRow[]; removedCredentials: CredentialRow[]; newGrants: Array<{ appId: string; displayName: string; permission: string }>; newApps: Array<{ appId: string; displayName: string }> } | null;
  appsWithoutAllowlist: Array<{ appId: string; displayName: string; mailboxPermissions: string[] }>;
  staleAllowlists: Array<{ vendor: string; source: string; status: string; detail: string | null }>;
  health: HealthRow[];
  recommendations: Recommendation[];
}
