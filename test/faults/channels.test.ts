import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createChannels } from '../../src/alerts/channels/index.js';
import { ANSWER_CAP_IN_BYTES } from '../../src/alerts/channels/read-capped.js';
import { createWebhookChannel } from '../../src/alerts/channels/webhook.js';
import type { AlertPayload } from '../../src/alerts/payload.js';
import type { Config } from '../../src/config/types.js';
import { isCredwatchError } from '../../src/errors.js';
import { createFetch } from '../../src/graph/http.js';
import { runScan } from '../../src/scan/index.js';
import { mimecastScenario, startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { openStateStore } from '../../src/state/index.js';
import type { StateStore } from '../../src/state/types.js';
import { captureLogger, connect, simulatorConfig } from '../helpers/tenant.js';
import { MIMECAST_VENDOR, webhookChannel } from '../helpers/webhook-tenant.js';
import { echoRequest, redirectTo, startHostileReceiver, streamBody, type HostileReceiver } from './hostile-receiver.js';

const now = new Date('2026-11-26T12:00:00Z');
const TEAMS_SIG = 'CANARY-TEAMS-SIG-5e1f09';
const HOOK_TOKEN = 'CANARY-HOOK-TOKEN-83ab2c';
const HOOK_KEY = 'CANARY-HMAC-KEY-0c7d41';

const teamsChannel = { type: 'teams', name: 'soc-teams', urlEnv: 'TEAMS_URL', allowInsecureTestEndpoint: true, minSeverity: 'high', digestThreshold: 100 };
const teamsUrl = (base: string) => `${base}?api-version=1&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=${TEAMS_SIG}`;

let sim: RunningSimulator | undefined;
const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(cleanup.splice(0).map((close) => close()));
  await sim?.close();
  sim = undefined;
});

async function hostile(...args: Parameters<typeof startHostileReceiver>): Promise<HostileReceiver> {
  const receiver = await startHostileReceiver(...args);
  cleanup.push(() => receiver.close());
  return receiver;
}

/** A scan of the Mimecast-like tenant with the given channels, its state in a SQLite file. */
async function scanWith(channels: Array<Record<string, unknown>>, env: Record<string, string>) {
  sim ??= await startSimulator({ scenario: mimecastScenario(now), now: () => now });
  const config: Config = await simulatorConfig(sim, 'secret', { extra: { vendors: [MIMECAST_VENDOR], channels }, env });
  const dbPath = join(await mkdtemp(join(tmpdir(), 'credwatch-faults-')), 'state.db');
  const store: StateStore = await openStateStore({ type: 'sqlite', path: dbPath }, { now: () => now });
  cleanup.push(() => store.close());
  const capture = captureLogger('trace');
  const built = createChannels(config.channels, { logger: capture.logger, now: () => now, fetch: createFetch() });
  const summary = await runScan(
    {
      config,
      store,
      connect: (t) => connect({ ...config, tenants: [t] }, capture.logger),
      channels: built.channels,
      fetch: createFetch(),
      logger: capture.logger,
      now: () => now,
    },
    config.tenants[0]!,
  );
  /** Everything the run left behind: log lines, the summary the CLI prints, and the SQLite files' bytes. */
  const traces = async () => {
    await store.close();
    const db = [dbPath, `${dbPath}-wal`].filter((p) => existsSync(p)).map((p) => readFileSync(p).toString('latin1'));
    return `${capture.text()}\n${JSON.stringify(summary)}\n${db.join('\n')}`;
  };
  return { summary, store, capture, traces };
}

