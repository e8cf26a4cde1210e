import { describe, expect, it } from 'vitest';
import { MemoryStateStore } from '../state/memory.js';
import { isGrowing, observeDensity, readPace, recordsIn, SLICE_TARGET_RECORDS, spanFor, writePace } from './pace.js';

describe('pace', () => {
  it('sizes a slice to hold the target number of records, within bounds', () => {
    expect(spanFor(undefined)).toBe(31 * 86_400_000);
    expect(spanFor(SLICE_TARGET_RECORDS)).toBe(3_600_000);
    expect(spanFor(1e12)).toBe(60_000);
    expect(spanFor(1)).toBe(31 * 86_400_000);
  });

  it('estimates records in a span and learns density from slices, an empty one included', () => {
    expect(recordsIn(1_800_000, 1000)).toBe(500);
    expect(recordsIn(1_800_000, undefined)).toBeUndefined();
    expect(observeDensity(undefined, 500, 1_800_000)).toBe(1000);
    expect(observeDensity(1000, 1500, 1_800_000)).toBe(2000);
    expect(observeDensity(undefined, 0, 3_600_000)).toBe(1);
  });

  it('calls a backlog growing only after it grew at each of the last three runs', () => {
    expect(isGrowing([1, 2, 3])).toBe(false);
    expect(isGrowing([1, 2, 3, 4])).toBe(true);
    expect(isGrowing([5, 1, 2, 3, 4])).toBe(true);
    expect(isGrowing([1, 2, 2, 4])).toBe(false);
    expect(isGrowing([4, 3, 2, 1])).toBe(false);
  });

  it('is kept per tenant, and anything unreadable kept reads as unknown', async () => {
    const store = new MemoryStateStore();
    expect(await readPace(store, 'contoso')).toEqual({ recordsPerHour: undefined, readPerSecond: undefined, backlogMs: [] });
    await writePace(store, 'contoso', { recordsPerHour: 10, readPerSecond: 400, backlogMs: Array.from({ length: 15 }, (_, i) => i) }, new Date());
    const kept = await readPace(store, 'contoso');
    expect(kept).toMatchObject({ recordsPerHour: 10, readPerSecond: 400 });
    expect(kept.backlogMs).toEqual([5, 6, 7, 8, 9, 10, 11, 12, 13, 14]);
    expect((await readPace(store, 'fabrikam')).recordsPerHour).toBeUndefined();
    await store.putCache('pace:signIns:contoso', { body: '{"recordsPerHour":-3,"backlogMs":"x"}', fetchedAt: new Date() });
    expect(await readPace(store, 'contoso')).toEqual({ recordsPerHour: undefined, readPerSecond: undefined, backlogMs: [] });
    await store.putCache('pace:signIns:contoso', { body: 'not json', fetchedAt: new Date() });
    expect((await readPace(store, 'contoso')).backlogMs).toEqual([]);
  });
});
