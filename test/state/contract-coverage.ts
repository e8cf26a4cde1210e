/** Contract: covered intervals of a stream (docs/state.md, "Covered intervals"). */
import { describe, expect, it } from 'vitest';
import type { TimeInterval } from '../../src/state/types.js';
import type { ContractContext } from './contract.js';
import { at, STREAM, TENANT, windowCommit } from './records.js';

const span = (from: number, to: number): TimeInterval => ({ from: at(from), to: at(to) });

export function coverageContract(ctx: ContractContext): void {
  describe('covered intervals', () => {
    it('has no coverage for a stream never committed, nor after commits without intervals', async () => {
      expect(await ctx.store.getCoverage(TENANT, STREAM)).toEqual([]);
      await ctx.store.commitWindow(windowCommit({ watermark: at(10), seenIds: ['a'] }));
      expect(await ctx.store.getCoverage(TENANT, STREAM)).toEqual([]);
    });

    it('adds intervals by union: sorted, disjoint, touching and overlapping ones joined, repeats harmless', async () => {
      await ctx.store.commitWindow(windowCommit({ covered: [span(30, 40)] }));
      await ctx.store.commitWindow(windowCommit({ covered: [span(0, 10), span(50, 60)] }));
      expect(await ctx.store.getCoverage(TENANT, STREAM)).toEqual([span(0, 10), span(30, 40), span(50, 60)]);
      // Touching at 40 and overlapping 55–60 join; the same commit again changes nothing.
      for (let i = 0; i < 2; i++) await ctx.store.commitWindow(windowCommit({ covered: [span(40, 45), span(55, 70)] }));
      expect(await ctx.store.getCoverage(TENANT, STREAM)).toEqual([span(0, 10), span(30, 45), span(50, 70)]);
      await ctx.store.commitWindow(windowCommit({ covered: [span(5, 52)] }));
      expect(await ctx.store.getCoverage(TENANT, STREAM)).toEqual([span(0, 70)]);
    });

    it('keeps each tenant and stream apart', async () => {
      await ctx.store.commitWindow(windowCommit({ covered: [span(0, 10)] }));
      await ctx.store.commitWindow(windowCommit({ stream: 'directoryAudits', covered: [span(20, 30)] }));
      await ctx.store.commitWindow(windowCommit({ tenant: 'fabrikam', covered: [span(40, 50)] }));
      expect(await ctx.store.getCoverage(TENANT, STREAM)).toEqual([span(0, 10)]);
      expect(await ctx.store.getCoverage(TENANT, 'directoryAudits')).toEqual([span(20, 30)]);
      expect(await ctx.store.getCoverage('fabrikam', STREAM)).toEqual([span(40, 50)]);
    });

    it('refuses an empty or reversed interval and stores nothing of that window', async () => {
      for (const bad of [span(10, 10), span(10, 5), { from: new Date(Number.NaN), to: at(1) }]) {
        await expect(ctx.store.commitWindow(windowCommit({ seenIds: ['x'], watermark: at(99), covered: [span(0, 1), bad] }))).rejects.toMatchObject({
          code: 'STATE_INVALID_INPUT',
        });
      }
      expect(await ctx.store.getCoverage(TENANT, STREAM)).toEqual([]);
      expect(await ctx.store.filterUnseen(TENANT, STREAM, ['x'])).toEqual(['x']);
      expect(await ctx.store.getWatermark(TENANT, STREAM)).toBeUndefined();
    });

    it('moves a stream back on rewind: watermark lowered, covered time from that point forgotten, the rest kept', async () => {
      await ctx.store.commitWindow(windowCommit({ watermark: at(90), covered: [span(0, 10), span(20, 40), span(50, 60)] }));
      await ctx.store.commitWindow(windowCommit({ stream: 'directoryAudits', watermark: at(90), covered: [span(0, 60)] }));
      await ctx.store.rewindStream(TENANT, STREAM, at(30));
      expect(await ctx.store.getCoverage(TENANT, STREAM)).toEqual([span(0, 10), span(20, 30)]);
      expect(await ctx.store.getWatermark(TENANT, STREAM)).toEqual(at(30));
      // Another stream is untouched; a rewind to a later point, or twice, changes nothing.
      expect(await ctx.store.getCoverage(TENANT, 'directoryAudits')).toEqual([span(0, 60)]);
      await ctx.store.rewindStream(TENANT, STREAM, at(45));
      await ctx.store.rewindStream(TENANT, STREAM, at(30));
      expect(await ctx.store.getCoverage(TENANT, STREAM)).toEqual([span(0, 10), span(20, 30)]);
      expect(await ctx.store.getWatermark(TENANT, STREAM)).toEqual(at(30));
      // After a rewind the stream moves forward again as usual.
      await ctx.store.commitWindow(windowCommit({ watermark: at(70), covered: [span(30, 70)] }));
      expect(await ctx.store.getCoverage(TENANT, STREAM)).toEqual([span(0, 10), span(20, 70)]);
      expect(await ctx.store.getWatermark(TENANT, STREAM)).toEqual(at(70));
    });

    it('rewinds a stream never written without creating anything', async () => {
      await ctx.store.rewindStream(TENANT, STREAM, at(30));
      expect(await ctx.store.getCoverage(TENANT, STREAM)).toEqual([]);
      expect(await ctx.store.getWatermark(TENANT, STREAM)).toBeUndefined();
    });

    it('survives reopening', async () => {
      await ctx.store.commitWindow(windowCommit({ covered: [span(0, 10), span(20, 30)] }));
      const reopen = ctx.fixture.reopen;
      if (!reopen) return;
      await ctx.store.close();
      const again = await reopen();
      try {
        expect(await again.getCoverage(TENANT, STREAM)).toEqual([span(0, 10), span(20, 30)]);
      } finally {
        await again.close();
      }
    });
  });
}
