import { ConfidentialClientApplication, ManagedIdentityApplication } from '@azure/msal-node';
import { decodeJwt } from 'jose';
import type { Agent } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateCertificate, quietScenario, startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { msalNetworkModule, trustingAgent } from './helpers.js';

let sim: RunningSimulator;
let agent: Agent;

beforeAll(async () => {
  sim = await startSimulator({ scenario: quietScenario(new Date()) });
  agent = trustingAgent(sim.caCertPem);
});
afterAll(async () => {
  await sim.close();
  await agent.close();
});

function confidentialClient(
  credentials: { clientSecret: string } | { clientCertificate: { thumbprintSha256?: string; thumbprint?: string; privateKey: string } },
  tenant = sim.tenantId,
  clientId = sim.credwatchApp.clientId,
) {
  const host = new URL(sim.authorityHost).host;
  return new ConfidentialClientApplication({
    auth: { clientId, authority: `${sim.authorityHost}/${tenant}`, knownAuthorities: [host], ...credentials },
    system: { networkClient: msalNetworkModule(agent) },
  });
}

const scopes = ['https://graph.microsoft.com/.default'];

describe('the simulated identity platform', () => {
  it('issues a Graph token to msal-node signing a PS256 assertion with the registered certificate', async () => {
    const cca = confidentialClient({ clientCertificate: { thumbprintSha256: sim.credwatchApp.thumbprintSha256, privateKey: sim.credwatchApp.privateKeyPem } });
    const result = await cca.acquireTokenByClientCredential({ scopes });
    const claims = decodeJwt(result?.accessToken ?? '');
    expect(claims).toMatchObject({ aud: 'https://graph.microsoft.com', tid: sim.tenantId, appid: sim.credwatchApp.clientId, idtyp: 'app', appidacr: '2' });
    expect(claims.roles).toEqual(['Application.Read.All', 'Directory.Read.All', 'AuditLog.Read.All', 'Policy.Read.All', 'Mail.Send']);
    const tokenRequest = sim.requests.find((r) => r.path.endsWith('/oauth2/v2.0/token'));
    expect(tokenRequest).toMatchObject({ method: 'POST', status: 200, clientId: sim.credwatchApp.clientId });
  });

  it('also accepts the legacy RS256 assertion selected by the SHA-1 x5t header', async () => {
    const sha1 = (await import('node:crypto')).createHash('sha1');
    const der = Buffer.from(sim.credwatchApp.certificatePem.replace(/-----[^-]+-----|\s/g, ''), 'base64');
    const cca = confidentialClient({ clientCertificate: { thumbprint: sha1.update(der).digest('hex'), privateKey: sim.credwatchApp.privateKeyPem } });
    const result = await cca.acquireTokenByClientCredential({ scopes });
    expect(decodeJwt(result?.accessToken ?? '').appid).toBe(sim.credwatchApp.clientId);
  });

  it('issues a token for the client secret', async () => {
    const result = await confidentialClient({ clientSecret: sim.credwatchApp.clientSecret }).acquireTokenByClientCredential({ scopes });
    expect(decodeJwt(result?.accessToken ?? '').appidacr).toBe('1');
  });

  it('rejects a certificate that is not registered with AADSTS700027', async () => {
    const wrong = await generateCertificate({ subject: 'CN=not credwatch' });
    const cca = confidentialClient({ clientCertificate: { thumbprintSha256: wrong.thumbprintSha256, privateKey: wrong.privateKeyPem } });
    await expect(cca.acquireTokenByClientCredential({ scopes })).rejects.toMatchObject({
      errorCode: 'invalid_client',
      errorMessage: expect.stringContaining('AADSTS700027'),
    });
  });

  it('rejects an assertion signed by another key under the registered thumbprint', async () => {
    const wrong = await generateCertificate({ subject: 'CN=impostor' });
    const cca = confidentialClient({ clientCertificate: { thumbprintSha256: sim.credwatchApp.thumbprintSha256, privateKey: wrong.privateKeyPem } });
    await expect(cca.acquireTokenByClientCredential({ scopes })).rejects.toMatchObject({
      errorMessage: expect.stringMatching(
        /AADSTS700027: Client assertion contains an invalid signature\. \[Reason - Key was found, but use of the key to verify the signature failed/,
      ),
    });
  });

  it('rejects a wrong secret with AADSTS7000215 in the real error shape', async () => {
    const response = await (
      await import('undici')
    ).fetch(`${sim.url}/${sim.tenantId}/oauth2/v2.0/token`, {
      method: 'POST',
      dispatcher: agent,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: sim.credwatchApp.clientId,
        client_secret: 'nope',
        scope: scopes[0] ?? '',
      }).toString(),
    });
    const body = (await response.json()) as Record<string, unknown>;
    expect(response.status).toBe(401);
    expect(body).toMatchObject({ error: 'invalid_client', error_codes: [7000215] });
    expect(String(body.error_description)).toMatch(
      /^AADSTS7000215: Invalid client secret provided\..*\r\nTrace ID: .+\r\nCorrelation ID: .+\r\nTimestamp: \d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ$/s,
    );
    expect(Object.keys(body)).toEqual(expect.arrayContaining(['timestamp', 'trace_id', 'correlation_id']));
  });

  it('answers an unknown client id with AADSTS700016 and an unknown tenant with AADSTS90002', async () => {
    const unknownClient = confidentialClient({ clientSecret: 'x' }, sim.tenantId, '00000000-0000-4000-8000-00000000beef');
    await expect(unknownClient.acquireTokenByClientCredential({ scopes })).rejects.toMatchObject({ errorMessage: expect.stringContaining('AADSTS700016') });
    const unknownTenant = confidentialClient({ clientSecret: sim.credwatchApp.clientSecret }, '00000000-0000-4000-8000-00000000dead');
    await expect(unknownTenant.acquireTokenByClientCredential({ scopes })).rejects.toThrow();
    expect(sim.requests.some((r) => r.path.startsWith('/00000000-0000-4000-8000-00000000dead/') && r.status === 400)).toBe(true);
  });

  it('issues tokens to system- and user-assigned managed identities through the App Service endpoint', async () => {
    const saved = { endpoint: process.env.IDENTITY_ENDPOINT, header: process.env.IDENTITY_HEADER };
    process.env.IDENTITY_ENDPOINT = sim.managedIdentity.endpoint;
    process.env.IDENTITY_HEADER = sim.managedIdentity.header;
    try {
      const system = await new ManagedIdentityApplication().acquireToken({ resource: 'https://graph.microsoft.com' });
      const user = await new ManagedIdentityApplication({
        managedIdentityIdParams: { userAssignedClientId: sim.managedIdentity.userAssignedClientId },
      }).acquireToken({ resource: 'https://graph.microsoft.com' });
      expect(decodeJwt(system.accessToken).roles).toContain('AuditLog.Read.All');
      expect(decodeJwt(user.accessToken).appid).toBe(sim.managedIdentity.userAssignedClientId);
      expect(user.expiresOn?.getTime()).toBeGreaterThan(Date.now() + 3000_000);
    } finally {
      if (saved.endpoint === undefined) delete process.env.IDENTITY_ENDPOINT;
      else process.env.IDENTITY_ENDPOINT = saved.endpoint;
      if (saved.header === undefined) delete process.env.IDENTITY_HEADER;
      else process.env.IDENTITY_HEADER = saved.header;
    }
  });
});
