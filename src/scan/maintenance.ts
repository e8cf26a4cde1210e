/**
 * Forgetting what the store may forget (expired seen ids, scan records past retention, orphaned
 * chunks) once a day, from the scan itself: every way of running credwatch (CLI, serve, the
 * Function app) scans, so none of them lets state grow without bound.
 */
import { toCredwatchError } from '../errors.js';
import type { Logger } from '../logging.js';
import type { StateStore } from '../state/types.js';

export const PURGE_KEY = 'maintenance:purge';
const DAY_IN_MS = 86_400_000;

/** Purges when the last purge is a day old (or never happened); failures are logged, never fatal. */
export async function purgeIfDue(store: StateStore, now: Date, logger: Logger): Promise<number | undefined> {
  try {
    const last = await store.getCache(PURGE_KEY);
    if (last && now.getTime() - last.fetchedAt.getTime() < DAY_IN_MS) return undefined;
    const removed = await store.purgeExpired(now);
    await store.putCache(PURGE_KEY, { body: String(removed), fetchedAt: now });
    logger.info({ removed }, 'expired state purged');
    return removed;
  } catch (e: unknown) {
    logger.error({ err: toCredwatchError(e) }, 'purging expired state failed; it is tried again next scan');
    return undefined;
  }
}
