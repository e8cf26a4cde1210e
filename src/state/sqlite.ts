/**
 * The embedded default store: one SQLite file through better-sqlite3. better-sqlite3 is
 * synchronous, which suits a store whose calls take microseconds to milliseconds; the async
 * interface is kept so the Azure Table store can sit behind the same calls.
 */
import type Database from 'better-sqlite3';
import { CredwatchError } from '../errors.js';
import { decodeAlert, decodeFinding } from './codec-alerts.js';
import {
  applyOutboxPatch,
  decodeAggregate,
  decodeCache,
  decodeLearnedNetwork,
  decodeOutbox,
  decodeSnapshot,
  encodeCache,
  type OutboxPatch,
} from './codec-rows.js';
import { decideLease, encodeLease } from './codec-lease.js';
import { decodeScan, encodeScan, scanCutoffMs } from './codec-scans.js';
import { commitHeader, commitOps, distinctIds, type CommitHeader } from './commit.js';
import { clipIntervals, encodeIntervals, parseIntervals, stringifyIntervals, toTimeIntervals, unionIntervals } from './coverage.js';
import { requireLimit } from './order.js';
import { mapSqliteError } from './sqlite-errors.js';
import { SqliteAuditQueries } from './sqlite-audit-queries.js';
import { openDatabase } from './sqlite-schema.js';
import { prepareStatements, type Statements } from './sqlite-statements.js';
import type {
  AuditQueryPatch,
  AuditQueryRecord,
  AuditQueryReservation,
  CacheEntry,
  InventorySnapshot,
  LeaseClaim,
  LeaseHolder,
  LearnedNetwork,
  OutboxEntry,
  OutboxStatus,
  ScanRecord,
  SignInAggregate,
  StateStore,
  StateStoreOptions,
  StoredAlert,
  StoredFinding,
  TimeInterval,
  WindowCommit,
} from './types.js';
import { invalidInput, toMs } from './validate.js';

/** Options of {@link SqliteStateStore.open}. */
export interface SqliteStateStoreOptions extends StateStoreOptions {
  /** How long a write waits for another process's transaction before failing (SQLITE_BUSY). */
  busyTimeoutInMs?: number;
}

/** Long enough to outlast another process's largest commit or a purge, short of hiding a hang. */
const DEFAULT_BUSY_TIMEOUT_IN_MS = 15_000;

/** A {@link StateStore} in one SQLite file (WAL mode, synchronous = FULL). */
export class SqliteStateStore implements StateStore {
  readonly #db: Database.Database;
  readonly #s: Statements;
  readonly #auditQueries: SqliteAuditQueries;
  readonly #now: () => Date;
  readonly #commit: Database.Transaction<(c: WindowCommit) => void>;
  readonly #rewind: Database.Transaction<(tenant: string, stream: string, toMsValue: number) => void>;
  readonly #patchOutbox: Database.Transaction<(id: string, patch: OutboxPatch) => void>;
  readonly #purge: Database.Transaction<(nowMs: number) => number>;
  readonly #lease: Database.Transaction<(tenant: string, holder: LeaseHolder, now: Date, ttlInMs: number, takeOverFrom?: string) => LeaseClaim>;

