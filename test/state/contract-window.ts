/** Contract: watermarks, seen ids and the atomicity of a window commit. */
import { describe, expect, it } from 'vitest';
import type { OutboxStatus } from '../../src/state/types.js';
import type { ContractContext } from './contract.js';
import { aggregate, alert, at, eventIds, expiresIn, outboxEntry, STREAM, storedFinding, TENANT, windowCommit } from './records.js';

export function windowContract(ctx: ContractContext): void {
  describe('watermarks', () => {
    it('has no watermark for a stream never committed', async () => {
      expect(await ctx.store.getWatermark(TENANT, STREAM)).toBeUndefined();
    });

    it('stores the watermark a commit carries', async () => {
      await ctx.store.commitWindow(windowCommit({ watermark: at(10) }));
      expect(await ctx.store.getWatermark(TENANT, STREAM)).toEqual(at(10));
    });

    it('never moves the watermark backwards, and a commit without one leaves it alone', async () => {
      await ctx.store.commitWindow(windowCommit({ watermark: at(10) }));
      await ctx.store.commitWindow(windowCommit({ watermark: at(5) }));
      await ctx.store.commitWindow(windowCommit({ watermark: undefined }));
      expect(await ctx.store.getWatermark(TENANT, STREAM)).toEqual(at(10));
      await ctx.store.commitWindow(windowCommit({ watermark: at(11) }));
      expect(await ctx.store.getWatermark(TENANT, STREAM)).toEqual(at(11));
    });

    it('keeps each tenant and stream on its own watermark', async () => {
      await ctx.store.commitWindow(windowCommit({ watermark: at(10) }));
      await ctx.store.commitWindow(windowCommit({ stream: 'directoryAudits', watermark: at(20) }));
      await ctx.store.commitWindow(windowCommit({ tenant: 'fabrikam', watermark: at(30) }));
      expect(await ctx.store.getWatermark(TENANT, STREAM)).toEqual(at(10));
      expect(await ctx.store.getWatermark(TENANT, 'directoryAudits')).toEqual(at(20));
      expect(await ctx.store.getWatermark('fabrikam', STREAM)).toEqual(at(30));
    });
  });

  describe('seen ids', () => {
    it('reports every id unseen before a commit and only the new ones after it', async () => {
      expect(await ctx.store.filterUnseen(TENANT, STREAM, ['a', 'b'])).toEqual(['a', 'b']);
      await ctx.store.commitWindow(windowCommit({ seenIds: ['a', 'b'] }));
      expect(await ctx.store.filterUnseen(TENANT, STREAM, ['c', 'a', 'd', 'b'])).toEqual(['c', 'd']);
    });

    it('does not let one stream or tenant see the ids of another', async () => {
      await ctx.store.commitWindow(windowCommit({ seenIds: ['a'] }));
      expect(await ctx.store.filterUnseen(TENANT, 'directoryAudits', ['a'])).toEqual(['a']);
      expect(await ctx.store.filterUnseen('fabrikam', STREAM, ['a'])).toEqual(['a']);
    });

    it('matches ids exactly, whatever characters they hold', async () => {
      const odd = ['quote"d', 'back\\slash', 'ünïcødé-🚀', 'comma,and space', "it's", 'A', 'a'];
      await ctx.store.commitWindow(windowCommit({ seenIds: odd.slice(0, 5) }));
      expect(await ctx.store.filterUnseen(TENANT, STREAM, odd)).toEqual(['A', 'a']);
    });

    it('returns an id listed twice once, in first-seen order', async () => {
      expect(await ctx.store.filterUnseen(TENANT, STREAM, ['b', 'a', 'b', 'a'])).toEqual(['b', 'a']);
      expect(await ctx.store.filterUnseen(TENANT, STREAM, [])).toEqual([]);
    });

    it('filters a thousand ids at a time, half of them already seen', async () => {
      await ctx.store.commitWindow(windowCommit({ seenIds: eventIds(0, 1000) }));
      const unseen = await ctx.store.filterUnseen(TENANT, STREAM, eventIds(500, 1000));
      expect(unseen).toEqual(eventIds(1000, 500));
    });

    it('counts an id whose expiry has passed as unseen, and seen again once re-committed', async () => {
      await ctx.store.commitWindow(windowCommit({ seenIds: ['old'], seenExpiresAt: new Date(Date.now() - 60_000) }));
      await ctx.store.commitWindow(windowCommit({ seenIds: ['fresh'] }));
      expect(await ctx.store.filterUnseen(TENANT, STREAM, ['old', 'fresh'])).toEqual(['old']);
      await ctx.store.commitWindow(windowCommit({ seenIds: ['old'] }));
      expect(await ctx.store.filterUnseen(TENANT, STREAM, ['old', 'fresh'])).toEqual([]);
    });

    it('keeps the later expiry when an id is committed twice', async () => {
      await ctx.store.commitWindow(windowCommit({ seenIds: ['a'], seenExpiresAt: expiresIn(7) }));
      await ctx.store.commitWindow(windowCommit({ seenIds: ['a'], seenExpiresAt: new Date(Date.now() - 60_000) }));
      expect(await ctx.store.filterUnseen(TENANT, STREAM, ['a'])).toEqual([]);
    });

    it('forgets exactly the expired ids on purge and says how many', async () => {
      await ctx.store.commitWindow(windowCommit({ seenIds: ['a', 'b'], seenExpiresAt: expiresIn(1) }));
      await ctx.store.commitWindow(windowCommit({ seenIds: ['c'], seenExpiresAt: expiresIn(10) }));
      expect(await ctx.store.purgeExpired(expiresIn(2))).toBe(2);
      expect(await ctx.store.purgeExpired(expiresIn(2))).toBe(0);
      expect(await ctx.store.filterUnseen(TENANT, STREAM, ['a', 'b', 'c'])).toEqual(['a', 'b']);
    });
  });

  describe('commit atomicity', () => {
    /** A window with a bit of everything, so a partial write anywhere would be visible. */
    const fullWindow = () =>
      windowCommit({
        watermark: at(60),
        seenIds: eventIds(0, 50),
        findings: [storedFinding('f-1')],
        alerts: [alert('alert-1')],
        outbox: [outboxEntry('o-1')],
        aggregates: [aggregate()],
        learnedNetworks: [{ tenant: TENANT, appId: 'app', network: 'AS64500', firstSeen: at(0) }],
      });

    async function expectNothingOfTheWindow(): Promise<void> {
      const s = ctx.store;
      expect(await s.getWatermark(TENANT, STREAM)).toEqual(at(1));
      expect(await s.filterUnseen(TENANT, STREAM, eventIds(0, 50))).toHaveLength(50);
      expect(await s.listFindings(TENANT, at(-600), at(600))).toEqual([]);
      expect(await s.getAlerts(['alert-1'])).toEqual([]);
      expect(await s.listOutbox(undefined, undefined)).toEqual([]);
      expect(await s.listAggregates(TENANT, '2000-01-01', '2999-12-31')).toEqual([]);
      expect(await s.getLearnedNetworks(TENANT, 'app')).toEqual([]);
      expect(await s.getLatestSnapshot(TENANT)).toBeUndefined();
    }

    it('stores nothing of a window whose last record is invalid', async () => {
      await ctx.store.commitWindow(windowCommit({ watermark: at(1) }));
      const bad = { ...fullWindow(), snapshot: { tenant: TENANT, takenAt: new Date('not a date'), json: '{}' } };
      await expect(ctx.store.commitWindow(bad)).rejects.toMatchObject({ code: 'STATE_INVALID_INPUT' });
      await expectNothingOfTheWindow();
    });

    it('stores nothing of a window with an outbox status no store knows', async () => {
      await ctx.store.commitWindow(windowCommit({ watermark: at(1) }));
      const window = fullWindow();
      const bad = { ...window, outbox: [outboxEntry('o-1', { status: 'queued' as OutboxStatus })] };
      await expect(ctx.store.commitWindow(bad)).rejects.toMatchObject({ code: 'STATE_INVALID_INPUT' });
      await expectNothingOfTheWindow();
    });

    it("stores nothing of a window carrying another tenant's record", async () => {
      await ctx.store.commitWindow(windowCommit({ watermark: at(1) }));
      const bad = { ...fullWindow(), aggregates: [aggregate(), aggregate({ tenant: 'fabrikam' })] };
      await expect(ctx.store.commitWindow(bad)).rejects.toMatchObject({ code: 'STATE_INVALID_INPUT' });
      await expectNothingOfTheWindow();
    });

    it('stores the whole window once the same commit is valid', async () => {
      await ctx.store.commitWindow(windowCommit({ watermark: at(1) }));
      await ctx.store.commitWindow(fullWindow());
      expect(await ctx.store.getWatermark(TENANT, STREAM)).toEqual(at(60));
      expect(await ctx.store.filterUnseen(TENANT, STREAM, eventIds(0, 50))).toEqual([]);
      expect(await ctx.store.listFindings(TENANT, at(-600), at(600))).toHaveLength(1);
      expect(await ctx.store.listOutbox(TENANT, 'pending')).toHaveLength(1);
    });
  });
}
