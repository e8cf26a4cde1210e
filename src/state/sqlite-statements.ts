/**
 * Every SQL statement the SQLite store runs, prepared once per connection: preparing is most of
 * the cost of a small statement, and a window commit runs one per finding, alert and outbox entry.
 */
import type Database from 'better-sqlite3';
import type { AlertRow, FindingRow } from './codec-alerts.js';
import type { AggregateRow, CacheRow, LearnedNetworkRow, OutboxRow, SnapshotRow } from './codec-rows.js';
import type { LeaseRow } from './codec-lease.js';
import type { ScanRow } from './codec-scans.js';
import type { OutboxStatus } from './types.js';

/** The prepared statements of one connection. */
export type Statements = ReturnType<typeof prepareStatements>;

/** Prepares every statement for `db`. */
export function prepareStatements(db: Database.Database) {
  return {
    getWatermark: db.prepare<[string, string], { watermark_ms: number }>('SELECT watermark_ms FROM watermarks WHERE tenant = ? AND stream = ?'),
    // Never backwards: the later of the stored and the new watermark wins, in SQL, so two
    // processes committing out of order cannot lower it either.
    raiseWatermark: db.prepare<[string, string, number]>(
      `INSERT INTO watermarks (tenant, stream, watermark_ms) VALUES (?, ?, ?)
       ON CONFLICT (tenant, stream) DO UPDATE SET watermark_ms = max(watermark_ms, excluded.watermark_ms)`,
    ),
    // Only for rewindStream: a clock that ran ahead (docs/state.md).
    lowerWatermark: db.prepare<[number, string, string, number]>('UPDATE watermarks SET watermark_ms = ? WHERE tenant = ? AND stream = ? AND watermark_ms > ?'),
    getCoverage: db.prepare<[string, string], { intervals: string }>('SELECT intervals FROM coverage WHERE tenant = ? AND stream = ?'),
    putCoverage: db.prepare<[string, string, string]>(
      `INSERT INTO coverage (tenant, stream, intervals) VALUES (?, ?, ?)
       ON CONFLICT (tenant, stream) DO UPDATE SET intervals = excluded.intervals`,
    ),
    // One statement for any number of ids: json_each turns the JSON array into a row source that
    // SQLite probes against the primary key, so there is no chunking and no temp table to manage.
    seenAmong: db.prepare<[string, string, number, string], { id: string }>(
      `SELECT id FROM seen_ids
       WHERE tenant = ? AND stream = ? AND expires_at_ms > ? AND id IN (SELECT value FROM json_each(?))`,
    ),
    // A window's ids in one statement, in key order: B-tree inserts in order touch each leaf page
    // once and fill it, where the same ids in arrival order (newest first, or random GUIDs) split
    // pages half-empty and dirty one page per id. Every dirty page is written to the WAL at commit
    // and again at checkpoint, so the order is most of a window's cost (docs/state.md, "Seen ids").
    // `WHERE true` is SQLite's documented way to let an upsert follow a SELECT.
    markSeen: db.prepare<[string, string, number, string]>(
      `INSERT INTO seen_ids (tenant, stream, expires_at_ms, id)
       SELECT ?, ?, ?, value FROM json_each(?) WHERE true ORDER BY value
       ON CONFLICT (tenant, stream, id) DO UPDATE SET expires_at_ms = max(expires_at_ms, excluded.expires_at_ms)`,
    ),
    // Reads the whole table (no index on the expiry, schema version 3): it runs once a day.
    purgeSeen: db.prepare<[number]>('DELETE FROM seen_ids WHERE expires_at_ms <= ?'),
    // ON CONFLICT … DO NOTHING (never INSERT OR IGNORE, which would also swallow CHECK failures).
    insertFinding: db.prepare<FindingRow>(
      `INSERT INTO findings (finding_id, alert_id, tenant, occurred_at_ms, suppressed, body)
       VALUES (@finding_id, @alert_id, @tenant, @occurred_at_ms, @suppressed, @body) ON CONFLICT (finding_id) DO NOTHING`,
    ),
    listFindings: db.prepare<[string, number, number], FindingRow>(
      `SELECT * FROM findings WHERE tenant = ? AND occurred_at_ms >= ? AND occurred_at_ms < ? ORDER BY occurred_at_ms, finding_id`,
    ),
    upsertAlert: db.prepare<AlertRow>(
      `INSERT INTO alerts (alert_id, tenant, first_seen_ms, last_seen_ms, body) VALUES (@alert_id, @tenant, @first_seen_ms, @last_seen_ms, @body)
       ON CONFLICT (alert_id) DO UPDATE SET tenant = excluded.tenant, first_seen_ms = excluded.first_seen_ms,
         last_seen_ms = excluded.last_seen_ms, body = excluded.body`,
    ),
    getAlerts: db.prepare<[string], AlertRow>('SELECT * FROM alerts WHERE alert_id IN (SELECT value FROM json_each(?))'),
    listAlerts: db.prepare<[string, number, number], AlertRow>(
      `SELECT * FROM alerts WHERE tenant = ? AND last_seen_ms >= ? AND first_seen_ms < ? ORDER BY first_seen_ms, alert_id`,
    ),
    insertOutbox: db.prepare<OutboxRow>(
      `INSERT INTO outbox (id, alert_id, tenant, channel, payload, status, attempts, next_attempt_at_ms, last_error, created_at_ms, sent_at_ms)
       VALUES (@id, @alert_id, @tenant, @channel, @payload, @status, @attempts, @next_attempt_at_ms, @last_error, @created_at_ms, @sent_at_ms)
       ON CONFLICT (id) DO NOTHING`,
    ),
    getOutbox: db.prepare<[string], OutboxRow>('SELECT * FROM outbox WHERE id = ?'),
    // Every patch ends the entry's delivery claim: the claimant recorded its outcome.
    updateOutbox: db.prepare<OutboxRow>(
      `UPDATE outbox SET status = @status, attempts = @attempts, next_attempt_at_ms = @next_attempt_at_ms,
         last_error = @last_error, sent_at_ms = @sent_at_ms, claimed_until_ms = NULL WHERE id = @id`,
    ),
    // The check and the claim are one statement, so two connections cannot both pass the check:
    // SQLite runs it under the write lock, and RETURNING names the rows this statement changed.
    claimOutbox: db.prepare<{ until: number; now: number; ids: string }, { id: string }>(
      `UPDATE outbox SET claimed_until_ms = @until
       WHERE id IN (SELECT value FROM json_each(@ids)) AND status = 'pending' AND (claimed_until_ms IS NULL OR claimed_until_ms <= @now)
       RETURNING id`,
    ),
    getLease: db.prepare<[string], LeaseRow>('SELECT tenant, holder_id, host, pid, expires_at_ms FROM scan_leases WHERE tenant = ?'),
    putLease: db.prepare<LeaseRow>(
      `INSERT INTO scan_leases (tenant, holder_id, host, pid, expires_at_ms) VALUES (@tenant, @holder_id, @host, @pid, @expires_at_ms)
       ON CONFLICT (tenant) DO UPDATE SET holder_id = excluded.holder_id, host = excluded.host, pid = excluded.pid, expires_at_ms = excluded.expires_at_ms`,
    ),
    releaseLease: db.prepare<[string, string]>('DELETE FROM scan_leases WHERE tenant = ? AND holder_id = ?'),
    dueOutbox: db.prepare<{ now: number; limit: number; tenant: string | null }, OutboxRow>(
      `SELECT * FROM outbox WHERE status = 'pending' AND next_attempt_at_ms <= @now AND (@tenant IS NULL OR tenant = @tenant)
       ORDER BY created_at_ms, id LIMIT @limit`,
    ),
    listOutbox: db.prepare<{ tenant: string | null; status: OutboxStatus | null }, OutboxRow>(
      `SELECT * FROM outbox WHERE (@tenant IS NULL OR tenant = @tenant) AND (@status IS NULL OR status = @status)
       ORDER BY created_at_ms, id`,
    ),
    addAggregate: db.prepare<AggregateRow>(
      `INSERT INTO aggregates (tenant, day, app_id, network, allowed, count, success_count, failure_count)
       VALUES (@tenant, @day, @app_id, @network, @allowed, @count, @success_count, @failure_count)
       ON CONFLICT (tenant, day, app_id, network, allowed) DO UPDATE SET count = count + excluded.count,
         success_count = success_count + excluded.success_count, failure_count = failure_count + excluded.failure_count`,
    ),
    listAggregates: db.prepare<[string, string, string], AggregateRow>(
      `SELECT * FROM aggregates WHERE tenant = ? AND day >= ? AND day <= ? ORDER BY day, app_id, network, allowed`,
    ),
    insertLearnedNetwork: db.prepare<LearnedNetworkRow>(
      `INSERT INTO learned_networks (tenant, app_id, network, first_seen_ms) VALUES (@tenant, @app_id, @network, @first_seen_ms)
       ON CONFLICT (tenant, app_id, network) DO NOTHING`,
    ),
    learnedNetworks: db.prepare<[string, string], LearnedNetworkRow>(
      'SELECT * FROM learned_networks WHERE tenant = ? AND app_id = ? ORDER BY first_seen_ms, network',
    ),
    putSnapshot: db.prepare<SnapshotRow>(
      `INSERT INTO snapshots (tenant, taken_at_ms, body) VALUES (@tenant, @taken_at_ms, @body)
       ON CONFLICT (tenant) DO UPDATE SET taken_at_ms = excluded.taken_at_ms, body = excluded.body`,
    ),
    getSnapshot: db.prepare<[string], SnapshotRow>('SELECT * FROM snapshots WHERE tenant = ?'),
    putCache: db.prepare<CacheRow>(
      `INSERT INTO cache (key, body, fetched_at_ms) VALUES (@key, @body, @fetched_at_ms)
       ON CONFLICT (key) DO UPDATE SET body = excluded.body, fetched_at_ms = excluded.fetched_at_ms`,
    ),
    getCache: db.prepare<[string], CacheRow>('SELECT * FROM cache WHERE key = ?'),
    putScan: db.prepare<ScanRow>(
      `INSERT INTO scans (tenant, started_at_ms, finished_at_ms, sources, errors, summary)
       VALUES (@tenant, @started_at_ms, @finished_at_ms, @sources, @errors, @summary)
       ON CONFLICT (tenant, started_at_ms) DO UPDATE SET finished_at_ms = excluded.finished_at_ms,
         sources = excluded.sources, errors = excluded.errors, summary = excluded.summary`,
    ),
    listScans: db.prepare<[string, number, number], ScanRow>(
      'SELECT * FROM scans WHERE tenant = ? AND started_at_ms >= ? AND started_at_ms < ? ORDER BY started_at_ms',
    ),
    purgeScans: db.prepare<[number]>('DELETE FROM scans WHERE started_at_ms < ?'),
  };
}
