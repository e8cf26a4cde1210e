/**
 * A clock that ran ahead once. A scan whose clock was ahead read its window up to a time that had
 * not come yet and recorded it as read: records logged afterwards for that time would never be read,
 * and an outage later than that would go unreported (the window starts at the stored point). So a
 * stream found recorded beyond this scan's clock is moved back (StateStore.rewindStream) to a point
 * no bad clock can have passed — what the last scan with a sound clock had fully read — and read
 * again from there; what can no longer be read (beyond the log's retention) is a DATA_GAP naming
 * the interval (docs/state.md, "A clock that ran ahead").
 */
import type { CollectionConfig } from '../config/types.js';
import type { StateStore } from '../state/types.js';
import type { ScanError } from '../contract.js';
import { RETENTION_IN_DAYS } from './window.js';

const MINUTE = 60_000;
const DAY = 86_400_000;
const AHEAD = 'WATERMARK_IN_FUTURE';

export interface Rewind {
  errors: ScanError[];
  /** Where the stream was moved back to; undefined when it was not ahead. */
  to: Date | undefined;
}

/**
 * Checks one stream: `recordedMs` is how far it is recorded as read (the watermark, or the end of
 * its newest covered interval). Ahead of `now − settle` — the furthest a sound scan reads — it is
 * moved back and both facts are returned as errors: WATERMARK_IN_FUTURE (what happened, where it
 * was moved) and, when part of the time to read again is past the retention, DATA_GAP.
 */
export async function rewindIfAhead(
  store: Pick<StateStore, 'listScans' | 'rewindStream'>,
  tenant: string,
  stream: string,
  recordedMs: number | undefined,
  now: Date,
  collection: Pick<CollectionConfig, 'settleInMinutes' | 'overlapInMinutes'>,
): Promise<Rewind> {
  const furthestMs = now.getTime() - collection.settleInMinutes * MINUTE;
  if (recordedMs === undefined || recordedMs <= furthestMs) return { errors: [], to: undefined };
  const oldestMs = now.getTime() - RETENTION_IN_DAYS * DAY;
  const sound = await lastSoundScan(store, tenant, now, oldestMs);
  // The last sound scan read up to its own `start − settle`, of which everything but the overlap is
  // final; a bad clock can only have recorded time after that scan, so from there on is read again.
  const wantedMs = sound === undefined ? undefined : sound.getTime() - (collection.settleInMinutes + collection.overlapInMinutes) * MINUTE;
  const toMs = Math.max(oldestMs, Math.min(wantedMs ?? oldestMs, furthestMs));
  await store.rewindStream(tenant, stream, new Date(toMs));
  const to = new Date(toMs);
  const errors: ScanError[] = [
    {
      stage: stream,
      code: AHEAD,
      message: `${stream} was recorded as read up to ${new Date(recordedMs).toISOString()}, ahead of this scan's clock (${now.toISOString()}): a clock ran ahead. Moved back to ${to.toISOString()}${sound ? `, what the last scan with a sound clock (${sound.toISOString()}) had read` : ''}; the log from there is read again (alerts already raised are not raised twice)`,
    },
  ];
  if (wantedMs === undefined || wantedMs < oldestMs) {
    errors.push({
      stage: stream,
      code: 'DATA_GAP',
      message:
        wantedMs === undefined
          ? `a clock ran ahead and no earlier scan with a sound clock is recorded: records before ${to.toISOString()} (the ${RETENTION_IN_DAYS}-day retention) may never have been read`
          : `a clock ran ahead: records from ${new Date(wantedMs).toISOString()} to ${to.toISOString()} may never have been read and are past the ${RETENTION_IN_DAYS}-day retention`,
    });
  }
  return { errors, to };
}

/**
 * The start of the latest recorded scan, within the retention, that neither started after `now`
 * (its clock was ahead) nor found a stream ahead of its clock (it ran after a bad one, and what it
 * read is suspect too).
 */
async function lastSoundScan(store: Pick<StateStore, 'listScans'>, tenant: string, now: Date, oldestMs: number): Promise<Date | undefined> {
  const scans = await store.listScans(tenant, new Date(oldestMs), new Date(now.getTime() + 1));
  const sound = scans.filter((s) => !s.errors.some((e) => e.code === AHEAD));
  return sound.at(-1)?.startedAt;
}

/** The later of two optional times (epoch ms). */
export function latest(a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined ? b : b === undefined ? a : Math.max(a, b);
}
