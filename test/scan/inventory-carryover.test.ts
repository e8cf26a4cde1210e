/**
 * A scan whose mailbox-reach reads fail (appRoleAssignedTo throttled past the retry budget) against
 * the simulator: what it cannot read is carried over from the previous snapshot, so the stolen
 * vendor certificate is still critical, the sources still say failed, and the next good scan finds
 * no credential or permission that was merely unread (docs/inventory.md).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createChannels } from '../../src/alerts/channels/index.js';
import { createFetch } from '../../src/graph/http.js';
import { parseInventory } from '../../src/inventory/snapshot.js';
import { runScan } from '../../src/scan/index.js';
import type { SignIn } from '../../src/simulator/scenario.js';
import { mimecastScenario, startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { MemoryStateStore } from '../../src/state/index.js';
import { federatedCredential } from '../inventory/helpers.js';
import { scanConfig, VENDOR_APP_ID } from '../helpers/scan.js';
import { captureLogger, connect, FAST_RETRY } from '../helpers/tenant.js';

const now = new Date('2026-11-26T12:00:00Z');
const later = (minutes: number) => new Date(now.getTime() + minutes * 60_000);
/** Every appRoleAssignedTo page throttled: with 2 attempts, both resources' reads fail. */
const REACH_THROTTLED = { rules: [{ pathIncludes: '/appRoleAssignedTo', kind: 'status' as const, status: 429, retryAfter: '0', times: Infinity }] };
const EXCHANGE_REACH = 'inventory:appRoleAssignedTo:Office 365 Exchange Online';
const FEDERATED = federatedCredential('archiver/0', 'repo:contoso/mail-archiver:environment:prod');
const DIFF_RULES = new Set(['credential-added-diff', 'mailbox-permission-granted-diff']);

let sim: RunningSimulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

/** The Mimecast tenant, its mail archiver holding a federated credential (read for mailbox apps only). */
async function setUp() {
  const scenario = mimecastScenario(now);
  scenario.applications.find((a) => a.displayName === 'Contoso Mail Archiver')!.federatedIdentityCredentials = [FEDERATED];
  const running = await startSimulator({ scenario, now: () => now });
  sim = running;
  const { config } = await scanConfig(running);
  const store = new MemoryStateStore({ now: () => now });
  const { logger } = captureLogger('silent');
  const { channels } = createChannels(config.channels, { logger });
  const fetch = createFetch({ caCertificatePem: running.caCertPem });
  const scan = (at: Date) =>
    runScan(
      { config, store, connect: () => connect(config, logger, { ...FAST_RETRY, maxAttempts: 2 }), channels, fetch, logger, now: () => at },
      config.tenants[0]!,
    );
  const diffFindings = async () => (await store.listFindings('contoso', new Date(0), later(120))).filter((f) => DIFF_RULES.has(f.finding.ruleId));
  return { sim: running, store, scan, diffFindings };
}

/** One more sign-in with the vendor's certificate from the foreign network of the scenario. */
function foreignSignIn(id: string, at: Date): SignIn {
  const template = (mimecastScenario(now).signIns as SignIn[]).find((s) => s.appId === VENDOR_APP_ID && s.ipAddress.startsWith('198.51.100.'))!;
  return { ...template, id, createdDateTime: at.toISOString(), ipAddress: '198.51.100.77', status: { ...template.status, errorCode: 0, failureReason: '' } };
}

describe('a scan that cannot read mailbox reach, after a good one', () => {
  it('still judges the stolen vendor certificate critical, says the sources failed, and the next good scan finds nothing unread as new', async () => {
    const { sim, store, scan, diffFindings } = await setUp();
    await scan(now);
    const before = await diffFindings();

    sim.addSignIns([foreignSignIn('carried-1', later(5))]);
    sim.setFaults(REACH_THROTTLED);
    const blind = await scan(later(15));
    sim.setFaults({});

    const finding = (await store.listFindings('contoso', new Date(0), later(120))).find((f) => f.finding.eventIds.includes('carried-1'));
    expect(finding?.finding).toMatchObject({ ruleId: 'signin-cert-outside-allowlist', severity: 'critical' });
    const sources = new Map(blind.sources.map((s) => [s.source, s]));
    expect(sources.get(EXCHANGE_REACH)).toMatchObject({
      status: 'failed',
      message: expect.stringContaining('carried over from the snapshot of 2026-11-26T12:00:00.000Z'),
    });
    expect(sources.get('inventory:appRoleAssignedTo:Microsoft Graph')).toMatchObject({ status: 'failed' });
    expect(sources.get('inventory:credentialDetails')).toMatchObject({
      status: 'partial',
      message: expect.stringContaining('mailbox reach could not be read'),
    });
    expect(sources.get(EXCHANGE_REACH)?.errorCode).toBe('GRAPH_THROTTLED');

    const stored = parseInventory((await store.getLatestSnapshot('contoso'))!.json);
    const vendor = stored.apps.find((a) => a.appId === VENDOR_APP_ID)!;
    expect(vendor.mailboxPermissions.map((p) => p.permission)).toContain('full_access_as_app');
    expect(stored.reachCarriedOver?.appIds).toContain(VENDOR_APP_ID);
    expect(stored.apps.find((a) => a.displayName === 'Contoso Mail Archiver')!.credentials.map((c) => c.keyId)).toContain(FEDERATED.id);

    const good = await scan(later(30));
    expect(good.sources.find((s) => s.source === EXCHANGE_REACH)).toMatchObject({ status: 'complete' });
    expect(good.sources.find((s) => s.source === 'inventory:credentialDetails')).toMatchObject({ status: 'complete' });
    expect((await diffFindings()).map((f) => f.findingId)).toEqual(before.map((f) => f.findingId));
  });
});

describe('a first scan that cannot read mailbox reach', () => {
  it('says no snapshot was there to carry from, claims nothing complete, and the next good scan finds no unread credential as new', async () => {
    const { sim, scan, diffFindings } = await setUp();
    sim.setFaults(REACH_THROTTLED);
    const blind = await scan(now);
    sim.setFaults({});
    const sources = new Map(blind.sources.map((s) => [s.source, s]));
    expect(sources.get(EXCHANGE_REACH)).toMatchObject({ status: 'failed', message: expect.stringContaining('no previous snapshot') });
    expect(sources.get('inventory:credentialDetails')?.status).not.toBe('complete');

    await scan(later(30));
    expect((await diffFindings()).map((f) => `${f.finding.ruleId} ${f.finding.summary}`)).toEqual([]);
  });
});
