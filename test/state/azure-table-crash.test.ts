/**
 * The Azure Table store's commit is a journal applied idempotently; these tests make that fail in
 * every way it can: a crash after each single write of a commit, two stores committing at once,
 * and other writers changing rows between a store's read and its conditional write.
 */
import { describe, expect, it } from 'vitest';
import type { AzureTableStateStore } from '../../src/state/azure-table.js';
import type { StateStore, WindowCommit } from '../../src/state/types.js';
import { allRows, freshPrefix, injectedCrash, interceptWrites, openTableStore, rawTable, statusOf, useAzurite, type Write } from './azure-table-fixture.js';
import { BASE_MS, CRASH_TENANT, SHARED_AGGREGATE, windowSeenIds } from './fixtures/windows.js';
import { aggregate, alert, at, eventIds, outboxEntry, storedFinding, TENANT, STREAM, windowCommit } from './records.js';

const azurite = useAzurite();

/** Big enough to be stored as chunk rows, so the snapshot's generation switch is part of every cut. */
const snapshotJson = (tag: string) => JSON.stringify({ tag, apps: Array.from({ length: 3000 }, (_, i) => `${tag}-${i}-${(i * 7919) % 10007}`) });

const before = () =>
  windowCommit({
    watermark: at(1),
    alerts: [alert('alert-1', { count: 3 })],
    aggregates: [aggregate({ count: 3 })],
    snapshot: { tenant: TENANT, takenAt: at(0), json: snapshotJson('before') },
  });

const crashing = () =>
  windowCommit({
    watermark: at(60),
    seenIds: eventIds(0, 40),
    findings: [storedFinding('f-1'), storedFinding('f-2'), storedFinding('f-3')],
    alerts: [alert('alert-1', { count: 5 }), alert('alert-2')],
    outbox: [outboxEntry('o-1'), outboxEntry('o-2')],
    aggregates: [aggregate({ count: 2, successCount: 1, failureCount: 1 })],
    learnedNetworks: [{ tenant: TENANT, appId: 'app', network: 'AS64500', firstSeen: at(0) }],
    snapshot: { tenant: TENANT, takenAt: at(60), json: snapshotJson('after') },
  });

/** Everything `before()` and `crashing()` touch, as one comparable value. */
async function observe(store: StateStore) {
  return {
    watermark: await store.getWatermark(TENANT, STREAM),
    unseen: (await store.filterUnseen(TENANT, STREAM, eventIds(0, 40))).length,
    findings: (await store.listFindings(TENANT, at(-60), at(60))).map((f) => f.findingId),
    alerts: (await store.getAlerts(['alert-1', 'alert-2'])).map((a) => `${a.alertId}:${a.count}`),
    outbox: (await store.listOutbox(TENANT, 'pending')).map((e) => e.id),
    aggregateCount: (await store.listAggregates(TENANT, '2026-03-02', '2026-03-02'))[0]?.count,
    networks: (await store.getLearnedNetworks(TENANT, 'app')).length,
    snapshotTag: (JSON.parse((await store.getLatestSnapshot(TENANT))?.json ?? '{}') as { tag?: string }).tag,
  };
}

const ABSENT = { watermark: at(1), unseen: 40, findings: [], alerts: ['alert-1:3'], outbox: [], aggregateCount: 3, networks: 0, snapshotTag: 'before' };
const PRESENT = {
  watermark: at(60),
  unseen: 0,
  findings: ['f-1', 'f-2', 'f-3'],
  alerts: ['alert-1:5', 'alert-2:3'],
  outbox: ['o-1', 'o-2'],
  aggregateCount: 5,
  networks: 1,
  snapshotTag: 'after',
};

/** A store whose every write fails once `cutAfter` writes went through, as if the process died there. */
async function storeWithPowerCut(prefix: string): Promise<{ store: AzureTableStateStore; writes: Write[]; cutAfter: (n: number) => void }> {
  const writes: Write[] = [];
  let limit = Infinity;
  const store = await openTableStore(azurite(), prefix, {
    wrapTableClient: interceptWrites(prefix, (w) => {
      if (writes.length >= limit) throw injectedCrash();
      writes.push(w);
    }),
  });
  return { store, writes, cutAfter: (n) => (limit = writes.length + n) };
}

