import type { VendorConfig, RangeSource } from '../../src/config/types.js';
import type { CacheEntry, StateStore } from '../../src/state/types.js';

/** The two cache methods of the state store, in memory, with the entries visible to the test. */
export function memoryCache(initial: Record<string, CacheEntry> = {}): Pick<StateStore, 'getCache' | 'putCache'> & { entries: Map<string, CacheEntry> } {
  const entries = new Map(Object.entries(initial));
  return {
    entries,
    getCache: async (key) => entries.get(key),
    putCache: async (key, entry) => {
      entries.set(key, entry);
    },
  };
}

/** A vendor as the config module would resolve it. */
export function vendor(name: string, allowedRanges: RangeSource[], ids: Partial<Pick<VendorConfig, 'appIds' | 'ownerTenantIds'>> = {}): VendorConfig {
  return { name, appIds: ids.appIds ?? [], ownerTenantIds: ids.ownerTenantIds ?? [], allowedRanges };
}
