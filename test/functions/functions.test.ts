/**
 * The Function app's handlers invoked the way the host invokes them — a real InvocationContext, the
 * timer's Timer object, queue messages read back from real queues — against the tenant simulator
 * (real MSAL and Graph client over HTTPS), Azurite (Table state, queues, blobs) and a Teams-like
 * receiver on loopback. Nothing of credwatch's own is mocked.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvocationContext, type Timer } from '@azure/functions';
import type { QueueClient } from '@azure/storage-queue';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportTenantHandler, reportTimerHandler, scanTenantHandler, scanTimerHandler } from '../../src/functions/handlers.js';
import { decodeQueueBody, encodeMessage } from '../../src/functions/messages.js';
import { createRuntime, lazyRuntime, type FunctionRuntime } from '../../src/functions/runtime.js';
import { packageRoot } from '../../src/package-root.js';
import { mimecastScenario, startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { startAzurite, type Azurite } from '../helpers/azurite.js';
import { startReceiver, type Receiver } from '../helpers/receiver.js';
import { VENDOR_APP_ID, VENDOR_TENANT_ID } from '../helpers/scan.js';

// A Wednesday of 2026-W47; the Monday report run a few days later reports that week.
const scanTime = new Date('2026-11-18T12:00:00Z');
const mondayRun = new Date('2026-11-23T08:00:00Z');
let clock = scanTime;

let sim: RunningSimulator;
let azurite: Azurite;
let teams: Receiver;
let appRoot: string;
let env: NodeJS.ProcessEnv;
let runtime: () => Promise<FunctionRuntime>;
const outsideInvocation: string[] = [];

interface Logged {
  invocationId: string;
  level: string;
  text: string;
}
const logged: Logged[] = [];

function context(functionName: string, dequeueCount = 1): InvocationContext {
  const invocationId = randomUUID();
  return new InvocationContext({
    invocationId,
    functionName,
    logHandler: (level, ...args) => logged.push({ invocationId, level, text: args.map(String).join(' ') }),
    triggerMetadata: { dequeueCount },
  });
}

const timer = (isPastDue = false): Timer => ({ isPastDue, schedule: { adjustForDST: false }, scheduleStatus: { last: '', next: '', lastUpdated: '' } });

/** What the host does with a queue: receive, hand the decoded body to the function, delete on success. */
async function drain(queue: QueueClient, handle: (message: unknown) => Promise<unknown>): Promise<unknown[]> {
  const results: unknown[] = [];
  for (;;) {
    const { receivedMessageItems: items } = await queue.receiveMessages({ numberOfMessages: 32 });
    if (items.length === 0) return results;
    for (const item of items) {
      results.push(await handle(decodeQueueBody(item.messageText)));
      await queue.deleteMessage(item.messageId, item.popReceipt);
    }
  }
}

