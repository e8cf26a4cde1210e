/** Contract: delivery claims on outbox entries and the per-tenant scan lease (docs/state.md, "Two workers at once"). */
import { describe, expect, it } from 'vitest';
import type { ContractContext } from './contract.js';
import { at, outboxEntry, TENANT, windowCommit } from './records.js';

const holder = (id: string) => ({ id, host: `host-${id}`, pid: 4000 + id.length });

export function claimsContract(ctx: ContractContext): void {
  describe('outbox claims', () => {
    it('claims a pending entry once: a second claimant gets nothing until the claim ends', async () => {
      await ctx.store.commitWindow(windowCommit({ outbox: [outboxEntry('o-1'), outboxEntry('o-2')] }));
      expect(await ctx.store.claimOutbox(['o-2', 'o-1', 'o-2'], at(1), at(6))).toEqual(['o-2', 'o-1']);
      expect(await ctx.store.claimOutbox(['o-1', 'o-2'], at(2), at(7))).toEqual([]);
      expect(await ctx.store.claimOutbox(['o-1'], at(5), at(10))).toEqual([]);
    });

    it('makes an entry claimable again once a claim runs out (its sender crashed)', async () => {
      await ctx.store.commitWindow(windowCommit({ outbox: [outboxEntry('o-1')] }));
      expect(await ctx.store.claimOutbox(['o-1'], at(1), at(6))).toEqual(['o-1']);
      expect(await ctx.store.claimOutbox(['o-1'], at(6), at(11))).toEqual(['o-1']);
      expect(await ctx.store.claimOutbox(['o-1'], at(10), at(15))).toEqual([]);
    });

    it('ends a claim with any patch, so a retry is not held up by the claim of the attempt that failed', async () => {
      await ctx.store.commitWindow(windowCommit({ outbox: [outboxEntry('o-1')] }));
      await ctx.store.claimOutbox(['o-1'], at(1), at(60));
      await ctx.store.updateOutbox('o-1', { attempts: 1, nextAttemptAt: at(2), lastError: 'HTTP 503' });
      expect(await ctx.store.claimOutbox(['o-1'], at(2), at(7))).toEqual(['o-1']);
      expect((await ctx.store.listOutbox(TENANT, undefined))[0]).toMatchObject({ id: 'o-1', attempts: 1, lastError: 'HTTP 503' });
    });

    it('never claims a sent, failed or unknown entry', async () => {
      await ctx.store.commitWindow(windowCommit({ outbox: [outboxEntry('sent'), outboxEntry('failed'), outboxEntry('pending')] }));
      await ctx.store.updateOutbox('sent', { status: 'sent', sentAt: at(1) });
      await ctx.store.updateOutbox('failed', { status: 'failed', lastError: 'HTTP 404' });
      expect(await ctx.store.claimOutbox(['sent', 'failed', 'nobody', 'pending'], at(1), at(6))).toEqual(['pending']);
    });

    it('gives each entry to exactly one of many claimants racing for it', async () => {
      const ids = Array.from({ length: 20 }, (_, i) => `o-${i}`);
      await ctx.store.commitWindow(windowCommit({ outbox: ids.map((id) => outboxEntry(id)) }));
      const results = await Promise.all(Array.from({ length: 4 }, () => ctx.store.claimOutbox(ids, at(1), at(6))));
      expect(results.flat().sort()).toEqual([...ids].sort());
    });
  });

  describe('scan leases', () => {
    it('gives a free lease to the first holder and names it to the next, until it expires', async () => {
      const first = await ctx.store.acquireScanLease(TENANT, holder('a'), at(0), 5 * 60_000);
      expect(first).toEqual({ acquired: true, lease: { tenant: TENANT, holder: holder('a'), expiresAt: at(5) } });
      expect(await ctx.store.acquireScanLease(TENANT, holder('b'), at(4), 5 * 60_000)).toEqual({
        acquired: false,
        current: { tenant: TENANT, holder: holder('a'), expiresAt: at(5) },
      });
      expect(await ctx.store.acquireScanLease('fabrikam', holder('b'), at(4), 5 * 60_000)).toMatchObject({ acquired: true });
    });

    it('renews for its holder, and lets another take it over once expired, naming the crashed holder', async () => {
      await ctx.store.acquireScanLease(TENANT, holder('a'), at(0), 5 * 60_000);
      expect(await ctx.store.acquireScanLease(TENANT, holder('a'), at(3), 5 * 60_000)).toEqual({
        acquired: true,
        lease: { tenant: TENANT, holder: holder('a'), expiresAt: at(8) },
      });
      expect(await ctx.store.acquireScanLease(TENANT, holder('b'), at(7), 60_000)).toMatchObject({ acquired: false });
      expect(await ctx.store.acquireScanLease(TENANT, holder('b'), at(8), 60_000)).toEqual({
        acquired: true,
        lease: { tenant: TENANT, holder: holder('b'), expiresAt: at(9) },
        tookOver: { tenant: TENANT, holder: holder('a'), expiresAt: at(8) },
      });
      // The crashed holder coming back finds the lease gone to someone else.
      expect(await ctx.store.acquireScanLease(TENANT, holder('a'), at(8), 60_000)).toMatchObject({ acquired: false, current: { holder: holder('b') } });
    });

    it('takes over a live lease only from the holder named as gone', async () => {
      await ctx.store.acquireScanLease(TENANT, holder('a'), at(0), 5 * 60_000);
      expect(await ctx.store.acquireScanLease(TENANT, holder('b'), at(1), 60_000, 'someone-else')).toMatchObject({ acquired: false });
      expect(await ctx.store.acquireScanLease(TENANT, holder('b'), at(1), 60_000, 'a')).toEqual({
        acquired: true,
        lease: { tenant: TENANT, holder: holder('b'), expiresAt: at(2) },
        tookOver: { tenant: TENANT, holder: holder('a'), expiresAt: at(5) },
      });
      // Named as gone too late: b holds it now, and b is not gone.
      expect(await ctx.store.acquireScanLease(TENANT, holder('c'), at(1), 60_000, 'a')).toMatchObject({ acquired: false, current: { holder: holder('b') } });
    });

    it('releases only for its holder', async () => {
      await ctx.store.acquireScanLease(TENANT, holder('a'), at(0), 5 * 60_000);
      await ctx.store.releaseScanLease(TENANT, 'b');
      expect(await ctx.store.acquireScanLease(TENANT, holder('b'), at(1), 60_000)).toMatchObject({ acquired: false });
      await ctx.store.releaseScanLease(TENANT, 'a');
      expect(await ctx.store.acquireScanLease(TENANT, holder('b'), at(1), 60_000)).toEqual({
        acquired: true,
        lease: { tenant: TENANT, holder: holder('b'), expiresAt: at(2) },
      });
    });

    it('gives a free lease to exactly one of many holders racing for it', async () => {
      const claims = await Promise.all(['a', 'bb', 'ccc', 'dddd'].map((id) => ctx.store.acquireScanLease(TENANT, holder(id), at(0), 60_000)));
      expect(claims.filter((c) => c.acquired)).toHaveLength(1);
    });

    it('refuses a lease without a positive duration or holder id, storing nothing', async () => {
      await expect(ctx.store.acquireScanLease(TENANT, holder('a'), at(0), 0)).rejects.toMatchObject({ code: 'STATE_INVALID_INPUT' });
      await expect(ctx.store.acquireScanLease(TENANT, { id: '', host: 'h', pid: 1 }, at(0), 1000)).rejects.toMatchObject({ code: 'STATE_INVALID_INPUT' });
      expect(await ctx.store.acquireScanLease(TENANT, holder('b'), at(0), 60_000)).toMatchObject({ acquired: true });
    });
  });
}
