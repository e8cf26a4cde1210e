/** Contract: stored state is isolated from callers' objects, survives reopening, and closing is clean. */
import { describe, expect, it } from 'vitest';
import type { StateStore } from '../../src/state/types.js';
import type { ContractContext } from './contract.js';
import { aggregate, alert, at, eventIds, outboxEntry, STREAM, storedFinding, TENANT, windowCommit } from './records.js';

/** Reads back everything `committed()` stores. */
async function readAll(store: StateStore) {
  return {
    watermark: await store.getWatermark(TENANT, STREAM),
    unseen: await store.filterUnseen(TENANT, STREAM, eventIds(0, 5)),
    findings: await store.listFindings(TENANT, at(-60), at(60)),
    alerts: await store.getAlerts(['alert-1']),
    outbox: await store.listOutbox(TENANT, undefined),
    aggregates: await store.listAggregates(TENANT, '2026-03-01', '2026-03-31'),
    networks: await store.getLearnedNetworks(TENANT, 'app'),
    snapshot: await store.getLatestSnapshot(TENANT),
    cache: await store.getCache('k'),
  };
}

const committed = () =>
  windowCommit({
    watermark: at(30),
    seenIds: eventIds(0, 3),
    findings: [storedFinding('f-1')],
    alerts: [alert('alert-1')],
    outbox: [outboxEntry('o-1')],
    aggregates: [aggregate()],
    learnedNetworks: [{ tenant: TENANT, appId: 'app', network: 'AS64500', firstSeen: at(0) }],
    snapshot: { tenant: TENANT, takenAt: at(0), json: '{}' },
  });

export function lifecycleContract(ctx: ContractContext): void {
  describe('isolation and lifetime', () => {
    it('hands out copies: changing a returned record does not change the store', async () => {
      await ctx.store.commitWindow(committed());
      await ctx.store.putCache('k', { body: 'v', fetchedAt: at(0) });
      const before = await readAll(ctx.store);
      const first = await readAll(ctx.store);
      first.watermark?.setTime(0);
      first.findings[0]!.finding.eventIds.push('injected');
      first.findings[0]!.finding.occurredAt.setTime(0);
      first.findings[0]!.finding.allowlist[0]!.cidr = '0.0.0.0/0';
      first.alerts[0]!.ips.push('0.0.0.0');
      first.alerts[0]!.suppressed!.expires.setTime(0);
      first.outbox[0]!.status = 'sent';
      first.aggregates[0]!.count = 999;
      first.networks[0]!.firstSeen.setTime(0);
      first.snapshot!.json = 'changed';
      first.cache!.fetchedAt.setTime(0);
      expect(await readAll(ctx.store)).toStrictEqual(before);
    });

    it('keeps what was committed when the caller later changes its own objects', async () => {
      const commit = committed();
      await ctx.store.commitWindow(commit);
      const before = await readAll(ctx.store);
      commit.findings[0]!.finding.eventIds.push('injected');
      commit.alerts[0]!.firstSeen.setTime(0);
      commit.outbox[0]!.nextAttemptAt.setTime(0);
      commit.aggregates[0]!.count = 999;
      expect(await readAll(ctx.store)).toStrictEqual(before);
    });

    it('keeps everything across a close and reopen', async (test) => {
      const reopen = ctx.fixture.reopen;
      if (reopen === undefined) return test.skip('this store does not persist');
      await ctx.store.commitWindow(committed());
      await ctx.store.putCache('k', { body: 'v', fetchedAt: at(0) });
      await ctx.store.updateOutbox('o-1', { attempts: 1, lastError: 'HTTP 503' });
      const before = await readAll(ctx.store);
      await ctx.store.close();
      const again = await reopen();
      try {
        expect(await readAll(again)).toStrictEqual(before);
        expect(before.unseen).toEqual(['evt-3', 'evt-4']);
      } finally {
        await again.close();
      }
    });

    it('refuses calls once closed, with a stable code, and closes twice without error', async () => {
      await ctx.store.close();
      await ctx.store.close();
      await expect(ctx.store.getWatermark(TENANT, STREAM)).rejects.toMatchObject({ code: 'STATE_UNAVAILABLE' });
      await expect(ctx.store.commitWindow(committed())).rejects.toMatchObject({ code: 'STATE_UNAVAILABLE' });
    });
  });
}
