import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isCredwatchError } from '../../src/errors.js';
import { generateCertificate, quietScenario, startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { captureLogger, connect, simulatorConfig } from '../helpers/tenant.js';

let sim: RunningSimulator;

beforeAll(async () => {
  sim = await startSimulator({ scenario: quietScenario(new Date()) });
});
afterAll(async () => {
  await sim.close();
});

const tokenRequests = () => sim.requests.filter((r) => r.path.endsWith('/oauth2/v2.0/token') || r.path.startsWith('/msi/')).length;

describe('authentication against the simulator with the real msal-node', () => {
  it('signs a client assertion with the certificate, gets a token with its roles and reads Graph', async () => {
    const { logger } = captureLogger();
    const { tokens, graph } = connect(await simulatorConfig(sim, 'certificate'), logger);
    const token = await tokens.getToken();
    expect(token.roles).toEqual(expect.arrayContaining(['Application.Read.All', 'AuditLog.Read.All']));
    expect(token.appId).toBe(sim.credwatchApp.clientId);
    const first = await graph.listPages<{ id: string }>('/servicePrincipals', { top: 5, select: ['id'] }).next();
    expect(first.done).toBe(false);
    expect(first.value?.length).toBe(5);
  });

  it('reuses the cached token instead of asking again on every call', async () => {
    const { logger } = captureLogger();
    const { graph } = connect(await simulatorConfig(sim, 'certificate'), logger);
    const before = tokenRequests();
    await graph.get('/servicePrincipals', { top: 1, select: ['id'] });
    await graph.get('/applications', { top: 1, select: ['id'] });
    await graph.get('/oauth2PermissionGrants', { top: 1 });
    expect(tokenRequests() - before).toBe(1);
  });

  it('authenticates with a client secret read from the environment', async () => {
    const { logger } = captureLogger();
    const { tokens } = connect(await simulatorConfig(sim, 'secret'), logger);
    expect((await tokens.getToken()).appId).toBe(sim.credwatchApp.clientId);
  });

  it('authenticates with a system- and a user-assigned managed identity through the App Service endpoint', async () => {
    const saved = { endpoint: process.env.IDENTITY_ENDPOINT, header: process.env.IDENTITY_HEADER };
    process.env.IDENTITY_ENDPOINT = sim.managedIdentity.endpoint;
    process.env.IDENTITY_HEADER = sim.managedIdentity.header;
    try {
      const { logger } = captureLogger();
      const system = connect(await simulatorConfig(sim, 'managedIdentity'), logger);
      const systemToken = await system.tokens.getToken();
      expect(systemToken.roles).toContain('Application.Read.All');
      const page = await system.graph.get<{ value: unknown[] }>('/applications', { top: 1, select: ['id'] });
      expect(page.value).toHaveLength(1);

      const config = await simulatorConfig(sim, 'managedIdentity');
      const userAssigned = connect(
        { ...config, tenants: [{ ...config.tenants[0]!, auth: { mode: 'managedIdentity', clientId: sim.managedIdentity.userAssignedClientId } }] },
        logger,
      );
      const userToken = await userAssigned.tokens.getToken();
      expect(userToken.appId).toBe(sim.managedIdentity.userAssignedClientId);
      expect(userToken.appId).not.toBe(systemToken.appId);
    } finally {
      if (saved.endpoint === undefined) delete process.env.IDENTITY_ENDPOINT;
      else process.env.IDENTITY_ENDPOINT = saved.endpoint;
      if (saved.header === undefined) delete process.env.IDENTITY_HEADER;
      else process.env.IDENTITY_HEADER = saved.header;
    }
  });

  it('reports a certificate the app does not have as AUTH_FAILED with the AADSTS code', async () => {
    const wrong = await generateCertificate({ subject: 'CN=not-registered' });
    const { logger } = captureLogger();
    const { tokens } = connect(await simulatorConfig(sim, 'certificate', { certificatePem: wrong.certificatePem, privateKeyPem: wrong.privateKeyPem }), logger);
    const error = await tokens.getToken().catch((e: unknown) => e);
    expect(isCredwatchError(error, 'AUTH_FAILED')).toBe(true);
    expect((error as Error).message).toMatch(/AADSTS700027/);
  });

  it('reports a wrong client secret as AUTH_FAILED with AADSTS7000215', async () => {
    const { logger } = captureLogger();
    const { tokens } = connect(await simulatorConfig(sim, 'secret', { clientSecret: 'not-the-secret' }), logger);
    const error = await tokens.getToken().catch((e: unknown) => e);
    expect(isCredwatchError(error, 'AUTH_FAILED')).toBe(true);
    expect((error as Error).message).toMatch(/AADSTS7000215/);
  });

  it('reports an unreachable token endpoint as AUTH_UNAVAILABLE (retryable)', async () => {
    const { logger } = captureLogger();
    const config = await simulatorConfig(sim, 'secret');
    const tenant = config.tenants[0]!;
    const dead = { ...tenant, endpoints: { ...tenant.endpoints, authorityHost: 'https://127.0.0.1:9' } };
    const { tokens } = connect({ ...config, tenants: [dead] }, logger);
    const error = await tokens.getToken().catch((e: unknown) => e);
    expect(isCredwatchError(error, 'AUTH_UNAVAILABLE')).toBe(true);
    expect((error as { retryable: boolean }).retryable).toBe(true);
  });

  it('never writes the secret, the private key or the access token to the logs', async () => {
    const capture = captureLogger('trace');
    const secretConn = connect(await simulatorConfig(sim, 'secret'), capture.logger);
    const token = await secretConn.tokens.getToken();
    await secretConn.graph.get('/applications', { top: 1, select: ['id'] });
    const certConn = connect(await simulatorConfig(sim, 'certificate'), capture.logger);
    await certConn.tokens.getToken();
    const text = capture.text();
    expect(text.length).toBeGreaterThan(0);
    expect(text).not.toContain(sim.credwatchApp.clientSecret);
    expect(text).not.toContain(token.token);
    expect(text).not.toContain(sim.credwatchApp.privateKeyPem.split('\n')[1]!);
  });
});
