import type { CollectionConfig } from '../config/types.js';

/** Sign-in logs are kept 30 days with Entra ID P1/P2; reading further back returns nothing. */
export const RETENTION_IN_DAYS = 30;
const MINUTE = 60_000;
const DAY = 86_400_000;

export interface ScanWindow {
  from: Date;
  to: Date;
  /** Set when the window could not start where it should: a gap that must be reported, not hidden. */
  gap: { from: Date; to: Date; reason: string } | undefined;
  /** Set when the stored watermark was ahead of the clock (skew or tampering). */
  futureWatermark: Date | undefined;
}

/**
 * The window to read for one stream: `[watermark − overlap, now − settle]`, never "strictly after
 * the last timestamp" (records share timestamps and arrive late). The first run backfills. A
 * watermark older than the log's retention yields a gap alarm naming the interval that is lost.
 */
export function scanWindow(watermark: Date | undefined, now: Date, collection: CollectionConfig): ScanWindow {
  const to = new Date(now.getTime() - collection.settleInMinutes * MINUTE);
  const overlap = collection.overlapInMinutes * MINUTE;
  const oldest = now.getTime() - RETENTION_IN_DAYS * DAY;
  if (!watermark) {
    return { from: new Date(Math.max(oldest, now.getTime() - collection.backfillInDays * DAY)), to, gap: undefined, futureWatermark: undefined };
  }
  if (watermark.getTime() > to.getTime()) {
    // Re-read the overlap before `to`; the ids already seen make that safe.
    return { from: new Date(to.getTime() - overlap), to, gap: undefined, futureWatermark: watermark };
  }
  const wanted = watermark.getTime() - overlap;
  if (wanted < oldest) {
    return {
      from: new Date(oldest),
      to,
      gap: {
        from: new Date(wanted),
        to: new Date(oldest),
        reason: `credwatch last read this log at ${watermark.toISOString()}, beyond the ${RETENTION_IN_DAYS}-day retention`,
      },
      futureWatermark: undefined,
    };
  }
  return { from: new Date(wanted), to, gap: undefined, futureWatermark: undefined };
}

/** Seen ids must outlive every re-read: the overlap, the settle time and a margin for slow runs. */
export function seenExpiry(now: Date, collection: CollectionConfig): Date {
  return new Date(now.getTime() + (collection.overlapInMinutes + collection.settleInMinutes) * MINUTE + 2 * DAY);
}
