/**
 * Scan leases as stored rows, and the one rule every store applies to them, so memory, SQLite and
 * Azure Table decide alike: a lease is taken when absent, expired (`expires_at_ms <= now`) or
 * already the caller's (a renewal), and otherwise left to its holder. Each store makes the
 * read-decide-write atomic its own way (a Map, a write transaction, an etag).
 */
import type { LeaseClaim, LeaseHolder, ScanLease } from './types.js';
import { fromMs, invalidInput, requireCount, requireKey, toMs } from './validate.js';

/** A row of the `scan_leases` table. */
export interface LeaseRow {
  tenant: string;
  holder_id: string;
  host: string;
  pid: number;
  expires_at_ms: number;
}

/** The row `holder` would write, after checking every argument (STATE_INVALID_INPUT otherwise). */
export function encodeLease(tenant: string, holder: LeaseHolder, now: Date, ttlInMs: number): LeaseRow {
  if (!Number.isSafeInteger(ttlInMs) || ttlInMs <= 0) throw invalidInput('a lease needs a positive whole number of milliseconds', { ttlInMs });
  if (typeof holder.host !== 'string') throw invalidInput('lease holder host must be a string', { host: holder.host });
  return {
    tenant: requireKey(tenant, 'lease tenant'),
    holder_id: requireKey(holder.id, 'lease holder id'),
    host: holder.host,
    pid: requireCount(holder.pid, 'lease holder pid'),
    expires_at_ms: toMs(now, 'now') + ttlInMs,
  };
}

export function decodeLease(r: LeaseRow): ScanLease {
  return { tenant: r.tenant, holder: { id: r.holder_id, host: r.host, pid: r.pid }, expiresAt: fromMs(r.expires_at_ms) };
}

/**
 * What to do with the stored lease: write `wanted` (and report the claim), or leave `current`. A
 * live lease of `takeOverFrom` counts as expired: the caller knows its holder is gone.
 */
export function decideLease(current: LeaseRow | undefined, wanted: LeaseRow, nowMs: number, takeOverFrom?: string): { write: boolean; claim: LeaseClaim } {
  if (current === undefined || current.holder_id === wanted.holder_id) return { write: true, claim: { acquired: true, lease: decodeLease(wanted) } };
  if (current.expires_at_ms > nowMs && current.holder_id !== takeOverFrom) return { write: false, claim: { acquired: false, current: decodeLease(current) } };
  return { write: true, claim: { acquired: true, lease: decodeLease(wanted), tookOver: decodeLease(current) } };
}
