/**
 * The in-memory store for tests and the simulator. It keeps the same rows the SQLite store keeps,
 * encoded by the same codecs, so validation, ordering and round-tripping match; and because every
 * read decodes a fresh object, callers can never change stored state through what they got back.
 */
import { CredwatchError } from '../errors.js';
import { decodeAlert, decodeFinding, type AlertRow, type FindingRow } from './codec-alerts.js';
import {
  applyOutboxPatch,
  decodeAggregate,
  decodeCache,
  decodeLearnedNetwork,
  decodeOutbox,
  decodeSnapshot,
  encodeCache,
  type AggregateRow,
  type CacheRow,
  type LearnedNetworkRow,
  type OutboxPatch,
  type OutboxRow,
  type SnapshotRow,
} from './codec-rows.js';
import { decodeAuditQuery, encodeAuditQuery, patchAuditQuery, requireCap, type AuditQueryRow } from './codec-audit-queries.js';
import { decideLease, encodeLease, type LeaseRow } from './codec-lease.js';
import { decodeScan, encodeScan, scanCutoffMs, type ScanRow } from './codec-scans.js';
import { commitHeader, commitOps, distinctIds, type CommitOp } from './commit.js';
import { clipIntervals, encodeIntervals, toTimeIntervals, unionIntervals, type MsInterval } from './coverage.js';
import { byKeys, requireLimit } from './order.js';
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

const key = (...parts: readonly (string | number)[]): string => JSON.stringify(parts);

/** A {@link StateStore} held in process memory; gone when the process ends. */
export class MemoryStateStore implements StateStore {
  readonly #now: () => Date;
  readonly #watermarks = new Map<string, number>();
  readonly #coverage = new Map<string, MsInterval[]>();
  /** Seen id key → expiry in epoch ms. */
  readonly #seen = new Map<string, number>();
  readonly #findings = new Map<string, FindingRow>();
  readonly #alerts = new Map<string, AlertRow>();
  readonly #outbox = new Map<string, OutboxRow>();
  readonly #aggregates = new Map<string, AggregateRow>();
  readonly #learned = new Map<string, LearnedNetworkRow>();
  readonly #snapshots = new Map<string, SnapshotRow>();
  readonly #cache = new Map<string, CacheRow>();
  readonly #scans = new Map<string, ScanRow>();
  /** Outbox id → end of its delivery claim in epoch ms (no entry: unclaimed). */
  readonly #claims = new Map<string, number>();
  readonly #leases = new Map<string, LeaseRow>();
  readonly #auditQueries = new Map<string, AuditQueryRow>();
  #closed = false;

  constructor(options: StateStoreOptions = {}) {
    this.#now = options.now ?? (() => new Date());
  }

  async getWatermark(tenant: string, stream: string): Promise<Date | undefined> {
    this.#open();
    const ms = this.#watermarks.get(key(tenant, stream));
    return ms === undefined ? undefined : new Date(ms);
  }