beforeAll(async () => {
  [sim, azurite, teams] = await Promise.all([startSimulator({ scenario: mimecastScenario(scanTime), now: () => clock }), startAzurite(), startReceiver()]);
  appRoot = await mkdtemp(join(tmpdir(), 'credwatch-function-'));
  await writeFile(join(appRoot, 'ca.crt'), sim.caCertPem);
  await writeFile(join(appRoot, 'app.crt'), sim.credwatchApp.certificatePem);
  const endpoints = { authorityHost: sim.authorityHost, graphBaseUrl: sim.graphBaseUrl, caCertificatePath: 'ca.crt' };
  const certificate = { mode: 'certificate', clientId: sim.credwatchApp.clientId, certificatePath: 'app.crt', privateKeyEnv: 'APP_KEY' };
  const config = {
    tenants: [
      { name: 'contoso', tenantId: sim.tenantId, endpoints, auth: certificate },
      // The same simulated directory under a second name: an MSP's second customer.
      { name: 'fabrikam', tenantId: sim.tenantId, endpoints, auth: certificate },
      // A customer whose app registration was deleted: its scans fail, the others must not notice.
      { name: 'broken', tenantId: sim.tenantId, endpoints, auth: { ...certificate, clientId: '0badc0de-0000-4000-8000-000000000000' } },
    ],
    vendors: [
      {
        name: 'Mimecast',
        appIds: [VENDOR_APP_ID],
        ownerTenantIds: [VENDOR_TENANT_ID],
        allowedRanges: [{ type: 'file', path: join(packageRoot(), 'config', 'vendors', 'mimecast-2021.txt') }],
      },
    ],
    channels: [
      { type: 'teams', name: 'soc-teams', urlEnv: 'TEAMS_URL', allowInsecureTestEndpoint: true, minSeverity: 'critical' },
      {
        type: 'email',
        name: 'soc-mail',
        senderTenant: 'contoso',
        fromMailbox: 'alerts@contoso.com',
        to: ['soc@contoso.com'],
        minSeverity: 'critical',
        tenants: ['contoso'],
      },
    ],
    state: { type: 'azureTable' },
    logging: { level: 'info' },
  };
  await writeFile(join(appRoot, 'credwatch.json'), JSON.stringify(config, null, 2));
  env = { AzureWebJobsStorage: azurite.connectionString, TEAMS_URL: teams.url, APP_KEY: sim.credwatchApp.privateKeyPem };
  runtime = lazyRuntime(() => createRuntime({ env, appRoot, now: () => clock, logFallback: (line) => outsideInvocation.push(line) }));
}, 120_000);

afterAll(async () => {
  const rt = await runtime?.().catch(() => undefined);
  await rt?.store.close();
  await Promise.all([sim?.close(), azurite?.stop(), teams?.close()]);
});

