/** Contract: blast-radius audit log query intents, their daily cap and their updates (docs/blast-radius.md). */
import { describe, expect, it } from 'vitest';
import type { ContractContext } from './contract.js';
import { at, auditQuery, TENANT } from './records.js';

const APP = '22222222-2222-2222-2222-222222222222';

export function auditQueriesContract(ctx: ContractContext): void {
  describe('audit log queries', () => {
    it('stores an intent before Graph is asked and reads it back whole', async () => {
      expect(await ctx.store.reserveAuditQuery(auditQuery('i-1'), 5)).toEqual({ reserved: true });
      expect(await ctx.store.listAuditQueries(TENANT, APP)).toEqual([auditQuery('i-1')]);
    });

    it('answers the same intent with the stored record instead of storing or counting it twice', async () => {
      await ctx.store.reserveAuditQuery(auditQuery('i-1'), 2);
      await ctx.store.updateAuditQuery(TENANT, 'i-1', { queryId: 'q-1', state: 'running', updatedAt: at(3) });
      expect(await ctx.store.reserveAuditQuery(auditQuery('i-1'), 2)).toEqual({
        reserved: false,
        existing: auditQuery('i-1', { queryId: 'q-1', state: 'running', updatedAt: at(3) }),
      });
      expect(await ctx.store.reserveAuditQuery(auditQuery('i-2'), 2)).toEqual({ reserved: true });
    });

    it("refuses a new intent once the tenant's queries of that UTC day reach the cap, and counts each day and tenant apart", async () => {
      await ctx.store.reserveAuditQuery(auditQuery('i-1'), 2);
      await ctx.store.reserveAuditQuery(auditQuery('i-2'), 2);
      expect(await ctx.store.reserveAuditQuery(auditQuery('i-3'), 2)).toEqual({ reserved: false, capReached: true, countToday: 2 });
      expect(await ctx.store.reserveAuditQuery(auditQuery('i-3', { requestedAt: at(24 * 60) }), 2)).toEqual({ reserved: true });
      expect(await ctx.store.reserveAuditQuery(auditQuery('i-4', { tenant: 'fabrikam' }), 2)).toEqual({ reserved: true });
      expect((await ctx.store.listAuditQueries(TENANT, APP)).map((q) => q.intentId)).toEqual(['i-1', 'i-2', 'i-3']);
    });

    it('lets exactly one of many writers racing for the last query of the day have it', async () => {
      const results = await Promise.all(['a', 'b', 'c', 'd'].map((id) => ctx.store.reserveAuditQuery(auditQuery(id), 1)));
      expect(results.filter((r) => r.reserved)).toHaveLength(1);
      expect(await ctx.store.listAuditQueries(TENANT, APP)).toHaveLength(1);
    });

    it('updates only the fields given, clears an error with undefined, and lists one app only', async () => {
      await ctx.store.reserveAuditQuery(auditQuery('i-1'), 5);
      await ctx.store.reserveAuditQuery(auditQuery('other', { appId: '33333333-3333-3333-3333-333333333333' }), 5);
      await ctx.store.updateAuditQuery(TENANT, 'i-1', { state: 'failed', lastError: 'BLAST_RADIUS_NO_PERMISSION', updatedAt: at(2) });
      await ctx.store.updateAuditQuery(TENANT, 'i-1', { lastError: undefined });
      expect(await ctx.store.listAuditQueries(TENANT, APP)).toEqual([auditQuery('i-1', { state: 'failed', updatedAt: at(2) })]);
    });

    it('refuses an unknown intent, an empty window, an unknown state or a bad cap, storing nothing', async () => {
      await expect(ctx.store.updateAuditQuery(TENANT, 'nobody', { state: 'running' })).rejects.toMatchObject({ code: 'STATE_INVALID_INPUT' });
      await expect(ctx.store.reserveAuditQuery(auditQuery('i-1', { to: at(-120) }), 5)).rejects.toMatchObject({ code: 'STATE_INVALID_INPUT' });
      await expect(ctx.store.reserveAuditQuery(auditQuery('i-1', { state: 'done' as never }), 5)).rejects.toMatchObject({ code: 'STATE_INVALID_INPUT' });
      await expect(ctx.store.reserveAuditQuery(auditQuery('i-1'), -1)).rejects.toMatchObject({ code: 'STATE_INVALID_INPUT' });
      expect(await ctx.store.listAuditQueries(TENANT, APP)).toEqual([]);
    });

    it('keeps intents across a reopen, so a restarted process finds the query it asked for', async (test) => {
      const reopen = ctx.fixture.reopen;
      if (reopen === undefined) return test.skip('this store does not persist');
      await ctx.store.reserveAuditQuery(auditQuery('i-1'), 5);
      await ctx.store.close();
      const reopened = await reopen();
      try {
        expect(await reopened.listAuditQueries(TENANT, APP)).toEqual([auditQuery('i-1')]);
      } finally {
        await reopened.close();
      }
    });
  });
}
