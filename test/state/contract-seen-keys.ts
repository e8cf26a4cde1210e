/**
 * Contract: sign-ins' time-keyed seen ids (`<epoch ms, 13 digits>:<Graph id>`, docs/state.md "Seen
 * ids") are ids like any other — whatever a store does with their order, look-alikes, ids of
 * other days, tenants and streams, expiry and purge behave exactly as for bare ids.
 */
import { describe, expect, it } from 'vitest';
import type { ContractContext } from './contract.js';
import { expiresIn, STREAM, TENANT, windowCommit } from './records.js';

const MIDNIGHT = Date.parse('2026-03-03T00:00:00.000Z');

/** A sign-in's seen id, `ms` after the midnight above. */
function keyed(ms: number, id = `0a1b2c3d-0000-4000-8000-${String(Math.abs(ms)).padStart(12, '0')}`): string {
  return `${String(MIDNIGHT + ms).padStart(13, '0')}:${id}`;
}

/** A page of `count` sign-ins one second apart, from `fromSecond` seconds after midnight. */
function page(fromSecond: number, count: number): string[] {
  return Array.from({ length: count }, (_, i) => keyed((fromSecond + i) * 1000));
}

export function seenKeysContract(ctx: ContractContext): void {
  describe('time-keyed seen ids', () => {
    it('filters them like any other id, across midnight and mixed with bare ids and look-alikes', async () => {
      const digits = String(MIDNIGHT);
      const ids = [
        keyed(-1),
        keyed(0),
        keyed(-86_400_000 * 3),
        keyed(5, 'a/b#c?d é'),
        keyed(6, 'x'.repeat(300)),
        `${digits.slice(1)}:twelve-digits`,
        `${digits}0:fourteen-digits`,
        `${digits}-no-colon`,
        'evt-1',
      ];
      const committed = ids.filter((_, i) => i % 2 === 0);
      await ctx.store.commitWindow(windowCommit({ seenIds: committed }));
      const asked = [keyed(1), ...[...ids].reverse(), keyed(-2), keyed(6, 'x'.repeat(299))];
      expect(await ctx.store.filterUnseen(TENANT, STREAM, asked)).toEqual(asked.filter((id) => !committed.includes(id)));
    });

    it('filters a page of 1,000 half seen, and keeps tenants and streams apart', async () => {
      await ctx.store.commitWindow(windowCommit({ seenIds: page(-500, 1000) }));
      expect(await ctx.store.filterUnseen(TENANT, STREAM, page(0, 1000))).toEqual(page(500, 500));
      expect(await ctx.store.filterUnseen('fabrikam', STREAM, page(0, 3))).toEqual(page(0, 3));
      expect(await ctx.store.filterUnseen(TENANT, 'directoryAudits', page(0, 3))).toEqual(page(0, 3));
    });

    it('counts an expired one as unseen, keeps the later expiry, and purges exactly the expired ones', async () => {
      await ctx.store.commitWindow(windowCommit({ seenIds: [keyed(1), keyed(2)], seenExpiresAt: expiresIn(1) }));
      await ctx.store.commitWindow(windowCommit({ seenIds: [keyed(3)], seenExpiresAt: new Date(Date.now() - 60_000) }));
      await ctx.store.commitWindow(windowCommit({ seenIds: [keyed(2), keyed(4)], seenExpiresAt: expiresIn(10) }));
      expect(await ctx.store.filterUnseen(TENANT, STREAM, [keyed(1), keyed(2), keyed(3), keyed(4)])).toEqual([keyed(3)]);
      expect(await ctx.store.purgeExpired(expiresIn(2))).toBe(2);
      expect(await ctx.store.filterUnseen(TENANT, STREAM, [keyed(1), keyed(2), keyed(3), keyed(4)])).toEqual([keyed(1), keyed(3)]);
    });
  });
}
