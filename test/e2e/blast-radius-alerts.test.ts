/**
 * The blast radius on the alert, end to end: real scans (MSAL, Graph client, the simulator over
 * HTTPS, the memory store, the jsonl channel) open the audit log query for the stolen vendor
 * certificate's alert, poll it on later scans, and deliver what it found as one update — or say
 * why it cannot be known.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Config } from '../../src/config/types.js';
import { CREDWATCH_ROLES, mimecastScenario, startSimulator, type AuditLogScenario, type RunningSimulator, type SignIn } from '../../src/simulator/index.js';
import { mailItemsAccessed } from '../../src/simulator/scenarios/mail-audit.js';
import { MemoryStateStore } from '../../src/state/index.js';
import type { StoredAlert } from '../../src/state/types.js';
import { deliveredAlerts, scanConfig, scanOnce, VENDOR_APP_ID } from '../helpers/scan.js';
import { captureLogger } from '../helpers/tenant.js';

const AUDIT_ROLE = 'AuditLogsQuery-Exchange.Read.All';
const CERT_RULE = 'signin-cert-outside-allowlist';
const SECRET_RULE = 'signin-secret-outside-allowlist';
const t0 = new Date('2026-11-26T12:00:00Z');
let clock = t0;
const minutes = (n: number) => {
  clock = new Date(clock.getTime() + n * 60_000);
};

let sim: RunningSimulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
  clock = t0;
});

interface Setup {
  roles?: readonly string[];
  auditLog?: Partial<AuditLogScenario>;
  /** The vendor's secret used from one of the attacker's addresses too: a second alert, same app and window. */
  secretToo?: boolean;
}

/** The Mimecast tenant, plus a vendor read from a foreign address no sign-in came from (it must not count). */
async function tenant(setup: Setup = {}): Promise<{ config: Config; alertsFile: string; store: MemoryStateStore; scan: (c?: Config) => Promise<void> }> {
  const scenario = mimecastScenario(t0);
  const signIns = scenario.signIns as SignIn[];
  const attacker = signIns.find((s) => s.appId === VENDOR_APP_ID && s.ipAddress === '198.51.100.43')!;
  if (setup.secretToo) signIns.push({ ...attacker, id: 'secret-from-43', clientCredentialType: 'clientSecret', servicePrincipalCredentialThumbprint: '' });
  const stray = mailItemsAccessed({
    label: 'test/stray',
    at: new Date(Date.parse(attacker.createdDateTime) + 60_000),
    tenantId: scenario.tenant.id,
    appId: VENDOR_APP_ID,
    ip: '198.51.100.200',
    mailbox: 'ceo-assistant@contoso.onmicrosoft.com',
    access: 'Bind',
    messages: 2,
  });
  scenario.auditLog = { records: [...(scenario.auditLog?.records ?? []), stray], ...setup.auditLog };
  sim = await startSimulator({ scenario, now: () => clock, enforceThrottling: false, grantedRoles: setup.roles ?? [...CREDWATCH_ROLES, AUDIT_ROLE] });
  const { config, alertsFile } = await scanConfig(sim);
  const store = new MemoryStateStore();
  const running = sim;
  return { config, alertsFile, store, scan: async (c = config) => void (await scanOnce(running, c, store, captureLogger('silent').logger, clock)) };
}

async function alertOf(store: MemoryStateStore, ruleId: string): Promise<StoredAlert> {
  const all = await store.listAlerts('contoso', new Date(0), new Date(8.64e15));
  const found = all.find((a) => a.ruleId === ruleId);
  if (!found) throw new Error(`no ${ruleId} alert`);
  return found;
}

const delivered = async (file: string, ruleId: string) => (await deliveredAlerts(file)).filter((a) => a.rule.id === ruleId);
const posts = (s: RunningSimulator) => s.requests.filter((r) => r.method === 'POST' && r.path === '/v1.0/security/auditLog/queries');

