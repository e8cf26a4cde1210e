/**
 * Checks every store applies to what it is asked to write, and the date conversions they share.
 * Both the memory and the SQLite store encode through these, so a record one store rejects the
 * other rejects too, with the same code — the contract tests rely on that.
 */
import { CredwatchError } from '../errors.js';
import { SEVERITY_ORDER, type Severity } from '../events.js';
import type { OutboxStatus } from './types.js';

/** A write the store refuses; nothing of the surrounding commit is stored. */
export function invalidInput(message: string, details: Record<string, unknown> = {}): CredwatchError {
  return new CredwatchError('STATE_INVALID_INPUT', message, { details });
}

/** Epoch milliseconds of a valid Date; every date is stored this way, in columns and in JSON. */
export function toMs(value: Date, field: string): number {
  // A caller that passes an ISO string or an Invalid Date would otherwise store NaN or garbage
  // that sorts wrongly forever after; refuse it while the commit can still be rolled back.
  if (!(value instanceof Date) || !Number.isFinite(value.getTime())) {
    throw invalidInput(`${field} is not a valid Date`, { field });
  }
  return value.getTime();
}

/** Like {@link toMs} for optional dates; `null` stands for undefined in rows and JSON. */
export function toOptionalMs(value: Date | undefined, field: string): number | null {
  return value === undefined ? null : toMs(value, field);
}

/** A fresh Date from stored epoch milliseconds. */
export function fromMs(ms: number): Date {
  return new Date(ms);
}

/** A fresh Date, or undefined for a stored `null`. */
export function fromOptionalMs(ms: number | null): Date | undefined {
  return ms === null ? undefined : new Date(ms);
}

/** A key must be a non-empty string: an empty id would make every later record "already seen". */
export function requireKey(value: string, field: string): string {
  if (typeof value !== 'string' || value.length === 0) throw invalidInput(`${field} must be a non-empty string`, { field });
  return value;
}

/** Counts are non-negative safe integers, so additive aggregates cannot drift or go negative. */
export function requireCount(value: number, field: string): number {
  if (!Number.isSafeInteger(value) || value < 0) throw invalidInput(`${field} must be a non-negative integer`, { field, value });
  return value;
}

/** Records inside one commit belong to the commit's tenant; anything else is a caller bug. */
export function requireTenant(expected: string, actual: string, what: string): void {
  if (actual !== expected) throw invalidInput(`${what} belongs to tenant "${actual}", not "${expected}"`, { what });
}

const OUTBOX_STATUSES: ReadonlySet<string> = new Set<OutboxStatus>(['pending', 'sent', 'failed']);

/** The outbox status, checked at runtime too (a cast can smuggle anything in). */
export function requireStatus(value: OutboxStatus, field: string): OutboxStatus {
  if (!OUTBOX_STATUSES.has(value)) throw invalidInput(`${field} must be pending, sent or failed`, { field, value });
  return value;
}

/** One of the five severities. */
export function requireSeverity(value: Severity, field: string): Severity {
  if (!Object.hasOwn(SEVERITY_ORDER, value)) throw invalidInput(`${field} is not a known severity`, { field, value });
  return value;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** A UTC day as `YYYY-MM-DD`, which sorts and compares correctly as text. */
export function requireDay(value: string, field: string): string {
  if (typeof value !== 'string' || !DAY.test(value)) throw invalidInput(`${field} must be a YYYY-MM-DD day`, { field, value });
  return value;
}

/**
 * Parses a stored JSON body. A body that does not parse was damaged outside credwatch, so it is
 * reported as corruption with the record's key rather than as a crash deep in a report.
 */
export function parseBody<T>(body: string, what: string): T {
  try {
    return JSON.parse(body) as T;
  } catch (e: unknown) {
    throw new CredwatchError('STATE_CORRUPT', `stored ${what} is not valid JSON`, { cause: e, details: { what } });
  }
}
