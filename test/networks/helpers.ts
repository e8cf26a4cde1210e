import type { AllowlistHttp } from '../../src/networks/allowlist-http.js';
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

/** A transport for tests without URL sources: any use of it is a bug. */
export const noHttp: AllowlistHttp = {
  lookup: () => Promise.reject(new Error('no network in this test')),
  get: () => Promise.reject(new Error('no network in this test')),
};

/** A vendor host on the public internet (20.50.1.1, Azure's) answering with `respond`, without a socket. */
export function cannedHttp(respond: (url: URL) => Response): AllowlistHttp {
  return { lookup: () => Promise.resolve([{ address: '20.50.1.1', family: 4 }]), get: (url) => Promise.resolve(respond(url)) };
}
