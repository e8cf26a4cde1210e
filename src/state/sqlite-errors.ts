/**
 * SQLite's result codes mapped onto credwatch's stable codes, always naming the database file so
 * the operator knows which file to check, move aside or restore.
 */
import Database from 'better-sqlite3';
import { CredwatchError, type ErrorCode } from '../errors.js';

function codeFor(sqliteCode: string): ErrorCode {
  // Extended codes (SQLITE_CORRUPT_INDEX, SQLITE_IOERR_FSYNC, …) share their primary's meaning.
  if (sqliteCode.startsWith('SQLITE_CORRUPT') || sqliteCode === 'SQLITE_NOTADB') return 'STATE_CORRUPT';
  if (sqliteCode.startsWith('SQLITE_CONSTRAINT') || sqliteCode === 'SQLITE_MISMATCH' || sqliteCode === 'SQLITE_TOOBIG') {
    return 'STATE_INVALID_INPUT';
  }
  // BUSY (busy_timeout ran out), LOCKED, IOERR, FULL, CANTOPEN, READONLY, PERM, NOMEM, …: the
  // file is fine but cannot be used right now; the next cycle may succeed.
  return 'STATE_UNAVAILABLE';
}

/**
 * Wraps anything a better-sqlite3 call threw. A CredwatchError passes through unchanged; a
 * SqliteError gets the matching state code.
 */
export function mapSqliteError(e: unknown, path: string, operation: string): CredwatchError {
  if (e instanceof CredwatchError) return e;
  if (e instanceof Database.SqliteError) {
    const code = codeFor(e.code);
    return new CredwatchError(code, `state database ${path}: ${operation} failed: ${e.message} (${e.code})`, {
      cause: e,
      details: { path, operation, sqliteCode: e.code },
    });
  }
  if (e instanceof TypeError || e instanceof RangeError) {
    // better-sqlite3 has no codes for its own errors: a closed connection or a missing directory
    // means the store cannot be used; anything else is a value it cannot bind (a caller bug).
    const unusable = /not open|does not exist/i.test(e.message);
    return new CredwatchError(unusable ? 'STATE_UNAVAILABLE' : 'STATE_INVALID_INPUT', `state database ${path}: ${operation} failed: ${e.message}`, {
      cause: e,
      details: { path, operation },
    });
  }
  const message = e instanceof Error ? e.message : String(e);
  return new CredwatchError('INTERNAL', `state database ${path}: ${operation} failed: ${message}`, { cause: e, details: { path, operation } });
}
