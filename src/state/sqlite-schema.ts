/**
 * Opening the SQLite state file: pragmas, then forward-only migrations recorded in
 * `schema_version`. A migration is never edited once released; a change is a new, higher version.
 */
import Database from 'better-sqlite3';
import { CredwatchError } from '../errors.js';
import { mapSqliteError } from './sqlite-errors.js';
import { createStateFile, stateFileExists } from './sqlite-file.js';

interface Migration {
  readonly version: number;
  readonly description: string;
  readonly sql: string;
}

// STRICT tables make SQLite refuse a value of the wrong type instead of storing it as text; dates
// are epoch milliseconds (INTEGER) everywhere so ranges compare numerically and use the indexes.
const V1 = `
CREATE TABLE watermarks (
  tenant TEXT NOT NULL, stream TEXT NOT NULL, watermark_ms INTEGER NOT NULL,
  PRIMARY KEY (tenant, stream)
) STRICT, WITHOUT ROWID;
CREATE TABLE seen_ids (
  tenant TEXT NOT NULL, stream TEXT NOT NULL, id TEXT NOT NULL CHECK (id <> ''), expires_at_ms INTEGER NOT NULL,
  PRIMARY KEY (tenant, stream, id)
) STRICT, WITHOUT ROWID;
CREATE INDEX seen_ids_by_expiry ON seen_ids (expires_at_ms);
CREATE TABLE findings (
  finding_id TEXT PRIMARY KEY, alert_id TEXT NOT NULL, tenant TEXT NOT NULL, occurred_at_ms INTEGER NOT NULL,
  suppressed INTEGER NOT NULL CHECK (suppressed IN (0, 1)), body TEXT NOT NULL CHECK (json_valid(body))
) STRICT;
CREATE INDEX findings_by_tenant_time ON findings (tenant, occurred_at_ms);
CREATE TABLE alerts (
  alert_id TEXT PRIMARY KEY, tenant TEXT NOT NULL, first_seen_ms INTEGER NOT NULL, last_seen_ms INTEGER NOT NULL,
  body TEXT NOT NULL CHECK (json_valid(body))
) STRICT;
CREATE INDEX alerts_by_tenant_time ON alerts (tenant, last_seen_ms);
CREATE TABLE outbox (
  id TEXT PRIMARY KEY, alert_id TEXT NOT NULL, tenant TEXT NOT NULL, channel TEXT NOT NULL, payload TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('pending', 'sent', 'failed')),
  attempts INTEGER NOT NULL CHECK (attempts >= 0), next_attempt_at_ms INTEGER NOT NULL, last_error TEXT,
  created_at_ms INTEGER NOT NULL, sent_at_ms INTEGER
) STRICT;
CREATE INDEX outbox_due ON outbox (status, next_attempt_at_ms);
CREATE INDEX outbox_by_tenant ON outbox (tenant, status, created_at_ms);
CREATE TABLE aggregates (
  tenant TEXT NOT NULL, day TEXT NOT NULL, app_id TEXT NOT NULL, network TEXT NOT NULL,
  allowed INTEGER NOT NULL CHECK (allowed IN (-1, 0, 1)),
  count INTEGER NOT NULL CHECK (count >= 0), success_count INTEGER NOT NULL CHECK (success_count >= 0),
  failure_count INTEGER NOT NULL CHECK (failure_count >= 0),
  PRIMARY KEY (tenant, day, app_id, network, allowed)
) STRICT, WITHOUT ROWID;
CREATE TABLE learned_networks (
  tenant TEXT NOT NULL, app_id TEXT NOT NULL, network TEXT NOT NULL, first_seen_ms INTEGER NOT NULL,
  PRIMARY KEY (tenant, app_id, network)
) STRICT, WITHOUT ROWID;
CREATE TABLE snapshots (tenant TEXT PRIMARY KEY, taken_at_ms INTEGER NOT NULL, body TEXT NOT NULL) STRICT;
CREATE TABLE cache (key TEXT PRIMARY KEY, body TEXT NOT NULL, fetched_at_ms INTEGER NOT NULL) STRICT;
`;

// Scan history for the weekly report's data-collection health. A rowid table, not WITHOUT ROWID:
// the summary body can run to kilobytes, and WITHOUT ROWID suits small rows only. The primary key
// is the (tenant, started_at_ms) index the report's range reads use; the second index serves the
// retention purge, which runs across tenants.
const V2 = `
CREATE TABLE scans (
  tenant TEXT NOT NULL, started_at_ms INTEGER NOT NULL, finished_at_ms INTEGER NOT NULL,
  sources TEXT NOT NULL CHECK (json_valid(sources)), errors TEXT NOT NULL CHECK (json_valid(errors)),
  summary TEXT NOT NULL,
  PRIMARY KEY (tenant, started_at_ms)
) STRICT;
CREATE INDEX scans_by_started ON scans (started_at_ms);
`;

