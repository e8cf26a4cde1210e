import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { collectInventory } from '../../src/collect/inventory.js';
import { isCredwatchError } from '../../src/errors.js';
import { runDoctor } from '../../src/doctor.js';
import { CREDWATCH_ROLES, mimecastScenario, startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { captureLogger, connect, simulatorConfig } from '../helpers/tenant.js';
import type { Config } from '../../src/config/types.js';

const now = new Date();
let sim: RunningSimulator;
let config: Config;

beforeAll(async () => {
  sim = await startSimulator({ scenario: mimecastScenario(now) });
  config = await simulatorConfig(sim, 'certificate');
});
afterAll(async () => {
  await sim.close();
});
afterEach(() => {
  sim.setFaults({});
  sim.setGrantedRoles(CREDWATCH_ROLES);
  sim.setLicensed(true);
});

const graphRequests = (from: number) => sim.requests.slice(from).filter((r) => r.path.startsWith('/v1.0') || r.path.startsWith('/beta'));

async function listAllServicePrincipalIds(retry?: Parameters<typeof connect>[2]): Promise<string[]> {
  const { logger } = captureLogger('warn');
  const { graph } = connect(config, logger, retry);
  const ids: string[] = [];
  for await (const sp of graph.list<{ id: string }>('/servicePrincipals', { select: ['id'], top: 3 })) ids.push(sp.id);
  return ids;
}

describe('Graph faults', () => {
  let baseline: string[];
  beforeAll(async () => {
    baseline = await listAllServicePrincipalIds();
  });

  it('pages through every service principal exactly once', () => {
    expect(baseline.length).toBeGreaterThan(6);
    expect(new Set(baseline).size).toBe(baseline.length);
  });

  it('waits out a 429 with Retry-After in seconds before sending anything else', async () => {
    sim.setFaults({ rules: [{ pathIncludes: 'skiptoken', kind: 'status', status: 429, retryAfter: '1', times: 1 }] });
    const from = sim.requests.length;
    expect(await listAllServicePrincipalIds()).toEqual(baseline);
    const requests = graphRequests(from);
    const throttledAt = requests.findIndex((r) => r.status === 429);
    expect(throttledAt).toBeGreaterThan(-1);
    const next = requests[throttledAt + 1]!;
    expect(next.at.getTime() - requests[throttledAt]!.at.getTime()).toBeGreaterThanOrEqual(990);
  });

  it('honours a Retry-After given as an HTTP-date', async () => {
    const retryAt = new Date(Date.now() + 2000).toUTCString();
    sim.setFaults({ rules: [{ pathIncludes: 'skiptoken', kind: 'status', status: 429, retryAfter: retryAt, times: 1 }] });
    const from = sim.requests.length;
    expect(await listAllServicePrincipalIds()).toEqual(baseline);
    const requests = graphRequests(from);
    const throttledAt = requests.findIndex((r) => r.status === 429);
    expect(requests[throttledAt + 1]!.at.getTime()).toBeGreaterThanOrEqual(Date.parse(retryAt) - 10);
  });

  it('retries a 503 in the middle of pagination without losing or repeating an item', async () => {
    sim.setFaults({ rules: [{ pathIncludes: 'skiptoken', kind: 'status', status: 503, skip: 1, times: 2 }] });
    expect(await listAllServicePrincipalIds()).toEqual(baseline);
  });

  it('retries a truncated body and an HTML error page served with 200', async () => {
    sim.setFaults({
      rules: [
        { pathIncludes: 'skiptoken', kind: 'truncate', times: 1 },
        { pathIncludes: 'skiptoken', kind: 'html200', skip: 1, times: 1 },
      ],
    });
    expect(await listAllServicePrincipalIds()).toEqual(baseline);
  });

  it('retries a connection reset', async () => {
    sim.setFaults({ rules: [{ pathIncludes: 'skiptoken', kind: 'reset', times: 1 }] });
    expect(await listAllServicePrincipalIds()).toEqual(baseline);
  });

  it('gives up with GRAPH_UNAVAILABLE when Graph keeps failing, after a bounded number of attempts', async () => {
    sim.setFaults({ rules: [{ pathIncludes: '/servicePrincipals', kind: 'status', status: 503, times: Infinity }] });
    const from = sim.requests.length;
    const error = await listAllServicePrincipalIds({ baseDelayInMs: 1, maxBackoffInMs: 5, maxAttempts: 4 }).catch((e: unknown) => e);
    expect(isCredwatchError(error, 'GRAPH_UNAVAILABLE')).toBe(true);
    expect(graphRequests(from)).toHaveLength(4);
  });

  it('stops at once with GRAPH_THROTTLED when Graph asks for a wait longer than the cycle allows', async () => {
    sim.setFaults({ rules: [{ pathIncludes: '/servicePrincipals', kind: 'status', status: 429, retryAfter: '3600', times: 1 }] });
    const started = Date.now();
    const error = await listAllServicePrincipalIds().catch((e: unknown) => e);
    expect(isCredwatchError(error, 'GRAPH_THROTTLED')).toBe(true);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('gets a fresh token once when Graph answers 401 mid-run', async () => {
    sim.setFaults({ rules: [{ pathIncludes: 'skiptoken', kind: 'status', status: 401, times: 1 }] });
    const from = sim.requests.length;
    expect(await listAllServicePrincipalIds()).toEqual(baseline);
    expect(sim.requests.slice(from).filter((r) => r.path.endsWith('/oauth2/v2.0/token'))).toHaveLength(2);
  });
});

describe('missing permissions and licence', () => {
  it('fails the inventory with the missing permission named when it cannot read service principals', async () => {
    // Directory.Read.All also allows directory reads, so both must be missing.
    sim.setGrantedRoles(CREDWATCH_ROLES.filter((r) => r !== 'Application.Read.All' && r !== 'Directory.Read.All'));
    const { logger } = captureLogger('warn');
    const { graph } = connect(await simulatorConfig(sim, 'certificate'), logger);
    const error = await collectInventory({ graph, logger, now: () => now }, sim.tenantId).catch((e: unknown) => e);
    expect(isCredwatchError(error, 'GRAPH_PERMISSION_MISSING')).toBe(true);
    expect((error as Error).message).toContain('Application.Read.All');
  });

  it('keeps the inventory but marks delegated grants unknown when Directory.Read.All is absent', async () => {
    sim.setGrantedRoles(CREDWATCH_ROLES.filter((r) => r !== 'Directory.Read.All'));
    const { logger } = captureLogger('warn');
    const { graph } = connect(await simulatorConfig(sim, 'certificate'), logger);
    const inventory = await collectInventory({ graph, logger, now: () => now }, sim.tenantId);
    expect(inventory.sources.find((s) => s.source === 'oauth2PermissionGrants')).toMatchObject({ status: 'failed', errorCode: 'GRAPH_PERMISSION_MISSING' });
    expect(inventory.apps.find((a) => a.displayName === 'Mimecast (simulated)')?.mailboxPermissions).toHaveLength(1);
  });

  it('doctor names each missing permission and the missing licence with a fix', async () => {
    sim.setGrantedRoles(CREDWATCH_ROLES.filter((r) => r !== 'AuditLog.Read.All'));
    sim.setLicensed(false);
    const { logger } = captureLogger('warn');
    const cfg = await simulatorConfig(sim, 'certificate');
    const report = await runDoctor({ config: cfg, connect: () => connect(cfg, logger), logger });
    expect(report.ok).toBe(false);
    const failed = report.checks.filter((c) => !c.ok);
    expect(failed.map((c) => c.check)).toEqual(
      expect.arrayContaining(['permission AuditLog.Read.All', 'read service-principal sign-ins', 'read directory audits']),
    );
    expect(failed.every((c) => c.fix && c.fix.length > 0)).toBe(true);
  });

  it('doctor reports the missing licence on its own when the permissions are there', async () => {
    sim.setLicensed(false);
    const { logger } = captureLogger('warn');
    const cfg = await simulatorConfig(sim, 'certificate');
    const report = await runDoctor({ config: cfg, connect: () => connect(cfg, logger), logger });
    const failed = report.checks.filter((c) => !c.ok);
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ check: 'read service-principal sign-ins' });
    expect(failed[0]!.detail).toMatch(/^GRAPH_LICENSE_MISSING/);
  });

  it('doctor passes on a healthy tenant', async () => {
    const { logger } = captureLogger('warn');
    const cfg = await simulatorConfig(sim, 'certificate');
    const report = await runDoctor({ config: cfg, connect: () => connect(cfg, logger), logger });
    expect(report.checks.filter((c) => !c.ok)).toEqual([]);
    expect(report.checks.map((c) => c.check)).toContain('permission Application.Read.All');
  });
});
