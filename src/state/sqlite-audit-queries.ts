/**
 * The SQLite store's audit log query rows (docs/blast-radius.md): statements and the one
 * transaction that checks the daily cap and inserts the intent under a single write lock, so two
 * processes cannot both take the last query of the day or store the same intent twice.
 */
import type Database from 'better-sqlite3';
import { decodeAuditQuery, encodeAuditQuery, patchAuditQuery, requireCap, type AuditQueryRow } from './codec-audit-queries.js';
import type { AuditQueryPatch, AuditQueryRecord, AuditQueryReservation } from './types.js';
import { invalidInput } from './validate.js';

const COLUMNS = 'tenant, intent_id, app_id, day, requested_at_ms, body';

/** Audit query reads and writes on one connection. */
export class SqliteAuditQueries {
  readonly #get: Database.Statement<[string, string], AuditQueryRow>;
  readonly #count: Database.Statement<[string, string], { n: number }>;
  readonly #insert: Database.Statement<[AuditQueryRow]>;
  readonly #update: Database.Statement<[AuditQueryRow]>;
  readonly #list: Database.Statement<[string, string], AuditQueryRow>;
  readonly #reserve: Database.Transaction<(row: AuditQueryRow, cap: number) => AuditQueryReservation>;
  readonly #patch: Database.Transaction<(tenant: string, intentId: string, patch: AuditQueryPatch) => void>;

  constructor(db: Database.Database) {
    this.#get = db.prepare(`SELECT ${COLUMNS} FROM audit_queries WHERE tenant = ? AND intent_id = ?`);
    this.#count = db.prepare('SELECT count(*) AS n FROM audit_queries WHERE tenant = ? AND day = ?');
    this.#insert = db.prepare(`INSERT INTO audit_queries (${COLUMNS}) VALUES (@tenant, @intent_id, @app_id, @day, @requested_at_ms, @body)`);
    this.#update = db.prepare('UPDATE audit_queries SET body = @body WHERE tenant = @tenant AND intent_id = @intent_id');
    this.#list = db.prepare(`SELECT ${COLUMNS} FROM audit_queries WHERE tenant = ? AND app_id = ? ORDER BY requested_at_ms, intent_id`);
    this.#reserve = db.transaction((row: AuditQueryRow, cap: number): AuditQueryReservation => {
      const existing = this.#get.get(row.tenant, row.intent_id);
      if (existing !== undefined) return { reserved: false, existing: decodeAuditQuery(existing) };
      const countToday = this.#count.get(row.tenant, row.day)?.n ?? 0;
      if (countToday >= cap) return { reserved: false, capReached: true, countToday };
      this.#insert.run(row);
      return { reserved: true };
    });
    this.#patch = db.transaction((tenant: string, intentId: string, patch: AuditQueryPatch) => {
      const row = this.#get.get(tenant, intentId);
      if (row === undefined) throw invalidInput(`audit query ${intentId} of ${tenant} does not exist`, { tenant, intentId });
      this.#update.run(patchAuditQuery(row, patch));
    });
  }

  reserve(record: AuditQueryRecord, dailyCap: number): AuditQueryReservation {
    const row = encodeAuditQuery(record);
    return this.#reserve.immediate(row, requireCap(dailyCap));
  }

  update(tenant: string, intentId: string, patch: AuditQueryPatch): void {
    this.#patch.immediate(tenant, intentId, patch);
  }

  list(tenant: string, appId: string): AuditQueryRecord[] {
    return this.#list.all(tenant, appId).map(decodeAuditQuery);
  }
}
