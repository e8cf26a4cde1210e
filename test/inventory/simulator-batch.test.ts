import { fetch, type Agent } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CREDWATCH_ROLES, mimecastScenario, startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { json, secretToken, trustingAgent } from '../simulator/helpers.js';

/** The simulator's `$batch` as https://learn.microsoft.com/graph/json-batching documents it. */
const now = new Date();
let sim: RunningSimulator;
let agent: Agent;
let token: string;

beforeAll(async () => {
  sim = await startSimulator({ scenario: mimecastScenario(now), now: () => now });
  agent = trustingAgent(sim.caCertPem);
  token = await secretToken(sim, agent);
});
afterAll(async () => {
  await sim.close();
  await agent.close();
});

interface Inner {
  id: string;
  status: number;
  headers: Record<string, string>;
  body: { value?: unknown[]; error?: { code: string }; displayName?: string };
}

async function batch(body: unknown, path = '/v1.0/$batch', bearer = token): Promise<{ status: number; text: string }> {
  const response = await fetch(`${sim.graphBaseUrl}${path}`, {
    method: 'POST',
    dispatcher: agent,
    headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, text: await response.text() };
}

const get = (id: string, url: string) => ({ id, method: 'GET', url });
const backup = () => mimecastScenario(now).applications.find((a) => a.displayName === 'Contoso Backup')!;

describe('the simulated $batch endpoint', () => {
  it('answers each inner request by id, as the same request alone would be answered', async () => {
    const answer = await batch({
      requests: [get('a', '/servicePrincipals?$select=id,displayName&$top=2'), get('b', `/applications/${backup().id}?$select=displayName`)],
    });
    expect(answer.status).toBe(200);
    const responses = json<{ responses: Inner[] }>(answer.text).responses;
    expect(responses.map((r) => [r.id, r.status])).toEqual([
      ['a', 200],
      ['b', 200],
    ]);
    expect(responses[0]!.body.value).toHaveLength(2);
    expect(responses[1]!.body.displayName).toBe('Contoso Backup');
    expect(responses[1]!.headers['content-type']).toMatch(/^application\/json/);
  });

  it('keeps an inner failure inside its own response with Graph’s error, the batch still 200', async () => {
    const answer = await batch({
      requests: [get('1', '/applications/00000000-0000-4000-8000-000000000000/federatedIdentityCredentials'), get('2', '/nowhere')],
    });
    expect(answer.status).toBe(200);
    const [missing, unknown] = json<{ responses: Inner[] }>(answer.text).responses;
    expect([missing!.status, missing!.body.error?.code]).toEqual([404, 'Request_ResourceNotFound']);
    expect(unknown!.status).toBe(400);
  });

  it('checks every inner request against the outer token’s permissions', async () => {
    sim.setGrantedRoles(['AuditLog.Read.All']);
    try {
      const weak = await secretToken(sim, agent);
      const answer = await batch({ requests: [get('1', `/applications/${backup().id}/federatedIdentityCredentials`)] }, '/beta/$batch', weak);
      expect(answer.status).toBe(200);
      const [denied] = json<{ responses: Inner[] }>(answer.text).responses;
      expect([denied!.status, denied!.body.error?.code]).toEqual([403, 'Authorization_RequestDenied']);
    } finally {
      sim.setGrantedRoles(CREDWATCH_ROLES);
    }
  });

  it('refuses a batch of more than 20 requests as a whole with 400', async () => {
    const requests = Array.from({ length: 21 }, (_, i) => get(String(i), '/servicePrincipals?$top=1'));
    const answer = await batch({ requests });
    expect(answer.status).toBe(400);
    expect(json<{ error: { code: string; message: string } }>(answer.text).error).toMatchObject({
      code: 'BadRequest',
      message: expect.stringMatching(/20/) as unknown,
    });
  });

  it('refuses repeated ids (compared without case), absolute urls, unknown methods and a body without Content-Type', async () => {
    const bad = [
      [get('x', '/servicePrincipals'), get('X', '/applications')],
      [get('1', `${sim.graphBaseUrl}/v1.0/servicePrincipals`)],
      [{ id: '1', method: 'FETCH', url: '/servicePrincipals' }],
      [{ id: '1', method: 'POST', url: '/users/x/sendMail', body: {} }],
      [{ id: '1', url: '/servicePrincipals' }],
    ];
    for (const requests of bad) expect((await batch({ requests })).status).toBe(400);
    expect((await batch({ nothing: [] })).status).toBe(400);
    expect((await batch('not a batch')).status).toBe(400);
  });

  it('answers 401 without a valid token and 405 for anything but POST', async () => {
    expect((await batch({ requests: [get('1', '/servicePrincipals')] }, '/v1.0/$batch', 'garbage')).status).toBe(401);
    const response = await fetch(`${sim.graphBaseUrl}/v1.0/$batch`, { dispatcher: agent, headers: { authorization: `Bearer ${token}` } });
    expect(response.status).toBe(405);
  });

  it('records the batch as one request at the simulator', async () => {
    const before = sim.requests.length;
    await batch({ requests: [get('1', '/servicePrincipals?$top=1'), get('2', '/applications?$top=1')] });
    expect(sim.requests.slice(before).map((r) => `${r.method} ${r.path}`)).toEqual(['POST /v1.0/$batch']);
  });
});
