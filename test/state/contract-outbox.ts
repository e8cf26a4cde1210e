/** Contract: the persistent outbox alerts leave through. */
import { describe, expect, it } from 'vitest';
import type { ContractContext } from './contract.js';
import { at, outboxEntry, TENANT, windowCommit } from './records.js';

export function outboxContract(ctx: ContractContext): void {
  describe('outbox', () => {
    it('round-trips an entry, absent values included', async () => {
      const entry = outboxEntry('o-1', { lastError: undefined, sentAt: undefined });
      await ctx.store.commitWindow(windowCommit({ outbox: [entry] }));
      expect(await ctx.store.listOutbox(TENANT, undefined)).toStrictEqual([entry]);
    });

    it('inserts an id only once and keeps the first entry', async () => {
      await ctx.store.commitWindow(windowCommit({ outbox: [outboxEntry('o-1', { payload: 'first' })] }));
      await ctx.store.commitWindow(windowCommit({ outbox: [outboxEntry('o-1', { payload: 'second' })] }));
      const all = await ctx.store.listOutbox(undefined, undefined);
      expect(all.map((e) => e.payload)).toEqual(['first']);
    });

    it('does not put a sent entry back to pending when its window is committed again', async () => {
      await ctx.store.commitWindow(windowCommit({ outbox: [outboxEntry('o-1')] }));
      await ctx.store.updateOutbox('o-1', { status: 'sent', sentAt: at(1) });
      await ctx.store.commitWindow(windowCommit({ outbox: [outboxEntry('o-1')] }));
      expect(await ctx.store.dueOutbox(at(100), 10)).toEqual([]);
    });

    it('hands out due pending entries oldest first, up to the limit', async () => {
      await ctx.store.commitWindow(
        windowCommit({
          outbox: [
            outboxEntry('newer', { createdAt: at(2), nextAttemptAt: at(2) }),
            outboxEntry('not-yet', { createdAt: at(0), nextAttemptAt: at(30) }),
            outboxEntry('oldest', { createdAt: at(1), nextAttemptAt: at(5) }),
            outboxEntry('due-now', { createdAt: at(3), nextAttemptAt: at(10) }),
            outboxEntry('failed', { createdAt: at(0), nextAttemptAt: at(0), status: 'failed' }),
          ],
        }),
      );
      expect((await ctx.store.dueOutbox(at(10), 10)).map((e) => e.id)).toEqual(['oldest', 'newer', 'due-now']);
      expect((await ctx.store.dueOutbox(at(10), 2)).map((e) => e.id)).toEqual(['oldest', 'newer']);
      expect((await ctx.store.dueOutbox(at(1), 10)).map((e) => e.id)).toEqual([]);
    });

    it("hands out only one tenant's due entries when asked", async () => {
      await ctx.store.commitWindow(windowCommit({ outbox: [outboxEntry('ours', { createdAt: at(2) })] }));
      await ctx.store.commitWindow(windowCommit({ tenant: 'fabrikam', outbox: [outboxEntry('theirs', { tenant: 'fabrikam', createdAt: at(1) })] }));
      expect((await ctx.store.dueOutbox(at(10), 10)).map((e) => e.id)).toEqual(['theirs', 'ours']);
      expect((await ctx.store.dueOutbox(at(10), 10, TENANT)).map((e) => e.id)).toEqual(['ours']);
      expect((await ctx.store.dueOutbox(at(10), 10, 'fabrikam')).map((e) => e.id)).toEqual(['theirs']);
      expect(await ctx.store.dueOutbox(at(10), 10, 'nobody')).toEqual([]);
    });

    it('follows an entry through a retry to sent', async () => {
      await ctx.store.commitWindow(windowCommit({ outbox: [outboxEntry('o-1')] }));
      await ctx.store.updateOutbox('o-1', { attempts: 1, nextAttemptAt: at(5), lastError: 'HTTP 503' });
      expect(await ctx.store.dueOutbox(at(4), 10)).toEqual([]);
      const [retry] = await ctx.store.dueOutbox(at(5), 10);
      expect(retry).toMatchObject({ id: 'o-1', status: 'pending', attempts: 1, nextAttemptAt: at(5), lastError: 'HTTP 503' });

      await ctx.store.updateOutbox('o-1', { status: 'sent', attempts: 2, sentAt: at(6), lastError: undefined });
      expect(await ctx.store.dueOutbox(at(100), 10)).toEqual([]);
      const [sent] = await ctx.store.listOutbox(TENANT, 'sent');
      expect(sent).toMatchObject({ id: 'o-1', status: 'sent', attempts: 2, sentAt: at(6), lastError: undefined });
    });

    it('keeps a permanently failed entry visible and lets it be retried', async () => {
      await ctx.store.commitWindow(windowCommit({ outbox: [outboxEntry('o-1')] }));
      await ctx.store.updateOutbox('o-1', { status: 'failed', attempts: 1, lastError: 'HTTP 404' });
      expect(await ctx.store.dueOutbox(at(100), 10)).toEqual([]);
      expect(await ctx.store.listOutbox(undefined, 'failed')).toMatchObject([{ id: 'o-1', lastError: 'HTTP 404' }]);
      await ctx.store.updateOutbox('o-1', { status: 'pending', nextAttemptAt: at(50) });
      expect((await ctx.store.dueOutbox(at(50), 10)).map((e) => e.id)).toEqual(['o-1']);
    });

    it('treats sent as final, so a slower worker cannot queue a delivered alert again', async () => {
      await ctx.store.commitWindow(windowCommit({ outbox: [outboxEntry('o-1')] }));
      await ctx.store.updateOutbox('o-1', { status: 'sent', attempts: 1, sentAt: at(1) });
      await ctx.store.updateOutbox('o-1', { status: 'pending', attempts: 2, nextAttemptAt: at(2), lastError: 'timeout' });
      expect(await ctx.store.listOutbox(undefined, undefined)).toMatchObject([{ status: 'sent', attempts: 1, sentAt: at(1), lastError: undefined }]);
    });

    it('rejects an update of an entry that does not exist, or with an invalid value', async () => {
      await expect(ctx.store.updateOutbox('missing', { status: 'sent' })).rejects.toMatchObject({ code: 'STATE_INVALID_INPUT' });
      await ctx.store.commitWindow(windowCommit({ outbox: [outboxEntry('o-1')] }));
      await expect(ctx.store.updateOutbox('o-1', { attempts: -1 })).rejects.toMatchObject({ code: 'STATE_INVALID_INPUT' });
      await expect(ctx.store.updateOutbox('o-1', { nextAttemptAt: new Date(Number.NaN) })).rejects.toMatchObject({ code: 'STATE_INVALID_INPUT' });
      expect(await ctx.store.listOutbox(undefined, undefined)).toStrictEqual([outboxEntry('o-1')]);
    });

    it('lists entries by tenant, by status, by both or all of them', async () => {
      await ctx.store.commitWindow(windowCommit({ outbox: [outboxEntry('a-pending', { createdAt: at(1) }), outboxEntry('a-sent', { createdAt: at(2) })] }));
      await ctx.store.commitWindow(windowCommit({ tenant: 'fabrikam', outbox: [outboxEntry('f-pending', { tenant: 'fabrikam', createdAt: at(0) })] }));
      await ctx.store.updateOutbox('a-sent', { status: 'sent', sentAt: at(3) });
      const ids = async (tenant: string | undefined, status: 'pending' | 'sent' | undefined) => (await ctx.store.listOutbox(tenant, status)).map((e) => e.id);
      expect(await ids(undefined, undefined)).toEqual(['f-pending', 'a-pending', 'a-sent']);
      expect(await ids(TENANT, undefined)).toEqual(['a-pending', 'a-sent']);
      expect(await ids(undefined, 'pending')).toEqual(['f-pending', 'a-pending']);
      expect(await ids('fabrikam', 'sent')).toEqual([]);
    });
  });
}
