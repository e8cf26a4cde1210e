import type { Finding, RangeProvenance, Severity } from '../events.js';

/**
 * The state credwatch keeps between runs, behind one interface so the embedded store (SQLite), the
 * in-memory store (tests) and Azure Table Storage (Functions) are interchangeable. Writes that
 * belong together go through `commitWindow`, which is atomic: after a crash either all of a window
 * is stored or none of it, and the window is simply read again.
 */

/** The alert as grouped: one per (rule, app, credential, network) within the grouping window. */
export interface StoredAlert {
  /** Stable: a hash of the grouping key and window start, so receivers can drop repeats. */
  alertId: string;
  tenant: string;
  ruleId: string;
  severity: Severity;
  appId: string;
  appDisplayName: string;
  credentialKeyId: string | undefined;
  network: string | undefined;
  firstSeen: Date;
  lastSeen: Date;
  count: number;
  successCount: number;
  failureCount: number;
  /** Distinct values, capped (the cap is the alerts module's business). */
  ips: string[];
  countries: string[];
  asns: number[];
  resources: string[];
  allowlist: RangeProvenance[];
  summary: string;
  /** A bounded sample of the log record ids behind the alert. */
  eventIds: string[];
  /** Set when a suppression matched: kept and reported, not sent. */
  suppressed: { reason: string; owner: string; expires: Date } | undefined;
  /** Last time it was put in the outbox, and the count it had then (for repeat notifications). */
  notifiedAt: Date | undefined;
  notifiedCount: number;
}

export type OutboxStatus = 'pending' | 'sent' | 'failed';

/** One alert × channel delivery (× notification round, for repeats). */
export interface OutboxEntry {
  /** Insert-if-absent key, e.g. `${alertId}:${channel}:${round}`. */
  id: string;
  alertId: string;
  tenant: string;
  channel: string;
  /** The JSON the channel renders from (an alert snapshot), small. */
  payload: string;
  status: OutboxStatus;
  attempts: number;
  nextAttemptAt: Date;
  lastError: string | undefined;
  createdAt: Date;
  sentAt: Date | undefined;
}

/** A finding as stored for the report (suppressed ones included). */
export interface StoredFinding {
  /** Deterministic: rule + event ids, so a re-read window cannot store it twice. */
  findingId: string;
  alertId: string;
  finding: Finding;
  suppressed: boolean;
}

/** Sign-ins per tenant/app/network/day, allowed or not: the weekly report's conformity chart. */
export interface SignInAggregate {
  tenant: string;
  /** UTC day, `YYYY-MM-DD`. */
  day: string;
  appId: string;
  network: string;
  /** true inside the vendor allowlist, false outside, null when the app has no allowlist. */
  allowed: boolean | null;
  count: number;
  successCount: number;
  failureCount: number;
}

/** A network an app was seen on (learning for apps without an allowlist). */
export interface LearnedNetwork {
  tenant: string;
  appId: string;
  network: string;
  firstSeen: Date;
}

/** A serialized inventory, kept to diff against the next run. */
export interface InventorySnapshot {
  tenant: string;
  takenAt: Date;
  /** JSON of the `Inventory` (dates as ISO strings). */
  json: string;
}

export interface CacheEntry {
  body: string;
  fetchedAt: Date;
}

/** Everything one window of one stream commits together. */
export interface WindowCommit {
  tenant: string;
  /** `signIns`, `directoryAudits`, `inventory`. */
  stream: string;
  /** New watermark; the store keeps the later of this and the stored one (never moves back). */
  watermark: Date | undefined;
  seenIds: readonly string[];
  /** When the seen ids may be forgotten (longer than the longest re-read horizon). */
  seenExpiresAt: Date;
  findings: readonly StoredFinding[];
  /** Upserted by alertId (the caller merged them with `getAlerts` first). */
  alerts: readonly StoredAlert[];
  /** Inserted only when the id is absent. */
  outbox: readonly OutboxEntry[];
  /** Added to existing counts. */
  aggregates: readonly SignInAggregate[];
  /** Inserted only when absent. */
  learnedNetworks: readonly LearnedNetwork[];
  /** Replaces the latest snapshot for the tenant. */
  snapshot: InventorySnapshot | undefined;
}

export interface StateStore {
  getWatermark(tenant: string, stream: string): Promise<Date | undefined>;
  /** The ids among `ids` not seen before for this tenant and stream (expired ones count as unseen). */
  filterUnseen(tenant: string, stream: string, ids: readonly string[]): Promise<string[]>;
  commitWindow(commit: WindowCommit): Promise<void>;

  getAlerts(alertIds: readonly string[]): Promise<StoredAlert[]>;
  listAlerts(tenant: string, from: Date, to: Date): Promise<StoredAlert[]>;
  listFindings(tenant: string, from: Date, to: Date): Promise<StoredFinding[]>;
  listAggregates(tenant: string, fromDay: string, toDay: string): Promise<SignInAggregate[]>;
  getLearnedNetworks(tenant: string, appId: string): Promise<LearnedNetwork[]>;
  getLatestSnapshot(tenant: string): Promise<InventorySnapshot | undefined>;

  /** Pending entries whose next attempt is due, oldest first. */
  dueOutbox(now: Date, limit: number): Promise<OutboxEntry[]>;
  listOutbox(tenant: string | undefined, status: OutboxStatus | undefined): Promise<OutboxEntry[]>;
  updateOutbox(id: string, patch: Partial<Pick<OutboxEntry, 'status' | 'attempts' | 'nextAttemptAt' | 'lastError' | 'sentAt'>>): Promise<void>;

  getCache(key: string): Promise<CacheEntry | undefined>;
  putCache(key: string, entry: CacheEntry): Promise<void>;

  /** Forgets seen ids past their expiry; returns how many were removed. */
  purgeExpired(now: Date): Promise<number>;
  close(): Promise<void>;
}