describe('azure table store after a crash', () => {
  it('holds the window whole or not at all after a crash at any write of its commit, and counts it once', { timeout: 300_000 }, async () => {
    // One clean run tells how many writes a commit makes and which one writes the journal.
    const probe = await storeWithPowerCut(freshPrefix());
    await probe.store.commitWindow(before());
    const start = probe.writes.length;
    await probe.store.commitWindow(crashing());
    const commitWrites = probe.writes.slice(start);
    const journalAt = commitWrites.findIndex((w) => w.table === 'Journal');
    expect(journalAt).toBeGreaterThan(0);
    expect(await observe(probe.store)).toEqual(PRESENT);

    for (let cut = 0; cut < commitWrites.length; cut++) {
      const prefix = freshPrefix();
      const { store, cutAfter } = await storeWithPowerCut(prefix);
      await store.commitWindow(before());
      cutAfter(cut);
      await expect(store.commitWindow(crashing()), `cut after ${cut} writes`).rejects.toMatchObject({ code: 'STATE_UNAVAILABLE' });
      // A new process opens the same tables; for good measure two of them at once.
      const [first, second] = await Promise.all([openTableStore(azurite(), prefix), openTableStore(azurite(), prefix)]);
      expect(await observe(first), `cut after ${cut} writes (${commitWrites[cut]?.table})`).toEqual(cut <= journalAt ? ABSENT : PRESENT);
      expect(await observe(second)).toEqual(await observe(first));
      expect(await allRows(rawTable(azurite(), prefix, 'Journal'))).toEqual([]);
      await Promise.all([store.close(), first.close(), second.close()]);
    }
  });

  it("completes a window whose apply failed at the same store's next read", async () => {
    const prefix = freshPrefix();
    const { store, cutAfter } = await storeWithPowerCut(prefix);
    await store.commitWindow(before());
    cutAfter(5);
    await expect(store.commitWindow(crashing())).rejects.toMatchObject({ code: 'STATE_UNAVAILABLE' });
    cutAfter(Infinity);
    expect(await observe(store)).toEqual(PRESENT);
    await store.commitWindow(windowCommit({ aggregates: [aggregate({ count: 1, successCount: 1, failureCount: 0 })] }));
    expect((await store.listAggregates(TENANT, '2026-03-02', '2026-03-02'))[0]?.count).toBe(6);
    await store.close();
  });
});

