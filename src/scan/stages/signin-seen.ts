/**
 * How the sign-in stage remembers which sign-ins it has processed (docs/state.md, "Seen ids").
 *
 * A sign-in's seen id is `<createdDateTime as epoch ms, 13 digits>:<Graph id>`, not the bare id.
 * Graph's ids are random GUIDs, so bare ids land all over the store's index: every window of 1,000
 * sign-ins dirtied about a thousand index pages, and SQLite wrote each one to its WAL and again at
 * checkpoint (~15 KB per id, a third of a scan's time). With the time first, the ids of one page are
 * neighbours and a window writes a few dozen pages. It is safe because a record never changes: the
 * same sign-in read again — in the overlap, after a crash, or held back by deferral — carries the
 * same createdDateTime and id, so it maps to the same key, and the key still names one record.
 *
 * Releases before this stored bare ids. Those may still be in the store (until they expire) for
 * sign-ins an older credwatch read, so a sign-in whose keyed id is unseen is looked up by its bare
 * id too — but only if it is old enough for an older credwatch to have read it: created no later
 * than the first scan that stored keyed ids. That scan records the bound in the store's cache
 * (`seen-keys:signIns:<tenant>`), and a store that had never scanned sign-ins records none, so a
 * new store never pays for the second look-up, and an upgraded one only until its windows have
 * moved past the upgrade (the overlap of the scans right after it).
 */
import type { SignInEvent } from '../../contract.js';
import type { StateStore } from '../../state/types.js';

/** The seen id of a sign-in: its time first, so a page's ids sort together. */
export function seenKey(event: Pick<SignInEvent, 'id' | 'createdAt'>): string {
  return `${String(event.createdAt.getTime()).padStart(13, '0')}:${event.id}`;
}

/** Where a stream's seen ids live, and how far back bare ids of an older release may exist. */
export interface SeenIds {
  store: StateStore;
  tenant: string;
  stream: string;
  /** Sign-ins created at or before this (epoch ms) may have been stored under their bare id; undefined: none were. */
  bareUntilMs: number | undefined;
}

interface KeyFormat {
  /** Epoch ms of the first scan that stored keyed ids, when an older release scanned before it; null when none did. */
  bareUntilMs: number | null;
}

/**
 * The tenant's seen ids for `stream`. On the first scan with keyed ids, decides whether bare ids of
 * an older release can exist — a watermark or a recorded scan says an older release read sign-ins
 * here — and records the answer, so every later scan reads the same bound.
 */
export async function openSeenIds(store: StateStore, tenant: string, stream: string, now: Date, watermark: Date | undefined): Promise<SeenIds> {
  const cacheKey = `seen-keys:${stream}:${tenant}`;
  const kept = await store.getCache(cacheKey);
  let format: KeyFormat;
  if (kept) {
    format = JSON.parse(kept.body) as KeyFormat;
  } else {
    const scannedBefore = watermark !== undefined || (await store.listScans(tenant, new Date(0), now)).length > 0;
    format = { bareUntilMs: scannedBefore ? now.getTime() : null };
    await store.putCache(cacheKey, { body: JSON.stringify(format), fetchedAt: now });
  }
  return { store, tenant, stream, bareUntilMs: format.bareUntilMs ?? undefined };
}

/** The events (distinct ids, as given) not seen before, keyed or — for old enough ones — bare. */
export async function unseenSignIns<E extends Pick<SignInEvent, 'id' | 'createdAt'>>(seen: SeenIds, events: readonly E[]): Promise<E[]> {
  const keys = events.map(seenKey);
  const unseenKeys = new Set(await seen.store.filterUnseen(seen.tenant, seen.stream, keys));
  const unseen = events.filter((_, i) => unseenKeys.has(keys[i]!));
  const bareUntil = seen.bareUntilMs;
  if (bareUntil === undefined) return unseen;
  const maybeBare = unseen.filter((e) => e.createdAt.getTime() <= bareUntil).map((e) => e.id);
  if (maybeBare.length === 0) return unseen;
  const unseenBare = new Set(await seen.store.filterUnseen(seen.tenant, seen.stream, maybeBare));
  return unseen.filter((e) => e.createdAt.getTime() > bareUntil || unseenBare.has(e.id));
}
