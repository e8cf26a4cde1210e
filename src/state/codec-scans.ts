/**
 * Scan records as stored rows, shared by the memory and SQLite stores so both validate, normalize
 * and round-trip identically. The per-source list and the errors are JSON columns: the report reads
 * them whole, never queries inside them.
 */
import { CredwatchError } from '../errors.js';
import type { ScanRecord } from './types.js';
import { fromMs, invalidInput, parseBody, requireCount, requireKey, toMs } from './validate.js';

/** How long `purgeExpired` keeps scan records: a year of weekly reports plus a month's margin. */
export const SCAN_RETENTION_IN_DAYS = 400;
const DAY_MS = 86_400_000;

/** Scans that started before this instant are past retention at `nowMs`. */
export function scanCutoffMs(nowMs: number): number {
  return nowMs - SCAN_RETENTION_IN_DAYS * DAY_MS;
}

/** A row of the `scans` table. */
export interface ScanRow {
  tenant: string;
  started_at_ms: number;
  finished_at_ms: number;
  /** JSON array of {@link ScanRecord.sources}. */
  sources: string;
  /** JSON array of {@link ScanRecord.errors}. */
  errors: string;
  summary: string;
}

type ScanSourceRecord = ScanRecord['sources'][number];
type ScanErrorRecord = ScanRecord['errors'][number];

function requireText(value: string, field: string): string {
  if (typeof value !== 'string') throw invalidInput(`${field} must be a string`, { field });
  return value;
}

function requireArray<T>(value: readonly T[], field: string): readonly T[] {
  if (!Array.isArray(value)) throw invalidInput(`${field} must be an array`, { field });
  return value;
}

/** Only the keys with a value, in a fixed order, so both stores return the same shape. */
function encodeSource(s: ScanSourceRecord, i: number): ScanSourceRecord {
  const field = `scan.sources[${i}]`;
  const out: ScanSourceRecord = { source: requireKey(s.source, `${field}.source`), status: requireKey(s.status, `${field}.status`) };
  if (s.errorCode !== undefined) out.errorCode = requireText(s.errorCode, `${field}.errorCode`);
  if (s.message !== undefined) out.message = requireText(s.message, `${field}.message`);
  if (s.items !== undefined) out.items = requireCount(s.items, `${field}.items`);
  return out;
}

function encodeError(e: ScanErrorRecord, i: number): ScanErrorRecord {
  const field = `scan.errors[${i}]`;
  return { stage: requireText(e.stage, `${field}.stage`), code: requireText(e.code, `${field}.code`), message: requireText(e.message, `${field}.message`) };
}

export function encodeScan(r: ScanRecord): ScanRow {
  const startedMs = toMs(r.startedAt, 'scan.startedAt');
  const finishedMs = toMs(r.finishedAt, 'scan.finishedAt');
  if (finishedMs < startedMs) throw invalidInput('scan.finishedAt is before scan.startedAt', { field: 'scan.finishedAt' });
  const summary = requireText(r.summaryJson, 'scan.summaryJson');
  try {
    JSON.parse(summary);
  } catch {
    throw invalidInput('scan.summaryJson is not valid JSON', { field: 'scan.summaryJson' });
  }
  return {
    tenant: requireKey(r.tenant, 'scan.tenant'),
    started_at_ms: startedMs,
    finished_at_ms: finishedMs,
    sources: JSON.stringify(requireArray(r.sources, 'scan.sources').map(encodeSource)),
    errors: JSON.stringify(requireArray(r.errors, 'scan.errors').map(encodeError)),
    summary,
  };
}

function parseArray<T>(body: string, what: string): T[] {
  const value = parseBody<unknown>(body, what);
  if (!Array.isArray(value)) throw new CredwatchError('STATE_CORRUPT', `stored ${what} is not a JSON array`, { details: { what } });
  return value as T[];
}

export function decodeScan(r: ScanRow): ScanRecord {
  const what = `scan ${r.tenant}@${new Date(r.started_at_ms).toISOString()}`;
  return {
    tenant: r.tenant,
    startedAt: fromMs(r.started_at_ms),
    finishedAt: fromMs(r.finished_at_ms),
    sources: parseArray<ScanSourceRecord>(r.sources, `${what} sources`),
    errors: parseArray<ScanErrorRecord>(r.errors, `${what} errors`),
    summaryJson: r.summary,
  };
}
