import type { AlertBlastRadius, Finding, RangeProvenance, Severity } from '../events.js';

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
  /**
   * The severity it had when last put in the outbox: a higher one now means it escalated and is
   * notified at once. Undefined before the first notification, and on alerts stored before this
   * field existed (those count as notified at their stored severity).
   */
  notifiedSeverity: Severity | undefined;
  /**
   * What the alert held when last put in the outbox (or, within the scan that queued that round,
   * when the scan last changed it: the pending message renders the alert as it stands at delivery).
   * Gaining something not in here after a scan's delivery is what sends an update (docs/alerts.md).
   * Absent before the first notification and on alerts stored before it was kept; the alerts module
   * then takes the stored values as already notified, so an upgrade re-sends nothing.
   */
  notifiedFacts?: NotifiedFacts;
  /**
   * The `notification` number of the round last queued: a later round takes a higher one even when
   * the count has not grown (an update for the blast radius alone), so `alertId` + `notification`
   * stays unique for receivers. Absent on alerts stored before it was kept.
   */
  notifiedRound?: number;
  /**
   * Which mailboxes the app read from the alerted addresses (docs/blast-radius.md): asked, known or
   * unknown with its reason. Absent on alerts it does not apply to and on alerts stored before it existed.
   */
  blastRadius?: AlertBlastRadius;
}

/** The parts of an alert whose growth is news to a receiver: where from, what it reached, whether it got in. */
export interface NotifiedFacts {
  ips: string[];
  asns: number[];
  resources: string[];
  /** Whether any sign-in of the alert had succeeded. */
  success: boolean;
  /**
   * The settled blast radius told (`known:<intent>` or `unknown:<code>`); absent when none was.
   * Kept since the blast radius was added: older facts have none, and an alert then held none.
   */
  blastRadius?: string;
}

export type OutboxStatus = 'pending' | 'sent' | 'failed';

