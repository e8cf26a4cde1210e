import { mkdtemp, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { once } from 'node:events';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MIGRATIONS, SCHEMA_VERSION } from '../../src/state/sqlite-schema.js';
import { SqliteStateStore } from '../../src/state/sqlite.js';
import { runStateStoreContract } from './contract.js';
import { aggregate, alert, at, auditQuery, eventIds, outboxEntry, scanRecord, STREAM, storedFinding, TENANT, windowCommit } from './records.js';

runStateStoreContract('sqlite', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'credwatch-state-'));
  const path = join(dir, 'state.db');
  const store = SqliteStateStore.open(path);
  return {
    store,
    reopen: async () => SqliteStateStore.open(path),
    cleanup: async () => {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
});

describe('sqlite state file', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'credwatch-state-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  /** A second, plain connection to look at the file the way an operator would. */
  function inspect<T>(path: string, fn: (db: Database.Database) => T): T {
    const db = new Database(path, { readonly: true });
    try {
      return fn(db);
    } finally {
      db.close();
    }
  }

  it('creates missing parent directories, uses WAL and records the schema version once', async () => {
    const path = join(dir, 'nested', 'deeper', 'state.db');
    await SqliteStateStore.open(path).close();
    await SqliteStateStore.open(path).close();
    inspect(path, (db) => {
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(db.prepare('SELECT version FROM schema_version ORDER BY version').all()).toEqual(
        Array.from({ length: SCHEMA_VERSION }, (_, i) => ({ version: i + 1 })),
      );
    });
  });

  /**
   * Another process (a worker thread with its own connection) holding the write lock of a
   * credwatch file in rollback mode, as a backup restored with `VACUUM INTO` or copied from a
   * rollback-mode file is, while this process switches it to WAL. (A new file is never seen in
   * rollback mode: credwatch creates it in WAL mode under another name and links it into place.)
   */
  async function holdRollbackWriteLock(path: string, holdMs: number): Promise<Worker> {
    await SqliteStateStore.open(path).close();
    const restored = new Database(path);
    restored.pragma('journal_mode = DELETE');
    restored.close();
    const code = `
      const { parentPort, workerData } = require('node:worker_threads');
      const Database = require(workerData.module);
      const db = new Database(workerData.path);
      db.exec('BEGIN IMMEDIATE');
      parentPort.postMessage('locked');
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, workerData.holdMs);
      db.exec('COMMIT');
      db.close();
    `;
    const worker = new Worker(code, { eval: true, workerData: { module: createRequire(import.meta.url).resolve('better-sqlite3'), path, holdMs } });
    await once(worker, 'message');
    return worker;
  }

  it("waits out another process that holds a rollback-mode file's lock while switching it to WAL", async () => {
    const path = join(dir, 'state.db');
    const worker = await holdRollbackWriteLock(path, 300);
    // SQLite answers this pragma with SQLITE_BUSY at once, without its busy handler; the store waits.
    const store = SqliteStateStore.open(path, { busyTimeoutInMs: 10_000 });
    await store.close();
    await once(worker, 'exit');
    inspect(path, (db) => expect(db.pragma('journal_mode', { simple: true })).toBe('wal'));
  });

  it('reports the lock as unavailable once the busy timeout runs out while switching to WAL', async () => {
    const path = join(dir, 'state.db');
    const worker = await holdRollbackWriteLock(path, 1_000);
    const started = Date.now();
    expect(() => SqliteStateStore.open(path, { busyTimeoutInMs: 200 })).toThrow(
      expect.objectContaining({ code: 'STATE_UNAVAILABLE', details: expect.objectContaining({ path, sqliteCode: 'SQLITE_BUSY' }) }),
    );
    expect(Date.now() - started).toBeGreaterThanOrEqual(200);
    await once(worker, 'exit');
  });

  /**
   * A file as the release with schema `version` created it (schema_version, then each migration up
   * to it), written without going through this build's code.
   */
  function oldFile(path: string, version: number): Database.Database {
    const old = new Database(path);
    old.pragma('journal_mode = WAL');
    old.exec('CREATE TABLE schema_version (version INTEGER PRIMARY KEY, description TEXT NOT NULL, applied_at_ms INTEGER NOT NULL) STRICT');
    for (const m of MIGRATIONS.slice(0, version)) {
      old.exec(m.sql);
      old.prepare('INSERT INTO schema_version VALUES (?, ?, ?)').run(m.version, m.description, 1);
    }
    return old;
  }

  it('migrates a database written by the first schema version, keeping its data', async () => {
    expect(SCHEMA_VERSION).toBe(6);
    const path = join(dir, 'state.db');
    const old = oldFile(path, 1);
    old.prepare('INSERT INTO watermarks VALUES (?, ?, ?)').run(TENANT, STREAM, at(30).getTime());
    const seen = old.prepare('INSERT INTO seen_ids VALUES (?, ?, ?, ?)');
    for (const id of eventIds(0, 3)) seen.run(TENANT, STREAM, id, Date.now() + 86_400_000);
    old.prepare('INSERT INTO cache VALUES (?, ?, ?)').run('k', 'v', at(0).getTime());
    old.close();

    const store = SqliteStateStore.open(path);
    try {
      expect(await store.getWatermark(TENANT, STREAM)).toEqual(at(30));
      expect(await store.filterUnseen(TENANT, STREAM, eventIds(0, 4))).toEqual(['evt-3']);
      expect(await store.getCache('k')).toEqual({ body: 'v', fetchedAt: at(0) });
      expect(await store.listScans(TENANT, at(0), at(60))).toEqual([]);
      await store.recordScan(scanRecord(at(0)));
      await store.commitWindow(windowCommit({ watermark: at(60), alerts: [alert('alert-1')] }));
      expect(await store.listScans(TENANT, at(0), at(60))).toStrictEqual([scanRecord(at(0))]);
    } finally {
      await store.close();
    }
    // Opening again applies nothing twice.
    await SqliteStateStore.open(path).close();
    inspect(path, (db) => {
      expect(db.prepare('SELECT version, description FROM schema_version ORDER BY version').all()).toEqual([
        { version: 1, description: 'initial schema' },
        { version: 2, description: 'scan history' },
        { version: 3, description: 'seen ids without the expiry index' },
        { version: 4, description: 'covered intervals' },
        { version: 5, description: 'outbox claims and scan leases' },
        { version: 6, description: 'audit log queries' },
      ]);
      expect(db.prepare("SELECT name FROM sqlite_schema WHERE tbl_name = 'scans' ORDER BY name").all()).toEqual([
        { name: 'scans' },
        { name: 'scans_by_started' },
        { name: 'sqlite_autoindex_scans_1' },
      ]);
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    });
  });

  it('migrates a version-2 file: its seen ids stay seen (or expired) without the expiry index, and new ones are added beside them', async () => {
    const path = join(dir, 'state.db');
    const old = oldFile(path, 2);
    const seen = old.prepare('INSERT INTO seen_ids VALUES (?, ?, ?, ?)');
    // Plain Graph ids, as every release before time-ordered sign-in keys stored them.
    for (const id of eventIds(0, 3)) seen.run(TENANT, STREAM, id, Date.now() + 86_400_000);
    seen.run(TENANT, STREAM, 'expired', Date.now() - 60_000);
    old.close();

    const store = SqliteStateStore.open(path);
    try {
      expect(await store.filterUnseen(TENANT, STREAM, [...eventIds(0, 4), 'expired'])).toEqual(['evt-3', 'expired']);
      const keyed = ['1764000000000:b', '1764000000000:a', '1763999999000:c'];
      await store.commitWindow(windowCommit({ seenIds: [...keyed, 'evt-0'] }));
      expect(await store.filterUnseen(TENANT, STREAM, [...keyed, ...eventIds(0, 4)])).toEqual(['evt-3']);
      expect(await store.purgeExpired(new Date())).toBe(1);
      expect(await store.filterUnseen(TENANT, STREAM, ['expired', 'evt-1'])).toEqual(['expired']);
    } finally {
      await store.close();
    }
    inspect(path, (db) => {
      expect(db.prepare('SELECT max(version) AS v FROM schema_version').get()).toEqual({ v: SCHEMA_VERSION });
      expect(db.prepare("SELECT name FROM sqlite_schema WHERE tbl_name = 'seen_ids' ORDER BY name").all()).toEqual([{ name: 'seen_ids' }]);
      expect(db.prepare('SELECT count(*) AS n FROM seen_ids').get()).toEqual({ n: 6 });
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    });
  });

  it('migrates a version-5 file: blast-radius query intents can be stored and its outbox keeps its rows', async () => {
    const path = join(dir, 'v5.sqlite');
    const old = oldFile(path, 5);
    old.close();
    const store = SqliteStateStore.open(path);
    try {
      expect(await store.reserveAuditQuery(auditQuery('intent-1'), 1)).toEqual({ reserved: true });
      expect(await store.reserveAuditQuery(auditQuery('intent-2'), 1)).toMatchObject({ reserved: false, capReached: true, countToday: 1 });
    } finally {
      await store.close();
    }
    inspect(path, (db) => {
      expect(db.prepare('SELECT max(version) AS v FROM schema_version').get()).toEqual({ v: SCHEMA_VERSION });
      expect(db.prepare('SELECT intent_id, day FROM audit_queries').all()).toEqual([{ intent_id: 'intent-1', day: '2026-03-02' }]);
    });
  });

  it('migrates a version-4 file: its outbox rows keep their status and read as unclaimed, and leases can be taken', async () => {
    const path = join(dir, 'state.db');
    const old = oldFile(path, 4);
    const insert = old.prepare(
      `INSERT INTO outbox (id, alert_id, tenant, channel, payload, status, attempts, next_attempt_at_ms, last_error, created_at_ms, sent_at_ms)
       VALUES (?, 'alert-1', ?, 'teams', '{}', ?, ?, ?, ?, ?, ?)`,
    );
    insert.run('pending-1', TENANT, 'pending', 2, at(1).getTime(), 'HTTP 503', at(0).getTime(), null);
    insert.run('sent-1', TENANT, 'sent', 1, at(0).getTime(), null, at(0).getTime(), at(1).getTime());
    old.close();

    const store = SqliteStateStore.open(path);
    try {
      expect(await store.listOutbox(TENANT, undefined)).toStrictEqual([
        outboxEntry('pending-1', { payload: '{}', attempts: 2, nextAttemptAt: at(1), lastError: 'HTTP 503' }),
        outboxEntry('sent-1', { payload: '{}', status: 'sent', attempts: 1, sentAt: at(1) }),
      ]);
      expect(await store.claimOutbox(['pending-1', 'sent-1'], at(2), at(7))).toEqual(['pending-1']);
      expect(await store.claimOutbox(['pending-1'], at(3), at(8))).toEqual([]);
      expect(await store.acquireScanLease(TENANT, { id: 'scan-1', host: 'h', pid: 7 }, at(0), 60_000)).toMatchObject({ acquired: true });
    } finally {
      await store.close();
    }
    inspect(path, (db) => {
      expect(db.prepare('SELECT max(version) AS v FROM schema_version').get()).toEqual({ v: SCHEMA_VERSION });
      expect(db.prepare('SELECT id, claimed_until_ms FROM outbox ORDER BY id').all()).toEqual([
        { id: 'pending-1', claimed_until_ms: at(7).getTime() },
        { id: 'sent-1', claimed_until_ms: null },
      ]);
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    });
  });

  it('refuses a file that is not SQLite, naming it, and leaves it untouched', async () => {
    const path = join(dir, 'state.db');
    const garbage = Buffer.from('this was a state database before a bad copy\n'.repeat(200));
    await writeFile(path, garbage);
    let caught: unknown;
    try {
      SqliteStateStore.open(path);
    } catch (e: unknown) {
      caught = e;
    }
    expect(caught).toMatchObject({ code: 'STATE_CORRUPT', details: { path } });
    expect((caught as Error).message).toContain(path);
    expect(await readFile(path)).toEqual(garbage);
  });

  it('refuses a state file whose pages were damaged after its header, naming it', async () => {
    const path = join(dir, 'state.db');
    const store = SqliteStateStore.open(path);
    await store.commitWindow(windowCommit({ watermark: at(1), seenIds: eventIds(0, 2000) }));
    await store.close();
    const bytes = await readFile(path);
    // Keep page 1 (header and schema) intact, as a torn copy or a bad disk sector would.
    const damaged = Buffer.concat([bytes.subarray(0, 4096), Buffer.alloc(bytes.length - 4096, 0xa5)]);
    await writeFile(path, damaged);
    expect(() => SqliteStateStore.open(path)).toThrow(expect.objectContaining({ code: 'STATE_CORRUPT', details: expect.objectContaining({ path }) }));
    expect(await readFile(path)).toEqual(damaged);
  });

  it("refuses another application's SQLite database instead of adding tables to it", async () => {
    const path = join(dir, 'other.db');
    const other = new Database(path);
    other.exec('CREATE TABLE customers (id INTEGER PRIMARY KEY)');
    other.close();
    expect(() => SqliteStateStore.open(path)).toThrow(expect.objectContaining({ code: 'STATE_CORRUPT' }));
    inspect(path, (db) => expect(db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table'").all()).toEqual([{ name: 'customers' }]));
  });

  it('refuses a database written by a newer credwatch', async () => {
    const path = join(dir, 'state.db');
    await SqliteStateStore.open(path).close();
    const db = new Database(path);
    db.prepare('INSERT INTO schema_version VALUES (?, ?, ?)').run(SCHEMA_VERSION + 1, 'from the future', Date.now());
    db.close();
    expect(() => SqliteStateStore.open(path)).toThrow(expect.objectContaining({ code: 'STATE_VERSION_UNSUPPORTED' }));
  });

  it('reports a path it cannot open as a database as unavailable, naming the path', async () => {
    const path = join(dir, 'a-directory');
    await mkdir(path);
    expect(() => SqliteStateStore.open(path)).toThrow(expect.objectContaining({ code: 'STATE_UNAVAILABLE', details: expect.objectContaining({ path }) }));
  });

  it('rolls back every row of a window when SQLite itself fails at the last write', async () => {
    const path = join(dir, 'state.db');
    const store = SqliteStateStore.open(path);
    await store.commitWindow(windowCommit({ watermark: at(1) }));
    // A trigger makes the final statement of the commit (the watermark) fail inside SQLite, after
    // the seen ids, finding, outbox entry and aggregate were already written in the transaction.
    const admin = new Database(path);
    admin.exec("CREATE TRIGGER fail_watermark BEFORE UPDATE ON watermarks BEGIN SELECT RAISE(ABORT, 'injected failure'); END");
    admin.close();
    const window = windowCommit({
      watermark: at(60),
      seenIds: eventIds(0, 100),
      findings: [storedFinding('f-1')],
      outbox: [outboxEntry('o-1')],
      aggregates: [aggregate()],
    });
    await expect(store.commitWindow(window)).rejects.toMatchObject({ code: 'STATE_INVALID_INPUT', details: { sqliteCode: 'SQLITE_CONSTRAINT_TRIGGER' } });
    expect(await store.getWatermark(TENANT, STREAM)).toEqual(at(1));
    expect(await store.filterUnseen(TENANT, STREAM, eventIds(0, 100))).toHaveLength(100);
    expect(await store.listFindings(TENANT, at(-60), at(60))).toEqual([]);
    expect(await store.listOutbox(undefined, undefined)).toEqual([]);
    expect(await store.listAggregates(TENANT, '2000-01-01', '2999-12-31')).toEqual([]);
    await store.close();
  });

  it('answers every read path from an index, never a full table scan', async () => {
    const path = join(dir, 'state.db');
    await SqliteStateStore.open(path).close();
    const queries = [
      "SELECT id FROM seen_ids WHERE tenant = 't' AND stream = 's' AND expires_at_ms > 0 AND id IN (SELECT value FROM json_each('[\"a\"]'))",
      "SELECT * FROM outbox WHERE status = 'pending' AND next_attempt_at_ms <= 0 ORDER BY created_at_ms, id LIMIT 10",
      "SELECT * FROM findings WHERE tenant = 't' AND occurred_at_ms >= 0 AND occurred_at_ms < 1",
      "SELECT * FROM alerts WHERE tenant = 't' AND last_seen_ms >= 0 AND first_seen_ms < 1",
      "SELECT * FROM aggregates WHERE tenant = 't' AND day >= '2026-01-01' AND day <= '2026-01-07'",
      "SELECT * FROM learned_networks WHERE tenant = 't' AND app_id = 'a'",
      "SELECT * FROM scans WHERE tenant = 't' AND started_at_ms >= 0 AND started_at_ms < 1 ORDER BY started_at_ms",
      'DELETE FROM scans WHERE started_at_ms < 0',
    ];
    inspect(path, (db) => {
      for (const sql of queries) {
        const plan = db
          .prepare<[], { detail: string }>(`EXPLAIN QUERY PLAN ${sql}`)
          .all()
          .map((r) => r.detail)
          .join(' | ');
        expect(plan, sql).not.toMatch(/SCAN (seen_ids|outbox|findings|alerts|aggregates|learned_networks|scans)\b/);
      }
      // The one deliberate exception: the daily purge reads seen_ids whole rather than every window
      // writing each id into an expiry index too (schema version 3, docs/state.md).
      const purge = db.prepare<[], { detail: string }>('EXPLAIN QUERY PLAN DELETE FROM seen_ids WHERE expires_at_ms <= 0').all();
      expect(purge.map((r) => r.detail)).toEqual(['SCAN seen_ids']);
    });
  });

  it('commits a window of 1,000 seen ids and filters 1,000 ids in milliseconds', async () => {
    const store = SqliteStateStore.open(join(dir, 'state.db'));
    const findings = Array.from({ length: 10 }, (_, i) => storedFinding(`f-${i}`));
    const timings: { commitInMs: number; filterInMs: number }[] = [];
    for (let w = 0; w < 5; w++) {
      // Half of each batch overlaps the previous window, as the re-read overlap does.
      const ids = eventIds(w * 500, 1000);
      let t = performance.now();
      const unseen = await store.filterUnseen(TENANT, STREAM, ids);
      const filterInMs = performance.now() - t;
      t = performance.now();
      // Commit the whole batch: re-marking the overlap costs what inserting does, so 1,000 it is.
      await store.commitWindow(windowCommit({ watermark: at(w), seenIds: ids, findings, outbox: [outboxEntry(`o-${w}`)] }));
      timings.push({ commitInMs: performance.now() - t, filterInMs });
      expect(unseen).toEqual(w === 0 ? ids : ids.slice(500));
    }
    console.log('sqlite timings (ms):', timings.map((x) => `commit ${x.commitInMs.toFixed(1)} filter ${x.filterInMs.toFixed(1)}`).join('; '));
    // Bounds are loose for slow CI disks; typical figures are a few milliseconds (docs/state.md).
    for (const x of timings.slice(1)) {
      expect(x.commitInMs).toBeLessThan(250);
      expect(x.filterInMs).toBeLessThan(100);
    }
    await store.close();
  });
});