describe('the Function app against the simulator and Azurite', () => {
  it('the scan timer queues one message per tenant, all visible at once, readable by the queue trigger', async () => {
    const result = await scanTimerHandler(runtime)(timer(), context('scanTimer'));
    expect(result.queued).toEqual(['contoso', 'fabrikam', 'broken']);
    expect(result.failed).toEqual([]);
    // No poison queue exists yet (the host creates it on first use): that reads as none, not as an error.
    expect(result.poison).toEqual({ count: 0, tenants: [] });
    const rt = await runtime();
    // Peek sees visible messages only: three tenants fit in one wave, so none is delayed.
    expect(result.deferred).toEqual([]);
    const peeked = await rt.storage.scanQueue.peekMessages({ numberOfMessages: 32 });
    const bodies = peeked.peekedMessageItems.map((m) => decodeQueueBody(m.messageText) as { tenant: string; tick: string; v: number });
    expect(bodies.map((b) => b.tenant)).toEqual(['contoso', 'fabrikam', 'broken']);
    expect(bodies.every((b) => b.v === 1 && b.tick === scanTime.toISOString())).toBe(true);
  });

  it('the queue trigger scans each tenant; the critical alert reaches Teams once per tenant; a broken tenant blocks nobody and is reported', async () => {
    const rt = await runtime();
    const outcomes = (await drain(rt.storage.scanQueue, (m) => scanTenantHandler(runtime)(m, context('scanTenant')))) as Array<{
      status: string;
      summary?: { tenant: string; errors: unknown[]; alerts: { raised: number } };
    }>;
    const byTenant = new Map(outcomes.map((o) => [o.summary?.tenant, o]));
    expect(byTenant.get('contoso')?.summary?.alerts.raised).toBeGreaterThan(0);
    expect(byTenant.get('fabrikam')?.summary?.alerts.raised).toBe(byTenant.get('contoso')?.summary?.alerts.raised);
    expect(byTenant.get('broken')?.summary?.errors.length).toBeGreaterThan(0);

    // Alerts sit in the Azure Table outbox, delivered: one critical card per healthy tenant.
    const sent = await rt.store.listOutbox(undefined, 'sent');
    // The broken tenant's card is credwatch saying it cannot see that tenant (collection-failing).
    expect(new Set(sent.filter((e) => e.channel === 'soc-teams').map((e) => e.tenant))).toEqual(new Set(['contoso', 'fabrikam', 'broken']));
    const cards = teams.requests.map((r) => r.body);
    expect(cards).toHaveLength(3);
    expect(cards.filter((c) => c.includes('Mimecast'))).toHaveLength(2);
    expect(cards.filter((c) => c.includes('credwatch cannot collect') && c.includes('AUTH_FAILED'))).toHaveLength(1);
    expect(await rt.store.listOutbox(undefined, 'pending')).toEqual([]);

    // The scan history in the Table store is what `credwatch status` and the weekly report read.
    const history = await rt.store.listScans('broken', new Date(scanTime.getTime() - 60_000), new Date(scanTime.getTime() + 60_000));
    expect(history).toHaveLength(1);
    expect(history[0]!.errors.map((e) => e.code)).toContain('AUTH_FAILED');
  });

  it('forwards pino records to the invocation with their level and invocation id', () => {
    const broken = logged.filter((l) => l.text.includes('"tenant":"broken"') && l.level === 'error');
    expect(broken.length).toBeGreaterThan(0);
    for (const line of broken) expect(line.text).toContain(`"invocationId":"${line.invocationId}"`);
    expect(logged.some((l) => l.level === 'information' && l.text.startsWith('scan finished'))).toBe(true);
    // Each scan's records carry its own tenant and invocation: none leaked into another invocation.
    const contoso = logged.filter((l) => l.text.includes('"tenant":"contoso"') && l.text.startsWith('scan finished'));
    expect(contoso).toHaveLength(1);
    expect(logged.filter((l) => l.invocationId === contoso[0]!.invocationId && /"tenant":"(fabrikam|broken)"/.test(l.text))).toEqual([]);
    expect(outsideInvocation).toEqual([]);
  });

  it('a second scan of the same tenant while one runs is skipped, not run twice', async () => {
    const rt = await runtime();
    clock = new Date(scanTime.getTime() + 15 * 60_000);
    const message = JSON.parse(Buffer.from(encodeMessage({ v: 1, tenant: 'contoso', tick: clock.toISOString() }), 'base64').toString('utf8')) as unknown;
    const [first, second] = await Promise.all([
      scanTenantHandler(runtime)(message, context('scanTenant')),
      scanTenantHandler(runtime)(message, context('scanTenant')),
    ]);
    expect([first.status, second.status].sort()).toEqual(['scanned', 'skipped']);
    expect([first, second].find((o) => o.status === 'skipped')).toMatchObject({ reason: 'scan in progress' });
    // The lease is given back: the next message scans.
    expect((await scanTenantHandler(runtime)(message, context('scanTenant'))).status).toBe('scanned');
    expect(await rt.store.listOutbox('contoso', 'pending')).toEqual([]);
  });

  it('a malformed message fails with a clear code so the host retries it and parks it in the poison queue', async () => {
    const ctx = context('scanTenant', 5);
    await expect(scanTenantHandler(runtime)({ tenant: 42 }, ctx)).rejects.toMatchObject({ code: 'QUEUE_MESSAGE_INVALID' });
    const line = logged.find((l) => l.invocationId === ctx.invocationId && l.level === 'error');
    expect(line?.text).toContain('QUEUE_MESSAGE_INVALID');
    expect(line?.text).toContain('"dequeueCount":5');
  });

  it('a message for a tenant removed from the configuration is dropped with a warning, not retried into the poison queue', async () => {
    const ctx = context('scanTenant');
    const outcome = await scanTenantHandler(runtime)({ v: 1, tenant: 'gone', tick: scanTime.toISOString() }, ctx);
    expect(outcome).toEqual({ status: 'skipped', reason: 'unknown tenant' });
    expect(logged.some((l) => l.invocationId === ctx.invocationId && l.level === 'warning' && l.text.includes('"tenant":"gone"'))).toBe(true);
  });

  it('poison messages are reported at error level on every timer tick, naming the tenants', async () => {
    const rt = await runtime();
    await rt.storage.scanPoison.createIfNotExists();
    await rt.storage.scanPoison.sendMessage(encodeMessage({ v: 1, tenant: 'broken', tick: scanTime.toISOString() }));
    const ctx = context('scanTimer');
    const result = await scanTimerHandler(runtime)(timer(true), ctx);
    expect(result.poison).toEqual({ count: 1, tenants: ['broken'] });
    const errors = logged.filter((l) => l.invocationId === ctx.invocationId && l.level === 'error').map((l) => l.text);
    expect(errors.some((t) => t.includes('credwatch-scan-poison') && t.includes('broken'))).toBe(true);
    expect(logged.some((l) => l.invocationId === ctx.invocationId && l.level === 'warning' && l.text.includes('past due'))).toBe(true);
    // The poison message stays for an operator; the timer only reads it.
    expect((await rt.storage.scanPoison.getProperties()).approximateMessagesCount).toBe(1);
    await drain(rt.storage.scanQueue, async () => undefined);
  });

  it('a retried message whose earlier attempt still holds the lease fails (towards the poison queue); an expired lease is taken over loudly', async () => {
    const rt = await runtime();
    const message = { v: 1, tenant: 'fabrikam', tick: clock.toISOString() };
    const crashed = (expiresAt: Date) =>
      rt.storage.leases.upsertEntity({ partitionKey: 'scan', rowKey: 'fabrikam', holder: 'crashed-attempt', expiresAt: expiresAt.toISOString() }, 'Replace');
    await crashed(new Date(clock.getTime() + 60_000));
    await expect(scanTenantHandler(runtime)(message, context('scanTenant', 2))).rejects.toMatchObject({ code: 'LEASE_HELD' });
    expect(await scanTenantHandler(runtime)(message, context('scanTenant', 1))).toEqual({ status: 'skipped', reason: 'scan in progress' });

    await crashed(new Date(clock.getTime() - 1));
    const ctx = context('scanTenant', 1);
    expect((await scanTenantHandler(runtime)(message, ctx)).status).toBe('scanned');
    expect(
      logged.some((l) => l.invocationId === ctx.invocationId && l.level === 'error' && l.text.includes('never finished') && l.text.includes('crashed-attempt')),
    ).toBe(true);
  });

  it('pending alerts of a tenant removed from the configuration are delivered by the scan timer, not stranded', async () => {
    const rt = await runtime();
    const template = (await rt.store.listOutbox('contoso', 'sent')).find((e) => e.channel === 'soc-teams');
    // A removed tenant keeps its alerts in the store; delivery renders the entry from the alert.
    const [alert] = await rt.store.getAlerts([template!.alertId]);
    const retired = { ...alert!, alertId: 'retired-alert', tenant: 'retired' };
    const entry = {
      ...template!,
      id: 'retired-alert:soc-teams:0',
      alertId: 'retired-alert',
      tenant: 'retired',
      status: 'pending' as const,
      sentAt: undefined,
      attempts: 0,
      nextAttemptAt: clock,
      createdAt: clock,
    };
    await rt.store.commitWindow({
      tenant: 'retired',
      stream: 'signIns',
      watermark: undefined,
      seenIds: [],
      seenExpiresAt: new Date(clock.getTime() + 86_400_000),
      findings: [],
      alerts: [retired],
      outbox: [entry],
      aggregates: [],
      learnedNetworks: [],
      snapshot: undefined,
    });
    const cardsBefore = teams.requests.length;
    await scanTimerHandler(runtime)(timer(), context('scanTimer'));
    expect(teams.requests.length - cardsBefore).toBe(1);
    expect((await rt.store.listOutbox('retired', undefined)).map((e) => e.status)).toEqual(['sent']);
    await drain(rt.storage.scanQueue, async () => undefined);
  });

  it("the weekly run writes each tenant's report to blob storage and sends it once, even when a message comes twice", async () => {
    const rt = await runtime();
    clock = mondayRun;
    const mailBefore = sim.sentMail.length;
    const cardsBefore = teams.requests.length;
    const fanned = await reportTimerHandler(runtime)(timer(), context('reportTimer'));
    expect(fanned.queued).toEqual(['contoso', 'fabrikam', 'broken']);
    const [first] = (await rt.storage.reportQueue.peekMessages()).peekedMessageItems;
    // The week is fixed when the timer fires, not when a message is processed.
    expect(decodeQueueBody(first!.messageText)).toMatchObject({ tenant: 'contoso', week: '2026-W47' });
    const outcomes = (await drain(rt.storage.reportQueue, (m) => reportTenantHandler(runtime)(m, context('reportTenant')))) as Array<{
      status: string;
      week: string;
      blobs: string[];
    }>;
    expect(outcomes.map((o) => o.week)).toEqual(['2026-W47', '2026-W47', '2026-W47']);

    const names: string[] = [];
    for await (const blob of rt.storage.reports.listBlobsFlat()) names.push(blob.name);
    expect(names).toContain('contoso/2026-W47/contoso-2026-W47.html');
    expect(names).toContain('fabrikam/2026-W47/fabrikam-2026-W47-findings.csv');
    const html = (await rt.storage.reports.getBlockBlobClient('contoso/2026-W47/contoso-2026-W47.html').downloadToBuffer()).toString('utf8');
    expect(html).toContain('2026-W47');
    const props = await rt.storage.reports.getBlockBlobClient('contoso/2026-W47/contoso-2026-W47.html').getProperties();
    expect(props.contentType).toBe('text/html; charset=utf-8');

    // contoso's report is mailed (the email channel is routed to contoso only); Teams gets one
    // summary card per tenant.
    const mails = sim.sentMail.slice(mailBefore);
    expect(mails.map((m) => m.mailbox)).toEqual(['alerts@contoso.com']);
    expect(teams.requests.length - cardsBefore).toBe(3);

    // The host delivers at least once: the same message again rewrites the blobs, sends nothing.
    const again = await reportTenantHandler(runtime)(decodeQueueBody(first!.messageText), context('reportTenant'));
    expect(again).toMatchObject({ status: 'reported', sent: ['soc-teams: already sent', 'soc-mail: already sent'] });
    expect(sim.sentMail.length - mailBefore).toBe(1);
    expect(teams.requests.length - cardsBefore).toBe(3);
  });
});

