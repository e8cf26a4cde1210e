/** Contract: scan history (`recordScan`, `listScans`) and its retention in `purgeExpired`. */
import { describe, expect, it } from 'vitest';
import type { ContractContext } from './contract.js';
import { at, scanRecord, TENANT } from './records.js';

const DAY_MS = 86_400_000;

export function scansContract(ctx: ContractContext): void {
  describe('scan history', () => {
    it('round-trips every field of a scan record, empty lists included', async () => {
      const full = scanRecord(at(0));
      const sparse = scanRecord(at(10), { sources: [], errors: [], summaryJson: '{}' });
      await ctx.store.recordScan(full);
      await ctx.store.recordScan(sparse);
      expect(await ctx.store.listScans(TENANT, at(0), at(11))).toStrictEqual([full, sparse]);
    });

    it('reads optional source fields given as undefined back as absent', async () => {
      await ctx.store.recordScan(
        scanRecord(at(0), { sources: [{ source: 'signIns', status: 'failed', errorCode: undefined, message: undefined, items: undefined }] }),
      );
      const [listed] = await ctx.store.listScans(TENANT, at(0), at(1));
      expect(listed?.sources).toStrictEqual([{ source: 'signIns', status: 'failed' }]);
    });

    it('replaces a scan recorded again under the same tenant and start', async () => {
      await ctx.store.recordScan(scanRecord(at(0), { errors: [{ stage: 'signIns', code: 'GRAPH_UNAVAILABLE', message: 'first' }] }));
      const second = scanRecord(at(0), {
        finishedAt: at(5),
        sources: [{ source: 'signIns', status: 'complete', items: 1 }],
        errors: [],
        summaryJson: '{"second":true}',
      });
      await ctx.store.recordScan(second);
      expect(await ctx.store.listScans(TENANT, at(-1), at(1))).toStrictEqual([second]);
    });

    it('keeps scans of different tenants with the same start apart', async () => {
      await ctx.store.recordScan(scanRecord(at(0)));
      await ctx.store.recordScan(scanRecord(at(0), { tenant: 'fabrikam', summaryJson: '{"t":"fabrikam"}' }));
      expect((await ctx.store.listScans(TENANT, at(0), at(1))).map((s) => s.summaryJson)).toEqual([scanRecord(at(0)).summaryJson]);
      expect((await ctx.store.listScans('fabrikam', at(0), at(1))).map((s) => s.summaryJson)).toEqual(['{"t":"fabrikam"}']);
    });

    it("lists a tenant's scans started from `from` up to but excluding `to`, oldest first", async () => {
      for (const minute of [20, 10, 30, 9, 15]) await ctx.store.recordScan(scanRecord(at(minute)));
      await ctx.store.recordScan(scanRecord(at(12), { tenant: 'fabrikam' }));
      const listed = await ctx.store.listScans(TENANT, at(10), at(30));
      expect(listed.map((s) => s.startedAt)).toEqual([at(10), at(15), at(20)]);
      expect(await ctx.store.listScans(TENANT, at(30), at(30))).toEqual([]);
      expect(await ctx.store.listScans('nobody', at(0), at(60))).toEqual([]);
    });

    it('hands out copies, and keeps what was recorded when the caller changes its own record', async () => {
      const record = scanRecord(at(0));
      await ctx.store.recordScan(record);
      const before = await ctx.store.listScans(TENANT, at(0), at(1));
      record.startedAt.setTime(0);
      record.sources[0]!.status = 'failed';
      record.errors.push({ stage: 'x', code: 'y', message: 'z' });
      const first = await ctx.store.listScans(TENANT, at(0), at(1));
      first[0]!.finishedAt.setTime(0);
      first[0]!.sources[1]!.items = 0;
      first[0]!.sources.pop();
      first[0]!.errors[0]!.message = 'changed';
      first[0]!.summaryJson = 'changed';
      expect(await ctx.store.listScans(TENANT, at(0), at(1))).toStrictEqual(before);
      expect(before).toStrictEqual([scanRecord(at(0))]);
    });

    it('refuses an invalid scan record with STATE_INVALID_INPUT and stores nothing of it', async () => {
      const invalid = [
        scanRecord(at(0), { tenant: '' }),
        scanRecord(at(0), { startedAt: new Date(Number.NaN) }),
        scanRecord(at(0), { finishedAt: at(-1) }),
        scanRecord(at(0), { summaryJson: '{not json' }),
        scanRecord(at(0), { sources: [{ source: '', status: 'complete' }] }),
        scanRecord(at(0), { sources: [{ source: 'signIns', status: 'complete', items: -1 }] }),
      ];
      for (const record of invalid) await expect(ctx.store.recordScan(record)).rejects.toMatchObject({ code: 'STATE_INVALID_INPUT' });
      await expect(ctx.store.listScans(TENANT, new Date(Number.NaN), at(1))).rejects.toMatchObject({ code: 'STATE_INVALID_INPUT' });
      expect(await ctx.store.listScans(TENANT, new Date(0), at(60))).toEqual([]);
    });

    it('purges scans older than 400 days, counting them, and keeps seen-id purging as it was', async () => {
      const now = new Date('2027-06-01T00:00:00.000Z');
      const daysAgo = (days: number, extraMs = 0) => new Date(now.getTime() - days * DAY_MS + extraMs);
      await ctx.store.recordScan(scanRecord(daysAgo(500)));
      await ctx.store.recordScan(scanRecord(daysAgo(400, -1)));
      await ctx.store.recordScan(scanRecord(daysAgo(400)));
      await ctx.store.recordScan(scanRecord(daysAgo(7)));
      expect(await ctx.store.purgeExpired(now)).toBe(2);
      expect(await ctx.store.purgeExpired(now)).toBe(0);
      const kept = await ctx.store.listScans(TENANT, new Date(0), now);
      expect(kept.map((s) => s.startedAt)).toEqual([daysAgo(400), daysAgo(7)]);
    });

    it('keeps scan history across a close and reopen', async (test) => {
      const reopen = ctx.fixture.reopen;
      if (reopen === undefined) return test.skip('this store does not persist');
      await ctx.store.recordScan(scanRecord(at(0)));
      await ctx.store.recordScan(scanRecord(at(5), { errors: [] }));
      const before = await ctx.store.listScans(TENANT, at(0), at(60));
      await ctx.store.close();
      const again = await reopen();
      try {
        expect(await again.listScans(TENANT, at(0), at(60))).toStrictEqual(before);
        expect(before).toHaveLength(2);
      } finally {
        await again.close();
      }
    });

    it('refuses scan calls once closed', async () => {
      await ctx.store.close();
      await expect(ctx.store.recordScan(scanRecord(at(0)))).rejects.toMatchObject({ code: 'STATE_UNAVAILABLE' });
      await expect(ctx.store.listScans(TENANT, at(0), at(1))).rejects.toMatchObject({ code: 'STATE_UNAVAILABLE' });
    });
  });
}
