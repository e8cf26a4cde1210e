/**
 * Which part of the week's sign-in log time was read, whenever it was read (docs/report.md,
 * "Sign-ins: the time that was read"). A scan reads log time, not "its" week: a backfill after an
 * outage, or a tenant's first scan on a Monday, reads last week's sign-ins. So the week's sign-ins
 * are known where its time is covered (docs/state.md, "Covered intervals"), not where its scans ran.
 *
 * Covered is not quite read: the first scan records the time before its backfill start as covered
 * without reading it, and so is time lost past the log's retention. Such time has no scan that could
 * have read it, which is what {@link readSignInTime} checks as well.
 */
import { mergeIntervals, type MsInterval } from '../state/coverage.js';
import type { TimeInterval } from '../state/types.js';
import type { ReportScan } from './health.js';
import type { HealthRow } from './types.js';

const DAY = 86_400_000;
/**
 * How far back Microsoft Entra keeps sign-in logs for a P1/P2 tenant, so how far back a scan can
 * read (https://learn.microsoft.com/entra/identity/monitoring-health/reference-reports-data-retention).
 */
export const SIGNIN_RETENTION_IN_DAYS = 30;

/** The week's sign-in time as read: the intervals and the share of the week they make up. */
export interface SignInTimeRead {
  /** Sorted, disjoint parts of `[from, to)` whose sign-ins were read. */
  read: MsInterval[];
  /** Length of `read` over the week's length, 0–1. */
  share: number;
}

/** What {@link readSignInTime} needs: the week, the stream's coverage and the scans around it. */
export interface SignInTimeInput {
  from: Date;
  to: Date;
  /** `StateStore.getCoverage(tenant, 'signIns')`. */
  covered: readonly TimeInterval[];
  /** Scans from a retention before the week to a retention after it (any order). */
  scans: readonly ReportScan[];
  /** `collection.backfillInDays`: how far back a tenant's first scan reads. */
  backfillInDays: number;
}

function intersect(a: readonly MsInterval[], b: readonly MsInterval[]): MsInterval[] {
  const out: MsInterval[] = [];
  for (const x of a) {
    for (const y of b) {
      const fromMs = Math.max(x.fromMs, y.fromMs);
      const toMs = Math.min(x.toMs, y.toMs);
      if (fromMs < toMs) out.push({ fromMs, toMs });
    }
  }
  return mergeIntervals(out);
}

/** A scan that read sign-ins at all (a failed or unlicensed read reads nothing). */
function readSignIns(scan: ReportScan): boolean {
  return scan.sources.some((s) => s.source === 'signIns' && (s.status === 'complete' || s.status === 'partial'));
}

/**
 * The week's time that is covered and that some scan could have read: a scan reads at most the
 * log's retention back, and the earliest one read at most its backfill back (the time before was
 * recorded as covered unread). Pure.
 */
export function readSignInTime(input: SignInTimeInput): SignInTimeRead {
  const week = { fromMs: input.from.getTime(), toMs: input.to.getTime() };
  const readers = input.scans.filter(readSignIns).map((s) => s.startedAt.getTime());
  if (readers.length === 0 || week.toMs <= week.fromMs) return { read: [], share: 0 };
  const first = Math.min(...readers);
  const reachable = mergeIntervals(readers.map((at) => ({ fromMs: at - SIGNIN_RETENTION_IN_DAYS * DAY, toMs: at })));
  const sinceBackfill = [{ fromMs: first - Math.min(input.backfillInDays, SIGNIN_RETENTION_IN_DAYS) * DAY, toMs: Number.MAX_SAFE_INTEGER }];
  const covered = mergeIntervals(input.covered.map((c) => ({ fromMs: c.from.getTime(), toMs: c.to.getTime() })));
  const read = intersect(intersect(intersect([week], covered), reachable), sinceBackfill);
  const length = read.reduce((sum, i) => sum + i.toMs - i.fromMs, 0);
  return { read, share: length / (week.toMs - week.fromMs) };
}

/**
 * The `signIns` health row judged by the time read: all of it is complete, some of it partial, even
 * when the scans that read it ran after the week. With none of it covered, what the week's scans
 * recorded stands (failed, not licensed, not collected) — except that a read whose time is not yet
 * final (docs/state.md: only final time is covered) is partial, not complete.
 */
export function signInHealth(row: HealthRow, time: SignInTimeRead): HealthRow {
  // "No scan ran this week" is no longer the point once later scans read the week.
  const error = row.status === 'notCollected' ? null : row.detail;
  if (time.share >= 1) {
    return row.status === 'complete' ? row : { ...row, status: 'complete', detail: withNote(error, 'all of the week was read, part of it by later scans') };
  }
  if (time.share > 0) return { ...row, status: 'partial', detail: withNote(error, `${Math.floor(time.share * 100)}% of the week's sign-in time was read`) };
  if (row.status !== 'complete' && row.status !== 'partial') return row;
  return { ...row, status: 'partial', detail: withNote(error, 'read, but none of the week is recorded as read for good yet') };
}

function withNote(detail: string | null, note: string): string {
  return detail ? `${note}; ${detail}` : note;
}
