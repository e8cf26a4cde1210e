import { describe, expect, it } from 'vitest';
import { MemoryStateStore } from '../../src/state/memory.js';
import { runStateStoreContract } from './contract.js';
import { STREAM, TENANT, windowCommit } from './records.js';

runStateStoreContract('memory', async () => {
  const store = new MemoryStateStore();
  return { store, cleanup: () => store.close() };
});

describe('memory store clock', () => {
  it('expires seen ids on the injected clock, so simulated days count', async () => {
    let now = new Date('2026-03-01T00:00:00Z');
    const store = new MemoryStateStore({ now: () => now });
    await store.commitWindow(windowCommit({ seenIds: ['a'], seenExpiresAt: new Date('2026-03-04T00:00:00Z') }));
    expect(await store.filterUnseen(TENANT, STREAM, ['a'])).toEqual([]);
    now = new Date('2026-03-04T00:00:00Z');
    expect(await store.filterUnseen(TENANT, STREAM, ['a'])).toEqual(['a']);
  });
});
