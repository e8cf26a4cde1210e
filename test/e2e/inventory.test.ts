import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectInventory } from '../../src/collect/inventory.js';
import type { Inventory, InventoryApp } from '../../src/events.js';
import { assessInventory, type AppAssessment } from '../../src/inventory/assess.js';
import { renderInventoryCsv, renderInventoryJson, renderInventoryTable } from '../../src/inventory/render.js';
import { mimecastScenario, quietScenario, startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { captureLogger, connect, simulatorConfig } from '../helpers/tenant.js';

const now = new Date();
let sim: RunningSimulator;
let inventory: Inventory;
let assessed: AppAssessment[];
let graphRequests: string[];

const app = (name: string): InventoryApp => {
  const found = inventory.apps.find((a) => a.displayName === name);
  if (!found) throw new Error(`no app ${name} in inventory`);
  return found;
};
const flagsOf = (name: string) => assessed.find((a) => a.app.displayName === name)!.credentials.flatMap((c) => c.flags);

beforeAll(async () => {
  sim = await startSimulator({ scenario: mimecastScenario(now), now: () => now });
  const { logger } = captureLogger('warn');
  const { graph } = connect(await simulatorConfig(sim, 'certificate'), logger);
  const before = sim.requests.length;
  inventory = await collectInventory({ graph, logger, now: () => now }, sim.tenantId);
  graphRequests = sim.requests
    .slice(before)
    .filter((r) => r.path.startsWith('/v1.0') || r.path.startsWith('/beta'))
    .map((r) => r.path);
  assessed = assessInventory(inventory, now);
});
afterAll(async () => {
  await sim.close();
});

describe('inventory of the Mimecast-like tenant', () => {
  it('collects every source completely', () => {
    expect(inventory.sources.filter((s) => s.status !== 'complete' && s.status !== 'skipped')).toEqual([]);
  });

  it('shows the vendor app as third-party with EWS access to every mailbox and no visible credential', () => {
    const vendor = app('Mimecast (simulated)');
    expect(vendor.ownership).toBe('thirdParty');
    expect(vendor.appOwnerOrganizationId).toBe('bbbbbbbb-0000-4000-8000-000000000002');
    expect(vendor.mailboxPermissions).toEqual([
      expect.objectContaining({ permission: 'full_access_as_app', api: 'ews', type: 'application', reach: 'allMailboxes' }),
    ]);
    expect(vendor.credentials).toEqual([]);
  });

  it('resolves role names from the resource service principals', () => {
    expect(app('Contoso Backup').appRoleAssignments.map((a) => a.roleValue)).toEqual(['Mail.ReadWrite']);
    expect(app('Contoso HR Sync').appRoleAssignments.map((a) => a.roleValue)).toEqual(['User.Read.All']);
    expect(app('Contoso HR Sync').mailboxPermissions).toEqual([]);
  });

  it('marks Microsoft first-party service principals', () => {
    expect(app('Office 365 Exchange Online').ownership).toBe('microsoft');
    expect(app('Microsoft Graph').ownership).toBe('microsoft');
  });

  it('finds the delegated EWS grant consented for all users', () => {
    expect(app('Contoso Legacy Outlook Add-in').mailboxPermissions).toEqual([
      expect.objectContaining({ permission: 'EWS.AccessAsUser.All', type: 'delegated', reach: 'allUsers' }),
    ]);
  });

  it("finds the IMAP-only app mailbox-capable, its role name resolved from Exchange Online's appRoles and shown as IMAP", () => {
    const poller = app('Contoso Support Inbox Poller');
    expect(poller.appRoleAssignments.map((a) => a.roleValue)).toEqual(['IMAP.AccessAsApp']);
    expect(poller.mailboxPermissions).toEqual([
      expect.objectContaining({ permission: 'IMAP.AccessAsApp', resource: 'exchange', api: 'imap', type: 'application' }),
    ]);
    expect(assessed.find((a) => a.app.displayName === 'Contoso Support Inbox Poller')?.mailboxCapable).toBe(true);
    expect(flagsOf('Contoso Support Inbox Poller')).toEqual([]);
    expect(renderInventoryTable(inventory, assessed)).toContain('MAILBOXES GRANTED IN EXCHANGE (IMAP.AccessAsApp IMAP)');
    const csv = renderInventoryCsv(assessed).split('\n');
    const column = csv[0]!.split(',').indexOf('mailboxProtocols');
    expect(csv.find((line) => line.includes('Contoso Support Inbox Poller'))!.split(',')[column]).toBe('imap');
  });

  it('flags the secret on a mailbox-capable app that expires soon', () => {
    expect(flagsOf('Contoso Mail Archiver')).toEqual(expect.arrayContaining(['secretOnMailboxApp', 'expiringSoon']));
  });

  it('flags the expired, long-lived secret that is still present', () => {
    expect(flagsOf('Legacy Reporting')).toEqual(expect.arrayContaining(['expired', 'longLived']));
  });

  it('reads the mailbox app certificate public key: RSA 1024, SHA-1, three years', () => {
    const cert = app('Contoso Backup').credentials.find((c) => c.kind === 'certificate')!;
    expect(cert.certificate).toMatchObject({ keyAlgorithm: 'rsa', keySizeInBits: 1024 });
    expect(cert.certificate!.signatureAlgorithm).toMatch(/SHA-1/);
    expect(cert.certificate!.thumbprintSha1).toBe(cert.thumbprintSha1);
    expect(flagsOf('Contoso Backup')).toEqual(expect.arrayContaining(['weakKey', 'sha1Signature', 'longLived']));
  });

  it('flags one certificate shared by two apps', () => {
    expect(flagsOf('Contoso Intranet Sync')).toContain('shared');
    expect(flagsOf('Contoso Reports Export')).toContain('shared');
  });

  it('flags the password placed directly on the third-party service principal', () => {
    const partner = app('Partner Connector');
    expect(partner.ownership).toBe('thirdParty');
    expect(partner.credentials).toEqual([expect.objectContaining({ kind: 'secret', holder: 'servicePrincipal' })]);
    expect(flagsOf('Partner Connector')).toContain('onServicePrincipal');
  });

  it('flags the certificate expiring within 30 days', () => {
    expect(flagsOf('Contoso Helpdesk Connector')).toContain('expiringSoon');
  });

  it('asks one appRoleAssignedTo pass per mailbox resource and never one call per app', () => {
    expect(graphRequests.filter((p) => p.endsWith('/appRoleAssignedTo'))).toHaveLength(2);
    expect(graphRequests.filter((p) => /^\/v1\.0\/(applications|servicePrincipals)\/[0-9a-f-]{36}/.test(p))).toEqual([]);
    expect(graphRequests.filter((p) => p === '/v1.0/$batch')).toHaveLength(1);
    expect(graphRequests.length).toBeLessThan(10);
  });

  it('renders mailbox-capable apps first in the table and neutral CSV/JSON', () => {
    const table = renderInventoryTable(inventory, assessed);
    const firstRow = table.split('\n')[4]!;
    expect(firstRow).toMatch(/^Mimecast \(simulated\)/);
    expect(table).toContain('ALL MAILBOXES unless scoped in Exchange (full_access_as_app EWS)');
    const json = JSON.parse(renderInventoryJson(inventory, assessed)) as { version: number; apps: unknown[] };
    expect(json.version).toBe(1);
    expect(json.apps).toHaveLength(inventory.apps.length);
    expect(renderInventoryCsv(assessed).split('\n')[0]).toMatch(/^appId,displayName,ownership/);
  });
});

describe('inventory of the quiet tenant', () => {
  it('finds no hygiene problem at all', async () => {
    const quiet = await startSimulator({ scenario: quietScenario(now), now: () => now });
    try {
      const { logger } = captureLogger('warn');
      const { graph } = connect(await simulatorConfig(quiet, 'certificate'), logger);
      const inv = await collectInventory({ graph, logger, now: () => now }, quiet.tenantId);
      const flagged = assessInventory(inv, now).flatMap((a) =>
        a.credentials.filter((c) => c.flags.length > 0).map((c) => `${a.app.displayName}: ${c.flags.join(',')}`),
      );
      expect(flagged).toEqual([]);
      expect(inv.apps.some((a) => a.mailboxPermissions.length > 0)).toBe(true);
    } finally {
      await quiet.close();
    }
  });
});
