/**
 * What `credwatch doctor` sends to check each source: the very request a scan sends (same path,
 * version, filter, `$select` and page size), reading only its first page. A query option Graph
 * refuses, a missing permission or a missing licence then shows at setup, not after the first
 * attack.
 */
import type { Config, TenantConfig } from '../config/types.js';
import type { GraphApi } from '../graph/client.js';
import { listNamedLocations } from '../networks/named-locations.js';
import { readAuditPages } from './audits.js';
import { directoryProbes } from './inventory-requests.js';
import { readSignInPages } from './signins.js';

export interface CollectionProbe {
  readonly name: string;
  needs(config: Config, tenant: TenantConfig): boolean;
  /** Sends the scan's first request for this source; throws what the scan would. */
  run(graph: GraphApi, now: Date): Promise<void>;
}

/** The window a probe asks for: the last hour, like a scan that runs every few minutes. */
const PROBE_WINDOW_IN_MS = 3_600_000;

async function firstPage(pages: AsyncGenerator<unknown>): Promise<void> {
  try {
    await pages.next();
  } finally {
    await pages.return(undefined);
  }
}

export const COLLECTION_PROBES: readonly CollectionProbe[] = [
  ...directoryProbes(firstPage),
  {
    // Sign-ins are also where a missing Entra ID P1/P2 licence shows up.
    name: 'service-principal sign-ins',
    needs: () => true,
    run: (graph, now) => firstPage(readSignInPages(graph, new Date(now.getTime() - PROBE_WINDOW_IN_MS), now)),
  },
  {
    name: 'directory audits',
    needs: () => true,
    run: (graph, now) => firstPage(readAuditPages(graph, new Date(now.getTime() - PROBE_WINDOW_IN_MS), now)),
  },
  {
    name: 'named locations',
    needs: (config) => config.vendors.some((v) => v.allowedRanges.some((r) => r.type === 'namedLocation')),
    run: async (graph) => {
      await listNamedLocations(graph);
    },
  },
];
