/**
 * The sign-in stage's bookkeeping of log time (docs/state.md, "Covered intervals"), given a Graph
 * that answers a sign-in filter from a list of records: what is covered, what is kept unread, what
 * the deadline leaves. The real client against the simulator is tested in test/e2e and test/backlog.
 */
import { describe, expect, it } from 'vitest';
import type { GraphApi } from '../../src/graph/client.js';
import { RULES } from '../../src/rules/index.js';
import { signInFinding } from '../../src/rules/findings.js';
import type { Rule } from '../../src/rules/types.js';
import { signInStage } from '../../src/scan/stages/signins.js';
import { windowCommit } from '../state/records.js';
import { minutesAgo, NOW, stageRun, TENANT, emptyContext } from './run.js';

const DAY = 86_400_000;
const APP = 'dddddddd-0000-4000-8000-0000000000d1';

function record(id: string, at: Date): Record<string, unknown> {
  return { id, createdDateTime: at.toISOString(), appId: APP, ipAddress: '198.51.100.7', status: { errorCode: 0 }, clientCredentialType: 'certificate' };
}

/** A Graph holding `records`; answers `createdDateTime ge … and … le …` in pages of `pageSize`, and moves `clock` per page. */
function fakeGraph(records: Array<Record<string, unknown>>, onPage: () => void = () => undefined, pageSize = 1000): GraphApi & { filters: string[] } {
  const filters: string[] = [];
  const api = {
    filters,
    async *listPages<T, U = T>(_path: string, query?: { filter?: string }, mapItem?: (item: T) => U): AsyncGenerator<U[], void, undefined> {
      const filter = query?.filter ?? '';
      filters.push(filter);
      const from = Date.parse(/ge (\S+)/.exec(filter)![1]!);
      const to = Date.parse(/le (\S+)/.exec(filter)![1]!);
      const hits = records.filter((r) => Date.parse(String(r.createdDateTime)) >= from && Date.parse(String(r.createdDateTime)) <= to).reverse();
      for (let i = 0; i < hits.length; i += pageSize) {
        onPage();
        const page = hits.slice(i, i + pageSize) as T[];
        yield mapItem ? page.map(mapItem) : (page as unknown as U[]);
      }
    },
    stats: { requests: 0 },
  };
  return api as unknown as GraphApi & { filters: string[] };
}