describe('azure table store with concurrent writers', () => {
  /** Window n of one writer: its own stream, ids, finding and outbox entry, +1 on an aggregate both share. */
  const window = (writer: string, n: number): WindowCommit =>
    windowCommit({
      tenant: CRASH_TENANT,
      stream: writer,
      watermark: new Date(BASE_MS + n * 1000),
      seenIds: windowSeenIds(writer, n),
      findings: [storedFinding(`${writer}:f:${n}`, { finding: { tenant: CRASH_TENANT, occurredAt: at(n) } })],
      outbox: [outboxEntry(`${writer}:o:${n}`, { tenant: CRASH_TENANT, createdAt: at(n) })],
      aggregates: [{ ...SHARED_AGGREGATE, count: 1, successCount: 1, failureCount: 0 }],
    });
  const shared = (minutes: number) => windowCommit({ tenant: CRASH_TENANT, stream: 'shared', watermark: at(minutes) });

  it('lands every window of two stores committing at once, and keeps the later watermark', { timeout: 120_000 }, async () => {
    const prefix = freshPrefix();
    const [a, b] = await Promise.all([openTableStore(azurite(), prefix), openTableStore(azurite(), prefix)]);
    const windows = 6;
    await Promise.all([
      ...Array.from({ length: windows }, (_, n) => a.commitWindow(window('a', n))),
      ...Array.from({ length: windows }, (_, n) => b.commitWindow(window('b', n))),
      ...[5, 40, 12].map((m) => a.commitWindow(shared(m))),
      ...[33, 7, 21].map((m) => b.commitWindow(shared(m))),
    ]);
    for (const writer of ['a', 'b']) {
      for (let n = 0; n < windows; n++) expect(await a.filterUnseen(CRASH_TENANT, writer, windowSeenIds(writer, n))).toEqual([]);
    }
    // Both stores read the same tables; reading through each shows neither keeps a private view.
    for (const store of [a, b]) {
      expect(await store.getWatermark(CRASH_TENANT, 'shared')).toEqual(at(40));
      for (const writer of ['a', 'b']) expect(await store.getWatermark(CRASH_TENANT, writer)).toEqual(new Date(BASE_MS + (windows - 1) * 1000));
      expect(await store.listFindings(CRASH_TENANT, at(-1), at(60))).toHaveLength(2 * windows);
      expect(await store.listOutbox(CRASH_TENANT, 'pending')).toHaveLength(2 * windows);
      expect(await store.listAggregates(CRASH_TENANT, SHARED_AGGREGATE.day, SHARED_AGGREGATE.day)).toMatchObject([{ count: 2 * windows }]);
    }
    await Promise.all([a.close(), b.close()]);
  });

  /**
   * A store that lets `competitor` write once, just before its first write to `table`, and records
   * the HTTP status of failed writes to `watched`.
   */
  async function raced(prefix: string, table: string, competitor: () => Promise<void>, watched = table) {
    let armed = true;
    const conflicts: number[] = [];
    const store = await openTableStore(azurite(), prefix, {
      wrapTableClient: interceptWrites(
        prefix,
        async (w) => {
          if (!armed || w.table !== table) return;
          armed = false;
          await competitor();
        },
        (w, error) => {
          const status = statusOf(error);
          if (w.table === watched && status !== undefined) conflicts.push(status);
        },
      ),
    });
    return { store, conflicts, arm: () => (armed = true) };
  }

  it.each([
    { competing: 50, committed: 30, expected: 50 },
    { competing: 20, committed: 30, expected: 30 },
  ])('retries a watermark another writer moved to $competing between read and write, keeping $expected', async ({ competing, committed, expected }) => {
    const prefix = freshPrefix();
    const other = await openTableStore(azurite(), prefix);
    await other.commitWindow(windowCommit({ watermark: at(10) }));
    const { store, conflicts, arm } = await raced(prefix, 'Watermarks', () => other.commitWindow(windowCommit({ watermark: at(competing) })));
    arm();
    await store.commitWindow(windowCommit({ watermark: at(committed) }));
    expect(conflicts).toContain(412);
    expect(await store.getWatermark(TENANT, STREAM)).toEqual(at(expected));
    expect(await other.getWatermark(TENANT, STREAM)).toEqual(at(expected));
    await Promise.all([store.close(), other.close()]);
  });

  it('drops a patch to an outbox entry another worker marked sent between read and write', async () => {
    const prefix = freshPrefix();
    const other = await openTableStore(azurite(), prefix);
    await other.commitWindow(windowCommit({ outbox: [outboxEntry('o-1')] }));
    const { store, conflicts, arm } = await raced(prefix, 'Outbox', () => other.updateOutbox('o-1', { status: 'sent', attempts: 1, sentAt: at(2) }));
    arm();
    await store.updateOutbox('o-1', { status: 'pending', attempts: 1, nextAttemptAt: at(5), lastError: 'HTTP 503' });
    expect(conflicts).toEqual([412]);
    expect(await store.listOutbox(undefined, undefined)).toMatchObject([{ id: 'o-1', status: 'sent', attempts: 1, sentAt: at(2), lastError: undefined }]);
    expect(await store.dueOutbox(at(100), 10)).toEqual([]);
    await Promise.all([store.close(), other.close()]);
  });

  it("applies a patch again on top of another worker's that landed between read and write", async () => {
    const prefix = freshPrefix();
    const other = await openTableStore(azurite(), prefix);
    await other.commitWindow(windowCommit({ outbox: [outboxEntry('o-1')] }));
    const { store, conflicts, arm } = await raced(prefix, 'Outbox', () => other.updateOutbox('o-1', { attempts: 1, lastError: 'HTTP 503' }));
    arm();
    await store.updateOutbox('o-1', { status: 'failed', lastError: 'HTTP 404' });
    expect(conflicts).toEqual([412]);
    expect(await store.listOutbox(undefined, undefined)).toMatchObject([{ id: 'o-1', status: 'failed', attempts: 1, lastError: 'HTTP 404' }]);
    expect(await store.dueOutbox(at(100), 10)).toEqual([]);
    await Promise.all([store.close(), other.close()]);
  });

  it('inserts an outbox entry once when another store inserts the same id first', async () => {
    const prefix = freshPrefix();
    const other = await openTableStore(azurite(), prefix);
    // The other commit lands whole just before this one's journal: this one's insert then meets a 409.
    const competitor = () => other.commitWindow(windowCommit({ stream: 'directoryAudits', outbox: [outboxEntry('o-1', { payload: 'theirs' })] }));
    const { store, conflicts, arm } = await raced(prefix, 'Journal', competitor, 'Outbox');
    arm();
    await store.commitWindow(windowCommit({ outbox: [outboxEntry('o-1', { payload: 'ours' }), outboxEntry('o-2')] }));
    expect(conflicts).toContain(409);
    expect((await store.listOutbox(undefined, undefined)).map((e) => `${e.id}:${e.payload.slice(0, 6)}`)).toEqual([
      'o-1:theirs',
      `o-2:${outboxEntry('o-2').payload.slice(0, 6)}`,
    ]);
    await Promise.all([store.close(), other.close()]);
  });
});
