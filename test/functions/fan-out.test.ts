/**
 * The scan timer of an MSP with many tenants, against Azurite: the messages it queues are read back
 * through the storage SDK, as the queue trigger would read them. Each message's delay is what
 * Azurite itself answered to Put Message (`nextVisibleOn − insertedOn`), and what a reader can see
 * right away is what peek and receive return: only the first wave.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvocationContext, type Timer } from '@azure/functions';
import type { QueueSendMessageResponse } from '@azure/storage-queue';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { scanTimerHandler } from '../../src/functions/handlers.js';
import { decodeQueueBody } from '../../src/functions/messages.js';
import { createRuntime, lazyRuntime, type FunctionRuntime } from '../../src/functions/runtime.js';
import { startAzurite, type Azurite } from '../helpers/azurite.js';

const APP = '11111111-2222-4333-8444-555555555555';
const OTHER_APP = '66666666-7777-4888-9999-000000000000';
const clock = new Date('2026-11-18T12:00:00Z');

let azurite: Azurite;
let runtime: () => Promise<FunctionRuntime>;
const logged: Array<{ invocationId: string; level: string; text: string }> = [];
/** What Azurite answered to each Put Message of the scan queue. */
let sent: Array<{ tenant: string; delayInSeconds: number }> = [];

function context(): InvocationContext {
  const invocationId = randomUUID();
  return new InvocationContext({
    invocationId,
    functionName: 'scanTimer',
    logHandler: (level, ...args) => logged.push({ invocationId, level, text: args.map(String).join(' ') }),
  });
}

const timer: Timer = { isPastDue: false, schedule: { adjustForDST: false }, scheduleStatus: { last: '', next: '', lastUpdated: '' } };

const names = (prefix: string, count: number): string[] => Array.from({ length: count }, (_, i) => `${prefix}-${String(i).padStart(2, '0')}`);
const customers = names('customer', 60);
const partners = names('partner', 10);

/** Delay in seconds → how many of `tenants` start then. */
function wavesOf(tenants: readonly string[]): Map<number, number> {
  const waves = new Map<number, number>();
  for (const s of sent.filter((m) => tenants.includes(m.tenant))) waves.set(s.delayInSeconds, (waves.get(s.delayInSeconds) ?? 0) + 1);
  return waves;
}

beforeAll(async () => {
  azurite = await startAzurite();
  const appRoot = await mkdtemp(join(tmpdir(), 'credwatch-fan-out-'));
  // 60 customers reached with one multi-tenant app, 10 more with a second app registration.
  const tenant = (name: string, clientId: string) => ({ name, tenantId: `${name}.onmicrosoft.com`, auth: { mode: 'managedIdentity', clientId } });
  const config = {
    tenants: [...customers.map((n) => tenant(n, APP)), ...partners.map((n) => tenant(n, OTHER_APP))],
    state: { type: 'azureTable' },
    logging: { level: 'info' },
  };
  await writeFile(join(appRoot, 'credwatch.json'), JSON.stringify(config));
  runtime = lazyRuntime(async () => {
    const rt = await createRuntime({ env: { AzureWebJobsStorage: azurite.connectionString }, appRoot, now: () => clock, logFallback: () => undefined });
    // The real client, only listened to: every Put Message still goes to Azurite.
    const queue = rt.storage.scanQueue;
    const put = queue.sendMessage.bind(queue);
    queue.sendMessage = async (text, options): Promise<QueueSendMessageResponse> => {
      const answer = await put(text, options);
      const { tenant } = decodeQueueBody(text) as { tenant: string };
      sent.push({ tenant, delayInSeconds: Math.round((answer.nextVisibleOn.getTime() - answer.insertedOn.getTime()) / 1000) });
      return answer;
    };
    return rt;
  });
}, 120_000);

afterAll(async () => {
  const rt = await runtime?.().catch(() => undefined);
  await rt?.store.close();
  await azurite?.stop();
});

