/**
 * Two deliverers racing on one store, each with its own connection or client, as two processes
 * sharing state would: every due entry must reach the receiver once (docs/state.md, "Two workers
 * at once"). Real stores (a SQLite file, Table Storage on Azurite) and a real HTTP receiver.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWebhookChannel } from '../../src/alerts/channels/webhook.js';
import { deliverDue } from '../../src/alerts/deliver.js';
import { createFetch } from '../../src/graph/http.js';
import { AzureTableStateStore } from '../../src/state/azure-table.js';
import { SqliteStateStore } from '../../src/state/sqlite.js';
import type { OutboxEntry, StateStore } from '../../src/state/types.js';
import { startAzurite, type Azurite } from '../helpers/azurite.js';
import { startReceiver, type Receiver } from '../helpers/receiver.js';
import { outboxEntry, windowCommit } from '../state/records.js';
import { captureLogger } from '../helpers/tenant.js';

const t0 = new Date('2026-11-26T12:00:00Z');
const ENTRIES = 40;

let receiver: Receiver;
let azurite: Azurite;
beforeAll(async () => {
  [receiver, azurite] = await Promise.all([startReceiver(), startAzurite()]);
});
afterAll(async () => {
  await Promise.all([receiver.close(), azurite.stop()]);
});

/** Entries whose payload is a whole alert (as releases before delivery-time rendering queued them), so no alert rows are needed. */
function entry(i: number): OutboxEntry {
  const payload = { schema: 'credwatch.alert/v1', alertId: `a${i}`, tenant: 'contoso', severity: 'high', notification: 0 };
  return outboxEntry(`a${i}:siem:0`, { alertId: `a${i}`, channel: 'siem', payload: JSON.stringify(payload), nextAttemptAt: t0, createdAt: t0 });
}

/**
 * Queues the entries through the first store, lets every store deliver at once (each through its
 * own webhook channel to the one receiver), and expects each entry sent once, none left pending.
 */
async function expectEachSentOnce(stores: readonly StateStore[]): Promise<void> {
  receiver.requests.length = 0;
  await stores[0]!.commitWindow(windowCommit({ stream: 'test', seenExpiresAt: t0, outbox: Array.from({ length: ENTRIES }, (_, i) => entry(i)) }));
  const { logger } = captureLogger();
  const summaries = await Promise.all(
    stores.map((store) => {
      const channel = createWebhookChannel({
        name: 'siem',
        minSeverity: 'high',
        url: receiver.url,
        secret: 'race-signing-key-0123456789',
        digestThreshold: 1000,
        fetch: createFetch({ timeoutInMs: 5_000 }),
        now: () => t0,
      });
      return deliverDue({ store, channels: new Map([['siem', channel]]), now: () => t0, logger });
    }),
  );
  expect(summaries.reduce((n, s) => n + s.sent, 0)).toBe(ENTRIES);
  expect(await stores[0]!.listOutbox('contoso', 'pending')).toEqual([]);
  const keys = receiver.requests.map((r) => String(r.headers['idempotency-key']));
  expect(keys).toHaveLength(ENTRIES);
  expect(new Set(keys).size).toBe(ENTRIES);
}

describe('two deliverers on one store', () => {
  it('sends each entry once when two SQLite connections to one file deliver at once', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'credwatch-race-'));
    const path = join(dir, 'state.db');
    const stores = [SqliteStateStore.open(path), SqliteStateStore.open(path)];
    try {
      await expectEachSentOnce(stores);
    } finally {
      await Promise.all(stores.map((s) => s.close()));
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('sends each entry once when two Azure Table clients deliver at once', { timeout: 60_000 }, async () => {
    const location = { connectionString: azurite.connectionString };
    const options = { tablePrefix: 'race', allowInsecureConnection: true };
    const stores = [await AzureTableStateStore.open(location, options), await AzureTableStateStore.open(location, options)];
    try {
      await expectEachSentOnce(stores);
    } finally {
      await Promise.all(stores.map((s) => s.close()));
    }
  });
});
