import { describe, expect, it } from 'vitest';
import { MemoryStateStore } from '../state/memory.js';
import { captureLogger } from '../../test/helpers/tenant.js';
import { PURGE_KEY, purgeIfDue } from './maintenance.js';

const day = 86_400_000;
const now = new Date('2026-11-26T12:00:00Z');
const at = (offsetInMs: number) => new Date(now.getTime() + offsetInMs);

function scanRecord(startedAt: Date) {
  return { tenant: 'contoso', startedAt, finishedAt: startedAt, sources: [], errors: [], summaryJson: '{}' };
}

describe('purgeIfDue', () => {
  it('purges on first use and then at most once a day, removing scan records past retention', async () => {
    const store = new MemoryStateStore({ now: () => now });
    const { logger } = captureLogger('silent');
    await store.recordScan(scanRecord(at(-500 * day)));
    await store.recordScan(scanRecord(at(-1 * day)));

    expect(await purgeIfDue(store, now, logger)).toBe(1);
    expect(await store.listScans('contoso', at(-1000 * day), now)).toHaveLength(1);
    expect((await store.getCache(PURGE_KEY))?.fetchedAt).toEqual(now);

    await store.recordScan(scanRecord(at(-450 * day)));
    expect(await purgeIfDue(store, at(23 * 3_600_000), logger)).toBeUndefined();
    expect(await store.listScans('contoso', at(-1000 * day), now)).toHaveLength(2);
    expect(await purgeIfDue(store, at(day), logger)).toBe(1);
    expect(await store.listScans('contoso', at(-1000 * day), now)).toHaveLength(1);
  });

  it('logs a failing purge and lets the scan go on', async () => {
    const store = new MemoryStateStore({ now: () => now });
    await store.close();
    const { logger, lines } = captureLogger('error');
    expect(await purgeIfDue(store, now, logger)).toBeUndefined();
    expect(lines().map((l) => l['msg'])).toEqual(['purging expired state failed; it is tried again next scan']);
  });
});