// Seen ids without their expiry index. Every seen id was written twice, once in the table and
// once in (expires_at_ms, tenant, stream, id), and the index exists only for the daily purge, which
// may as well read the table once a day (a few hundred ms per million ids) instead of every window
// paying a second B-tree insert per id. The rows and the purge's answers do not change.
const V3 = `
DROP INDEX seen_ids_by_expiry;
`;

// Covered log time per stream (docs/state.md, "Covered intervals"): one small JSON list per
// tenant and stream, rewritten by union inside the window's transaction.
const V4 = `
CREATE TABLE coverage (
  tenant TEXT NOT NULL, stream TEXT NOT NULL, intervals TEXT NOT NULL CHECK (json_valid(intervals)),
  PRIMARY KEY (tenant, stream)
) STRICT, WITHOUT ROWID;
`;

// Two workers at once (docs/state.md, "Two workers at once"): a delivery claim on each outbox row,
// taken by one conditional UPDATE, and one scan lease per tenant. The new column is NULL on every
// existing row, which reads as unclaimed.
const V5 = `
ALTER TABLE outbox ADD COLUMN claimed_until_ms INTEGER;
CREATE TABLE scan_leases (
  tenant TEXT PRIMARY KEY, holder_id TEXT NOT NULL, host TEXT NOT NULL, pid INTEGER NOT NULL, expires_at_ms INTEGER NOT NULL
) STRICT;
`;

// Blast-radius audit log queries (docs/blast-radius.md): one row per intent, stored before Graph
// is asked, and counted per tenant and UTC day for the daily cap inside the same write lock.
const V6 = `
CREATE TABLE audit_queries (
  tenant TEXT NOT NULL, intent_id TEXT NOT NULL, app_id TEXT NOT NULL, day TEXT NOT NULL,
  requested_at_ms INTEGER NOT NULL, body TEXT NOT NULL CHECK (json_valid(body)),
  PRIMARY KEY (tenant, intent_id)
) STRICT;
CREATE INDEX audit_queries_by_day ON audit_queries (tenant, day);
CREATE INDEX audit_queries_by_app ON audit_queries (tenant, app_id, requested_at_ms);
`;

/** Every migration, in order. Append only. */
export const MIGRATIONS: readonly Migration[] = [
  { version: 1, description: 'initial schema', sql: V1 },
  { version: 2, description: 'scan history', sql: V2 },
  { version: 3, description: 'seen ids without the expiry index', sql: V3 },
  { version: 4, description: 'covered intervals', sql: V4 },
  { version: 5, description: 'outbox claims and scan leases', sql: V5 },
  { version: 6, description: 'audit log queries', sql: V6 },
];

/** The schema version this build writes. */
export const SCHEMA_VERSION = MIGRATIONS.length;

/** At most this many of a foreign database's tables are named in the error. */
const NAMED_TABLES = 5;

/**
 * The schema version of a credwatch state database, read before anything is written to it (the
 * WAL switch included), so a file that is not credwatch's, or is from a newer credwatch, is left
 * byte for byte as it was. `fresh` accepts the database without tables that credwatch is creating.
 */
