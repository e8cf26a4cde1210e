import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Secret } from '../../src/config/index.js';
import { openStateStore } from '../../src/state/index.js';
import { MemoryStateStore } from '../../src/state/memory.js';
import { SqliteStateStore } from '../../src/state/sqlite.js';
import { STREAM, TENANT, windowCommit } from './records.js';

describe('openStateStore', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'credwatch-open-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('opens the memory store with the injected clock', async () => {
    const store = await openStateStore({ type: 'memory' }, { now: () => new Date('2030-01-01T00:00:00Z') });
    expect(store).toBeInstanceOf(MemoryStateStore);
    // Expiry lies in the real future but the injected past of 2030: the id counts as unseen.
    await store.commitWindow(windowCommit({ seenIds: ['a'], seenExpiresAt: new Date('2029-12-31T00:00:00Z') }));
    expect(await store.filterUnseen(TENANT, STREAM, ['a'])).toEqual(['a']);
  });

  it('opens a relative SQLite path against the base directory, creating it', async () => {
    const store = await openStateStore({ type: 'sqlite', path: 'data/state.db' }, { baseDir: dir });
    expect(store).toBeInstanceOf(SqliteStateStore);
    await store.close();
    expect((await stat(join(dir, 'data', 'state.db'))).isFile()).toBe(true);
  });

  it('opens Azure Table state from a connection string, and says plainly when the account cannot be reached', async () => {
    // Port 9 on loopback: nothing listens, so the open fails at once instead of waiting on a network.
    const connectionString = 'DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=a2V5;TableEndpoint=http://127.0.0.1:9/devstoreaccount1;';
    await expect(
      openStateStore({ type: 'azureTable', tablePrefix: 'credwatch', connectionEnv: 'AzureWebJobsStorage', connectionString: new Secret(connectionString) }),
    ).rejects.toMatchObject({ code: 'STATE_UNAVAILABLE' });
  });
});