describe('the blast radius of a sign-in alert', () => {
  it('is pending in the first notification and arrives as one update naming the mailboxes read from the alerted addresses only', async () => {
    const { alertsFile, store, scan } = await tenant();
    await scan();
    const [first, ...none] = await delivered(alertsFile, CERT_RULE);
    expect(none).toEqual([]);
    expect(first).toMatchObject({ notification: 0, blastRadius: { status: 'pending' } });

    minutes(10);
    await scan();
    const sent = await delivered(alertsFile, CERT_RULE);
    expect(sent).toHaveLength(2);
    const update = sent[1]!;
    expect(update).toMatchObject({ update: { blastRadius: 'known', ips: [] }, blastRadius: { status: 'known' } });
    const radius = (update.blastRadius as { radius: Record<string, unknown> }).radius;
    expect(radius).toMatchObject({
      mailboxes: {
        count: 7,
        list: ['ceo', 'cfo', 'finance', 'hr', 'it-admin', 'legal', 'payroll'].map((u) => `${u}@contoso.onmicrosoft.com`),
        truncated: false,
      },
      bind: 8,
      sync: 1,
      itemsNamed: 24,
      complete: true,
    });
    // The stray read from an address the alert does not name is not asked for (the query names the alert's addresses).
    expect(JSON.stringify(radius)).not.toContain('ceo-assistant');
    expect((radius['perIp'] as Array<{ ip: string; mailboxes: number }>).filter((p) => p.mailboxes > 0)).toEqual([
      { ip: '198.51.100.43', records: 7, mailboxes: 6 },
      { ip: '2001:db8:bad:1::46', records: 2, mailboxes: 2 },
    ]);
    expect((await alertOf(store, CERT_RULE)).blastRadius).toMatchObject({ status: 'known' });

    // Settled and told: later scans neither ask again nor send it again.
    minutes(10);
    await scan();
    expect(await delivered(alertsFile, CERT_RULE)).toHaveLength(2);
    expect(posts(sim!)).toHaveLength(1);
  });

  it('serves two alerts of the same app and window from one query, each counting its own addresses', async () => {
    const { store, scan } = await tenant({ secretToo: true });
    await scan();
    minutes(10);
    await scan();
    expect(posts(sim!)).toHaveLength(1);
    const cert = (await alertOf(store, CERT_RULE)).blastRadius;
    const secret = (await alertOf(store, SECRET_RULE)).blastRadius;
    expect(cert?.intentId).toBeDefined();
    expect(secret?.intentId).toBe(cert?.intentId);
    expect(cert).toMatchObject({ status: 'known', radius: { mailboxes: { count: 7 } } });
    // The query asked for every address of the certificate's alert; the secret's counts only its own.
    expect(secret).toMatchObject({
      status: 'known',
      ips: ['198.51.100.43'],
      radius: { mailboxes: { count: 6 }, perIp: [{ ip: '198.51.100.43', mailboxes: 6 }] },
    });
    expect(secret?.status === 'known' && secret.radius.otherIpRecords).toBeGreaterThan(0);
  });

  it('says unknown for lack of permission, with its code, in the first notification', async () => {
    const { alertsFile, store, scan } = await tenant({ roles: CREDWATCH_ROLES });
    await scan();
    const [first] = await delivered(alertsFile, CERT_RULE);
    expect(first).toMatchObject({
      blastRadius: { status: 'unknown', code: 'BLAST_RADIUS_NO_PERMISSION', reason: expect.stringMatching(/AuditLogsQuery-Exchange\.Read\.All/) },
    });
    expect((await alertOf(store, CERT_RULE)).blastRadius).toMatchObject({ status: 'unknown', code: 'BLAST_RADIUS_NO_PERMISSION' });
    minutes(10);
    await scan();
    // Not news and not asked again: the first notification already said it.
    expect(await delivered(alertsFile, CERT_RULE)).toHaveLength(1);
  });

  it('says unknown in a national cloud without asking Graph', async () => {
    const { config, alertsFile, scan } = await tenant();
    const usgov: Config = { ...config, tenants: [{ ...config.tenants[0]!, cloud: 'usgov' }] };
    await scan(usgov);
    expect((await delivered(alertsFile, CERT_RULE))[0]).toMatchObject({ blastRadius: { status: 'unknown', code: 'BLAST_RADIUS_UNAVAILABLE' } });
    expect(posts(sim!)).toEqual([]);
  });

  it('says unknown after a failed query, sent as one update with the reason', async () => {
    const { alertsFile, store, scan } = await tenant({ auditLog: { outcome: 'failed' } });
    await scan();
    minutes(10);
    await scan();
    const sent = await delivered(alertsFile, CERT_RULE);
    expect(sent).toHaveLength(2);
    expect(sent[1]).toMatchObject({
      update: { blastRadius: 'unknown' },
      blastRadius: { status: 'unknown', code: 'BLAST_RADIUS_QUERY_FAILED', reason: expect.stringMatching(/ended failed/) },
    });
    expect((await store.listAuditQueries('contoso', VENDOR_APP_ID))[0]).toMatchObject({ state: 'failed', lastError: 'BLAST_RADIUS_QUERY_FAILED' });
  });

  it('closes a query that never finishes at its deadline and says so on the alert, in one message', async () => {
    const { alertsFile, store, scan } = await tenant({ auditLog: { outcome: 'neverFinishes' } });
    await scan();
    minutes(60);
    await scan();
    expect((await alertOf(store, CERT_RULE)).blastRadius).toMatchObject({ status: 'pending' });
    minutes(24 * 60);
    await scan();
    expect((await store.listAuditQueries('contoso', VENDOR_APP_ID))[0]).toMatchObject({ state: 'abandoned', lastError: 'BLAST_RADIUS_TIMED_OUT' });
    // A day on, the alert's repeat falls due in the same scan: the one message it gets carries the
    // blast radius, and nothing more follows.
    const sent = await delivered(alertsFile, CERT_RULE);
    expect(sent).toHaveLength(2);
    expect(sent[1]).toMatchObject({ blastRadius: { status: 'unknown', code: 'BLAST_RADIUS_TIMED_OUT', reason: expect.stringMatching(/still running after/) } });
    minutes(10);
    await scan();
    expect(await delivered(alertsFile, CERT_RULE)).toHaveLength(2);
  });
});