describe('hostile channel receivers', () => {
  it('refuses a 302 from the webhook receiver: the redirect target gets nothing, the entry is failed and the error names only its host', async () => {
    const target = await hostile((_seen, res) => res.writeHead(200).end('ok'));
    const redirector = await hostile(redirectTo(302, `${target.url.replace('127.0.0.1', 'localhost')}?next=${HOOK_TOKEN}`));
    const { summary, store } = await scanWith([webhookChannel()], { HOOK_URL: redirector.url, HOOK_SECRET: HOOK_KEY });

    expect(redirector.requests.length).toBeGreaterThan(0);
    expect(target.requests).toEqual([]);
    expect(summary.delivery).toMatchObject({ sent: 0, retrying: 0, failed: redirector.requests.length });
    const failed = await store.listOutbox('contoso', 'failed');
    expect(failed.length).toBe(redirector.requests.length);
    expect(await store.listOutbox('contoso', 'sent')).toEqual([]);
    const host = new URL(target.url.replace('127.0.0.1', 'localhost')).host;
    for (const entry of failed) {
      expect(entry.lastError).toContain(`CHANNEL_REDIRECTED: siem answered 302, a redirect to ${host};`);
      expect(entry.lastError).not.toContain(HOOK_TOKEN);
      expect(entry.lastError).not.toContain('/hook');
    }
  });

  it('refuses a 307 from the Teams receiver without re-posting the alert to the redirect target', async () => {
    const target = await hostile((_seen, res) => res.writeHead(202).end());
    const redirector = await hostile(redirectTo(307, target.url));
    const { summary, store } = await scanWith([teamsChannel], { TEAMS_URL: teamsUrl(redirector.url) });

    expect(redirector.requests.length).toBeGreaterThan(0);
    expect(target.requests).toEqual([]);
    expect(summary.delivery.sent).toBe(0);
    expect(summary.delivery.errors.map((e) => e.code)).toEqual(redirector.requests.map(() => 'CHANNEL_REDIRECTED'));
    expect(summary.delivery.errors[0]!.message).toContain(`a redirect to ${new URL(target.url).host}`);
    expect((await store.listOutbox('contoso', 'failed')).length).toBe(redirector.requests.length);
  });

  it('keeps the Teams sig, the webhook URL token and its signing key out of logs, the summary and state.db when receivers echo the request', async () => {
    const teams = await hostile(echoRequest(400));
    const siem = await hostile(echoRequest(500));
    const { summary, store, traces } = await scanWith([teamsChannel, webhookChannel()], {
      TEAMS_URL: teamsUrl(teams.url),
      HOOK_URL: `${siem.url}?token=${HOOK_TOKEN}`,
      HOOK_SECRET: HOOK_KEY,
    });

    // The receivers did get the secrets and echoed them: the answers were hostile, not empty.
    expect(teams.requests[0]!.url).toContain(TEAMS_SIG);
    expect(siem.requests[0]!.url).toContain(HOOK_TOKEN);
    expect(summary.delivery.failed).toBe(teams.requests.length);
    expect(summary.delivery.retrying).toBe(siem.requests.length);
    const stored = [...(await store.listOutbox('contoso', 'failed')), ...(await store.listOutbox('contoso', 'pending'))].map((e) => e.lastError ?? '');
    expect(
      stored.some((e) =>
        e.startsWith('CHANNEL_REJECTED: Teams channel "soc-teams" answered 400: {"error":"rejected","request":{"method":"POST","url":"[redacted]"'),
      ),
    ).toBe(true);
    expect(stored.some((e) => e.startsWith('CHANNEL_UNAVAILABLE: siem answered 500: {"error":"rejected","request":{"method":"POST","url":"[redacted]"'))).toBe(
      true,
    );

    const everything = await traces();
    for (const secret of [TEAMS_SIG, HOOK_TOKEN, HOOK_KEY]) expect(everything).not.toContain(secret);
  });

  it('keeps the bearer token out of logs, the summary and state.db when Graph answers 503 echoing the Authorization header', async () => {
    sim = await startSimulator({
      scenario: mimecastScenario(now),
      now: () => now,
      faults: { rules: [{ pathIncludes: '/auditLogs/signIns', kind: 'status', status: 503, echoRequest: true, times: Infinity }] },
    });
    const siem = await hostile((_seen, res) => res.writeHead(202).end());
    const { summary, capture, traces } = await scanWith([webhookChannel()], { HOOK_URL: siem.url, HOOK_SECRET: HOOK_KEY });

    // The echo happened and reached the log, with the credential cut out of it.
    expect(sim.requests.some((r) => r.path.includes('/auditLogs/signIns') && r.status === 503)).toBe(true);
    expect(capture.text()).toContain('Bearer [redacted-jwt]');
    expect(JSON.stringify(summary)).toContain('GRAPH_UNAVAILABLE');
    const everything = await traces();
    expect(everything).not.toMatch(/Bearer (?!\[redacted)[A-Za-z0-9._-]{6,}/);
    expect(everything).not.toMatch(/eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\./);
  });

  it('reads at most 64 KiB of a 200 MB error body and hangs up, without the body growing memory', async () => {
    const receiver = await hostile(streamBody(500, 200 * 1024 * 1024));
    const channel = createWebhookChannel({ name: 'siem', minSeverity: 'high', url: receiver.url, secret: HOOK_KEY, fetch: createFetch(), now: () => now });

    const error = await channel.send(ALERT).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isCredwatchError(error, 'CHANNEL_UNAVAILABLE')).toBe(true);
    expect((error as Error).message).toMatch(/^siem answered 500: x{300}$/);
    await until(() => receiver.hungUp());
    // What the kernel took before the hang-up: the cap plus the loopback socket buffers, not the body.
    expect(receiver.bytesWritten()).toBeLessThan(16 * 1024 * 1024);
    expect(ANSWER_CAP_IN_BYTES).toBe(64 * 1024);
  });

  it('reads at most 64 KiB of an endless accept body, marks the alert accepted and hangs up', async () => {
    const receiver = await hostile(streamBody(202, Number.MAX_SAFE_INTEGER));
    const channel = createWebhookChannel({ name: 'siem', minSeverity: 'high', url: receiver.url, secret: HOOK_KEY, fetch: createFetch(), now: () => now });

    await channel.send(ALERT);
    await until(() => receiver.hungUp());
    expect(receiver.requests.length).toBe(1);
    expect(receiver.bytesWritten()).toBeLessThan(16 * 1024 * 1024);
  });
});

/** Waits for the server side to see what the client did (a hang-up arrives a moment later). */
async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !condition(); i += 1) await new Promise((resolve) => setTimeout(resolve, 10));
  expect(condition()).toBe(true);
}

const ALERT = {
  schema: 'credwatch.alert/v1',
  alertId: 'a1b2c3d4e5f60718293a4b5c6d7e8f90',
  tenant: 'contoso',
  severity: 'critical',
  notification: 0,
} as unknown as AlertPayload;
