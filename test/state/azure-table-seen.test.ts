/**
 * The Azure Table store's seen-id layouts (src/state/azure-table-seen*.ts): time-keyed ids looked
 * up by one range query per day, ids an older release stored in hash buckets still found up to
 * the switch and never looked for after it, the switch decided once even by two processes at once,
 * and the purge reaching both layouts.
 */
import { createHash } from 'node:crypto';
import type { TableClient, TransactionAction } from '@azure/data-tables';
import { describe, expect, it } from 'vitest';
import { keyPart } from '../../src/state/azure-table-keys.js';
import { allRows, freshPrefix, interceptWrites, openTableStore, rawTable, useAzurite } from './azure-table-fixture.js';
import { STREAM, TENANT, windowCommit } from './records.js';

const azurite = useAzurite();
const HOUR_MS = 3_600_000;
const MIDNIGHT = Date.parse('2026-03-03T00:00:00.000Z');

/** A sign-in's seen id at epoch ms `ms`. */
function keyedAt(ms: number, n = ms): string {
  return `${String(ms).padStart(13, '0')}:${n.toString(16).padStart(8, '0')}-0000-4000-8000-000000000000`;
}

/** `count` sign-ins one second apart, from `fromSecond` seconds after MIDNIGHT. */
function page(fromSecond: number, count: number): string[] {
  return Array.from({ length: count }, (_, i) => keyedAt(MIDNIGHT + (fromSecond + i) * 1000));
}

/**
 * Seen rows as the release before the time layout wrote every id: 16 partitions per tenant and
 * stream chosen by the first byte of the id's SHA-256 (UTF-16LE), RowKey the encoded id.
 */
async function writeOldLayout(prefix: string, ids: readonly string[], expiresMs: number, tenant = TENANT): Promise<void> {
  const table = rawTable(azurite(), prefix, 'Seen');
  const byPartition = new Map<string, TransactionAction[]>();
  for (const id of ids) {
    const bucket = (createHash('sha256').update(id, 'utf16le').digest()[0] as number) % 16;
    const pk = `${keyPart(tenant)}~${keyPart(STREAM)}~${bucket.toString(16)}`;
    const actions = byPartition.get(pk) ?? [];
    actions.push(['create', { partitionKey: pk, rowKey: keyPart(id), e: { value: expiresMs, type: 'Double' } }]);
    byPartition.set(pk, actions);
  }
  for (const actions of byPartition.values()) {
    for (let i = 0; i < actions.length; i += 100) await table.submitTransaction(actions.slice(i, i + 100));
  }
}

interface Call {
  table: string;
  method: string;
  filter: string | undefined;
  select: string[] | undefined;
}

/** A `wrapTableClient` recording every SDK call, with a query's filter and projection. */
function recording(prefix: string, calls: Call[]): (client: TableClient) => TableClient {
  return (client) =>
    new Proxy(client, {
      get(target, prop) {
        const value = Reflect.get(target, prop, target) as unknown;
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          const query = prop === 'listEntities' ? (args[0] as { queryOptions?: { filter?: string; select?: string[] } } | undefined)?.queryOptions : undefined;
          calls.push({ table: target.tableName.slice(prefix.length), method: String(prop), filter: query?.filter, select: query?.select });
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    });
}

/** How many calls of each method went to the Seen table since `from`. */
function seenCalls(calls: readonly Call[], from = 0): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const c of calls.slice(from)) if (c.table === 'Seen') counts[c.method] = (counts[c.method] ?? 0) + 1;
  return counts;
}