  async getCoverage(tenant: string, stream: string): Promise<TimeInterval[]> {
    this.#open();
    return toTimeIntervals(this.#coverage.get(key(tenant, stream)) ?? []);
  }

  async rewindStream(tenant: string, stream: string, to: Date): Promise<void> {
    this.#open();
    const k = key(tenant, stream);
    const toMsValue = toMs(to, 'to');
    const watermark = this.#watermarks.get(k);
    if (watermark !== undefined && watermark > toMsValue) this.#watermarks.set(k, toMsValue);
    const covered = this.#coverage.get(k);
    if (covered) this.#coverage.set(k, clipIntervals(covered, toMsValue));
  }

  async filterUnseen(tenant: string, stream: string, ids: readonly string[]): Promise<string[]> {
    this.#open();
    const nowMs = toMs(this.#now(), 'clock');
    return distinctIds(ids).filter((id) => (this.#seen.get(key(tenant, stream, id)) ?? -Infinity) <= nowMs);
  }

  async commitWindow(commit: WindowCommit): Promise<void> {
    this.#open();
    // Stage: every check that can throw runs here, before anything is applied.
    const header = commitHeader(commit);
    const ops: CommitOp[] = [...commitOps(commit)];
    const covered = encodeIntervals(commit.covered);
    // Apply: only Map writes from here on, which cannot fail halfway, so the window lands whole.
    for (const op of ops) this.#apply(op, header.tenant, header.stream, header.seenExpiresAtMs);
    if (covered.length > 0) {
      const k = key(header.tenant, header.stream);
      this.#coverage.set(k, unionIntervals(this.#coverage.get(k) ?? [], covered));
    }
    if (header.watermarkMs !== null) {
      const k = key(header.tenant, header.stream);
      this.#watermarks.set(k, Math.max(this.#watermarks.get(k) ?? -Infinity, header.watermarkMs));
    }
  }

  #apply(op: CommitOp, tenant: string, stream: string, expiresMs: number): void {
    switch (op.kind) {
      case 'seen': {
        const k = key(tenant, stream, op.id);
        this.#seen.set(k, Math.max(this.#seen.get(k) ?? -Infinity, expiresMs));
        return;
      }
      case 'finding':
        if (!this.#findings.has(op.row.finding_id)) this.#findings.set(op.row.finding_id, op.row);
        return;
      case 'alert':
        this.#alerts.set(op.row.alert_id, op.row);
        return;
      case 'outbox':
        if (!this.#outbox.has(op.row.id)) this.#outbox.set(op.row.id, op.row);
        return;
      case 'aggregate': {
        const r = op.row;
        const k = key(r.tenant, r.day, r.app_id, r.network, r.allowed);
        const old = this.#aggregates.get(k);
        this.#aggregates.set(
          k,
          old === undefined
            ? r
            : { ...old, count: old.count + r.count, success_count: old.success_count + r.success_count, failure_count: old.failure_count + r.failure_count },
        );
        return;
      }
      case 'learnedNetwork': {
        const k = key(op.row.tenant, op.row.app_id, op.row.network);
        if (!this.#learned.has(k)) this.#learned.set(k, op.row);
        return;
      }
      case 'snapshot':
        this.#snapshots.set(op.row.tenant, op.row);
        return;
    }
  }

  async getAlerts(alertIds: readonly string[]): Promise<StoredAlert[]> {
    this.#open();
    return distinctIds(alertIds).flatMap((id) => {
      const row = this.#alerts.get(id);
      return row === undefined ? [] : [decodeAlert(row)];
    });
  }

  async listAlerts(tenant: string, from: Date, to: Date): Promise<StoredAlert[]> {
    this.#open();
    const [fromMs, toMsExcl] = [toMs(from, 'from'), toMs(to, 'to')];
    return [...this.#alerts.values()]
      .filter((r) => r.tenant === tenant && r.first_seen_ms < toMsExcl && r.last_seen_ms >= fromMs)
      .sort(byKeys((r) => [r.first_seen_ms, r.alert_id]))
      .map(decodeAlert);
  }

  async listFindings(tenant: string, from: Date, to: Date): Promise<StoredFinding[]> {
    this.#open();
    const [fromMs, toMsExcl] = [toMs(from, 'from'), toMs(to, 'to')];
    return [...this.#findings.values()]
      .filter((r) => r.tenant === tenant && r.occurred_at_ms >= fromMs && r.occurred_at_ms < toMsExcl)
      .sort(byKeys((r) => [r.occurred_at_ms, r.finding_id]))
      .map(decodeFinding);
  }

  async listAggregates(tenant: string, fromDay: string, toDay: string): Promise<SignInAggregate[]> {
    this.#open();
    return [...this.#aggregates.values()]
      .filter((r) => r.tenant === tenant && r.day >= fromDay && r.day <= toDay)
      .sort(byKeys((r) => [r.day, r.app_id, r.network, r.allowed]))
      .map(decodeAggregate);
  }

  async getLearnedNetworks(tenant: string, appId: string): Promise<LearnedNetwork[]> {
    this.#open();
    return [...this.#learned.values()]
      .filter((r) => r.tenant === tenant && r.app_id === appId)
      .sort(byKeys((r) => [r.first_seen_ms, r.network]))
      .map(decodeLearnedNetwork);
  }

  async getLatestSnapshot(tenant: string): Promise<InventorySnapshot | undefined> {
    this.#open();
    const row = this.#snapshots.get(tenant);
    return row === undefined ? undefined : decodeSnapshot(row);
  }

  async dueOutbox(now: Date, limit: number, tenant?: string): Promise<OutboxEntry[]> {
    this.#open();
    const nowMs = toMs(now, 'now');
    return [...this.#outbox.values()]
      .filter((r) => r.status === 'pending' && r.next_attempt_at_ms <= nowMs && (tenant === undefined || r.tenant === tenant))
      .sort(byKeys((r) => [r.created_at_ms, r.id]))
      .slice(0, requireLimit(limit))
      .map(decodeOutbox);
  }

  async listOutbox(tenant: string | undefined, status: OutboxStatus | undefined): Promise<OutboxEntry[]> {
    this.#open();
    return [...this.#outbox.values()]
      .filter((r) => (tenant === undefined || r.tenant === tenant) && (status === undefined || r.status === status))
      .sort(byKeys((r) => [r.created_at_ms, r.id]))
      .map(decodeOutbox);
  }

  async updateOutbox(id: string, patch: OutboxPatch): Promise<void> {
    this.#open();
    const row = this.#outbox.get(id);
    if (row === undefined) throw invalidInput(`outbox entry ${id} does not exist`, { id });
    const next = applyOutboxPatch(row, patch);
    if (next !== undefined) this.#outbox.set(id, next);
    this.#claims.delete(id);
  }

  async claimOutbox(ids: readonly string[], now: Date, until: Date): Promise<string[]> {
    this.#open();
    const [nowMs, untilMs] = [toMs(now, 'now'), toMs(until, 'until')];
    // One synchronous pass: no other call can run between the check and the claim.
    return distinctIds(ids).filter((id) => {
      if (this.#outbox.get(id)?.status !== 'pending' || (this.#claims.get(id) ?? -Infinity) > nowMs) return false;
      this.#claims.set(id, untilMs);
      return true;
    });
  }

  async acquireScanLease(tenant: string, holder: LeaseHolder, now: Date, ttlInMs: number, takeOverFrom?: string): Promise<LeaseClaim> {
    this.#open();
    const wanted = encodeLease(tenant, holder, now, ttlInMs);
    const { write, claim } = decideLease(this.#leases.get(wanted.tenant), wanted, toMs(now, 'now'), takeOverFrom);
    if (write) this.#leases.set(wanted.tenant, wanted);
    return claim;
  }

  async releaseScanLease(tenant: string, holderId: string): Promise<void> {
    this.#open();
    if (this.#leases.get(tenant)?.holder_id === holderId) this.#leases.delete(tenant);
  }

  async reserveAuditQuery(record: AuditQueryRecord, dailyCap: number): Promise<AuditQueryReservation> {
    this.#open();
    const row = encodeAuditQuery(record);
    requireCap(dailyCap);
    const existing = this.#auditQueries.get(key(row.tenant, row.intent_id));
    if (existing !== undefined) return { reserved: false, existing: decodeAuditQuery(existing) };
    const countToday = [...this.#auditQueries.values()].filter((r) => r.tenant === row.tenant && r.day === row.day).length;
    if (countToday >= dailyCap) return { reserved: false, capReached: true, countToday };
    this.#auditQueries.set(key(row.tenant, row.intent_id), row);
    return { reserved: true };
  }

  async updateAuditQuery(tenant: string, intentId: string, patch: AuditQueryPatch): Promise<void> {
    this.#open();
    const row = this.#auditQueries.get(key(tenant, intentId));
    if (row === undefined) throw invalidInput(`audit query ${intentId} of ${tenant} does not exist`, { tenant, intentId });
    this.#auditQueries.set(key(tenant, intentId), patchAuditQuery(row, patch));
  }

  async listAuditQueries(tenant: string, appId: string): Promise<AuditQueryRecord[]> {
    this.#open();
    return [...this.#auditQueries.values()]
      .filter((r) => r.tenant === tenant && r.app_id === appId)
      .sort((a, b) => a.requested_at_ms - b.requested_at_ms || (a.intent_id < b.intent_id ? -1 : a.intent_id > b.intent_id ? 1 : 0))
      .map(decodeAuditQuery);
  }

  async getCache(cacheKey: string): Promise<CacheEntry | undefined> {
    this.#open();
    const row = this.#cache.get(cacheKey);
    return row === undefined ? undefined : decodeCache(row);
  }

  async putCache(cacheKey: string, entry: CacheEntry): Promise<void> {
    this.#open();
    this.#cache.set(cacheKey, encodeCache(cacheKey, entry));
  }

  async recordScan(record: ScanRecord): Promise<void> {
    this.#open();
    const row = encodeScan(record);
    this.#scans.set(key(row.tenant, row.started_at_ms), row);
  }

  async listScans(tenant: string, from: Date, to: Date): Promise<ScanRecord[]> {
    this.#open();
    const [fromMs, toMsExcl] = [toMs(from, 'from'), toMs(to, 'to')];
    return [...this.#scans.values()]
      .filter((r) => r.tenant === tenant && r.started_at_ms >= fromMs && r.started_at_ms < toMsExcl)
      .sort(byKeys((r) => [r.started_at_ms]))
      .map(decodeScan);
  }

  async purgeExpired(now: Date): Promise<number> {
    this.#open();
    const nowMs = toMs(now, 'now');
    const cutoffMs = scanCutoffMs(nowMs);
    let removed = 0;
    for (const [k, expiresMs] of this.#seen) {
      if (expiresMs <= nowMs) {
        this.#seen.delete(k);
        removed++;
      }
    }
    for (const [k, row] of this.#scans) {
      if (row.started_at_ms < cutoffMs) {
        this.#scans.delete(k);
        removed++;
      }
    }
    return removed;
  }

  async close(): Promise<void> {
    this.#closed = true;
  }

  #open(): void {
    if (this.#closed) throw new CredwatchError('STATE_UNAVAILABLE', 'the memory state store is closed');
  }
}
