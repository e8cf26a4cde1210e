import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createChannels } from '../../src/alerts/channels/index.js';
import type { Config } from '../../src/config/types.js';
import { createFetch } from '../../src/graph/http.js';
import type { Logger } from '../../src/logging.js';
import { packageRoot } from '../../src/package-root.js';
import { runScan, type ScanSummary } from '../../src/scan/index.js';
import type { RunningSimulator } from '../../src/simulator/index.js';
import type { StateStore } from '../../src/state/types.js';
import { connect, simulatorConfig } from './tenant.js';

export const VENDOR_APP_ID = 'bbbbbbbb-0000-4000-8000-0000000000a1';
export const VENDOR_TENANT_ID = 'bbbbbbbb-0000-4000-8000-000000000002';

/** A scan configuration as a user writes it: the Mimecast vendor with its real 2021 netblocks file, alerts to a JSON-lines file. */
export async function scanConfig(
  sim: RunningSimulator,
  options: { mode?: 'certificate' | 'secret'; extra?: Record<string, unknown> } = {},
): Promise<{ config: Config; alertsFile: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'credwatch-scan-'));
  const alertsFile = join(dir, 'alerts.jsonl');
  const config = await simulatorConfig(sim, options.mode ?? 'certificate', {
    extra: {
      vendors: [
        {
          name: 'Mimecast',
          appIds: [VENDOR_APP_ID],
          ownerTenantIds: [VENDOR_TENANT_ID],
          allowedRanges: [{ type: 'file', path: join(packageRoot(), 'config', 'vendors', 'mimecast-2021.txt') }],
        },
      ],
      channels: [{ type: 'jsonl', name: 'file', path: alertsFile, minSeverity: 'informational' }],
      ...options.extra,
    },
  });
  return { config, alertsFile };
}

export async function scanOnce(sim: RunningSimulator, config: Config, store: StateStore, logger: Logger, now: Date): Promise<ScanSummary> {
  const { channels } = createChannels(config.channels, { logger });
  return runScan(
    {
      config,
      store,
      connect: (t) => connect({ ...config, tenants: [t] }, logger),
      channels,
      fetch: createFetch({ caCertificatePem: sim.caCertPem }),
      logger,
      now: () => now,
    },
    config.tenants[0]!,
  );
}

export async function deliveredAlerts(
  file: string,
): Promise<Array<Record<string, unknown> & { alertId: string; rule: { id: string }; app: { displayName: string }; count: number; severity: string }>> {
  try {
    return (await readFile(file, 'utf8'))
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as never);
  } catch {
    return [];
  }
}
