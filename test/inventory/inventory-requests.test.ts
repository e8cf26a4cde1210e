import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectInventory, type CollectInventoryDeps } from '../../src/collect/inventory.js';
import type { Inventory, InventoryApp } from '../../src/events.js';
import type { BatchStats } from '../../src/graph/batch.js';
import type { GraphApi } from '../../src/graph/client.js';
import { mimecastScenario, quietScenario, startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { captureLogger, connect, simulatorConfig } from '../helpers/tenant.js';
import { federatedCredential, graphWithInnerFaults, withMailboxApps } from './helpers.js';

/** The inventory's requests as the simulator sees them: list pages and `$batch`, never one read per app. */
const now = new Date();

async function inventoryOf(sim: RunningSimulator, graph?: GraphApi): Promise<{ inventory: Inventory; requests: string[]; stats: BatchStats }> {
  const { logger } = captureLogger('warn');
  const client = graph ?? connect(await simulatorConfig(sim, 'certificate'), logger).graph;
  const stats: BatchStats = { batches: 0, innerRequests: 0, innerRetries: 0 };
  const deps: CollectInventoryDeps = { graph: client, logger, now: () => now, batchStats: stats };
  const from = sim.requests.length;
  const inventory = await collectInventory(deps, sim.tenantId);
  const requests = sim.requests
    .slice(from)
    .filter((r) => /^\/(v1\.0|beta)\//.test(r.path))
    .map((r) => `${r.method} ${r.path}`);
  return { inventory, requests, stats };
}

const named = (inventory: Inventory, name: string): InventoryApp => {
  const app = inventory.apps.find((a) => a.displayName === name);
  if (!app) throw new Error(`no app ${name}`);
  return app;
};
const detailsSource = (inventory: Inventory) => inventory.sources.find((s) => s.source === 'credentialDetails');

describe('the inventory of the Mimecast-like tenant, read from list pages and one batch', () => {
  let sim: RunningSimulator;
  let run: Awaited<ReturnType<typeof inventoryOf>>;

  beforeAll(async () => {
    const scenario = mimecastScenario(now);
    const backup = scenario.applications.find((a) => a.displayName === 'Contoso Backup')!;
    backup.federatedIdentityCredentials = [federatedCredential('contoso/backup/github', 'repo:contoso/backup:ref:refs/heads/main')];
    sim = await startSimulator({ scenario, now: () => now });
    run = await inventoryOf(sim);
  });
  afterAll(async () => {
    await sim.close();
  });

  it('parses the mailbox app certificate from the applications page: thumbprint, expiry and key size', () => {
    const certificate = named(run.inventory, 'Contoso Backup').credentials.find((c) => c.kind === 'certificate')!;
    expect(certificate.certificate).toMatchObject({ keyAlgorithm: 'rsa', keySizeInBits: 1024, thumbprintSha1: certificate.thumbprintSha1 });
    expect(certificate.thumbprintSha1).toMatch(/^[0-9A-F]{40}$/);
    expect(Math.abs(certificate.certificate!.notAfter.getTime() - certificate.endDateTime!.getTime())).toBeLessThan(1_000);
  });

  it('leaves the certificates of apps that cannot reach mailboxes unparsed, their list facts kept', () => {
    const intranet = named(run.inventory, 'Contoso Intranet Sync');
    expect(intranet.mailboxPermissions).toEqual([]);
    expect(intranet.credentials).toEqual([
      expect.objectContaining({ kind: 'certificate', certificate: undefined, thumbprintSha1: expect.stringMatching(/^[0-9A-F]{40}$/) as unknown }),
    ]);
  });

  it('reads federated credentials through one $batch and no single-object read at all', () => {
    expect(named(run.inventory, 'Contoso Backup').credentials).toContainEqual(
      expect.objectContaining({
        kind: 'federated',
        federated: {
          issuer: 'https://token.actions.githubusercontent.com',
          subject: 'repo:contoso/backup:ref:refs/heads/main',
          audiences: ['api://AzureADTokenExchange'],
        },
      }),
    );
    expect(run.requests.filter((r) => r === 'POST /v1.0/$batch')).toHaveLength(1);
    expect(run.requests.filter((r) => /\/(applications|servicePrincipals)\/[0-9a-f-]{36}/.test(r))).toEqual([]);
    // Two resources, two appRoleAssignedTo passes, the grants, one page each of service principals
    // and applications, one batch.
    expect(run.requests).toHaveLength(8);
    // Four mailbox-capable registrations: the archiver, the backup, the Outlook add-in and the IMAP poller.
    expect(detailsSource(run.inventory)).toMatchObject({ status: 'complete', items: 4 });
  });
});

describe('federated credentials of many mailbox-capable apps', () => {
  let sim: RunningSimulator;
  let seventh: string;

  beforeAll(async () => {
    // quietScenario has one mailbox-capable registration of its own: 44 more make 45.
    const scenario = withMailboxApps(quietScenario(now), 44, now);
    seventh = scenario.applications.find((a) => a.displayName === 'Mailbox App 7')!.id;
    sim = await startSimulator({ scenario, now: () => now });
  });
  afterAll(async () => {
    await sim.close();
  });

  it('reads 45 apps in 3 batch requests', async () => {
    const { inventory, requests, stats } = await inventoryOf(sim);
    expect(requests.filter((r) => r === 'POST /v1.0/$batch')).toHaveLength(3);
    expect(stats).toEqual({ batches: 3, innerRequests: 45, innerRetries: 0 });
    expect(inventory.apps.filter((a) => a.credentials.some((c) => c.kind === 'federated'))).toHaveLength(44);
    expect(detailsSource(inventory)).toEqual({ source: 'credentialDetails', status: 'complete', items: 45 });
  });

  it('retries an app Graph throttled inside the batch and stays complete', async () => {
    const { logger } = captureLogger('warn');
    const graph = await graphWithInnerFaults(sim, logger, [{ urlIncludes: seventh, status: 429, code: 'TooManyRequests', retryAfter: '1' }]);
    const { inventory, stats } = await inventoryOf(sim, graph);
    expect(stats).toEqual({ batches: 4, innerRequests: 46, innerRetries: 1 });
    expect(detailsSource(inventory)).toMatchObject({ status: 'complete', items: 45 });
    expect(named(inventory, 'Mailbox App 7').credentials.some((c) => c.kind === 'federated')).toBe(true);
  });

  it('marks the credential details partial, naming the missing permission, when one app is refused', async () => {
    const { logger } = captureLogger('warn');
    const graph = await graphWithInnerFaults(sim, logger, [{ urlIncludes: seventh, status: 403, code: 'Authorization_RequestDenied' }]);
    const { inventory } = await inventoryOf(sim, graph);
    expect(detailsSource(inventory)).toMatchObject({
      status: 'partial',
      items: 44,
      errorCode: 'GRAPH_PERMISSION_MISSING',
      message: expect.stringContaining('Application.Read.All') as unknown,
    });
    expect(named(inventory, 'Mailbox App 7').credentials.some((c) => c.kind === 'federated')).toBe(false);
  });

  it('marks the credential details failed, never clean, when every read is answered 404', async () => {
    const { logger } = captureLogger('warn');
    const graph = await graphWithInnerFaults(sim, logger, [
      { urlIncludes: 'federatedIdentityCredentials', status: 404, code: 'Request_ResourceNotFound', times: Infinity },
    ]);
    const { inventory } = await inventoryOf(sim, graph);
    expect(detailsSource(inventory)).toMatchObject({ status: 'failed', items: 0, errorCode: 'GRAPH_REQUEST_REJECTED' });
    expect(inventory.apps.filter((a) => a.credentials.some((c) => c.kind === 'federated'))).toEqual([]);
  });
});
