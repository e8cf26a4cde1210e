import { fetch as undiciFetch, type Agent } from 'undici';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { quietScenario, startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { json, rawGet, secretToken, trustingAgent } from './helpers.js';

let sim: RunningSimulator;
let agent: Agent;
let token: string;

beforeEach(async () => {
  sim = await startSimulator({ scenario: quietScenario(new Date()) });
  agent = trustingAgent(sim.caCertPem);
  token = await secretToken(sim, agent);
});
afterEach(async () => {
  await sim.close();
  await agent.close();
});

const get = (path: string, t = token) => rawGet(agent, `${sim.graphBaseUrl}${path}`, t);
const SIGN_INS = "/beta/auditLogs/signIns?$filter=signInEventTypes/any(t: t eq 'servicePrincipal')";
const AUDITS = '/v1.0/auditLogs/directoryAudits';

/** A Graph token for the user-assigned managed identity: another app in the same tenant. */
async function managedIdentityToken(): Promise<string> {
  const url = `${sim.managedIdentity.endpoint}?resource=https://graph.microsoft.com&api-version=2019-08-01&client_id=${sim.managedIdentity.userAssignedClientId}`;
  const response = await undiciFetch(url, { headers: { 'x-identity-header': sim.managedIdentity.header } });
  return ((await response.json()) as { access_token: string }).access_token;
}

describe('the reports limit (5 requests per 10 s per app per tenant)', () => {
  it('lets five sign-in and audit reads through, then answers 429 with a fractional Retry-After and Microsoft’s sample body', async () => {
    const statuses = [];
    for (const path of [SIGN_INS, AUDITS, SIGN_INS, AUDITS, SIGN_INS]) statuses.push((await get(path)).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200]);
    const throttled = await get(SIGN_INS);
    expect(throttled.status).toBe(429);
    const retryAfter = throttled.headers.get('retry-after') ?? '';
    expect(retryAfter).toMatch(/^\d+(\.\d{1,3})?$/);
    expect(Number(retryAfter)).toBeGreaterThan(0);
    expect(Number(retryAfter)).toBeLessThanOrEqual(10);
    expect(json<{ error: unknown }>(throttled.text).error).toMatchObject({
      code: 'TooManyRequests',
      message: 'Please retry again later.',
      innerError: { code: '429', message: 'Please retry after', status: '429' },
    });
  });

  it('counts each app on its own', async () => {
    for (let i = 0; i < 5; i += 1) expect((await get(SIGN_INS)).status).toBe(200);
    expect((await get(SIGN_INS)).status).toBe(429);
    expect((await get(SIGN_INS, await managedIdentityToken())).status).toBe(200);
  });

  it('is off when the simulator is started or switched without throttling', async () => {
    sim.setEnforceThrottling(false);
    for (let i = 0; i < 8; i += 1) expect((await get(AUDITS)).status).toBe(200);
    sim.setEnforceThrottling(true);
    for (let i = 0; i < 5; i += 1) expect((await get(AUDITS)).status).toBe(200);
    expect((await get(AUDITS)).status).toBe(429);
  });
});

describe('the keyCredentials $select limit (150 requests per minute per tenant)', () => {
  it('answers the 151st read that selects keyCredentials with 429 and a whole-second Retry-After, and leaves other reads alone', async () => {
    const statuses = new Set<number>();
    for (let i = 0; i < 150; i += 1)
      statuses.add((await get(i % 2 ? '/v1.0/applications?$select=id,keyCredentials' : '/v1.0/servicePrincipals?$select=id,keyCredentials')).status);
    expect([...statuses]).toEqual([200]);
    const throttled = await get('/v1.0/applications?$select=id,keyCredentials');
    expect(throttled.status).toBe(429);
    expect(throttled.headers.get('retry-after')).toMatch(/^[1-9]\d*$/);
    expect((await get('/v1.0/applications?$select=id,displayName')).status).toBe(200);
  }, 60_000);
});

describe('a fault with a fractional Retry-After', () => {
  it('answers with the Retry-After as given and, for 429, Microsoft’s throttling sample', async () => {
    sim.setFaults({ rules: [{ pathIncludes: '/servicePrincipals', kind: 'status', status: 429, retryAfterSeconds: 2.128 }] });
    const response = await get('/v1.0/servicePrincipals');
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('2.128');
    expect(json<{ error: { code: string; innerError: Record<string, string> } }>(response.text).error).toMatchObject({
      code: 'TooManyRequests',
      innerError: { status: '429' },
    });
  });
});
