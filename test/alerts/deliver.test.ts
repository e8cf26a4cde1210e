import { describe, expect, it } from 'vitest';
import type { Channel } from '../../src/alerts/channels/types.js';
import { CLAIM_IN_MS } from '../../src/alerts/claim.js';
import { deliverDue } from '../../src/alerts/deliver.js';
import type { AlertPayload } from '../../src/alerts/payload.js';
import { CredwatchError } from '../../src/errors.js';
import type { Severity } from '../../src/events.js';
import { MemoryStateStore } from '../../src/state/index.js';
import type { OutboxEntry } from '../../src/state/types.js';
import { captureLogger } from '../helpers/tenant.js';

const t0 = new Date('2026-11-26T12:00:00Z');

function entry(i: number, severity: Severity, channel = 'ch'): OutboxEntry {
  const payload = { schema: 'credwatch.alert/v1', alertId: `a${i}`, severity, notification: 0 } as unknown as AlertPayload;
  return {
    id: `a${i}:${channel}:0`,
    alertId: `a${i}`,
    tenant: 'contoso',
    channel,
    payload: JSON.stringify(payload),
    status: 'pending',
    attempts: 0,
    nextAttemptAt: t0,
    lastError: undefined,
    createdAt: t0,
    sentAt: undefined,
  };
}

async function storeWith(entries: OutboxEntry[]): Promise<MemoryStateStore> {
  const store = new MemoryStateStore({ now: () => t0 });
  await store.commitWindow({
    tenant: 'contoso',
    stream: 'test',
    watermark: undefined,
    seenIds: [],
    seenExpiresAt: t0,
    findings: [],
    alerts: [],
    outbox: entries,
    aggregates: [],
    learnedNetworks: [],
    snapshot: undefined,
  });
  return store;
}

/** A channel that records what it was asked to send and fails as scripted. */
function recordingChannel(script: Array<'ok' | Error> = []): Channel & { sent: string[][] } {
  const sent: string[][] = [];
  const next = async (ids: string[]) => {
    const outcome = script.shift() ?? 'ok';
    if (outcome !== 'ok') throw outcome;
    sent.push(ids);
  };
  return {
    name: 'ch',
    type: 'test',
    minSeverity: 'informational',
    digestThreshold: 3,
    sent,
    send: async (a) => next([a.alertId]),
    sendDigest: async (alerts) => next(alerts.map((a) => a.alertId)),
  };
}

const deps = (store: MemoryStateStore, channel: Channel, now = t0) => ({
  store,
  channels: new Map([[channel.name, channel]]),
  now: () => now,
  logger: captureLogger('silent').logger,
  random: () => 0.5,
});

describe('deliverDue', () => {
  it('sends the most severe first and marks each entry sent only after the channel accepted it', async () => {
    const store = await storeWith([entry(1, 'low'), entry(2, 'critical'), entry(3, 'medium')]);
    const channel = recordingChannel();
    const summary = await deliverDue(deps(store, channel));
    expect(channel.sent).toEqual([['a2'], ['a3'], ['a1']]);
    expect(summary).toMatchObject({ sent: 3, retrying: 0, failed: 0 });
    expect((await store.listOutbox('contoso', 'sent')).length).toBe(3);
  });

  it('turns a flood into one digest but still sends a critical alert on its own', async () => {
    const store = await storeWith([entry(1, 'critical'), ...[2, 3, 4, 5].map((i) => entry(i, 'medium'))]);
    const channel = recordingChannel();
    await deliverDue(deps(store, channel));
    expect(channel.sent).toEqual([['a1'], ['a2', 'a3', 'a4', 'a5']]);
  });

  it('keeps a retryable failure pending until the Retry-After the channel reported', async () => {
    const store = await storeWith([entry(1, 'high')]);
    const channel = recordingChannel([new CredwatchError('CHANNEL_UNAVAILABLE', 'ch answered 429', { details: { retryAfterInMs: 120_000 } })]);
    expect(await deliverDue(deps(store, channel))).toMatchObject({ retrying: 1, sent: 0 });
    const [pending] = await store.listOutbox('contoso', 'pending');
    expect(pending).toMatchObject({ attempts: 1, nextAttemptAt: new Date(t0.getTime() + 120_000), lastError: 'CHANNEL_UNAVAILABLE: ch answered 429' });
    // Not due yet a minute later; due after two.
    expect(await deliverDue(deps(store, channel, new Date(t0.getTime() + 60_000)))).toMatchObject({ sent: 0 });
    expect(await deliverDue(deps(store, channel, new Date(t0.getTime() + 120_000)))).toMatchObject({ sent: 1 });
    expect(channel.sent).toEqual([['a1']]);
  });

  it('marks a permanent rejection failed with the reason and never retries it', async () => {
    const store = await storeWith([entry(1, 'high')]);
    const channel = recordingChannel([new CredwatchError('CHANNEL_REJECTED', 'ch answered 400: Bad card')]);
    expect(await deliverDue(deps(store, channel))).toMatchObject({ failed: 1, errors: [{ code: 'CHANNEL_REJECTED', message: 'ch answered 400: Bad card' }] });
    expect(await store.listOutbox('contoso', 'failed')).toEqual([expect.objectContaining({ lastError: 'CHANNEL_REJECTED: ch answered 400: Bad card' })]);
    expect(await deliverDue(deps(store, channel, new Date(t0.getTime() + 86_400_000)))).toMatchObject({ sent: 0, failed: 0 });
  });

  it('fails entries whose channel was removed from the configuration instead of leaving them pending forever', async () => {
    const store = await storeWith([entry(1, 'high', 'gone')]);
    expect(await deliverDue(deps(store, recordingChannel()))).toMatchObject({ failed: 1 });
  });
});

describe('a crash between "channel accepted" and "marked sent"', () => {
  it('re-sends that alert once its claim ran out, and never again', async () => {
    const store = await storeWith([entry(1, 'high'), entry(2, 'high')]);
    const channel = recordingChannel();
    // The process dies right after the channel accepted a1: the sent mark is never written.
    const crashing = {
      dueOutbox: store.dueOutbox.bind(store),
      getAlerts: store.getAlerts.bind(store),
      claimOutbox: store.claimOutbox.bind(store),
      updateOutbox: async () => {
        throw new Error('killed');
      },
    } as unknown as MemoryStateStore;
    await expect(deliverDue(deps(crashing, channel))).rejects.toThrow('killed');
    expect(channel.sent).toEqual([['a1']]);
    // The dead sender's claim still holds a1 back; a2 was never claimed and goes now.
    await deliverDue(deps(store, channel));
    expect(channel.sent.flat()).toEqual(['a1', 'a2']);
    const later = new Date(t0.getTime() + CLAIM_IN_MS);
    await deliverDue(deps(store, channel, later));
    await deliverDue(deps(store, channel, later));
    const sends = channel.sent.flat();
    expect(sends.filter((id) => id === 'a1')).toHaveLength(2);
    expect(sends.filter((id) => id === 'a2')).toHaveLength(1);
  });
});
