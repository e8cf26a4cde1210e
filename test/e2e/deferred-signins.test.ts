/**
 * A sign-in that cannot be judged — its vendor's allowlist could not be read, or no inventory says
 * whose app it is — is never marked seen unjudged: the watermark stays before it and the first scan
 * that can judge it does (README, "Detection"). And an attacker's network flagged once is not
 * learned as "known" for its next sign-in.
 */
import { readFile, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createChannels } from '../../src/alerts/channels/index.js';
import type { AllowlistHttp } from '../../src/networks/allowlist-http.js';
import { packageRoot } from '../../src/package-root.js';
import { runScan } from '../../src/scan/index.js';
import type { SignIn } from '../../src/simulator/scenario.js';
import { mimecastScenario, startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { MemoryStateStore } from '../../src/state/index.js';
import { deliveredAlerts, scanOnce, VENDOR_APP_ID, VENDOR_TENANT_ID } from '../helpers/scan.js';
import { captureLogger, connect, simulatorConfig } from '../helpers/tenant.js';

const now = new Date('2026-11-26T12:00:00Z');
const later = (minutes: number) => new Date(now.getTime() + minutes * 60_000);
const MIMECAST_FILE = join(packageRoot(), 'config', 'vendors', 'mimecast-2021.txt');
let sim: RunningSimulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

async function alertsFile(): Promise<string> {
  return join(await mkdtemp(join(tmpdir(), 'credwatch-deferred-')), 'alerts.jsonl');
}

describe('sign-ins that cannot be judged yet', () => {
  it('are judged by the next scan when the vendor URL feed was down for one scan, and the stolen certificate still raises its critical', async () => {
    sim = await startSimulator({ scenario: mimecastScenario(now), now: () => now, enforceThrottling: false });
    const path = await alertsFile();
    const config = await simulatorConfig(sim, 'certificate', {
      extra: {
        vendors: [{ name: 'Mimecast', appIds: [VENDOR_APP_ID], allowedRanges: [{ type: 'url', url: 'https://feed.example.test/mimecast.txt' }] }],
        channels: [{ type: 'jsonl', name: 'file', path, minSeverity: 'informational' }],
      },
    });
    const body = await readFile(MIMECAST_FILE, 'utf8');
    let feedUp = false;
    // The feed's host resolves to a public address (as a real vendor's would) and answers or not.
    const allowlistHttp: AllowlistHttp = {
      lookup: async () => [{ address: '40.90.4.1', family: 4 }],
      get: async () => {
        if (!feedUp) throw Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } });
        return new Response(body, { status: 200, headers: { 'content-type': 'text/plain' } });
      },
    };
    const store = new MemoryStateStore({ now: () => now });
    const { logger } = captureLogger('silent');
    const { channels } = createChannels(config.channels, { logger });
    const scan = (at: Date) =>
      runScan(
        { config, store, connect: (t) => connect({ ...config, tenants: [t] }, logger), channels, allowlistHttp, logger, now: () => at },
        config.tenants[0]!,
      );

    const first = await scan(now);
    expect(first.sources.find((s) => s.source === 'signIns')).toMatchObject({ status: 'partial', message: expect.stringMatching(/left for a later scan/) });
    expect(first.errors.map((e) => e.message)).toContainEqual(expect.stringMatching(/sign-ins of Mimecast's apps were NOT checked yet/));
    // The time that was read stays unread: nothing after the backfill's start is covered.
    const backfillStart = now.getTime() - config.collection.backfillInDays * 86_400_000;
    expect((await store.getCoverage('contoso', 'signIns')).every((c) => c.to.getTime() <= backfillStart)).toBe(true);

    feedUp = true;
    const second = await scan(later(15));
    expect(second.sources.find((s) => s.source === 'signIns')).toMatchObject({ status: 'complete' });
    const critical = (await deliveredAlerts(path)).filter((a) => a.rule.id === 'signin-cert-outside-allowlist');
    expect(critical.map((a) => a.severity)).toEqual(['critical']);
    expect((await store.getCoverage('contoso', 'signIns')).some((c) => c.to.getTime() > backfillStart)).toBe(true);
  });

  it('wait for the inventory when none was ever read, then raise the critical for a vendor known only by its tenant id', async () => {
    sim = await startSimulator({ scenario: mimecastScenario(now), now: () => now, enforceThrottling: false });
    const path = await alertsFile();
    const config = await simulatorConfig(sim, 'certificate', {
      extra: {
        vendors: [{ name: 'Mimecast', ownerTenantIds: [VENDOR_TENANT_ID], allowedRanges: [{ type: 'file', path: MIMECAST_FILE }] }],
        channels: [{ type: 'jsonl', name: 'file', path, minSeverity: 'informational' }],
      },
    });
    const store = new MemoryStateStore({ now: () => now });
    const { logger } = captureLogger('silent');
    // Graph asks for an hour's pause on the service principals: this scan has no inventory.
    sim.setFaults({ rules: [{ pathIncludes: '/servicePrincipals?', kind: 'status', status: 429, retryAfter: '3600', times: 1 }] });
    const first = await scanOnce(sim, config, store, logger, now);
    sim.setFaults({});
    expect(first.errors.map((e) => e.code)).toContain('SIGNINS_DEFERRED');
    expect(first.events.newSignIns).toBe(0);

    await scanOnce(sim, config, store, logger, later(15));
    const critical = (await deliveredAlerts(path)).filter((a) => a.rule.id === 'signin-cert-outside-allowlist');
    expect(critical.map((a) => a.severity)).toEqual(['critical']);
  });

  it('are attributed from the last stored inventory when this scan cannot read one', async () => {
    sim = await startSimulator({ scenario: mimecastScenario(now), now: () => now, enforceThrottling: false });
    const path = await alertsFile();
    const config = await simulatorConfig(sim, 'certificate', {
      extra: {
        vendors: [{ name: 'Mimecast', ownerTenantIds: [VENDOR_TENANT_ID], allowedRanges: [{ type: 'file', path: MIMECAST_FILE }] }],
        channels: [{ type: 'jsonl', name: 'file', path, minSeverity: 'informational' }],
      },
    });
    const store = new MemoryStateStore({ now: () => now });
    const { logger } = captureLogger('silent');
    // A first good scan stores the inventory; the attack arrives afterwards.
    const template = (mimecastScenario(now).signIns as SignIn[]).find((s) => s.appId === VENDOR_APP_ID && s.ipAddress.startsWith('198.51.100.'))!;
    const quiet = (mimecastScenario(now).signIns as SignIn[]).filter((s) => !s.ipAddress.startsWith('198.51.100.') && !s.ipAddress.startsWith('2001:db8:bad'));
    await sim.close();
    sim = await startSimulator({ scenario: { ...mimecastScenario(now), signIns: quiet }, now: () => now, enforceThrottling: false });
    const cfg = await simulatorConfig(sim, 'certificate', {
      extra: {
        vendors: config.vendors.map((v) => ({ ...v, allowedRanges: [{ type: 'file', path: MIMECAST_FILE }] })),
        channels: [{ type: 'jsonl', name: 'file', path, minSeverity: 'informational' }],
      },
    });
    await scanOnce(sim, cfg, store, logger, now);
    sim.addSignIns([
      {
        ...template,
        id: 'attack-after-snapshot',
        createdDateTime: later(5).toISOString(),
        status: { errorCode: 0, failureReason: null, additionalDetails: null },
      },
    ]);
    sim.setFaults({ rules: [{ pathIncludes: '/servicePrincipals?', kind: 'status', status: 429, retryAfter: '3600', times: 1 }] });
    const second = await scanOnce(sim, cfg, store, logger, later(15));
    expect(second.sources.find((s) => s.source === 'inventory')).toMatchObject({ status: 'failed' });
    const critical = (await deliveredAlerts(path)).filter((a) => a.rule.id === 'signin-cert-outside-allowlist');
    expect(critical.map((a) => a.severity)).toEqual(['critical']);
  });
});

