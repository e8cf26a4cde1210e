/**
 * State files that are empty, foreign or damaged, and files other users could read
 * (test/faults/cases/state.ts). A bad state file must stop credwatch with an error naming the
 * file and what is wrong, and leave the file exactly as it was: starting over from it would
 * forget every watermark and send every alert in the lookback again.
 */
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createJsonlChannel } from '../../src/alerts/channels/jsonl.js';
import type { AlertPayload } from '../../src/alerts/payload.js';
import { buildWeeklyReport } from '../../src/report/model.js';
import { writeReportFiles } from '../../src/report/files.js';
import { SCHEMA_VERSION } from '../../src/state/sqlite-schema.js';
import { SqliteStateStore } from '../../src/state/sqlite.js';
import { reportInput } from '../report/model-fixtures.js';
import { STREAM, TENANT, at, eventIds, windowCommit } from '../state/records.js';

let dir: string;
let umask: number;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'credwatch-files-'));
  // The usual default: without explicit modes, new files would be 0644 and directories 0755.
  umask = process.umask(0o022);
});
afterEach(async () => {
  process.umask(umask);
  await rm(dir, { recursive: true, force: true });
});

/** The error opening `path` fails with, and the file's bytes before and after. */
async function refusal(path: string): Promise<{ error: unknown; before: Buffer; after: Buffer }> {
  const before = await readFile(path);
  let error: unknown;
  try {
    SqliteStateStore.open(path);
  } catch (e: unknown) {
    error = e;
  }
  return { error, before, after: await readFile(path) };
}

/** A state file with a few windows in it, as credwatch leaves it. */
async function realStateFile(path: string): Promise<void> {
  const store = SqliteStateStore.open(path);
  await store.commitWindow(windowCommit({ watermark: at(1), seenIds: eventIds(0, 3000) }));
  await store.close();
}

const modeOf = async (path: string): Promise<number> => (await stat(path)).mode & 0o777;

describe('a state file that is not usable state', () => {
  it('refuses a 0-byte state file as empty, naming it, instead of starting over', async () => {
    const path = join(dir, 'state.db');
    await writeFile(path, '');
    const { error, before, after } = await refusal(path);
    expect(error).toMatchObject({ code: 'STATE_CORRUPT', details: { path, size: 0 } });
    expect((error as Error).message).toContain(`${path} is empty (0 bytes)`);
    expect(after).toEqual(before);
    // Not opened at all: no journal or WAL beside it.
    expect(await readdir(dir)).toEqual(['state.db']);
  });

  it('refuses the SQLite database of another application, naming the file and its tables, and leaves it byte-identical', async () => {
    const path = join(dir, 'state.db');
    const other = new Database(path);
    other.exec('CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL); INSERT INTO invoices VALUES (1, 9.5)');
    other.close();
    const { error, before, after } = await refusal(path);
    expect(error).toMatchObject({ code: 'STATE_CORRUPT', details: { path, tables: ['invoices'] } });
    expect((error as Error).message).toContain(`${path} is a SQLite database but not a credwatch state database`);
    expect((error as Error).message).toContain('the tables invoices');
    // Byte for byte: not even switched to WAL mode.
    expect(after).toEqual(before);
  });

  it('refuses a SQLite database without tables instead of filling it as new state', async () => {
    const path = join(dir, 'state.db');
    const empty = new Database(path);
    // A valid header and nothing else, as a tool that "touched" the database would leave it.
    empty.pragma('user_version = 7');
    empty.close();
    const { error, before, after } = await refusal(path);
    expect(error).toMatchObject({ code: 'STATE_CORRUPT', details: { path, tables: [] } });
    expect((error as Error).message).toContain('it has no tables');
    expect(after).toEqual(before);
  });

  it('refuses state written by a newer schema version, naming both versions, and leaves it byte-identical', async () => {
    const path = join(dir, 'state.db');
    await realStateFile(path);
    const newer = new Database(path);
    newer.prepare('INSERT INTO schema_version VALUES (?, ?, ?)').run(SCHEMA_VERSION + 1, 'from a newer credwatch', Date.now());
    newer.close();
    const { error, before, after } = await refusal(path);
    expect(error).toMatchObject({ code: 'STATE_VERSION_UNSUPPORTED', details: { path, version: SCHEMA_VERSION + 1, supported: SCHEMA_VERSION } });
    expect((error as Error).message).toContain(path);
    expect(after).toEqual(before);
  });

  it('refuses a state file of random bytes as not a database, naming it, and leaves it byte-identical', async () => {
    const path = join(dir, 'state.db');
    // Deterministic noise (a linear congruential sequence), 3 pages long.
    const noise = Buffer.alloc(12_288);
    for (let i = 0, x = 12345; i < noise.length; i++) noise[i] = (x = (x * 1103515245 + 12345) >>> 0) >>> 24;
    await writeFile(path, noise);
    const { error, before, after } = await refusal(path);
    expect(error).toMatchObject({ code: 'STATE_CORRUPT', details: { path, sqliteCode: 'SQLITE_NOTADB' } });
    expect((error as Error).message).toContain(`state database ${path}`);
    expect(after).toEqual(before);
  });

  it('refuses a truncated state file as damaged, naming it, and leaves it byte-identical', async () => {
    const path = join(dir, 'state.db');
    await realStateFile(path);
    const whole = await readFile(path);
    // Cut at half, on a page boundary, as a copy interrupted by a full disk leaves it.
    await writeFile(path, whole.subarray(0, Math.floor(whole.length / 2 / 4096) * 4096));
    const { error, before, after } = await refusal(path);
    expect(error).toMatchObject({ code: 'STATE_CORRUPT', details: { path, sqliteCode: expect.stringMatching(/^SQLITE_CORRUPT/) } });
    expect((error as Error).message).toContain(`state database ${path}`);
    expect(after).toEqual(before);
  });

  it('starts afresh only when the state file is missing', async () => {
    const path = join(dir, 'state.db');
    const store = SqliteStateStore.open(path);
    expect(await store.getWatermark(TENANT, STREAM)).toBeUndefined();
    await store.close();
    // Created whole under another name and linked into place: nothing else is left beside it.
    expect(await readdir(dir)).toEqual(['state.db']);
  });
});

