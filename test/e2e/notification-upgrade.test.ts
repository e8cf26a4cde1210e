/**
 * Upgrading over a state file written by the credwatch that froze each notification's payload
 * when it queued it, and kept no notified facts on its alerts (docs/state.md, "Upgrading").
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { toPayload, type AlertPayload, type RuleSummary } from '../../src/alerts/payload.js';
import type { SignIn } from '../../src/simulator/scenario.js';
import { mimecastScenario, startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { SqliteStateStore } from '../../src/state/sqlite.js';
import type { StoredAlert } from '../../src/state/types.js';
import { startReceiver, type Receiver } from '../helpers/receiver.js';
import { scanOnce, VENDOR_APP_ID } from '../helpers/scan.js';
import { mimecastWebhookConfig } from '../helpers/webhook-tenant.js';
import { captureLogger } from '../helpers/tenant.js';

const t0 = new Date('2026-11-26T12:00:00Z');
const at = (minutes: number) => new Date(t0.getTime() + minutes * 60_000);
let sim: RunningSimulator | undefined;
let receiver: Receiver | undefined;
let dir: string | undefined;
afterEach(async () => {
  await sim?.close();
  await receiver?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** The vendor's certificate from AS64999, which no allowlist names: failed attempts (high). */
function attack(id: string, when: Date, ip: string): SignIn {
  const template = (mimecastScenario(t0).signIns as SignIn[]).find((s) => s.appId === VENDOR_APP_ID && s.ipAddress.startsWith('198.51.100.'))!;
  return {
    ...template,
    id,
    createdDateTime: when.toISOString(),
    ipAddress: ip,
    autonomousSystemNumber: 64999,
    status: { errorCode: 700027, failureReason: 'Client assertion contains an invalid signature.', additionalDetails: null },
  };
}

/**
 * Rewrites the file into what the previous credwatch left: alert bodies without `notifiedFacts`
 * and `notifiedSeverity`, every pending entry holding its payload frozen — the attack's frozen
 * while only its first sign-in was known — and one more entry whose alert is gone.
 */
async function downgrade(path: string, attackAlertId: string): Promise<{ orphan: AlertPayload }> {
  // The store's own readers give the pending entries and the alerts the old payloads froze.
  const store = SqliteStateStore.open(path);
  const pending = await store.listOutbox('contoso', 'pending');
  const alerts = new Map((await store.getAlerts(pending.map((e) => e.alertId))).map((a): [string, StoredAlert] => [a.alertId, a]));
  await store.close();
  const db = new Database(path);
  try {
    for (const { alert_id, body } of db.prepare<[], { alert_id: string; body: string }>('SELECT alert_id, body FROM alerts').all()) {
      const { notifiedFacts: _f, notifiedSeverity: _s, ...old } = JSON.parse(body) as Record<string, unknown>;
      db.prepare('UPDATE alerts SET body = ? WHERE alert_id = ?').run(JSON.stringify(old), alert_id);
    }
    const frozen = new Map<string, AlertPayload>();
    for (const entry of pending) {
      const rule = (JSON.parse(entry.payload) as { rule: RuleSummary }).rule;
      const alert = alerts.get(entry.alertId)!;
      const asQueued = entry.alertId === attackAlertId ? { ...alert, count: 1, failureCount: 1, ips: ['203.0.113.77'] } : alert;
      frozen.set(entry.alertId, toPayload(asQueued, rule, 0));
      db.prepare('UPDATE outbox SET payload = ? WHERE id = ?').run(JSON.stringify(frozen.get(entry.alertId)), entry.id);
    }
    const orphan: AlertPayload = { ...frozen.get(attackAlertId)!, alertId: 'f'.repeat(32), summary: 'an alert this file no longer holds' };
    db.prepare(
      `INSERT INTO outbox (id, alert_id, tenant, channel, payload, status, attempts, next_attempt_at_ms, last_error, created_at_ms, sent_at_ms)
       VALUES (?, ?, 'contoso', 'siem', ?, 'pending', 3, ?, 'CHANNEL_UNAVAILABLE: siem answered 503', ?, NULL)`,
    ).run(`${orphan.alertId}:siem:0`, orphan.alertId, JSON.stringify(orphan), at(0).getTime(), at(0).getTime());
    return { orphan };
  } finally {
    db.close();
  }
}

describe('upgrading over a state file with frozen outbox payloads and alerts without notified facts', () => {
  it('delivers every old pending entry under its old round, the alert as stored now, and re-sends nothing as an update', async () => {
    sim = await startSimulator({ scenario: mimecastScenario(t0), now: () => t0, enforceThrottling: false });
    receiver = await startReceiver();
    dir = await mkdtemp(join(tmpdir(), 'credwatch-upgrade-'));
    const path = join(dir, 'state.db');
    const config = await mimecastWebhookConfig(sim, receiver.url);
    const { logger } = captureLogger('silent');
    const scan = async (when: Date) => {
      const store = SqliteStateStore.open(path, { now: () => when });
      try {
        return await scanOnce(sim!, config, store, logger, when);
      } finally {
        await store.close();
      }
    };

    // The old version's last scan: three attempts from two addresses, the receiver down.
    sim.addSignIns([attack('old-1', at(-40), '203.0.113.77'), attack('old-2', at(-35), '203.0.113.78'), attack('old-3', at(-30), '203.0.113.78')]);
    receiver.fallback = { status: 503 };
    await scan(t0);
    const pendingBefore = receiver.requests.length;
    const attackAlertId = (JSON.parse(receiver.requests.find((r) => (JSON.parse(r.body) as AlertPayload).network === 'AS64999')!.body) as AlertPayload).alertId;
    const { orphan } = await downgrade(path, attackAlertId);

    // The new version's first scan, nothing new in the logs, the receiver back.
    receiver.fallback = { status: 202 };
    const upgraded = await scan(at(15));
    const sent = receiver.requests.slice(pendingBefore).map((r) => ({ key: r.headers['idempotency-key'], body: JSON.parse(r.body) as AlertPayload }));
    expect(sent).toHaveLength(pendingBefore + 1);
    expect(upgraded.alerts.notifications).toBe(0);
    expect(sent.every((s) => s.body.notification === 0 && s.body.update === undefined)).toBe(true);
    const attackSent = sent.find((s) => s.body.alertId === attackAlertId)!;
    expect(attackSent.key).toBe(`${attackAlertId}:0`);
    expect(attackSent.body).toMatchObject({ count: 3, failureCount: 3, ips: ['203.0.113.77', '203.0.113.78'] });
    // As queued, plus the view the webhook adds to every alert it can render (docs/alerts.md, "display").
    expect(sent.find((s) => s.body.alertId === orphan.alertId)?.body).toEqual({ ...orphan, display: expect.objectContaining({ heading: expect.any(String) }) });

    // Later: a new address is news, the old ones are not.
    sim.addSignIns([attack('new-1', at(20), '203.0.113.78'), attack('new-2', at(21), '203.0.113.90')]);
    const before = receiver.requests.length;
    await scan(at(30));
    const later = receiver.requests.slice(before).map((r) => JSON.parse(r.body) as AlertPayload);
    expect(later).toHaveLength(1);
    expect(later[0]).toMatchObject({
      alertId: attackAlertId,
      notification: 5,
      update: { ips: ['203.0.113.90'], asns: [], resources: [], firstSuccess: false },
    });
  });
});
