import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { mimecastScenario, quietScenario, startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { RULES } from '../../src/rules/index.js';
import type { SignIn } from '../../src/simulator/scenario.js';
import { MemoryStateStore } from '../../src/state/index.js';
import { captureLogger } from '../helpers/tenant.js';
import { deliveredAlerts, scanConfig, scanOnce, VENDOR_APP_ID } from '../helpers/scan.js';

const now = new Date('2026-11-26T12:00:00Z');
const later = (minutes: number) => new Date(now.getTime() + minutes * 60_000);
let sim: RunningSimulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

async function setUp() {
  sim = await startSimulator({ scenario: mimecastScenario(now), now: () => now });
  const { config, alertsFile } = await scanConfig(sim);
  const store = new MemoryStateStore({ now: () => now });
  const { logger } = captureLogger('warn');
  return { sim, config, alertsFile, store, logger };
}

/** One of the scenario's foreign sign-ins, re-dated and re-addressed: what a late record looks like. */
function foreignSignIn(id: string, at: Date, ip: string): SignIn {
  const template = (mimecastScenario(now).signIns as SignIn[]).find((s) => s.appId === VENDOR_APP_ID && s.ipAddress.startsWith('198.51.100.'))!;
  return { ...template, id, createdDateTime: at.toISOString(), ipAddress: ip, status: { ...template.status, errorCode: 0, failureReason: '' } };
}

function vendorSignIn(id: string, at: Date, ip: string): SignIn {
  const template = (mimecastScenario(now).signIns as SignIn[]).find((s) => s.appId === VENDOR_APP_ID && s.ipAddress.startsWith('205.139.110.'))!;
  return { ...template, id, createdDateTime: at.toISOString(), ipAddress: ip };
}

const EXPECTED = [
  'critical signin-cert-outside-allowlist Mimecast (simulated)',
  'high credential-added Partner Connector',
  'high mailbox-permission-granted Contoso Backup',
  'high mailbox-permission-granted Contoso Legacy Outlook Add-in',
  'high posture-credential-on-third-party-sp Partner Connector',
  'high posture-weak-certificate Contoso Backup',
  'low posture-credential-expired Legacy Reporting',
  'low posture-credential-expiring Contoso Helpdesk Connector',
  'low posture-credential-long-lived Legacy Reporting',
  'low posture-credential-long-lived Partner Connector',
  'medium credential-added Contoso HR Sync',
  'medium posture-credential-expiring Contoso Mail Archiver',
  'medium posture-credential-long-lived Contoso Backup',
  'medium posture-secret-on-mailbox-app Contoso Mail Archiver',
  'medium posture-shared-certificate Contoso Intranet Sync',
  'medium posture-shared-certificate Contoso Reports Export',
];

describe('credwatch scan of the Mimecast-like tenant (real MSAL, Graph client and simulator)', () => {
  it('raises exactly the expected alerts, with the stolen certificate as the one critical alert', async () => {
    const { config, alertsFile, store, logger, sim } = await setUp();
    const summary = await scanOnce(sim, config, store, logger, now);
    const alerts = await deliveredAlerts(alertsFile);
    expect(alerts.map((a) => `${a.severity} ${a.rule.id} ${a.app.displayName}`).sort()).toEqual(EXPECTED);
    const critical = alerts.find((a) => a.severity === 'critical')!;
    expect(critical).toMatchObject({
      count: 12,
      successCount: 9,
      failureCount: 3,
      network: 'AS64500',
      countries: ['NL'],
      resources: ['Office 365 Exchange Online'],
    });
    expect(critical.ips).toEqual(expect.arrayContaining(['198.51.100.41', '2001:db8:bad:1::52']));
    expect((critical.allowlist as Array<{ source: string }>)[0]!.source).toMatch(/^file:.*mimecast-2021\.txt$/);
    expect(summary).toMatchObject({ errors: [], ruleErrors: [], events: { signIns: 110, newSignIns: 110, quarantined: 0 } });
  });

  it('does not alert on the vendor signing in from its own ranges', async () => {
    const { config, alertsFile, store, logger, sim } = await setUp();
    await scanOnce(sim, config, store, logger, now);
    const signInAlerts = (await deliveredAlerts(alertsFile)).filter((a) => a.rule.id.startsWith('signin-'));
    expect(signInAlerts.flatMap((a) => a.ips as string[]).filter((ip) => !ip.startsWith('198.51.100.') && !ip.startsWith('2001:db8:bad:'))).toEqual([]);
    const aggregates = await store.listAggregates('contoso', '2026-11-19', '2026-11-26');
    const vendor = aggregates.filter((a) => a.appId === VENDOR_APP_ID);
    expect(vendor.filter((a) => a.allowed === true).reduce((n, a) => n + a.count, 0)).toBe(84);
    expect(vendor.filter((a) => a.allowed === false).reduce((n, a) => n + a.count, 0)).toBe(12);
  });

  it('raises nothing new when the same data is scanned again', async () => {
    const { config, alertsFile, store, logger, sim } = await setUp();
    await scanOnce(sim, config, store, logger, now);
    const before = (await deliveredAlerts(alertsFile)).length;
    const second = await scanOnce(sim, config, store, logger, later(15));
    expect(second.events.newSignIns).toBe(0);
    expect(second.alerts).toMatchObject({ new: 0, raised: 0, notifications: 0 });
    expect((await deliveredAlerts(alertsFile)).length).toBe(before);
  });

  it('alerts once on a late record that arrives after its window was scanned, within the overlap', async () => {
    const { config, alertsFile, store, logger, sim } = await setUp();
    await scanOnce(sim, config, store, logger, now);
    // Timestamped 20 minutes before the first scan's window end, logged only now.
    sim.addSignIns([foreignSignIn('late-1', later(-25), '198.51.100.99')]);
    const second = await scanOnce(sim, config, store, logger, later(15));
    expect(second.events.newSignIns).toBe(1);
    const third = await scanOnce(sim, config, store, logger, later(30));
    expect(third.events.newSignIns).toBe(0);
    const critical = (await store.listAlerts('contoso', new Date(0), later(60))).filter((a) => a.ruleId === 'signin-cert-outside-allowlist');
    expect(critical).toHaveLength(1);
    expect(critical[0]!.count).toBe(13);
    expect(critical[0]!.ips).toContain('198.51.100.99');
    // The first notification, then one update for the new address (docs/alerts.md, "Updates"); the
    // third scan adds nothing new and sends nothing: a repeat waits for the re-notify interval.
    const delivered = (await deliveredAlerts(alertsFile)).filter((a) => a.rule.id === 'signin-cert-outside-allowlist');
    expect(delivered).toHaveLength(2);
    expect(delivered[1]).toMatchObject({ alertId: delivered[0]!.alertId, update: { ips: ['198.51.100.99'] } });
  });

  it('reads every record once when many share one timestamp across a page boundary', async () => {
    const { config, store, logger, sim } = await setUp();
    const at = later(-60);
    sim.addSignIns([
      ...Array.from({ length: 1500 }, (_, i) => vendorSignIn(`same-ts-${i}`, at, `205.139.110.${i % 250}`)),
      foreignSignIn('same-ts-foreign', at, '198.51.100.7'),
    ]);
    const summary = await scanOnce(sim, config, store, logger, now);
    expect(summary.events).toMatchObject({ signIns: 1611, newSignIns: 1611 });
    const day = await store.listAggregates('contoso', '2026-11-26', '2026-11-26');
    expect(day.filter((a) => a.appId === VENDOR_APP_ID).reduce((n, a) => n + a.count, 0)).toBeGreaterThanOrEqual(1501);
    const findings = await store.listFindings('contoso', new Date(0), later(60));
    expect(findings.filter((f) => f.finding.eventIds.includes('same-ts-foreign'))).toHaveLength(1);
  });

  it('matches IPv4-mapped IPv6 addresses against IPv4 ranges and judges IPv6 on its own', async () => {
    const { config, store, logger, sim } = await setUp();
    sim.addSignIns([
      vendorSignIn('mapped-inside', later(-30), '::ffff:205.139.110.7'),
      foreignSignIn('mapped-outside', later(-30), '::ffff:198.51.100.200'),
      foreignSignIn('v6-outside', later(-30), '2001:db8:bad:1::99'),
    ]);
    await scanOnce(sim, config, store, logger, now);
    const flagged = (await store.listFindings('contoso', new Date(0), later(60))).flatMap((f) => f.finding.eventIds);
    expect(flagged).toContain('mapped-outside');
    expect(flagged).toContain('v6-outside');
    expect(flagged).not.toContain('mapped-inside');
  });

  it('handles "" and missing fields, and quarantines a record without an id instead of failing', async () => {
    const { config, store, logger, sim } = await setUp();
    const blank = {
      ...foreignSignIn('blank-fields', later(-30), ''),
      servicePrincipalCredentialKeyId: '',
      servicePrincipalCredentialThumbprint: '',
      autonomousSystemNumber: 0,
    };
    sim.addSignIns([blank, { ...foreignSignIn('', later(-30), '198.51.100.8') }]);
    const summary = await scanOnce(sim, config, store, logger, now);
    expect(summary.events.quarantined).toBe(1);
    expect(summary.errors).toEqual([]);
    const finding = (await store.listFindings('contoso', new Date(0), later(60))).find((f) => f.finding.eventIds.includes('blank-fields'));
    // A certificate sign-in without a usable address cannot be shown to be the vendor's.
    expect(finding?.finding).toMatchObject({ ruleId: 'signin-cert-outside-allowlist', ip: undefined });
  });
});

describe('credwatch scan of the quiet tenant', () => {
  it('runs every rule over everything the simulator serves and finds nothing', async () => {
    sim = await startSimulator({ scenario: quietScenario(now), now: () => now });
    const { config, alertsFile } = await scanConfig(sim);
    const store = new MemoryStateStore({ now: () => now });
    const { logger } = captureLogger('warn');
    const summary = await scanOnce(sim, config, store, logger, now);
    expect(RULES.length).toBeGreaterThan(10);
    expect(summary.events.signIns).toBeGreaterThan(50);
    expect(summary.events.audits).toBeGreaterThanOrEqual(0);
    expect(summary.findings).toEqual({ informational: 0, low: 0, medium: 0, high: 0, critical: 0 });
    expect(summary.errors).toEqual([]);
    expect(summary.ruleErrors).toEqual([]);
    expect(await deliveredAlerts(alertsFile)).toEqual([]);
  });
});

describe('a vendor whose allowlist cannot be read', () => {
  it('reports its sign-ins as not checked — neither cleared nor flagged', async () => {
    sim = await startSimulator({ scenario: mimecastScenario(now), now: () => now });
    const { simulatorConfig } = await import('../helpers/tenant.js');
    // The config refuses a file missing at load time; this one disappears after the config loaded.
    const path = join(await mkdtemp(join(tmpdir(), 'credwatch-allowlist-')), 'mimecast.txt');
    await writeFile(path, '205.139.110.0/24\n');
    const config = await simulatorConfig(sim, 'certificate', {
      extra: { vendors: [{ name: 'Mimecast', appIds: [VENDOR_APP_ID], allowedRanges: [{ type: 'file', path }] }] },
    });
    await rm(path);
    const store = new MemoryStateStore({ now: () => now });
    const { logger } = captureLogger('silent');
    const summary = await scanOnce(sim, config, store, logger, now);
    expect(summary.sources).toEqual(expect.arrayContaining([expect.objectContaining({ source: `allowlist:Mimecast:file:${path}`, status: 'failed' })]));
    expect(summary.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ code: 'ALLOWLIST_SOURCE_FAILED', message: expect.stringMatching(/^96 sign-ins of Mimecast's apps were NOT checked/) }),
      ]),
    );
    const signInAlerts = (await store.listAlerts('contoso', new Date(0), later(60))).filter((a) => a.ruleId.startsWith('signin-'));
    expect(signInAlerts).toEqual([]);
  });
});