describe('a network flagged as new', () => {
  it("is not learned from its own flagged sign-ins, so the attacker's later success from it raises a finding", async () => {
    const scenario = mimecastScenario(now);
    const attacker = (s: SignIn) => s.ipAddress.startsWith('198.51.100.') || s.ipAddress.startsWith('2001:db8:bad');
    // The vendor's own sign-ins, and only failed attempts from the attacker's network.
    const signIns = (scenario.signIns as SignIn[])
      .filter((s) => s.appId === VENDOR_APP_ID)
      .map((s) => (attacker(s) ? { ...s, status: { errorCode: 7000215, failureReason: 'Invalid client secret provided.', additionalDetails: null } } : s));
    sim = await startSimulator({ scenario: { ...scenario, signIns }, now: () => now, enforceThrottling: false });
    const path = await alertsFile();
    // No allowlist: signin-new-network is the rule that watches this app.
    const config = await simulatorConfig(sim, 'certificate', {
      extra: { vendors: [], channels: [{ type: 'jsonl', name: 'file', path, minSeverity: 'informational' }] },
    });
    const store = new MemoryStateStore({ now: () => now });
    const own = [...new Set(signIns.filter((s) => !attacker(s)).map((s) => `AS${s.autonomousSystemNumber}`))];
    await store.commitWindow({
      tenant: 'contoso',
      stream: 'seed',
      watermark: undefined,
      seenIds: [],
      seenExpiresAt: later(60 * 24 * 30),
      findings: [],
      alerts: [],
      outbox: [],
      aggregates: [],
      learnedNetworks: own.map((network) => ({ tenant: 'contoso', appId: VENDOR_APP_ID, network, firstSeen: new Date(now.getTime() - 30 * 86_400_000) })),
      snapshot: undefined,
    });
    const { logger } = captureLogger('silent');
    await scanOnce(sim, config, store, logger, now);
    const learnedAfterFirst = (await store.getLearnedNetworks('contoso', VENDOR_APP_ID)).map((n) => n.network);
    expect(learnedAfterFirst).not.toContain('AS64500');

    const template = signIns.find(attacker)!;
    sim.addSignIns([
      {
        ...template,
        id: 'success-1',
        createdDateTime: later(-5).toISOString(),
        ipAddress: '198.51.100.77',
        status: { errorCode: 0, failureReason: null, additionalDetails: null },
      },
    ]);
    await scanOnce(sim, config, store, logger, later(15));
    const findings = (await store.listFindings('contoso', new Date(0), later(60))).filter((f) => f.finding.ruleId === 'signin-new-network');
    expect(findings.some((f) => f.finding.eventIds.includes('success-1'))).toBe(true);
  });
});
