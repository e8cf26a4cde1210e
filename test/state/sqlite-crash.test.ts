/**
 * Real processes, real SIGKILLs: a writer commits windows as fast as it can and is killed at
 * random moments; afterwards the file must pass SQLite's integrity check and hold every window
 * whole or not at all. Then two writers share one file: nothing lost, nothing double-counted.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteStateStore } from '../../src/state/sqlite.js';
import { BASE_MS, CRASH_TENANT, SEEN_PER_WINDOW, SHARED_AGGREGATE, windowSeenIds } from './fixtures/windows.js';

const FIXTURE = fileURLToPath(new URL('./fixtures/commit-loop.ts', import.meta.url));

interface Writer {
  /** The first window this run commits. */
  ready: Promise<number>;
  /** Windows whose commit returned before the process died. */
  acknowledged: number[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stderr: () => string;
  go: () => void;
  kill: () => void;
}

function startWriter(path: string, writer: string, windows: number): Writer {
  const child = spawn(process.execPath, ['--import', 'tsx', FIXTURE, path, writer, String(windows)], { stdio: ['pipe', 'pipe', 'pipe'] });
  const acknowledged: number[] = [];
  let errors = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (errors += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  const ready = new Promise<number>((resolve, reject) => {
    createInterface({ input: child.stdout }).on('line', (line) => {
      const [word, n] = line.split(' ');
      if (word === 'ready') resolve(Number(n));
      if (word === 'committed') acknowledged.push(Number(n));
    });
    void exited.then(() => reject(new Error(`writer ${writer} exited before it was ready: ${errors}`)));
  });
  return {
    ready,
    acknowledged,
    exited,
    stderr: () => errors,
    go: () => child.stdin.write('go\n'),
    kill: () => child.kill('SIGKILL'),
  };
}

/** The last window a writer's watermark says is committed, or -1. */
async function lastCommittedWindow(store: SqliteStateStore, writer: string): Promise<number> {
  const watermark = await store.getWatermark(CRASH_TENANT, writer);
  return watermark === undefined ? -1 : (watermark.getTime() - BASE_MS) / 1000;
}

/** Checks the file and returns each writer's last complete window. */
async function verifyDatabase(path: string, writers: readonly string[]): Promise<Record<string, number>> {
  const raw = new Database(path, { readonly: true });
  const store = SqliteStateStore.open(path);
  try {
    expect(raw.pragma('integrity_check', { simple: true })).toBe('ok');
    const count = (sql: string, ...params: string[]) => raw.prepare<string[], { n: number }>(sql).get(...params)?.n;
    const last: Record<string, number> = {};
    for (const writer of writers) {
      const n = await lastCommittedWindow(store, writer);
      last[writer] = n;
      // Totals catch a partial window anywhere; the per-window checks below say which one.
      expect(count('SELECT count(*) AS n FROM seen_ids WHERE tenant = ? AND stream = ?', CRASH_TENANT, writer)).toBe((n + 1) * SEEN_PER_WINDOW);
      expect(count('SELECT count(*) AS n FROM findings WHERE finding_id LIKE ?', `${writer}:f:%`)).toBe(n + 1);
      expect(count('SELECT count(*) AS n FROM outbox WHERE id LIKE ?', `${writer}:o:%`)).toBe(n + 1);
      for (let w = 0; w <= n; w++) {
        expect(await store.filterUnseen(CRASH_TENANT, writer, windowSeenIds(writer, w)), `window ${w}`).toEqual([]);
      }
      expect(await store.filterUnseen(CRASH_TENANT, writer, windowSeenIds(writer, n + 1))).toHaveLength(SEEN_PER_WINDOW);
    }
    const [shared] = await store.listAggregates(CRASH_TENANT, SHARED_AGGREGATE.day, SHARED_AGGREGATE.day);
    const windows = Object.values(last).reduce((sum, n) => sum + n + 1, 0);
    expect(shared?.count ?? 0).toBe(windows);
    return last;
  } finally {
    raw.close();
    await store.close();
  }
}

describe('sqlite state under crashes and concurrent writers', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'credwatch-crash-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps every window whole and every acknowledged commit after SIGKILLs at random moments', { timeout: 120_000 }, async () => {
    const path = join(dir, 'state.db');
    const delays: number[] = [];
    let acknowledged = -1;
    for (let run = 0; run < 5; run++) {
      const writer = startWriter(path, 'w', 0);
      const first = await writer.ready;
      // Each run resumes right after the last window the previous one got committed.
      expect(first).toBe((await verifyDatabase(path, ['w']))['w']! + 1);
      const delay = 50 + Math.floor(Math.random() * 250);
      delays.push(delay);
      writer.go();
      await new Promise((resolve) => setTimeout(resolve, delay));
      writer.kill();
      expect((await writer.exited).signal).toBe('SIGKILL');
      expect(writer.stderr()).toBe('');
      acknowledged = Math.max(acknowledged, ...writer.acknowledged);
      const last = (await verifyDatabase(path, ['w']))['w']!;
      // A commit that returned is never lost; at most the one in flight at the kill is extra.
      expect(last, `kill delays ${delays.join(', ')} ms`).toBeGreaterThanOrEqual(acknowledged);
      expect(last).toBeLessThanOrEqual(acknowledged + 1);
    }
    expect(acknowledged, 'the writer committed windows between kills').toBeGreaterThan(10);
  });

  it('loses no commit and surfaces no SQLITE_BUSY when two processes write one new file', { timeout: 120_000 }, async () => {
    const path = join(dir, 'state.db');
    const windows = 150;
    // Both open the brand-new file at once, so the schema migration races as well.
    const writers = [startWriter(path, 'a', windows), startWriter(path, 'b', windows)];
    expect(await Promise.all(writers.map((w) => w.ready))).toEqual([0, 0]);
    for (const w of writers) w.go();
    const exits = await Promise.all(writers.map((w) => w.exited));
    expect(writers.map((w) => w.stderr())).toEqual(['', '']);
    expect(exits).toEqual([
      { code: 0, signal: null },
      { code: 0, signal: null },
    ]);
    expect(await verifyDatabase(path, ['a', 'b'])).toEqual({ a: windows - 1, b: windows - 1 });
  });
});
