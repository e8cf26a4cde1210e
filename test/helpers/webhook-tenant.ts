import { join } from 'node:path';
import type { Config } from '../../src/config/types.js';
import { packageRoot } from '../../src/package-root.js';
import type { RunningSimulator } from '../../src/simulator/index.js';
import { VENDOR_APP_ID, VENDOR_TENANT_ID } from './scan.js';
import { simulatorConfig } from './tenant.js';

/** The Mimecast vendor with its real 2021 netblocks (config/vendors/mimecast-2021.txt). */
export const MIMECAST_VENDOR = {
  name: 'Mimecast',
  appIds: [VENDOR_APP_ID],
  ownerTenantIds: [VENDOR_TENANT_ID],
  allowedRanges: [{ type: 'file', path: join(packageRoot(), 'config', 'vendors', 'mimecast-2021.txt') }],
};

/** One signed webhook channel `siem` (high and above, no digests) at `url`. */
export function webhookChannel(name = 'siem', urlEnv = 'HOOK_URL', secretEnv = 'HOOK_SECRET'): Record<string, unknown> {
  return { type: 'webhook', name, urlEnv, secretEnv, allowInsecureTestEndpoint: true, minSeverity: 'high', digestThreshold: 100 };
}

/** The simulator's Mimecast-like tenant, the Mimecast vendor and a webhook to `receiverUrl`. */
export function mimecastWebhookConfig(sim: RunningSimulator, receiverUrl: string): Promise<Config> {
  return simulatorConfig(sim, 'certificate', {
    extra: { vendors: [MIMECAST_VENDOR], channels: [webhookChannel()] },
    env: { HOOK_URL: receiverUrl, HOOK_SECRET: 'test-signing-key-0123456789' },
  });
}