describe('azure table seen ids by time', () => {
  it('looks up a page with one range query per day it touches, projecting RowKey and expiry, and no point reads', async () => {
    const prefix = freshPrefix();
    const calls: Call[] = [];
    const store = await openTableStore(azurite(), prefix, { wrapTableClient: recording(prefix, calls) });
    await store.commitWindow(windowCommit({ seenIds: page(-600, 1000) }));
    expect(await store.filterUnseen(TENANT, STREAM, page(-300, 1000))).toEqual(page(400, 300));

    const from = calls.length;
    expect(await store.filterUnseen(TENANT, STREAM, [...page(-300, 1000), 'evt-1'])).toEqual([...page(400, 300), 'evt-1']);
    expect(seenCalls(calls, from)).toEqual({ listEntities: 2, getEntity: 1 });
    const queries = calls.slice(from).filter((c) => c.table === 'Seen' && c.method === 'listEntities');
    expect(queries.map((q) => q.select)).toEqual([
      ['RowKey', 'e'],
      ['RowKey', 'e'],
    ]);
    expect(new Set(queries.map((q) => /PartitionKey eq '([^']*)'/.exec(q.filter ?? '')?.[1])).size).toBe(2);
    await store.close();
  });

  it('never looks a time-keyed id up twice in a new store, in this process or another', async () => {
    const prefix = freshPrefix();
    const calls: Call[] = [];
    const store = await openTableStore(azurite(), prefix, { wrapTableClient: recording(prefix, calls) });
    const opened = calls.length;
    expect(await store.filterUnseen(TENANT, STREAM, page(0, 1000))).toEqual(page(0, 1000));
    // The layout marker: read, found absent, hash buckets checked, written; never a read per id.
    expect(seenCalls(calls, opened)).toEqual({ getEntity: 1, listEntities: 17, createEntity: 1 });
    await store.commitWindow(windowCommit({ seenIds: page(0, 500) }));

    const other: Call[] = [];
    const second = await openTableStore(azurite(), prefix, { wrapTableClient: recording(prefix, other) });
    const reopened = other.length;
    expect(await second.filterUnseen(TENANT, STREAM, page(0, 1000))).toEqual(page(500, 500));
    expect(seenCalls(other, reopened)).toEqual({ getEntity: 1, listEntities: 1 });
    const from = other.length;
    expect(await second.filterUnseen(TENANT, STREAM, page(0, 1000))).toEqual(page(500, 500));
    expect(seenCalls(other, from)).toEqual({ listEntities: 1 });
    await Promise.all([store.close(), second.close()]);
  });

  it('counts hash buckets holding only bare ids as no older layout', async () => {
    const prefix = freshPrefix();
    const calls: Call[] = [];
    const store = await openTableStore(azurite(), prefix, { wrapTableClient: recording(prefix, calls) });
    // Bare ids: directory audits, and sign-ins of releases before time keys (some start with digits).
    const bare = Array.from({ length: 200 }, (_, i) => `${(i * 7919).toString(16).padStart(8, '0')}-0000-4000-8000-000000000000`);
    await store.commitWindow(windowCommit({ seenIds: bare }));
    const from = calls.length;
    expect(await store.filterUnseen(TENANT, STREAM, page(0, 100))).toEqual(page(0, 100));
    expect(await store.filterUnseen(TENANT, STREAM, page(0, 100))).toEqual(page(0, 100));
    expect(seenCalls(calls, from)).toEqual({ getEntity: 1, listEntities: 18, createEntity: 1 });
    await store.close();
  });
});

describe('azure table seen ids stored by an older release', () => {
  it('finds them in hash buckets up to the switch, and looks for newer ones only in their day', async () => {
    const prefix = freshPrefix();
    const calls: Call[] = [];
    const store = await openTableStore(azurite(), prefix, { wrapTableClient: recording(prefix, calls) });
    const far = Date.now() + 30 * 86_400_000;
    await writeOldLayout(prefix, [...page(-600, 600), 'evt-old'], far);

    expect(await store.filterUnseen(TENANT, STREAM, [...page(-600, 1000), 'evt-old', 'evt-new'])).toEqual([...page(0, 400), 'evt-new']);
    await store.commitWindow(windowCommit({ seenIds: page(0, 400) }));
    expect(await store.filterUnseen(TENANT, STREAM, page(-600, 1000))).toEqual([]);

    // The switch is now (+ a margin): an older release cannot have stored what was created after it.
    const beforeSwitch = keyedAt(Date.now() + HOUR_MS / 2);
    const afterSwitch = keyedAt(Date.now() + 2 * HOUR_MS);
    await writeOldLayout(prefix, [beforeSwitch, afterSwitch], far);
    const from = calls.length;
    expect(await store.filterUnseen(TENANT, STREAM, [beforeSwitch, afterSwitch])).toEqual([afterSwitch]);
    const days = new Set([beforeSwitch, afterSwitch].map((id) => new Date(Number(id.slice(0, 13))).toISOString().slice(0, 10)));
    expect(seenCalls(calls, from)).toEqual({ listEntities: days.size, getEntity: 1 });

    // Seen while either layout holds it unexpired: the later expiry wins, as for any id committed twice.
    await store.commitWindow(windowCommit({ seenIds: [page(-600, 1)[0]!], seenExpiresAt: new Date(Date.now() - 60_000) }));
    expect(await store.filterUnseen(TENANT, STREAM, page(-600, 1))).toEqual([]);
    await store.close();
  });

  it('decides the switch once when two processes first look at once, and both use that answer', async () => {
    const prefix = freshPrefix();
    const now = Date.now();
    await (await openTableStore(azurite(), prefix)).close();
    await writeOldLayout(prefix, page(-600, 600), now + 30 * 86_400_000);
    // Each waits at the marker's insert until the other got there too, so both really race.
    let arrived = 0;
    let release = (): void => undefined;
    const bothThere = new Promise<void>((resolve) => (release = resolve));
    const barrier = interceptWrites(prefix, async (w) => {
      if (w.table !== 'Seen' || w.method !== 'createEntity') return;
      if (++arrived === 2) release();
      await bothThere;
    });
    // Clocks ten days apart, so the two would decide different switch times.
    const a = await openTableStore(azurite(), prefix, { wrapTableClient: barrier, now: () => new Date(now) });
    const b = await openTableStore(azurite(), prefix, { wrapTableClient: barrier, now: () => new Date(now + 10 * 86_400_000) });
    const [fromA, fromB] = await Promise.all([a.filterUnseen(TENANT, STREAM, page(-600, 1000)), b.filterUnseen(TENANT, STREAM, page(-600, 1000))]);
    expect(arrived).toBe(2);
    expect(fromA).toEqual(page(0, 400));
    expect(fromB).toEqual(page(0, 400));

    const markers = (await allRows(rawTable(azurite(), prefix, 'Seen'))).filter((r) => typeof r['old'] === 'boolean');
    expect(markers).toHaveLength(1);
    // An id between the two candidate switch times is looked for in its bucket by both or by neither.
    const between = keyedAt(now + 5 * 86_400_000);
    await writeOldLayout(prefix, [between], now + 30 * 86_400_000);
    const [againA, againB] = await Promise.all([a.filterUnseen(TENANT, STREAM, [between]), b.filterUnseen(TENANT, STREAM, [between])]);
    expect(againA).toEqual(againB);
    expect(againA).toEqual(Number(markers[0]!['until']) >= now + 5 * 86_400_000 ? [] : [between]);
    await Promise.all([a.close(), b.close()]);
  });

  it('purges expired ids of both layouts, counting them, and keeps the switch', async () => {
    const prefix = freshPrefix();
    const store = await openTableStore(azurite(), prefix);
    const expired = Date.now() - 60_000;
    await writeOldLayout(prefix, page(-10, 2), expired);
    await writeOldLayout(prefix, page(-8, 1), Date.now() + 86_400_000);
    await store.commitWindow(windowCommit({ seenIds: page(0, 2), seenExpiresAt: new Date(expired) }));
    await store.commitWindow(windowCommit({ seenIds: page(2, 1) }));
    expect(await store.filterUnseen(TENANT, STREAM, page(-10, 13))).toEqual([...page(-10, 2), ...page(-7, 9)]);

    expect(await store.purgeExpired(new Date())).toBe(4);
    expect(await store.purgeExpired(new Date())).toBe(0);
    const left = await allRows(rawTable(azurite(), prefix, 'Seen'));
    expect(left.filter((r) => typeof r['old'] !== 'boolean').map((r) => r['rowKey'])).toEqual(expect.arrayContaining([page(-8, 1)[0], page(2, 1)[0]]));
    expect(left).toHaveLength(3);

    const again = await openTableStore(azurite(), prefix);
    expect(await again.filterUnseen(TENANT, STREAM, page(-10, 13))).toEqual([...page(-10, 2), ...page(-7, 9)]);
    await Promise.all([store.close(), again.close()]);
  });
});
