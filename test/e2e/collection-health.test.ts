import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createChannels } from '../../src/alerts/channels/index.js';
import type { Config } from '../../src/config/types.js';
import { createFetch } from '../../src/graph/http.js';
import { runScan } from '../../src/scan/index.js';
import { CREDWATCH_ROLES, quietScenario, startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { MemoryStateStore } from '../../src/state/index.js';
import { deliveredAlerts, scanConfig, scanOnce } from '../helpers/scan.js';
import { captureLogger, connect, FAST_RETRY, simulatorConfig } from '../helpers/tenant.js';

const now = new Date('2026-11-26T12:00:00Z');
const later = (minutes: number) => new Date(now.getTime() + minutes * 60_000);
const SIGN_INS_503 = { rules: [{ pathIncludes: '/auditLogs/signIns', kind: 'status' as const, status: 503, times: Infinity }] };

let sim: RunningSimulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

/**
 * A quiet tenant (no detection fires), alerts to a JSON-lines file, repeats after an hour. Graph
 * gives up after 3 attempts, so a scan against a source that keeps failing stays short.
 */
async function setUp() {
  const running = await startSimulator({ scenario: quietScenario(now), now: () => now });
  sim = running;
  const { config, alertsFile } = await scanConfig(running);
  const hourly: Config = { ...config, detection: { ...config.detection, renotifyAfterInHours: 1 } };
  const store = new MemoryStateStore({ now: () => now });
  const { logger } = captureLogger('silent');
  const { channels } = createChannels(hourly.channels, { logger });
  const fetch = createFetch({ caCertificatePem: running.caCertPem });
  const scan = (at: Date) =>
    runScan(
      { config: hourly, store, connect: () => connect(hourly, logger, { ...FAST_RETRY, maxAttempts: 3 }), channels, fetch, logger, now: () => at },
      hourly.tenants[0]!,
    );
  const healthAlerts = async () => (await deliveredAlerts(alertsFile)).filter((a) => a.rule.id === 'collection-failing');
  return { sim: running, store, scan, healthAlerts };
}

describe('credwatch tells the security team when it cannot see', () => {
  it('raises a critical alert on the first scan after AuditLog.Read.All is removed, and does not repeat it every scan', async () => {
    const { sim, store, scan, healthAlerts } = await setUp();
    sim.setGrantedRoles(CREDWATCH_ROLES.filter((r) => r !== 'AuditLog.Read.All'));

    const first = await scan(now);
    expect(first.errors).toEqual(expect.arrayContaining([expect.objectContaining({ stage: 'signIns', code: 'GRAPH_PERMISSION_MISSING' })]));
    const [alert, ...rest] = await healthAlerts();
    expect(rest).toEqual([]);
    expect(alert).toMatchObject({
      severity: 'critical',
      notification: 0,
      app: { appId: sim.credwatchApp.clientId, displayName: 'credwatch (monitoring)' },
      resources: ['sign-in logs', 'directory audit logs'],
      ips: [],
      network: null,
    });
    expect(alert!.summary).toMatch(
      /^credwatch cannot read the sign-in logs of tenant contoso \(GRAPH_PERMISSION_MISSING, failing since 2026-11-26 12:00 UTC, 1 scan in a row\).*AuditLog\.Read\.All/,
    );
    // A failing source stays exit code 1 ("a source failed"), not 3 ("alerts"), on every scan.
    expect(first.alerts).toMatchObject({ new: 1, raised: 0, notifications: 1 });
    expect(first.delivery.sent).toBe(1);

    const second = await scan(later(15));
    expect(second.alerts).toMatchObject({ new: 0, updated: 1, notifications: 0 });
    expect(await healthAlerts()).toHaveLength(1);
    // The same failure seen again is the same finding: one per source, however many scans see it.
    const findings = (await store.listFindings('contoso', new Date(0), later(120))).filter((f) => f.finding.ruleId === 'collection-failing');
    expect(findings.map((f) => f.finding.resource).sort()).toEqual(['directory audit logs', 'sign-in logs']);

    await scan(later(75));
    const repeats = await healthAlerts();
    expect(repeats).toHaveLength(2);
    expect(repeats[1]).toMatchObject({ alertId: alert!.alertId, severity: 'critical', notification: 6 });
    expect(repeats[1]!.summary).toMatch(/failing since 2026-11-26 12:00 UTC, 3 scans in a row/);
  });

  it('ignores one scan where Graph is unavailable, raises high on the second in a row, and stays quiet once the source recovers', async () => {
    const { sim, scan, healthAlerts } = await setUp();
    sim.setFaults(SIGN_INS_503);
    const first = await scan(now);
    expect(first.errors).toEqual(expect.arrayContaining([expect.objectContaining({ stage: 'signIns', code: 'GRAPH_UNAVAILABLE' })]));
    expect(first.alerts.notifications).toBe(0);
    expect(await healthAlerts()).toEqual([]);

    await scan(later(15));
    const [alert, ...rest] = await healthAlerts();
    expect(rest).toEqual([]);
    expect(alert).toMatchObject({ severity: 'high', resources: ['sign-in logs'] });
    expect(alert!.summary).toMatch(/GRAPH_UNAVAILABLE, failing since 2026-11-26 12:00 UTC, 2 scans in a row/);

    sim.setFaults({});
    const recovered = await scan(later(30));
    expect(recovered.errors).toEqual([]);
    expect(recovered.alerts).toMatchObject({ new: 0, updated: 0, notifications: 0 });
    // Well past the repeat interval: a recovered source is not repeated.
    await scan(later(150));
    expect(await healthAlerts()).toHaveLength(1);

    // A new single 503 after the recovery starts a new run of failures: not raised.
    sim.setFaults(SIGN_INS_503);
    const blip = await scan(later(165));
    expect(blip.alerts).toMatchObject({ new: 0, updated: 0, notifications: 0 });
    expect(await healthAlerts()).toHaveLength(1);
  });

  it("still delivers a critical alert to a non-Graph channel when credwatch's own credential is rejected", async () => {
    sim = await startSimulator({ scenario: quietScenario(now), now: () => now });
    const alertsFile = join(await mkdtemp(join(tmpdir(), 'credwatch-health-')), 'alerts.jsonl');
    const config = await simulatorConfig(sim, 'secret', {
      clientSecret: 'CANARY-DELETED-SECRET-5d1e',
      extra: { channels: [{ type: 'jsonl', name: 'file', path: alertsFile, minSeverity: 'high' }] },
    });
    const { logger } = captureLogger('silent');
    const summary = await scanOnce(sim, config, new MemoryStateStore({ now: () => now }), logger, now);

    expect(
      summary.sources
        .filter((s) => s.status === 'failed')
        .map((s) => `${s.source} ${s.errorCode}`)
        .sort(),
    ).toEqual(['directoryAudits AUTH_FAILED', 'inventory AUTH_FAILED', 'signIns AUTH_FAILED']);
    const alerts = await deliveredAlerts(alertsFile);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({
      severity: 'critical',
      rule: { id: 'collection-failing' },
      app: { appId: sim.credwatchApp.clientId },
      resources: ['sign-in logs', 'directory audit logs', 'app inventory'],
    });
    expect(alerts[0]!.summary).toMatch(/AUTH_FAILED.*AADSTS7000215/);
    expect((alerts[0]!.rule as unknown as { runbook: string[] }).runbook.join('\n')).toMatch(/credwatch doctor/);
    const payload = JSON.stringify(alerts[0]);
    for (const secret of ['CANARY-DELETED-SECRET-5d1e', sim.credwatchApp.clientSecret]) expect(payload).not.toContain(secret);
  });
});
