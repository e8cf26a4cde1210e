import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GraphApi } from '../../src/graph/client.js';
import { resolveAllowlists, type AllowlistResolution } from '../../src/networks/sources.js';
import { CREDWATCH_ROLES, mimecastScenario, startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { captureLogger, connect, simulatorConfig } from '../helpers/tenant.js';
import { memoryCache, noHttp, vendor } from './helpers.js';

const now = new Date();
let sim: RunningSimulator;
let graph: GraphApi;
let resolution: AllowlistResolution;
let namedLocationRequests: string[];

beforeAll(async () => {
  sim = await startSimulator({ scenario: mimecastScenario(now), now: () => now });
  const { logger } = captureLogger('warn');
  graph = connect(await simulatorConfig(sim, 'certificate'), logger).graph;
  const before = sim.requests.length;
  resolution = await resolveAllowlists(
    [
      vendor('Mimecast', [{ type: 'namedLocation', displayName: 'Mimecast EU' }]),
      vendor('Contoso office tools', [{ type: 'namedLocation', displayName: 'Contoso HQ' }]),
      vendor('Sloppy', [{ type: 'namedLocation', displayName: 'mimecast eu' }]),
      vendor('Missing', [{ type: 'namedLocation', displayName: 'Fabrikam Branch' }]),
    ],
    { graph, http: noHttp, cache: memoryCache(), now: () => now, logger },
  );
  namedLocationRequests = sim.requests
    .slice(before)
    .map((r) => r.path)
    .filter((p) => p.includes('namedLocations'));
});
afterAll(async () => {
  await sim.close();
});

describe('allowlists from Entra named locations', () => {
  it('reads the named locations once for every vendor that uses one', () => {
    expect(namedLocationRequests).toHaveLength(1);
    expect(namedLocationRequests[0]).toContain('/identity/conditionalAccess/namedLocations');
  });

  it('normalises a range whose host bits are set and says so', () => {
    const set = resolution.byVendor.get('Mimecast');
    expect(set?.match('195.130.217.1')).toEqual([
      { vendor: 'Mimecast', source: 'namedLocation:Mimecast EU', cidr: '195.130.217.0/24', fetchedAt: now, stale: false },
    ]);
    expect(set?.contains('146.101.78.200')).toBe(true);
    expect(set?.contains('198.51.100.40')).toBe(false);
    expect(resolution.sources.find((s) => s.vendor === 'Mimecast')).toMatchObject({
      status: 'ok',
      ranges: 3,
      warnings: ['"195.130.217.17/24" has host bits set; read as 195.130.217.0/24'],
    });
  });

  it('reads IPv6 ranges of a named location', () => {
    expect(resolution.byVendor.get('Contoso office tools')?.contains('2001:db8:c0de:5::1')).toBe(true);
    expect(resolution.health.get('Contoso office tools')).toBe('complete');
  });

  it('matches a name that differs only in case, with a warning to fix the config', () => {
    expect(resolution.byVendor.get('Sloppy')?.contains('91.220.42.9')).toBe(true);
    expect(resolution.sources.find((s) => s.vendor === 'Sloppy')?.warnings[0]).toBe(
      'matched named location "Mimecast EU" ignoring case; write the name as Entra shows it',
    );
  });

  it('fails a name the tenant does not have, leaving that vendor unknown', () => {
    expect(resolution.sources.find((s) => s.vendor === 'Missing')).toMatchObject({
      status: 'failed',
      errorCode: 'ALLOWLIST_SOURCE_FAILED',
      error: 'There is no named location called "Fabrikam Branch" in the tenant.',
    });
    expect(resolution.byVendor.has('Missing')).toBe(false);
    expect(resolution.health.get('Missing')).toBe('unknown');
  });

  it('reports every named-location source as failed when credwatch may not read them', async () => {
    sim.setGrantedRoles(['Application.Read.All']);
    try {
      const { logger } = captureLogger('warn');
      const fresh = connect(await simulatorConfig(sim, 'secret'), logger).graph;
      const denied = await resolveAllowlists(
        [
          vendor('Mimecast', [{ type: 'namedLocation', displayName: 'Mimecast EU' }]),
          vendor('Contoso', [{ type: 'namedLocation', displayName: 'Contoso HQ' }]),
        ],
        { graph: fresh, http: noHttp, cache: memoryCache(), now: () => now, logger },
      );
      expect(denied.sources.map((s) => [s.status, s.errorCode])).toEqual([
        ['failed', 'GRAPH_PERMISSION_MISSING'],
        ['failed', 'GRAPH_PERMISSION_MISSING'],
      ]);
      expect(denied.byVendor.size).toBe(0);
    } finally {
      sim.setGrantedRoles(CREDWATCH_ROLES);
    }
  });
});