  private constructor(
    /** The database file, named in every error. */
    readonly path: string,
    db: Database.Database,
    now: () => Date,
  ) {
    this.#db = db;
    this.#now = now;
    this.#s = prepareStatements(db);
    this.#auditQueries = new SqliteAuditQueries(db);
    this.#commit = db.transaction((c: WindowCommit) => this.#writeWindow(c));
    // Watermark and coverage move back together, or neither does.
    this.#rewind = db.transaction((tenant: string, stream: string, toMsValue: number) => {
      this.#s.lowerWatermark.run(toMsValue, tenant, stream, toMsValue);
      const row = this.#s.getCoverage.get(tenant, stream);
      if (row === undefined) return;
      const clipped = clipIntervals(parseIntervals(row.intervals, `coverage of ${tenant}/${stream}`), toMsValue);
      this.#s.putCoverage.run(tenant, stream, stringifyIntervals(clipped));
    });
    this.#patchOutbox = db.transaction((id: string, patch: OutboxPatch) => {
      const row = this.#s.getOutbox.get(id);
      if (row === undefined) throw invalidInput(`outbox entry ${id} does not exist`, { id });
      const next = applyOutboxPatch(row, patch);
      if (next !== undefined) this.#s.updateOutbox.run(next);
    });
    // Read and write under one write lock (run with .immediate()), so two processes cannot both see the lease free.
    this.#lease = db.transaction((tenant: string, holder: LeaseHolder, now: Date, ttlInMs: number, takeOverFrom?: string) => {
      const wanted = encodeLease(tenant, holder, now, ttlInMs);
      const { write, claim } = decideLease(this.#s.getLease.get(wanted.tenant), wanted, toMs(now, 'now'), takeOverFrom);
      if (write) this.#s.putLease.run(wanted);
      return claim;
    });
    // One transaction: one fsync, and a purge that fails halfway removes nothing.
    this.#purge = db.transaction((nowMs: number) => this.#s.purgeSeen.run(nowMs).changes + this.#s.purgeScans.run(scanCutoffMs(nowMs)).changes);
  }

  /**
   * Opens the file at `path` (created with its directory when missing) and migrates its schema.
   * A file that is not a credwatch database fails with STATE_CORRUPT; it is never replaced.
   */
  static open(path: string, options: SqliteStateStoreOptions = {}): SqliteStateStore {
    const now = options.now ?? (() => new Date());
    const db = openDatabase(path, options.busyTimeoutInMs ?? DEFAULT_BUSY_TIMEOUT_IN_MS, now().getTime());
    try {
      return new SqliteStateStore(path, db, now);
    } catch (e: unknown) {
      db.close();
      throw mapSqliteError(e, path, 'open');
    }
  }

  async getWatermark(tenant: string, stream: string): Promise<Date | undefined> {
    return this.#run('getWatermark', (s) => {
      const row = s.getWatermark.get(tenant, stream);
      return row === undefined ? undefined : new Date(row.watermark_ms);
    });
  }

  async getCoverage(tenant: string, stream: string): Promise<TimeInterval[]> {
    return this.#run('getCoverage', (s) => {
      const row = s.getCoverage.get(tenant, stream);
      return row === undefined ? [] : toTimeIntervals(parseIntervals(row.intervals, `coverage of ${tenant}/${stream}`));
    });
  }

  async rewindStream(tenant: string, stream: string, to: Date): Promise<void> {
    const toMsValue = toMs(to, 'to');
    return this.#run('rewindStream', () => this.#rewind.immediate(tenant, stream, toMsValue));
  }

  async filterUnseen(tenant: string, stream: string, ids: readonly string[]): Promise<string[]> {
    return this.#run('filterUnseen', (s) => {
      const distinct = distinctIds(ids);
      if (distinct.length === 0) return [];
      const seen = new Set(s.seenAmong.all(tenant, stream, toMs(this.#now(), 'clock'), JSON.stringify(distinct)).map((r) => r.id));
      return distinct.filter((id) => !seen.has(id));
    });
  }

  async commitWindow(commit: WindowCommit): Promise<void> {
    // BEGIN IMMEDIATE takes the write lock up front: two processes queue on busy_timeout instead
    // of one failing with SQLITE_BUSY when its read transaction tries to become a write.
    return this.#run('commitWindow', () => this.#commit.immediate(commit));
  }

  /** Runs inside the transaction; any throw rolls back every row already written. */
  #writeWindow(c: WindowCommit): void {
    const h = commitHeader(c);
    const s = this.#s;
    // Seen ids are collected and written in one sorted statement (see markSeen) when the next kind
    // of row, or the end, is reached.
    const seen: string[] = [];
    for (const op of commitOps(c)) {
      if (op.kind !== 'seen' && seen.length > 0) this.#markSeen(h, seen.splice(0));
      switch (op.kind) {
        case 'seen':
          seen.push(op.id);
          break;
        case 'finding':
          s.insertFinding.run(op.row);
          break;
        case 'alert':
          s.upsertAlert.run(op.row);
          break;
        case 'outbox':
          s.insertOutbox.run(op.row);
          break;
        case 'aggregate':
          s.addAggregate.run(op.row);
          break;
        case 'learnedNetwork':
          s.insertLearnedNetwork.run(op.row);
          break;
        case 'snapshot':
          s.putSnapshot.run(op.row);
          break;
      }
    }
    if (seen.length > 0) this.#markSeen(h, seen);
    // Inside the transaction, so the union reads what the last committer wrote (the write lock is held).
    const covered = encodeIntervals(c.covered);
    if (covered.length > 0) {
      const row = s.getCoverage.get(h.tenant, h.stream);
      const stored = row === undefined ? [] : parseIntervals(row.intervals, `coverage of ${h.tenant}/${h.stream}`);
      s.putCoverage.run(h.tenant, h.stream, stringifyIntervals(unionIntervals(stored, covered)));
    }
    // Last, so a watermark can only exist next to everything its window produced.
    if (h.watermarkMs !== null) s.raiseWatermark.run(h.tenant, h.stream, h.watermarkMs);
  }

  #markSeen(h: CommitHeader, ids: readonly string[]): void {
    this.#s.markSeen.run(h.tenant, h.stream, h.seenExpiresAtMs, JSON.stringify(ids));
  }

  async getAlerts(alertIds: readonly string[]): Promise<StoredAlert[]> {
    return this.#run('getAlerts', (s) => {
      const distinct = distinctIds(alertIds);
      const byId = new Map(s.getAlerts.all(JSON.stringify(distinct)).map((r) => [r.alert_id, r]));
      return distinct.flatMap((id) => {
        const row = byId.get(id);
        return row === undefined ? [] : [decodeAlert(row)];
      });
    });
  }

  async listAlerts(tenant: string, from: Date, to: Date): Promise<StoredAlert[]> {
    return this.#run('listAlerts', (s) => s.listAlerts.all(tenant, toMs(from, 'from'), toMs(to, 'to')).map(decodeAlert));
  }

  async listFindings(tenant: string, from: Date, to: Date): Promise<StoredFinding[]> {
    return this.#run('listFindings', (s) => s.listFindings.all(tenant, toMs(from, 'from'), toMs(to, 'to')).map(decodeFinding));
  }

  async listAggregates(tenant: string, fromDay: string, toDay: string): Promise<SignInAggregate[]> {
    return this.#run('listAggregates', (s) => s.listAggregates.all(tenant, fromDay, toDay).map(decodeAggregate));
  }

  async getLearnedNetworks(tenant: string, appId: string): Promise<LearnedNetwork[]> {
    return this.#run('getLearnedNetworks', (s) => s.learnedNetworks.all(tenant, appId).map(decodeLearnedNetwork));
  }

  async getLatestSnapshot(tenant: string): Promise<InventorySnapshot | undefined> {
    return this.#run('getLatestSnapshot', (s) => {
      const row = s.getSnapshot.get(tenant);
      return row === undefined ? undefined : decodeSnapshot(row);
    });
  }

  async dueOutbox(now: Date, limit: number, tenant?: string): Promise<OutboxEntry[]> {
    return this.#run('dueOutbox', (s) => s.dueOutbox.all({ now: toMs(now, 'now'), limit: requireLimit(limit), tenant: tenant ?? null }).map(decodeOutbox));
  }

  async listOutbox(tenant: string | undefined, status: OutboxStatus | undefined): Promise<OutboxEntry[]> {
    return this.#run('listOutbox', (s) => s.listOutbox.all({ tenant: tenant ?? null, status: status ?? null }).map(decodeOutbox));
  }

  async updateOutbox(id: string, patch: OutboxPatch): Promise<void> {
    // Read-modify-write under the write lock, so two workers cannot interleave their patches.
    return this.#run('updateOutbox', () => this.#patchOutbox.immediate(id, patch));
  }

  async claimOutbox(ids: readonly string[], now: Date, until: Date): Promise<string[]> {
    return this.#run('claimOutbox', (s) => {
      const distinct = distinctIds(ids);
      if (distinct.length === 0) return [];
      const claimed = new Set(s.claimOutbox.all({ until: toMs(until, 'until'), now: toMs(now, 'now'), ids: JSON.stringify(distinct) }).map((r) => r.id));
      return distinct.filter((id) => claimed.has(id));
    });
  }

  async acquireScanLease(tenant: string, holder: LeaseHolder, now: Date, ttlInMs: number, takeOverFrom?: string): Promise<LeaseClaim> {
    return this.#run('acquireScanLease', () => this.#lease.immediate(tenant, holder, now, ttlInMs, takeOverFrom));
  }

  async releaseScanLease(tenant: string, holderId: string): Promise<void> {
    return this.#run('releaseScanLease', (s) => {
      s.releaseLease.run(tenant, holderId);
    });
  }

  async reserveAuditQuery(record: AuditQueryRecord, dailyCap: number): Promise<AuditQueryReservation> {
    return this.#run('reserveAuditQuery', () => this.#auditQueries.reserve(record, dailyCap));
  }

  async updateAuditQuery(tenant: string, intentId: string, patch: AuditQueryPatch): Promise<void> {
    return this.#run('updateAuditQuery', () => this.#auditQueries.update(tenant, intentId, patch));
  }

  async listAuditQueries(tenant: string, appId: string): Promise<AuditQueryRecord[]> {
    return this.#run('listAuditQueries', () => this.#auditQueries.list(tenant, appId));
  }

  async getCache(key: string): Promise<CacheEntry | undefined> {
    return this.#run('getCache', (s) => {
      const row = s.getCache.get(key);
      return row === undefined ? undefined : decodeCache(row);
    });
  }

  async putCache(key: string, entry: CacheEntry): Promise<void> {
    return this.#run('putCache', (s) => {
      s.putCache.run(encodeCache(key, entry));
    });
  }

  async recordScan(record: ScanRecord): Promise<void> {
    return this.#run('recordScan', (s) => {
      s.putScan.run(encodeScan(record));
    });
  }

  async listScans(tenant: string, from: Date, to: Date): Promise<ScanRecord[]> {
    return this.#run('listScans', (s) => s.listScans.all(tenant, toMs(from, 'from'), toMs(to, 'to')).map(decodeScan));
  }

  async purgeExpired(now: Date): Promise<number> {
    return this.#run('purgeExpired', () => this.#purge.immediate(toMs(now, 'now')));
  }

  async close(): Promise<void> {
    if (this.#db.open) this.#db.close();
  }

  #run<T>(operation: string, fn: (s: Statements) => T): Promise<T> {
    try {
      if (!this.#db.open) throw new CredwatchError('STATE_UNAVAILABLE', `state database ${this.path} is closed`, { details: { path: this.path } });
      return Promise.resolve(fn(this.#s));
    } catch (e: unknown) {
      return Promise.reject(mapSqliteError(e, this.path, operation));
    }
  }
}