/** One alert × channel delivery (× notification round, for repeats). */
export interface OutboxEntry {
  /** Insert-if-absent key, e.g. `${alertId}:${channel}:${round}`. */
  id: string;
  alertId: string;
  tenant: string;
  channel: string;
  /**
   * JSON naming the notification round (kind, number, escalation, the rule's summary): delivery
   * renders the message from the alert as stored then, so the entry never freezes a partial alert.
   * Entries written before that hold the whole alert payload as it was when queued; both deliver.
   */
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

/** A half-open interval of log time, `[from, to)`. */
export interface TimeInterval {
  from: Date;
  to: Date;
}

/** Everything one window of one stream commits together. */
export interface WindowCommit {
  tenant: string;
  /** `signIns`, `directoryAudits`, `inventory`. */
  stream: string;
  /** New watermark; the store keeps the later of this and the stored one (never moves back). */
  watermark: Date | undefined;
  /**
   * Log time this commit finished reading, added to the stream's covered intervals by union (see
   * `getCoverage`). Optional; an absent or empty list leaves the coverage as it is.
   */
  covered?: readonly TimeInterval[];
  seenIds: readonly string[];
  /** When the seen ids may be forgotten (longer than the longest re-read horizon). */
  seenExpiresAt: Date;
  findings: readonly StoredFinding[];
  /** Upserted by alertId (the caller merged them with `getAlerts` first). */
  alerts: readonly StoredAlert[];
  /** Inserted only when the id is absent. */
  outbox: readonly OutboxEntry[];
  /**
   * Added to existing counts (additive, never replaced). A window read again after a crash does
   * not count twice because the caller aggregates only events `filterUnseen` returned, and those
   * ids are committed in the same transaction as the counts.
   */
  aggregates: readonly SignInAggregate[];
  /** Inserted only when absent. */
  learnedNetworks: readonly LearnedNetwork[];
  /** Replaces the latest snapshot for the tenant. */
  snapshot: InventorySnapshot | undefined;
}

/** One scan's outcome, kept for the weekly report's data-collection health and for status commands. */
export interface ScanRecord {
  tenant: string;
  startedAt: Date;
  finishedAt: Date;
  /** Per source: `inventory:<x>`, `allowlist:<vendor>:<source>`, `signIns`, `directoryAudits`, … */
  sources: Array<{ source: string; status: string; errorCode?: string; message?: string; items?: number }>;
  errors: Array<{ stage: string; code: string; message: string }>;
  /** The whole ScanSummary as JSON, for status and debugging (bounded: the caller keeps it small). */
  summaryJson: string;
}

/** Who holds a scan lease: an id unique to one scan, and where it runs, so a second scan can name it. */
export interface LeaseHolder {
  id: string;
  host: string;
  pid: number;
}

/** One tenant's scan lease as stored. */
export interface ScanLease {
  tenant: string;
  holder: LeaseHolder;
  expiresAt: Date;
}

/**
 * What {@link StateStore.acquireScanLease} decided: the lease is ours (and whose expired lease it
 * replaced, if any: that scan crashed or hung), or someone else's live lease, as stored.
 */
export type LeaseClaim = { acquired: true; lease: ScanLease; tookOver?: ScanLease } | { acquired: false; current: ScanLease };

/**
 * What an audit log query is, for credwatch: `requested` from the moment its intent is stored,
 * before Graph is asked (docs/blast-radius.md), then Graph's own status, or `abandoned` when
 * credwatch stopped waiting for it.
 */
export type AuditQueryState = 'requested' | 'notStarted' | 'running' | 'succeeded' | 'failed' | 'cancelled' | 'unknownFutureValue' | 'abandoned';

/** One blast-radius audit log query of a tenant: one app, some addresses, a window. */
export interface AuditQueryRecord {
  tenant: string;
  /** Deterministic from (tenant, app, addresses, window): the same request is the same intent. */
  intentId: string;
  appId: string;
  /** Normalized, sorted, distinct. */
  ips: string[];
  from: Date;
  to: Date;
  /** Carries the intent id, so a query whose create answer was lost can be found by name. */
  displayName: string;
  requestedAt: Date;
  /** Graph's id, once known. */
  queryId: string | undefined;
  state: AuditQueryState;
  updatedAt: Date;
  /** The error code that ended or stalled it (BLAST_RADIUS_NO_PERMISSION, …). */
  lastError: string | undefined;
}

export type AuditQueryPatch = Partial<Pick<AuditQueryRecord, 'queryId' | 'state' | 'updatedAt' | 'lastError'>>;

/**
 * {@link StateStore.reserveAuditQuery}'s answer: stored; or the intent existed already (as stored);
 * or the tenant's queries of that UTC day already reached the cap (nothing stored).
 */
export type AuditQueryReservation =
  { reserved: true } | { reserved: false; existing: AuditQueryRecord } | { reserved: false; capReached: true; countToday: number };

/** What every store implementation accepts besides its location. */
export interface StateStoreOptions {
  /**
   * The clock `filterUnseen` compares seen-id expiry against; the same injected clock the scan
   * uses, so simulated runs that skip days expire ids on simulated time. Defaults to real time.
   */
  now?: () => Date;
}

/**
 * The store's contract, checked for every implementation by `test/state/contract.ts`. Failures
 * are CredwatchErrors: STATE_INVALID_INPUT for a record or argument the store refuses (nothing of
 * that call is stored), STATE_UNAVAILABLE when the store cannot be used now (closed, locked, disk),
 * STATE_CORRUPT when stored data cannot be read. Every returned object is a fresh copy.
 */
export interface StateStore {
  getWatermark(tenant: string, stream: string): Promise<Date | undefined>;
  /**
   * The stream's covered log time: the union of every committed `covered` interval, sorted,
   * disjoint, touching intervals joined; empty when none was committed. Past a few hundred
   * fragments the oldest are joined (src/state/coverage.ts).
   */
  getCoverage(tenant: string, stream: string): Promise<TimeInterval[]>;
  /**
   * Moves a stream back to `to`: its watermark to at most `to`, its covered time from `to` on
   * forgotten, so that time is read again. The one way a stream ever moves back, for a clock that
   * ran ahead and recorded time as read before its records existed (docs/state.md, "A clock that
   * ran ahead"). A no-op when nothing lies beyond `to`.
   */
  rewindStream(tenant: string, stream: string, to: Date): Promise<void>;
  /**
   * The ids among `ids` not seen before for this tenant and stream (expired ones count as unseen,
   * against the store's clock). Each id is returned once, in the order first given.
   */
  filterUnseen(tenant: string, stream: string, ids: readonly string[]): Promise<string[]>;
  /** Stores the whole window or, if it throws, nothing of it. */
  commitWindow(commit: WindowCommit): Promise<void>;

