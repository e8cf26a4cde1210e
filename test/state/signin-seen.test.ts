import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { openSeenIds, seenKey, unseenSignIns } from '../../src/scan/stages/signin-seen.js';
import { MIGRATIONS } from '../../src/state/sqlite-schema.js';
import { SqliteStateStore } from '../../src/state/sqlite.js';
import type { StateStore } from '../../src/state/types.js';
import { at, expiresIn, scanRecord, STREAM, T0, TENANT, windowCommit } from './records.js';

/** A sign-in as the stage sees it: only its id and time matter here. */
const signIn = (id: string, minutes: number) => ({ id, createdAt: at(minutes) });

/** Commits the seen ids of `events` the way the sign-in stage does. */
async function markSeen(store: StateStore, events: ReadonlyArray<{ id: string; createdAt: Date }>): Promise<void> {
  await store.commitWindow(windowCommit({ seenIds: events.map(seenKey), seenExpiresAt: expiresIn(2) }));
}

describe('sign-in seen ids', () => {
  let dir: string;
  let store: SqliteStateStore | undefined;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'credwatch-seen-'));
  });
  afterEach(async () => {
    await store?.close();
    store = undefined;
    await rm(dir, { recursive: true, force: true });
  });

  it('key a sign-in by its time, then its id: stable across re-reads and ordered by time', () => {
    const late = signIn('00000000-0000-4000-8000-000000000001', 90);
    const early = signIn('ffffffff-0000-4000-8000-000000000001', 30);
    expect(seenKey(late)).toBe(`${at(90).getTime()}:${late.id}`);
    expect(seenKey({ ...late })).toBe(seenKey(late));
    expect([seenKey(late), seenKey(early)].sort()).toEqual([seenKey(early), seenKey(late)]);
    // Fixed width, so the order holds for any epoch-ms time up to the year 2286.
    expect(seenKey({ id: 'x', createdAt: new Date(999) })).toBe('0000000000999:x');
  });

  it('skip, across the overlap, what an earlier page committed, on a new store with one look-up per page', async () => {
    store = SqliteStateStore.open(join(dir, 'state.db'));
    const seen = await openSeenIds(store, TENANT, STREAM, at(200), undefined);
    expect(seen.bareUntilMs).toBeUndefined();
    const first = [signIn('a', 10), signIn('b', 11), signIn('c', 12)];
    expect(await unseenSignIns(seen, first)).toEqual(first);
    await markSeen(store, first.slice(0, 2));
    // The next scan re-reads the overlap (b, c) and finds d.
    const filter = vi.spyOn(store, 'filterUnseen');
    const again = [signIn('b', 11), signIn('c', 12), signIn('d', 13)];
    expect(await unseenSignIns(await openSeenIds(store, TENANT, STREAM, at(300), at(12)), again)).toEqual([again[1], again[2]]);
    expect(filter).toHaveBeenCalledTimes(1);
  });

  it('upgrade an older release’s file: its bare ids still count as seen for sign-ins up to the first keyed scan, and only for those', async () => {
    // A version-2 file with what the release before keyed ids left: bare Graph ids and a watermark.
    const path = join(dir, 'state.db');
    const old = new Database(path);
    old.pragma('journal_mode = WAL');
    old.exec('CREATE TABLE schema_version (version INTEGER PRIMARY KEY, description TEXT NOT NULL, applied_at_ms INTEGER NOT NULL) STRICT');
    for (const m of MIGRATIONS.slice(0, 2)) {
      old.exec(m.sql);
      old.prepare('INSERT INTO schema_version VALUES (?, ?, ?)').run(m.version, m.description, 1);
    }
    const bare = old.prepare('INSERT INTO seen_ids VALUES (?, ?, ?, ?)');
    for (const id of ['old-1', 'old-2']) bare.run(TENANT, STREAM, id, expiresIn(2).getTime());
    old.prepare('INSERT INTO watermarks VALUES (?, ?, ?)').run(TENANT, STREAM, at(60).getTime());
    old.close();

    store = SqliteStateStore.open(path);
    const upgradedAt = at(120);
    const seen = await openSeenIds(store, TENANT, STREAM, upgradedAt, at(60));
    expect(seen.bareUntilMs).toBe(upgradedAt.getTime());
    const overlap = [signIn('old-1', 50), signIn('old-2', 59), signIn('new-1', 61)];
    expect(await unseenSignIns(seen, overlap)).toEqual([overlap[2]]);
    await markSeen(store, [overlap[2]!]);

    // A later scan reads the bound the first one recorded, whatever its own clock says.
    const filter = vi.spyOn(store, 'filterUnseen');
    const later = await openSeenIds(store, TENANT, STREAM, at(600), at(115));
    expect(later.bareUntilMs).toBe(upgradedAt.getTime());
    const next = [signIn('old-2', 59), signIn('new-1', 61), signIn('new-2', 130)];
    expect(await unseenSignIns(later, next)).toEqual([next[2]]);
    // Keyed look-up of all three, then bare only for the one the keyed look-up missed that is old enough.
    expect(filter.mock.calls.map((c) => c[2])).toEqual([next.map(seenKey), ['old-2']]);
  });

  it('look for bare ids when an older release scanned without moving the watermark (deferred sign-ins)', async () => {
    store = SqliteStateStore.open(join(dir, 'state.db'));
    await store.recordScan(scanRecord(T0));
    await store.commitWindow(windowCommit({ seenIds: ['deferred-era'], seenExpiresAt: expiresIn(31) }));
    const seen = await openSeenIds(store, TENANT, STREAM, at(120), undefined);
    expect(seen.bareUntilMs).toBe(at(120).getTime());
    expect(await unseenSignIns(seen, [signIn('deferred-era', 5), signIn('new', 6)])).toEqual([signIn('new', 6)]);
  });
});