describe('the weekly report when a channel refuses it', () => {
  it('fails the invocation so the host retries; the retry sends only to the channel that missed it', async () => {
    clock = mondayRun;
    const message = { v: 1, tenant: 'contoso', tick: clock.toISOString(), week: '2026-W46' };
    const mailBefore = sim.sentMail.length;
    const cardsBefore = teams.requests.length;
    teams.script.push({ status: 400, body: 'card rejected' });
    await expect(reportTenantHandler(runtime)(message, context('reportTenant', 1))).rejects.toMatchObject({ code: 'CHANNEL_UNAVAILABLE' });
    expect(sim.sentMail.length - mailBefore).toBe(1);
    expect(teams.requests.length - cardsBefore).toBe(1);

    const retried = await reportTenantHandler(runtime)(message, context('reportTenant', 2));
    expect(retried).toMatchObject({ status: 'reported', week: '2026-W46', sent: ['soc-teams: sent', 'soc-mail: already sent'] });
    expect(sim.sentMail.length - mailBefore).toBe(1);
    expect(teams.requests.length - cardsBefore).toBe(2);
  });
});

describe('the Function app refuses what would lose state', () => {
  it('a SQLite state in the Function app is an error naming the fix, logged on the invocation', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'credwatch-function-bad-'));
    await writeFile(
      join(dir, 'credwatch.json'),
      JSON.stringify({ tenants: [{ name: 'contoso', tenantId: 'contoso.onmicrosoft.com', auth: { mode: 'managedIdentity' } }] }),
    );
    const bad = lazyRuntime(() => createRuntime({ env: { AzureWebJobsStorage: 'UseDevelopmentStorage=true' }, appRoot: dir }));
    const ctx = context('scanTimer');
    await expect(scanTimerHandler(bad)(timer(), ctx)).rejects.toMatchObject({ code: 'STATE_BACKEND_UNSUPPORTED' });
    const line = logged.find((l) => l.invocationId === ctx.invocationId);
    expect(line).toMatchObject({ level: 'error' });
    expect(line?.text).toContain('"type": "azureTable"');
  });
});
