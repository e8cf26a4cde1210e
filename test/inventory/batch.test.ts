import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { batchGet, relativeUrl, type BatchStats } from '../../src/graph/batch.js';
import { buildUrl } from '../../src/graph/url.js';
import { CREDWATCH_ROLES, quietScenario, startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { captureLogger, connect, simulatorConfig } from '../helpers/tenant.js';
import { graphWithInnerFaults, withMailboxApps } from './helpers.js';

const now = new Date();
let sim: RunningSimulator;
let appIds: string[];

beforeAll(async () => {
  const scenario = withMailboxApps(quietScenario(now), 45, now);
  appIds = scenario.applications.filter((a) => a.displayName.startsWith('Mailbox App')).map((a) => a.id);
  sim = await startSimulator({ scenario, now: () => now });
});
afterAll(async () => {
  await sim.close();
});

const federated = (id: string) => ({ path: `/applications/${id}/federatedIdentityCredentials`, query: { select: ['id', 'subject'] } });
const batchesSince = (from: number) => sim.requests.slice(from).filter((r) => r.path === '/v1.0/$batch');
const emptyStats = (): BatchStats => ({ batches: 0, innerRequests: 0, innerRetries: 0 });

describe('GETs through JSON $batch', () => {
  it('sends 45 requests as 3 batches and returns each answer in the order asked', async () => {
    const { logger } = captureLogger('warn');
    const { graph } = connect(await simulatorConfig(sim, 'certificate'), logger);
    const from = sim.requests.length;
    const stats = emptyStats();
    const results = await batchGet<{ value: { subject: string }[] }>(graph, appIds.map(federated), { stats });
    expect(batchesSince(from)).toHaveLength(3);
    expect(stats).toEqual({ batches: 3, innerRequests: 45, innerRetries: 0 });
    expect(results.map((r) => (r.ok ? r.body.value[0]?.subject : r.error.code))).toEqual(appIds.map((_, i) => `repo:contoso/app-${i}:environment:prod-0`));
  });

  it('writes each inner url exactly as the direct call would be written, relative to the version', () => {
    const request = { path: `/applications/${appIds[0]!}/federatedIdentityCredentials`, query: { select: ['id', 'name'], filter: "subject eq 'a b'" } };
    const direct = buildUrl(new URL('https://graph.microsoft.com'), request.path, request.query);
    expect(`https://graph.microsoft.com/v1.0${relativeUrl(request)}`).toBe(direct);
  });

  it('retries an inner 429 after its fractional Retry-After, rounded up, and only that request', async () => {
    const { logger } = captureLogger('warn');
    const graph = await graphWithInnerFaults(sim, logger, [{ urlIncludes: appIds[3]!, status: 429, code: 'TooManyRequests', retryAfter: '0.25' }]);
    const from = sim.requests.length;
    const stats = emptyStats();
    const started = Date.now();
    const results = await batchGet(graph, appIds.slice(0, 5).map(federated), { stats });
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_000);
    expect(results.every((r) => r.ok)).toBe(true);
    expect(batchesSince(from)).toHaveLength(2);
    expect(stats).toEqual({ batches: 2, innerRequests: 6, innerRetries: 1 });
  });

  it('gives up on an inner request Graph keeps throttling, with the code a direct call would give', async () => {
    const { logger } = captureLogger('warn');
    const graph = await graphWithInnerFaults(sim, logger, [{ urlIncludes: appIds[0]!, status: 503, code: 'ServiceNotAvailable', times: Infinity }]);
    const [result] = await batchGet(graph, [federated(appIds[0]!)], { retry: { maxAttempts: 3, baseDelayInMs: 1, maxBackoffInMs: 5 } });
    expect(result).toMatchObject({ ok: false, error: { code: 'GRAPH_UNAVAILABLE', details: { attempts: 3 } } });
  });

  it('turns an inner 404 into GRAPH_REQUEST_REJECTED with the status, as a direct read would', async () => {
    const { logger } = captureLogger('warn');
    const { graph } = connect(await simulatorConfig(sim, 'certificate'), logger);
    const missing = '00000000-0000-4000-8000-00000000dead';
    const [batched] = await batchGet(graph, [federated(missing)]);
    const direct = await graph.get(federated(missing).path).catch((e: unknown) => e);
    expect(batched).toMatchObject({ ok: false, error: { code: 'GRAPH_REQUEST_REJECTED', details: { status: 404, graphCode: 'Request_ResourceNotFound' } } });
    expect(direct).toMatchObject({ code: 'GRAPH_REQUEST_REJECTED', details: { status: 404 } });
  });

  it('turns an inner 403 into GRAPH_PERMISSION_MISSING naming the permission, while the batch itself succeeds', async () => {
    sim.setGrantedRoles(['AuditLog.Read.All']);
    try {
      const { logger } = captureLogger('warn');
      const { graph } = connect(await simulatorConfig(sim, 'certificate'), logger);
      const [result] = await batchGet(graph, [federated(appIds[0]!)]);
      expect(result).toMatchObject({ ok: false, error: { code: 'GRAPH_PERMISSION_MISSING', details: { status: 403, permissions: ['Application.Read.All'] } } });
      expect(sim.requests.at(-1)).toMatchObject({ path: '/v1.0/$batch', status: 200 });
    } finally {
      sim.setGrantedRoles(CREDWATCH_ROLES);
    }
  });

  it('sends nothing for nothing', async () => {
    const { logger } = captureLogger('warn');
    const { graph } = connect(await simulatorConfig(sim, 'certificate'), logger);
    const from = sim.requests.length;
    expect(await batchGet(graph, [])).toEqual([]);
    expect(batchesSince(from)).toEqual([]);
  });
});