describe.skipIf(process.platform === 'win32')('files credwatch creates, with umask 022', () => {
  it('creates the state file, its -wal and -shm 0600 and its directories 0700', async () => {
    const path = join(dir, 'data', '.credwatch', 'state.db');
    const store = SqliteStateStore.open(path);
    try {
      await store.commitWindow(windowCommit({ watermark: at(1), seenIds: eventIds(0, 10) }));
      // While a connection is open, WAL mode keeps both beside the database.
      expect(existsSync(`${path}-wal`) && existsSync(`${path}-shm`)).toBe(true);
      expect([await modeOf(path), await modeOf(`${path}-wal`), await modeOf(`${path}-shm`)]).toEqual([0o600, 0o600, 0o600]);
    } finally {
      await store.close();
    }
    expect([await modeOf(join(dir, 'data')), await modeOf(join(dir, 'data', '.credwatch'))]).toEqual([0o700, 0o700]);
    // The temporary directory the test made keeps the mode it had: only what credwatch creates changes.
    expect(await modeOf(dir)).toBe(0o700);
  });

  it('creates alerts.jsonl 0600 in a directory it creates 0700, and keeps the mode of an existing log', async () => {
    const path = join(dir, 'alerts', 'alerts.jsonl');
    // The channel only serializes the payload, so a stand-in object is enough here.
    const payload = { alertId: 'a1', tenant: TENANT } as unknown as AlertPayload;
    await createJsonlChannel({ name: 'log', minSeverity: 'low', path }).send(payload);
    expect([await modeOf(path), await modeOf(join(dir, 'alerts'))]).toEqual([0o600, 0o700]);

    // A log an operator opened to a log shipper stays readable to it.
    const shared = join(dir, 'shared.jsonl');
    await writeFile(shared, '');
    await chmod(shared, 0o640);
    await createJsonlChannel({ name: 'log', minSeverity: 'low', path: shared }).send(payload);
    expect(await modeOf(shared)).toBe(0o640);
    expect(JSON.parse(await readFile(shared, 'utf8'))).toEqual({ alertId: 'a1', tenant: TENANT });
  });

  it('writes report files 0600 in a report directory it creates 0700', async () => {
    const outDir = join(dir, 'reports');
    const files = await writeReportFiles(buildWeeklyReport(reportInput()), outDir, (r) => `<html>${r.week}</html>`);
    const written = [files.json, files.findingsCsv, files.inventoryCsv, files.html].filter((p): p is string => p !== undefined);
    expect(written).toHaveLength(4);
    expect(await Promise.all(written.map(modeOf))).toEqual([0o600, 0o600, 0o600, 0o600]);
    expect(await modeOf(outDir)).toBe(0o700);
  });
});