describe('the sign-in stage, reading log time', () => {
  it('covers the backfill up to the overlap, keeps the overlap unread, and judges each record once across runs', async () => {
    const run = await stageRun();
    const records = [record('old', minutesAgo(3 * 24 * 60)), record('recent', minutesAgo(60)), record('edge', minutesAgo(10))];
    const graph = fakeGraph(records);
    const first = await signInStage({ ...run, graph }, emptyContext(run));
    expect(first.events).toMatchObject({ signIns: 3, newSignIns: 3 });
    expect(first.sources).toEqual([{ source: 'signIns', status: 'complete', items: 3 }]);
    const finalBefore = NOW.getTime() - (5 + 120) * 60_000;
    expect(await run.store.getCoverage(TENANT, 'signIns')).toEqual([{ from: new Date(0), to: new Date(finalBefore) }]);
    // Only the records in the overlap keep seen ids.
    const keys = records.map((r) => `${String(Date.parse(String(r.createdDateTime))).padStart(13, '0')}:${String(r.id)}`);
    expect(await run.store.filterUnseen(TENANT, 'signIns', keys)).toEqual([keys[0]]);

    const later = { ...run, now: new Date(NOW.getTime() + 15 * 60_000), graph };
    const second = await signInStage(later, emptyContext(later));
    expect(second.events).toMatchObject({ signIns: 2, newSignIns: 0 });
    expect(graph.filters[1]).toContain(`createdDateTime ge ${new Date(finalBefore).toISOString()}`);
  });

  it('keeps a record at exactly a slice boundary for the later slice only', async () => {
    const run = await stageRun();
    const boundary = new Date(NOW.getTime() - 5 * 60_000);
    const graph = fakeGraph([record('at-to', boundary)]);
    const result = await signInStage({ ...run, graph }, emptyContext(run));
    // `le to` returns it, the slice [from, to) does not keep it: the next run reads it.
    expect(result.events.signIns).toBe(0);
  });

  it('stops at the deadline with nothing of the slice stored, and says what is left', async () => {
    const run = await stageRun();
    const config = { ...run.config, collection: { ...run.config.collection, maxRunMinutes: 1 } };
    let clockMs = NOW.getTime();
    // 30,000 records over the backfill; every page takes 40 s of the run's clock.
    const records = Array.from({ length: 30_000 }, (_, i) => record(`r${i}`, new Date(NOW.getTime() - 7 * DAY + i * 20_000)));
    const graph = fakeGraph(records, () => void (clockMs += 40_000));
    const result = await signInStage({ ...run, config, graph }, emptyContext(run), { clock: () => new Date(clockMs) });
    expect(result.events.newSignIns).toBe(0);
    expect(result.errors.map((e) => e.code)).toEqual(['SIGNINS_BACKLOG']);
    expect(result.sources[0]).toMatchObject({ source: 'signIns', status: 'partial', errorCode: 'SIGNINS_BACKLOG' });
    expect(result.backlog).toMatchObject({ stoppedAtDeadline: true, intervals: 1 });
    expect(result.backlog!.minutes).toBeGreaterThan(6 * 24 * 60);
    // Only the time before the backfill is covered: the stopped slice stored nothing.
    expect(await run.store.getCoverage(TENANT, 'signIns')).toEqual([{ from: new Date(0), to: new Date(NOW.getTime() - 7 * DAY) }]);
    expect(await run.store.listAggregates(TENANT, '2000-01-01', '2999-12-31')).toEqual([]);
  });

  it('moves read time recorded past its clock back to what the last sound scan read, and reads it again', async () => {
    const run = await stageRun();
    const { settleInMinutes, overlapInMinutes } = run.config.collection;
    // A sound scan two hours ago, then one whose clock ran a day ahead and recorded time as read.
    const sound = new Date(NOW.getTime() - 2 * 3_600_000);
    await run.store.recordScan({ tenant: run.tenant.name, startedAt: sound, finishedAt: sound, sources: [], errors: [], summaryJson: '{}' });
    await run.store.commitWindow(windowCommit({ covered: [{ from: new Date(0), to: new Date(NOW.getTime() + DAY) }] }));
    const graph = fakeGraph([record('x', minutesAgo(30))]);
    const result = await signInStage({ ...run, graph }, emptyContext(run));
    const back = new Date(sound.getTime() - (settleInMinutes + overlapInMinutes) * 60_000);
    expect(result.errors).toEqual([
      expect.objectContaining({ code: 'WATERMARK_IN_FUTURE', message: expect.stringContaining(`Moved back to ${back.toISOString()}`) }),
    ]);
    // Read again from there: the sign-in logged after the bad scan is judged, not lost.
    expect(result.events.signIns).toBe(1);
    expect(result.sources[0]).toMatchObject({ status: 'partial', errorCode: 'WATERMARK_IN_FUTURE' });
    expect((await run.store.getCoverage(run.tenant.name, 'signIns')).at(-1)!.to.getTime()).toBeLessThan(NOW.getTime());
  });

  it('with no sound scan recorded, reads again all the log still holds and names what it may have lost', async () => {
    const run = await stageRun();
    await run.store.commitWindow(windowCommit({ covered: [{ from: new Date(0), to: new Date(NOW.getTime() + DAY) }] }));
    const graph = fakeGraph([record('x', minutesAgo(30))]);
    const result = await signInStage({ ...run, graph }, emptyContext(run));
    expect(result.errors.map((e) => e.code)).toEqual(['WATERMARK_IN_FUTURE', 'DATA_GAP']);
    expect(result.events.signIns).toBe(1);
    expect(result.sources[0]).toMatchObject({ status: 'partial', errorCode: 'DATA_GAP' });
  });

  it('stores an attack flood in parts as it reads, and a slice read again after a stop judges nothing twice', async () => {
    const run = await stageRun();
    // A rule that flags every sign-in: 4,500 findings in one slice.
    const every: Rule = {
      ...RULES[0]!,
      id: 'test-every-signin',
      match: (input, context) =>
        input.type === 'signIn' ? [signInFinding('test-every-signin', 'high', input.event, undefined, context, { summary: 'seen', details: {} })] : [],
    };
    let clockMs = NOW.getTime();
    const records = Array.from({ length: 4_500 }, (_, i) => record(`f${i}`, new Date(NOW.getTime() - DAY + i * 1_000)));
    // The last page arrives after the deadline: the slice stops before its end.
    let pages = 0;
    const graph = fakeGraph(records, () => {
      pages += 1;
      if (pages === 5) clockMs = NOW.getTime() + 21 * 60_000;
    });
    const first = await signInStage({ ...run, rules: [every], graph }, emptyContext(run), { clock: () => new Date(clockMs) });
    expect(first.errors.map((e) => e.code)).toContain('SIGNINS_BACKLOG');
    // Two parts of 2,000 were stored before the stop; the rest of the slice was not.
    expect(first.events.newSignIns).toBe(4_000);
    expect((await run.store.listFindings(TENANT, new Date(0), NOW)).length).toBe(4_000);

    const later = { ...run, now: new Date(NOW.getTime() + 30 * 60_000), rules: [every], graph };
    clockMs = later.now.getTime();
    const second = await signInStage(later, emptyContext(later), { clock: () => new Date(clockMs) });
    expect(second.events.newSignIns).toBe(500);
    expect((await run.store.listFindings(TENANT, new Date(0), later.now)).length).toBe(4_500);
    const counted = (await run.store.listAggregates(TENANT, '2000-01-01', '2999-12-31')).reduce((sum, a) => sum + a.count, 0);
    expect(counted).toBe(4_500);
  });
});