  /** The alerts among `alertIds` that exist, in the order asked. */
  getAlerts(alertIds: readonly string[]): Promise<StoredAlert[]>;
  /** Alerts active in `[from, to)`: `firstSeen < to` and `lastSeen >= from`; by firstSeen, then id. */
  listAlerts(tenant: string, from: Date, to: Date): Promise<StoredAlert[]>;
  /** Findings with `from <= occurredAt < to`, by occurredAt, then id. */
  listFindings(tenant: string, from: Date, to: Date): Promise<StoredFinding[]>;
  /** Aggregates of the days `fromDay` … `toDay`, both included; by day, app, network. */
  listAggregates(tenant: string, fromDay: string, toDay: string): Promise<SignInAggregate[]>;
  /** By firstSeen, then network. */
  getLearnedNetworks(tenant: string, appId: string): Promise<LearnedNetwork[]>;
  getLatestSnapshot(tenant: string): Promise<InventorySnapshot | undefined>;

  /**
   * Pending entries whose next attempt is due (`nextAttemptAt <= now`), oldest `createdAt` first;
   * only `tenant`'s when given (workers that scan tenants in parallel each deliver their own).
   */
  dueOutbox(now: Date, limit: number, tenant?: string): Promise<OutboxEntry[]>;
  /** Entries filtered by tenant and status (undefined = any), oldest `createdAt` first. */
  listOutbox(tenant: string | undefined, status: OutboxStatus | undefined): Promise<OutboxEntry[]>;
  /**
   * Changes the fields present in `patch` (`lastError: undefined` clears the error). An unknown id
   * is STATE_INVALID_INPUT. `sent` is final: a patch to a sent entry is ignored, so a slower worker
   * whose attempt failed cannot queue an alert another worker already delivered.
   */
  updateOutbox(id: string, patch: Partial<Pick<OutboxEntry, 'status' | 'attempts' | 'nextAttemptAt' | 'lastError' | 'sentAt'>>): Promise<void>;
  /**
   * Claims the entries among `ids` for sending until `until`, and returns the ids claimed, in the
   * order given. An entry is claimed only when it is pending and unclaimed or its claim ended at or
   * before `now`; each entry is decided atomically, so of two callers racing for it exactly one gets
   * it. Any `updateOutbox` of the entry ends its claim; a claim that runs out (its sender crashed)
   * makes the entry claimable again. Unknown ids are not claimed. See docs/state.md, "Two workers at once".
   */
  claimOutbox(ids: readonly string[], now: Date, until: Date): Promise<string[]>;

  /**
   * Takes `tenant`'s scan lease for `holder` until `now + ttlInMs` when nobody holds it, its
   * lease ended at or before `now`, or `holder.id` holds it already (a renewal). Otherwise nothing
   * changes and the live lease is returned. With `takeOverFrom`, a live lease of that holder id is
   * taken too (the caller found that holder's process gone). Atomic across processes sharing the store.
   */
  acquireScanLease(tenant: string, holder: LeaseHolder, now: Date, ttlInMs: number, takeOverFrom?: string): Promise<LeaseClaim>;
  /** Gives the lease back if `holderId` still holds it; otherwise (expired and taken over, or absent) does nothing. */
  releaseScanLease(tenant: string, holderId: string): Promise<void>;

  getCache(key: string): Promise<CacheEntry | undefined>;
  putCache(key: string, entry: CacheEntry): Promise<void>;

  /**
   * Stores one scan's outcome. Idempotent on (tenant, startedAt): a second record with the same key
   * replaces the first. Optional source fields that are undefined read back absent.
   */
  recordScan(record: ScanRecord): Promise<void>;
  /** Scans of `tenant` with `from <= startedAt < to`, oldest first. */
  listScans(tenant: string, from: Date, to: Date): Promise<ScanRecord[]>;

  /**
   * Stores the intent of a new audit log query before Graph is asked, atomically with the count of
   * the tenant's intents of the UTC day of `record.requestedAt`: when that count has reached
   * `dailyCap` nothing is stored. An intent id already stored is returned as it is (and not counted
   * again). Atomic across processes sharing the store.
   */
  reserveAuditQuery(record: AuditQueryRecord, dailyCap: number): Promise<AuditQueryReservation>;
  /** Changes the fields present in `patch`; an unknown intent is STATE_INVALID_INPUT. */
  updateAuditQuery(tenant: string, intentId: string, patch: AuditQueryPatch): Promise<void>;
  /** The tenant's queries of `appId`, by requestedAt, then intent id. */
  listAuditQueries(tenant: string, appId: string): Promise<AuditQueryRecord[]>;

  /**
   * Forgets seen ids past their expiry (`seenExpiresAt <= now`) and scan records older than 400
   * days (`startedAt < now - SCAN_RETENTION_IN_DAYS`); returns how many records of
   * both kinds were removed.
   */
  purgeExpired(now: Date): Promise<number>;
  /** Idempotent; later calls fail with STATE_UNAVAILABLE. */
  close(): Promise<void>;
}