beforeEach(async () => {
  sent = [];
  await (await runtime()).storage.scanQueue.clearMessages().catch(() => undefined);
});

describe('the scan fan-out of 70 tenants on two app registrations, every 15 minutes', () => {
  it("starts one app's 60 tenants in three waves of 20, five minutes apart, and the other app's 10 at once", async () => {
    const result = await scanTimerHandler(runtime, '0 */15 * * * *')(timer, context());
    expect(result.queued).toHaveLength(70);
    expect(result.deferred).toEqual([]);
    expect(wavesOf(customers)).toEqual(
      new Map([
        [0, 20],
        [300, 20],
        [600, 20],
      ]),
    );
    expect(wavesOf(partners)).toEqual(new Map([[0, 10]]));
  });

  it('lets a reader see only the first wave: the queue holds 70 messages, peek and receive return 30', async () => {
    await scanTimerHandler(runtime, '0 */15 * * * *')(timer, context());
    const queue = (await runtime()).storage.scanQueue;
    expect((await queue.getProperties()).approximateMessagesCount).toBe(70);
    const peeked = (await queue.peekMessages({ numberOfMessages: 32 })).peekedMessageItems;
    expect(peeked).toHaveLength(30);
    const received = (await queue.receiveMessages({ numberOfMessages: 32 })).receivedMessageItems;
    const tenants = received.map((m) => (decodeQueueBody(m.messageText) as { tenant: string }).tenant).sort();
    expect(tenants).toEqual([...customers.slice(0, 20), ...partners].sort());
    expect((await queue.receiveMessages({ numberOfMessages: 32 })).receivedMessageItems).toEqual([]);
  });

  it("logs the plan with the interval, the wave size and each app's waves", async () => {
    const ctx = context();
    await scanTimerHandler(runtime, '0 */15 * * * *')(timer, ctx);
    const line = logged.find((l) => l.invocationId === ctx.invocationId && l.text.startsWith('scan waves planned'));
    expect(line?.level).toBe('information');
    expect(line?.text).toContain('"intervalInSeconds":900');
    expect(line?.text).toContain('"tenantsPerWave":24');
    expect(line?.text).toContain(`"app":"${APP} at https://graph.microsoft.com","tenants":60,"queued":60,"waves":3,"spacingInSeconds":300`);
  });
});

describe("the scan fan-out when one interval cannot hold an app's tenants", () => {
  it('queues the slice that fits without delay, leaves the rest for the next ticks, and says so at error level with the numbers', async () => {
    // Every 10 seconds: one wave of 24 per tick, so the 60 customers take three ticks.
    const ctx = context();
    const result = await scanTimerHandler(runtime, '*/10 * * * * *')(timer, ctx);
    expect(result.queued.filter((t) => customers.includes(t))).toHaveLength(24);
    expect(result.queued.filter((t) => partners.includes(t))).toHaveLength(10);
    expect(result.deferred).toHaveLength(36);
    expect(sent.every((s) => s.delayInSeconds === 0)).toBe(true);
    const error = logged.find((l) => l.invocationId === ctx.invocationId && l.level === 'error');
    expect(error?.text).toMatch(/^60 tenants sign in with 11111111-.* one 10-second interval holds 24 of them .* every 3 intervals/);
    expect(error?.text).toContain('"rounds":3');
  });

  it('scans every tenant once over three consecutive ticks', async () => {
    const rt = await runtime();
    const seen: string[] = [];
    for (const offset of [0, 10_000, 20_000]) {
      const ticking = lazyRuntime(async () => ({ ...rt, now: () => new Date(clock.getTime() + offset) }));
      seen.push(...(await scanTimerHandler(ticking, '*/10 * * * * *')(timer, context())).queued.filter((t) => customers.includes(t)));
    }
    expect(seen.sort()).toEqual([...customers].sort());
  });
});
