import { mkdtemp } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createChannels } from '../../src/alerts/channels/index.js';
import type { Config } from '../../src/config/types.js';
import { createFetch } from '../../src/graph/http.js';
import { runScan, type ScanSummary } from '../../src/scan/index.js';
import type { SignIn } from '../../src/simulator/scenario.js';
import { mimecastScenario, startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { MemoryStateStore } from '../../src/state/index.js';
import { SqliteStateStore } from '../../src/state/sqlite.js';
import type { StateStore } from '../../src/state/types.js';
import { startReceiver, type Receiver } from '../helpers/receiver.js';
import { deliveredAlerts, scanConfig, scanOnce, VENDOR_APP_ID } from '../helpers/scan.js';
import { captureLogger, connect } from '../helpers/tenant.js';
import { mimecastWebhookConfig } from '../helpers/webhook-tenant.js';

/**
 * A scan frozen for good at one step, as a SIGKILL leaves it: every store call from that step on
 * never returns, so nothing after it happens. A new process (a new SQLite connection to the same
 * file) then scans past the dead scan's lease and claims. It must end with the alerts of an
 * uninterrupted run, each delivered, at most once more than once. test/e2e/crash.test.ts kills
 * real processes at random moments; this one stops at each named step in turn.
 */

const now = new Date('2026-11-26T12:00:00Z');
/** Past the dead scan's lease (5 min) and outbox claims (5 min). */
const recoveryAt = new Date(now.getTime() + 6 * 60_000);

let sim: RunningSimulator;

beforeAll(async () => {
  sim = await startSimulator({ scenario: mimecastScenario(now), now: () => now, enforceThrottling: false });
  // 2,500 more vendor sign-ins from its own ranges: the sign-in window takes several Graph pages.
  const template = (mimecastScenario(now).signIns as SignIn[]).find((s) => s.appId === VENDOR_APP_ID && s.ipAddress.startsWith('205.139.110.'))!;
  sim.addSignIns(
    Array.from({ length: 2_500 }, (_, i) => ({
      ...template,
      id: `bulk-${i}`,
      createdDateTime: new Date(now.getTime() - 3 * 3_600_000 + i * 1_000).toISOString(),
      ipAddress: `205.139.110.${i % 250}`,
    })),
  );
});
afterAll(async () => {
  await sim.close();
});

interface Crash {
  /** The store call the process dies at. */
  method: keyof StateStore;
  /** Which call of it (1-based). */
  nth: number;
  /** Die before the call reaches the store, or after it returned. */
  when: 'before' | 'after';
}

/** `store` until `crash`; from then on every call hangs forever. `died` settles at that moment. */
function dying(store: StateStore, crash: Crash): { store: StateStore; died: Promise<void> } {
  let dead = false;
  let seen = 0;
  let die!: () => void;
  const died = new Promise<void>((resolve) => (die = resolve));
  const never = new Promise<never>(() => undefined);
  const proxy = new Proxy(store, {
    get(target, property) {
      const value = Reflect.get(target, property, target) as unknown;
      if (typeof value !== 'function') return value;
      return async (...args: unknown[]) => {
        if (dead) return never;
        if (property === crash.method && ++seen === crash.nth) {
          if (crash.when === 'before') {
            dead = true;
            die();
            return never;
          }
          await (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
          dead = true;
          die();
          return never;
        }
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { store: proxy, died };
}

interface Outcome {
  alerts: string[];
  delivered: string[];
  summaries: ScanSummary[];
}

async function alertsIn(store: StateStore): Promise<string[]> {
  return (await store.listAlerts('contoso', new Date(0), new Date(recoveryAt.getTime() + 3_600_000))).map((a) => `${a.alertId} ${a.ruleId} ${a.count}`).sort();
}

/** Two scans (at `now` and `recoveryAt`), the first dying at `crash` if given, each in its own SQLite connection. */
async function run(crash?: Crash): Promise<Outcome> {
  const { config, alertsFile } = await scanConfig(sim);
  const db = join(await mkdtemp(join(tmpdir(), 'credwatch-crash-step-')), 'state.db');
  const { logger } = captureLogger('silent');
  const summaries: ScanSummary[] = [];
  // Each connection keeps the time of its scan (seen ids expire on the store's clock).
  const first = SqliteStateStore.open(db, { now: () => now });
  if (crash) {
    const { store, died } = dying(first, crash);
    const finished = scanOnce(sim, config, store, logger, now).then(() => 'finished' as const);
    // The scan must really reach the step, or this proves nothing.
    expect(await Promise.race([died.then(() => 'died' as const), finished])).toBe('died');
    // The dead connection is left as it was: SQLite's lock and WAL are the kernel's business.
  } else {
    summaries.push(await scanOnce(sim, config, first, logger, now));
    await first.close();
  }
  const second = SqliteStateStore.open(db, { now: () => recoveryAt });
  try {
    summaries.push(await scanOnce(sim, config, second, logger, recoveryAt));
    return { alerts: await alertsIn(second), delivered: (await deliveredAlerts(alertsFile)).map((a) => a.alertId), summaries };
  } finally {
    await second.close();
  }
}

describe('a scan that dies at a named step, then the next scan', () => {
  let reference: Outcome;
  let commits: number;
  beforeAll(async () => {
    reference = await run();
    expect(reference.alerts.length).toBeGreaterThan(10);
    expect(new Set(reference.delivered).size).toBe(reference.delivered.length);
    // How many windows an uninterrupted scan commits: the steps to die at.
    const { config } = await scanConfig(sim);
    let n = 0;
    const counting = new Proxy(new MemoryStateStore({ now: () => now }), {
      get(target, property) {
        const value = Reflect.get(target, property, target) as unknown;
        if (property === 'commitWindow') n += 1;
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    });
    await scanOnce(sim, config, counting, captureLogger('silent').logger, now);
    commits = n;
    expect(commits).toBeGreaterThanOrEqual(4);
  }, 30_000);

  async function expectRecovered(crash: Crash): Promise<void> {
    const outcome = await run(crash);
    const label = `${crash.when} ${crash.method} #${crash.nth}`;
    expect(outcome.alerts, label).toEqual(reference.alerts);
    expect([...new Set(outcome.delivered)].sort(), label).toEqual([...reference.delivered].sort());
    expect(outcome.delivered.length - new Set(outcome.delivered).size, label).toBeLessThanOrEqual(1);
    expect(outcome.summaries.at(-1)!.errors, label).toEqual([]);
  }

  it('loses and repeats nothing when it dies after reading a page, before each window commit (watermark not yet written)', { timeout: 20_000 }, async () => {
    for (let nth = 1; nth <= commits; nth++) await expectRecovered({ method: 'commitWindow', nth, when: 'before' });
  });

  it(
    'loses and repeats nothing when it dies right after each window commit (findings, outbox rows and watermark written, nothing sent)',
    { timeout: 20_000 },
    async () => {
      for (let nth = 1; nth <= commits; nth++) await expectRecovered({ method: 'commitWindow', nth, when: 'after' });
    },
  );

  it('sends an alert the channel accepted but the dead scan never marked sent once more, and every other alert once', async () => {
    await expectRecovered({ method: 'updateOutbox', nth: 1, when: 'before' });
    const outcome = await run({ method: 'updateOutbox', nth: 3, when: 'before' });
    expect(outcome.delivered.length - new Set(outcome.delivered).size).toBe(1);
  });
});

describe('a receiver that fails', () => {
  let receiver: Receiver | undefined;
  let hanging: Server | undefined;
  afterEach(async () => {
    await receiver?.close();
    receiver = undefined;
    hanging?.closeAllConnections();
    await new Promise((resolve) => (hanging ? hanging.close(resolve) : resolve(undefined)));
    hanging = undefined;
  });

  async function webhookScan(config: Config, store: StateStore, when: Date, fetchTimeoutInMs = 30_000): Promise<ScanSummary> {
    const { logger } = captureLogger('silent');
    const { channels } = createChannels(config.channels, { logger, now: () => when, fetch: createFetch({ timeoutInMs: fetchTimeoutInMs }) });
    return runScan(
      { config, store, connect: (t) => connect({ ...config, tenants: [t] }, logger), channels, fetch: createFetch(), logger, now: () => when },
      config.tenants[0]!,
    );
  }

  it('fails every alert permanently on a webhook 404, with CHANNEL_REJECTED naming the status, and never posts them again', async () => {
    receiver = await startReceiver();
    receiver.fallback = { status: 404, body: 'no such hook' };
    const config = await mimecastWebhookConfig(sim, receiver.url);
    const store = new MemoryStateStore({ now: () => now });
    const first = await webhookScan(config, store, now);
    expect(first.delivery.sent).toBe(0);
    expect(first.delivery.retrying).toBe(0);
    expect(first.delivery.failed).toBeGreaterThan(0);
    expect(first.delivery.errors[0]).toMatchObject({ code: 'CHANNEL_REJECTED' });
    expect(first.delivery.errors[0]!.message).toContain('404');
    expect((await store.listOutbox('contoso', 'failed')).length).toBe(first.delivery.failed);
    const posted = receiver.requests.length;
    receiver.fallback = { status: 202 };
    await webhookScan(config, store, recoveryAt);
    expect(receiver.requests.length).toBe(posted);
  });

  it('keeps an alert pending when the receiver takes it but never answers, and re-sends it with the same idempotency key', async () => {
    // The receiver keeps every request it reads and answers none until told to.
    const received: Array<{ key: string | undefined; body: string }> = [];
    let answer = false;
    hanging = createServer((req: IncomingMessage, res) => {
      let body = '';
      req.setEncoding('utf8').on('data', (c: string) => (body += c));
      req.on('end', () => {
        received.push({ key: req.headers['idempotency-key'] as string | undefined, body });
        if (answer) res.writeHead(202).end();
      });
    });
    await new Promise<void>((resolve) => hanging!.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(hanging.address() as AddressInfo).port}/hook`;
    const config = await mimecastWebhookConfig(sim, url);
    const store = new MemoryStateStore({ now: () => now });

    const first = await webhookScan(config, store, now, 300);
    expect(first.delivery.sent).toBe(0);
    expect(first.delivery.failed).toBe(0);
    expect(first.delivery.retrying).toBeGreaterThan(0);
    expect(first.delivery.errors[0]).toMatchObject({ code: 'CHANNEL_UNAVAILABLE' });
    const pending = await store.listOutbox('contoso', 'pending');
    expect(pending.length).toBeGreaterThan(0);
    const takenFirst = received.map((r) => r.key);
    expect(takenFirst.length).toBeGreaterThan(0);

    answer = true;
    const second = await webhookScan(config, store, recoveryAt, 300);
    expect(second.delivery.failed).toBe(0);
    expect((await store.listOutbox('contoso', 'pending')).length).toBe(0);
    // What the receiver took while it did not answer comes again under the same key, so it can drop the copy.
    const takenAgain = received.slice(takenFirst.length).map((r) => r.key);
    for (const key of takenFirst) expect(takenAgain).toContain(key);
  });
});
