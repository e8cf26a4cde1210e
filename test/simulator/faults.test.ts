import { fetch } from 'undici';
import type { Agent } from 'undici';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { quietScenario, startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { json, rawGet, secretToken, trustingAgent } from './helpers.js';

let sim: RunningSimulator;
let agent: Agent;
let token: string;

beforeAll(async () => {
  sim = await startSimulator({ scenario: quietScenario(new Date()) });
  agent = trustingAgent(sim.caCertPem);
  token = await secretToken(sim, agent);
});
afterAll(async () => {
  await sim.close();
  await agent.close();
});
beforeEach(() => sim.setFaults({}));

const get = (path: string) => rawGet(agent, `${sim.graphBaseUrl}${path}`, token);

describe('fault rules', () => {
  it('answers 429 with the given Retry-After exactly `times` times after `skip` requests, then recovers', async () => {
    sim.setFaults({ rules: [{ pathIncludes: '/v1.0/applications', kind: 'status', status: 429, retryAfter: '2', skip: 1, times: 2 }] });
    const statuses: number[] = [];
    const retryAfters: (string | null)[] = [];
    for (let i = 0; i < 4; i += 1) {
      const response = await get('/v1.0/applications');
      statuses.push(response.status);
      retryAfters.push(response.headers.get('retry-after'));
    }
    expect(statuses).toEqual([200, 429, 429, 200]);
    expect(retryAfters).toEqual([null, '2', '2', null]);
    sim.setFaults({ rules: [{ pathIncludes: 'applications', kind: 'status', status: 429 }] });
    expect(json<{ error: { code: string } }>((await get('/v1.0/applications')).text).error.code).toBe('TooManyRequests');
  });

  it('answers 503 in Graph error JSON with no Retry-After when none is configured', async () => {
    sim.setFaults({ rules: [{ pathIncludes: 'servicePrincipals', kind: 'status', status: 503, times: Infinity }] });
    for (let i = 0; i < 3; i += 1) {
      const response = await get('/v1.0/servicePrincipals');
      expect(response.status).toBe(503);
      expect(response.headers.get('retry-after')).toBeNull();
      expect(json<{ error: { innerError: { 'request-id': string } } }>(response.text).error.innerError['request-id']).toBe(response.headers.get('request-id'));
    }
  });

  it('truncates a real JSON body mid-way with status 200', async () => {
    sim.setFaults({ rules: [{ pathIncludes: 'signIns', kind: 'truncate' }] });
    const path = "/beta/auditLogs/signIns?$filter=signInEventTypes/any(t: t eq 'servicePrincipal')";
    const truncated = await get(path);
    expect(truncated.status).toBe(200);
    expect(() => JSON.parse(truncated.text)).toThrow();
    expect(truncated.text.startsWith('{"@odata.context"')).toBe(true);
    expect(JSON.parse((await get(path)).text)).toHaveProperty('value');
  });

  it('serves an HTML error page with status 200 when asked', async () => {
    sim.setFaults({ rules: [{ pathIncludes: 'oauth2PermissionGrants', kind: 'html200' }] });
    const response = await get('/v1.0/oauth2PermissionGrants');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/html');
    expect(response.text).toContain('<html>');
  });

  it('resets the connection', async () => {
    sim.setFaults({ rules: [{ pathIncludes: 'directoryAudits', kind: 'reset' }] });
    await expect(get('/v1.0/auditLogs/directoryAudits')).rejects.toThrow();
    expect((await get('/v1.0/auditLogs/directoryAudits')).status).toBe(200);
  });

  it('can fail the token endpoint too, and records every request with its status', async () => {
    sim.setFaults({ rules: [{ pathIncludes: '/oauth2/v2.0/token', kind: 'status', status: 500 }] });
    await expect(secretToken(sim, agent)).rejects.toThrow();
    const last = sim.requests.at(-1);
    expect(last).toMatchObject({ method: 'POST', path: `/${sim.tenantId}/oauth2/v2.0/token`, status: 500 });
    expect(last?.at).toBeInstanceOf(Date);
  });

  it('adds latency to every response', async () => {
    sim.setFaults({ latencyInMs: 150 });
    const started = Date.now();
    await fetch(`${sim.url}/${sim.tenantId}/v2.0/.well-known/openid-configuration`, { dispatcher: agent });
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });
});
