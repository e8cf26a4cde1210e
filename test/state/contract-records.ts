/** Contract: findings, alerts, aggregates, learned networks, snapshots and the cache. */
import { describe, expect, it } from 'vitest';
import type { ContractContext } from './contract.js';
import { aggregate, alert, at, storedFinding, TENANT, windowCommit } from './records.js';

export function recordsContract(ctx: ContractContext): void {
  describe('findings', () => {
    it('round-trips every field of a finding, absent values included', async () => {
      const full = storedFinding('f-1', { suppressed: true });
      const sparse = storedFinding('f-2', {
        finding: {
          occurredAt: at(1),
          credentialKeyId: undefined,
          network: undefined,
          ip: undefined,
          country: undefined,
          asn: undefined,
          resource: undefined,
          success: undefined,
          allowlist: [],
          details: {},
        },
      });
      await ctx.store.commitWindow(windowCommit({ findings: [full, sparse] }));
      expect(await ctx.store.listFindings(TENANT, at(0), at(2))).toStrictEqual([full, sparse]);
    });

    it('keeps the first finding stored under an id and ignores a re-read copy', async () => {
      await ctx.store.commitWindow(windowCommit({ findings: [storedFinding('f-1', { finding: { summary: 'first' } })] }));
      await ctx.store.commitWindow(windowCommit({ findings: [storedFinding('f-1', { finding: { summary: 'second' } })] }));
      const stored = await ctx.store.listFindings(TENANT, at(-1), at(1));
      expect(stored.map((f) => f.finding.summary)).toEqual(['first']);
    });

    it("lists a tenant's findings from `from` up to but excluding `to`, oldest first", async () => {
      await ctx.store.commitWindow(
        windowCommit({
          findings: [
            storedFinding('late', { finding: { occurredAt: at(20) } }),
            storedFinding('early', { finding: { occurredAt: at(10) } }),
            storedFinding('at-end', { finding: { occurredAt: at(30) } }),
            storedFinding('before', { finding: { occurredAt: at(9) } }),
          ],
        }),
      );
      await ctx.store.commitWindow(
        windowCommit({ tenant: 'fabrikam', findings: [storedFinding('other', { finding: { tenant: 'fabrikam', occurredAt: at(15) } })] }),
      );
      const listed = await ctx.store.listFindings(TENANT, at(10), at(30));
      expect(listed.map((f) => f.findingId)).toEqual(['early', 'late']);
    });
  });

  describe('alerts', () => {
    it('round-trips every field of an alert, absent values included', async () => {
      const full = alert('alert-1');
      const { notifiedFacts: _none, ...sparse } = alert('alert-2', {
        suppressed: undefined,
        notifiedAt: undefined,
        notifiedSeverity: undefined,
        network: undefined,
        credentialKeyId: undefined,
      });
      await ctx.store.commitWindow(windowCommit({ alerts: [full, sparse] }));
      expect(await ctx.store.getAlerts(['alert-1', 'alert-2'])).toStrictEqual([full, sparse]);
    });

    it('keeps what an alert was last notified with through a replace, empty lists included', async () => {
      await ctx.store.commitWindow(windowCommit({ alerts: [alert('alert-1')] }));
      const told = { ips: ['203.0.113.7', '2001:db8::1'], asns: [], resources: ['Microsoft Graph'], success: false };
      await ctx.store.commitWindow(windowCommit({ alerts: [alert('alert-1', { notifiedFacts: told })] }));
      expect((await ctx.store.getAlerts(['alert-1']))[0]?.notifiedFacts).toStrictEqual(told);
      expect((await ctx.store.listAlerts(TENANT, at(0), at(60)))[0]?.notifiedFacts).toStrictEqual(told);
    });

    it('refuses notified facts that no later comparison could read, storing nothing of the window', async () => {
      const bad = alert('alert-1', { notifiedFacts: { ips: [7], asns: ['AS1'], resources: [], success: 'yes' } as never });
      await expect(ctx.store.commitWindow(windowCommit({ alerts: [bad] }))).rejects.toMatchObject({ code: 'STATE_INVALID_INPUT' });
      expect(await ctx.store.getAlerts(['alert-1'])).toEqual([]);
    });

    it('keeps the severity an alert was last notified at, through a replace', async () => {
      await ctx.store.commitWindow(windowCommit({ alerts: [alert('alert-1', { severity: 'high', notifiedSeverity: 'high' })] }));
      await ctx.store.commitWindow(windowCommit({ alerts: [alert('alert-1', { severity: 'critical', notifiedSeverity: 'critical' })] }));
      const [stored] = await ctx.store.getAlerts(['alert-1']);
      expect(stored).toMatchObject({ severity: 'critical', notifiedSeverity: 'critical' });
      expect((await ctx.store.listAlerts(TENANT, at(0), at(60)))[0]?.notifiedSeverity).toBe('critical');
    });

    it('refuses an alert whose notified severity is not one of the five', async () => {
      const bad = alert('alert-1', { notifiedSeverity: 'severe' as never });
      await expect(ctx.store.commitWindow(windowCommit({ alerts: [bad] }))).rejects.toMatchObject({ code: 'STATE_INVALID_INPUT' });
      expect(await ctx.store.getAlerts(['alert-1'])).toEqual([]);
    });

    it('replaces an alert committed again under the same id', async () => {
      await ctx.store.commitWindow(windowCommit({ alerts: [alert('alert-1', { count: 3 })] }));
      await ctx.store.commitWindow(windowCommit({ alerts: [alert('alert-1', { count: 5, lastSeen: at(90) })] }));
      const [stored, ...rest] = await ctx.store.getAlerts(['alert-1']);
      expect(rest).toEqual([]);
      expect(stored).toMatchObject({ count: 5, lastSeen: at(90) });
    });

    it('returns the requested alerts in the order asked, skipping unknown ids', async () => {
      await ctx.store.commitWindow(windowCommit({ alerts: [alert('a'), alert('b'), alert('c')] }));
      const got = await ctx.store.getAlerts(['c', 'missing', 'a']);
      expect(got.map((a) => a.alertId)).toEqual(['c', 'a']);
    });

    it('lists the alerts of a tenant active between `from` and `to`', async () => {
      await ctx.store.commitWindow(
        windowCommit({
          alerts: [
            alert('ended-before', { firstSeen: at(0), lastSeen: at(9) }),
            alert('overlaps-start', { firstSeen: at(5), lastSeen: at(12) }),
            alert('inside', { firstSeen: at(15), lastSeen: at(16) }),
            alert('starts-at-end', { firstSeen: at(20), lastSeen: at(25) }),
          ],
        }),
      );
      const listed = await ctx.store.listAlerts(TENANT, at(10), at(20));
      expect(listed.map((a) => a.alertId)).toEqual(['overlaps-start', 'inside']);
      expect(await ctx.store.listAlerts('fabrikam', at(0), at(100))).toEqual([]);
    });
  });

  describe('aggregates', () => {
    it('adds counts up across commits and within one commit (they are additive, not replaced)', async () => {
      await ctx.store.commitWindow(windowCommit({ aggregates: [aggregate({ count: 3, successCount: 2, failureCount: 1 })] }));
      await ctx.store.commitWindow(
        windowCommit({ aggregates: [aggregate({ count: 1, successCount: 1, failureCount: 0 }), aggregate({ count: 2, successCount: 0, failureCount: 2 })] }),
      );
      expect(await ctx.store.listAggregates(TENANT, '2026-03-02', '2026-03-02')).toEqual([aggregate({ count: 6, successCount: 3, failureCount: 3 })]);
    });

    it('keeps allowed, outside and no-allowlist counts apart', async () => {
      await ctx.store.commitWindow(windowCommit({ aggregates: [aggregate({ allowed: true }), aggregate({ allowed: false }), aggregate({ allowed: null })] }));
      const listed = await ctx.store.listAggregates(TENANT, '2026-03-02', '2026-03-02');
      expect(listed.map((a) => a.allowed).sort()).toEqual([false, null, true].sort());
    });

    it('lists the days from `fromDay` to `toDay`, both included', async () => {
      const days = ['2026-03-01', '2026-03-02', '2026-03-03', '2026-03-04'];
      await ctx.store.commitWindow(windowCommit({ aggregates: days.map((day) => aggregate({ day })) }));
      const listed = await ctx.store.listAggregates(TENANT, '2026-03-02', '2026-03-03');
      expect(listed.map((a) => a.day)).toEqual(['2026-03-02', '2026-03-03']);
    });

    it('rejects a day that is not YYYY-MM-DD', async () => {
      await expect(ctx.store.commitWindow(windowCommit({ aggregates: [aggregate({ day: '2026-3-2' })] }))).rejects.toMatchObject({
        code: 'STATE_INVALID_INPUT',
      });
    });
  });

  describe('learned networks', () => {
    it("keeps the first sighting of a network and lists an app's networks", async () => {
      const net = (network: string, minutes: number, appId = 'app') => ({ tenant: TENANT, appId, network, firstSeen: at(minutes) });
      await ctx.store.commitWindow(windowCommit({ learnedNetworks: [net('AS64500', 0), net('AS64501', 5), net('AS64500', 0, 'other-app')] }));
      await ctx.store.commitWindow(windowCommit({ learnedNetworks: [net('AS64500', 60)] }));
      expect(await ctx.store.getLearnedNetworks(TENANT, 'app')).toEqual([net('AS64500', 0), net('AS64501', 5)]);
      expect(await ctx.store.getLearnedNetworks('fabrikam', 'app')).toEqual([]);
    });
  });

  describe('snapshots', () => {
    it("replaces the tenant's snapshot and reads the latest back", async () => {
      expect(await ctx.store.getLatestSnapshot(TENANT)).toBeUndefined();
      await ctx.store.commitWindow(windowCommit({ stream: 'inventory', snapshot: { tenant: TENANT, takenAt: at(0), json: '{"apps":[1]}' } }));
      await ctx.store.commitWindow(windowCommit({ stream: 'inventory', snapshot: { tenant: TENANT, takenAt: at(60), json: '{"apps":[2]}' } }));
      expect(await ctx.store.getLatestSnapshot(TENANT)).toEqual({ tenant: TENANT, takenAt: at(60), json: '{"apps":[2]}' });
      expect(await ctx.store.getLatestSnapshot('fabrikam')).toBeUndefined();
    });
  });

  describe('cache', () => {
    it('returns what was put under a key, the latest put winning', async () => {
      expect(await ctx.store.getCache('ranges:vendor')).toBeUndefined();
      await ctx.store.putCache('ranges:vendor', { body: '198.51.100.0/24', fetchedAt: at(0) });
      await ctx.store.putCache('ranges:vendor', { body: '198.51.100.0/23', fetchedAt: at(5) });
      expect(await ctx.store.getCache('ranges:vendor')).toEqual({ body: '198.51.100.0/23', fetchedAt: at(5) });
    });
  });
}