function schemaVersionOf(db: Database.Database, path: string, fresh: boolean): number {
  const tables = db
    .prepare<[], { name: string }>("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
    .all()
    .map((t) => t.name);
  if (fresh && tables.length === 0) return 0;
  // Someone else's database: adding our tables to it would hide the misconfiguration. An empty
  // one is refused too: credwatch creates its tables with the file, so an existing database
  // without them is a replaced state file, and starting over from it would alert on everything.
  if (!tables.includes('schema_version')) {
    const found = tables.length === 0 ? 'no tables' : `the tables ${tables.slice(0, NAMED_TABLES).join(', ')}${tables.length > NAMED_TABLES ? ', …' : ''}`;
    throw new CredwatchError('STATE_CORRUPT', `${path} is a SQLite database but not a credwatch state database (no schema_version table; it has ${found})`, {
      details: { path, tables: tables.slice(0, NAMED_TABLES) },
    });
  }
  const current = db.prepare<[], { v: number | null }>('SELECT max(version) AS v FROM schema_version').get()?.v ?? 0;
  if (current > SCHEMA_VERSION) {
    throw new CredwatchError(
      'STATE_VERSION_UNSUPPORTED',
      `state database ${path} has schema version ${current}; this credwatch understands up to ${SCHEMA_VERSION}`,
      { details: { path, version: current, supported: SCHEMA_VERSION } },
    );
  }
  return current;
}

/**
 * Brings the schema up to {@link SCHEMA_VERSION} inside one BEGIN IMMEDIATE transaction, so two
 * processes upgrading a file at once apply each migration exactly once.
 */
function migrate(db: Database.Database, path: string, nowMs: number, fresh: boolean): void {
  db.transaction(() => {
    const current = schemaVersionOf(db, path, fresh);
    if (current === 0) {
      db.exec('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, description TEXT NOT NULL, applied_at_ms INTEGER NOT NULL) STRICT');
    }
    const record = db.prepare<[number, string, number]>('INSERT INTO schema_version (version, description, applied_at_ms) VALUES (?, ?, ?)');
    for (const m of MIGRATIONS) {
      if (m.version <= current) continue;
      db.exec(m.sql);
      record.run(m.version, m.description, nowMs);
    }
  }).immediate();
}

/** How long {@link enableWal} sleeps between attempts. */
const WAL_RETRY_INTERVAL_IN_MS = 10;

/**
 * Switches the connection to WAL, waiting up to `busyTimeoutInMs` for another process.
 *
 * The busy timeout does not cover this pragma on a file still in rollback mode (a brand-new
 * one): the switch rewrites the header, so it first reads the file and then upgrades to a write
 * lock, and SQLite refuses a lock upgrade from inside a read transaction at once with SQLITE_BUSY
 * instead of waiting (waiting could deadlock two connections that both read). Two processes
 * creating the same file together hit exactly that: one switches the file, the other fails. So
 * the wait is done here; the retry finds the file already in WAL mode, which needs no lock.
 */
function enableWal(db: Database.Database, busyTimeoutInMs: number): unknown {
  const deadline = Date.now() + busyTimeoutInMs;
  for (;;) {
    try {
      return db.pragma('journal_mode = WAL', { simple: true });
    } catch (e: unknown) {
      if (!(e instanceof Database.SqliteError) || !e.code.startsWith('SQLITE_BUSY') || Date.now() >= deadline) throw e;
    }
    // Synchronous like the rest of opening; the other process holds the lock for one header write.
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, WAL_RETRY_INTERVAL_IN_MS);
  }
}

/**
 * WAL lets reports read while a scan writes; `synchronous = FULL` fsyncs the WAL at every commit,
 * because a commit is followed by sending alerts, and a commit that a power cut could still undo
 * (what NORMAL allows in WAL mode) would let credwatch act on state it then forgets. A scan
 * commits a handful of windows, so the extra fsync costs milliseconds per run.
 */
function prepare(db: Database.Database, path: string, busyTimeoutInMs: number, nowMs: number, fresh: boolean): void {
  const mode = enableWal(db, busyTimeoutInMs);
  if (mode !== 'wal' && path !== ':memory:') {
    throw new CredwatchError(
      'STATE_UNAVAILABLE',
      `state database ${path}: the file system refused WAL mode (got "${String(mode)}"); use a local disk, not a network share`,
      {
        details: { path },
      },
    );
  }
  db.pragma('synchronous = FULL');
  migrate(db, path, nowMs, fresh);
}

/**
 * Opens and migrates the state file. Only a missing file is created (whole, 0600, in a directory
 * created 0700; see sqlite-file.ts); an empty, foreign, damaged or newer file fails with its path
 * and is left as it was.
 */
export function openDatabase(path: string, busyTimeoutInMs: number, nowMs: number): Database.Database {
  let db: Database.Database | undefined;
  try {
    if (path === ':memory:') {
      db = new Database(path);
      prepare(db, path, busyTimeoutInMs, nowMs, true);
      return db;
    }
    if (!stateFileExists(path)) createStateFile(path, (fresh) => prepare(fresh, path, busyTimeoutInMs, nowMs, true));
    db = new Database(path, { timeout: busyTimeoutInMs, fileMustExist: true });
    // Read-only first: the first read of the header fails on a file that is not SQLite (NOTADB) or
    // is truncated (CORRUPT), and the schema check refuses a foreign or newer file, all before the
    // WAL switch below writes to the header.
    schemaVersionOf(db, path, false);
    prepare(db, path, busyTimeoutInMs, nowMs, false);
    return db;
  } catch (e: unknown) {
    db?.close();
    if (e instanceof Error && 'code' in e && typeof e.code === 'string' && !(e instanceof Database.SqliteError) && !(e instanceof CredwatchError)) {
      // Creating the directory or the file failed (EACCES, ENOTDIR, ENOSPC, …).
      throw new CredwatchError('STATE_UNAVAILABLE', `state database ${path}: cannot create it: ${e.message}`, { cause: e, details: { path } });
    }
    throw mapSqliteError(e, path, 'open');
  }
}
