import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSignInPages } from '../../src/collect/signins.js';
import type { Config } from '../../src/config/types.js';
import { isCredwatchError } from '../../src/errors.js';
import { startSimulator, syntheticScenario, type RunningSimulator } from '../../src/simulator/index.js';
import { captureLogger, connect, simulatorConfig } from '../helpers/tenant.js';

/**
 * Budgets and contract checked where Graph would see them: at the simulator, with the real client,
 * on the wall clock (https://learn.microsoft.com/graph/throttling-limits).
 */
const now = new Date();
let sim: RunningSimulator;
let config: Config;

beforeAll(async () => {
  // 6,500 sign-ins over the last 30 days: seven pages of 1,000.
  sim = await startSimulator({ scenario: syntheticScenario({ servicePrincipals: 200, signIns: 6_500, now, seed: 3 }) });
  config = await simulatorConfig(sim, 'certificate');
});
afterAll(async () => {
  await sim.close();
});

const reportRequests = (from: number) =>
  sim.requests.slice(from).filter((r) => r.path === '/beta/auditLogs/signIns' || r.path === '/v1.0/auditLogs/directoryAudits');

describe('Graph budgets and contract at the wire', () => {
  it('never lets a ten-second window hold more than five report requests', async () => {
    const start = sim.requests.length;
    const { logger } = captureLogger('warn');
    const { graph } = connect(config, logger);
    let events = 0;
    for await (const page of readSignInPages(graph, new Date(now.getTime() - 31 * 86_400_000), now)) events += page.events.length;
    expect(events).toBe(6_500);
    const times = reportRequests(start).map((r) => r.at.getTime());
    expect(times).toHaveLength(7);
    for (let i = 5; i < times.length; i += 1) expect(times[i]! - times[i - 5]!).toBeGreaterThanOrEqual(10_000);
    expect(reportRequests(start).every((r) => r.status === 200)).toBe(true);
  }, 40_000);

  it('sends no request before a fractional Retry-After has passed, rounded up to the whole second', async () => {
    const start = sim.requests.length;
    sim.setFaults({ rules: [{ pathIncludes: '/v1.0/servicePrincipals', kind: 'status', status: 429, retryAfter: '2.128', times: 1 }] });
    try {
      const { logger } = captureLogger('warn');
      const { graph } = connect(config, logger);
      const page = await graph.listPages<{ id: string }>('/servicePrincipals', { select: ['id'], top: 5 }).next();
      expect(page.value).toHaveLength(5);
      const sent = sim.requests.slice(start).filter((r) => r.path === '/v1.0/servicePrincipals');
      expect(sent.map((r) => r.status)).toEqual([429, 200]);
      expect(sent[1]!.at.getTime() - sent[0]!.at.getTime()).toBeGreaterThanOrEqual(3_000);
    } finally {
      sim.setFaults({});
    }
  });

  it('refuses an undocumented query option before anything is sent', async () => {
    const start = sim.requests.length;
    const { logger } = captureLogger('warn');
    const { graph } = connect(config, logger);
    const attempt = graph.listPages('/auditLogs/signIns', { version: 'beta', select: ['id'], top: 10 }).next();
    await expect(attempt).rejects.toSatisfy((e: unknown) => isCredwatchError(e) && e.code === 'GRAPH_CALL_UNDOCUMENTED');
    const batch = graph.postJson('/$batch', { requests: [{ id: '1', method: 'GET', url: '/auditLogs/directoryAudits?$select=id' }] });
    await expect(batch).rejects.toSatisfy((e: unknown) => isCredwatchError(e) && e.code === 'GRAPH_CALL_UNDOCUMENTED');
    expect(sim.requests.slice(start).filter((r) => r.path.startsWith('/v1.0') || r.path.startsWith('/beta'))).toEqual([]);
  });

  it('refuses a $batch that needs more report slots than the budget has, instead of waiting forever', async () => {
    const start = sim.requests.length;
    const { logger } = captureLogger('warn');
    const { graph } = connect(config, logger);
    const requests = Array.from({ length: 6 }, (_, i) => ({ id: String(i), method: 'GET', url: '/auditLogs/directoryAudits?$top=10' }));
    await expect(graph.postJson('/$batch', { requests })).rejects.toSatisfy(
      (e: unknown) => isCredwatchError(e) && e.code === 'GRAPH_CALL_UNDOCUMENTED' && /6 reports requests exceeds that budget \(5\)/.test(e.message),
    );
    expect(sim.requests.length).toBe(start);
  });
});
