import { PageIterator, type PageCollection } from '@microsoft/microsoft-graph-client';
import type { Agent } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mimecastScenario, startSimulator, syntheticScenario, type RunningSimulator, type ServicePrincipal, type SignIn } from '../../src/simulator/index.js';
import { graphClient, json, rawGet, secretToken, trustingAgent } from './helpers.js';

const NOW = new Date('2026-03-02T12:00:00Z');
let clock = NOW;
let sim: RunningSimulator;
let agent: Agent;
let token: string;

beforeAll(async () => {
  // Graph's rate limits have their own tests (throttling.test.ts); here they would only slow paging.
  sim = await startSimulator({ scenario: mimecastScenario(NOW), now: () => clock, enforceThrottling: false });
  agent = trustingAgent(sim.caCertPem);
  token = await secretToken(sim, agent);
});
afterAll(async () => {
  await sim.close();
  await agent.close();
});

const get = (path: string, t = token) => rawGet(agent, `${sim.graphBaseUrl}${path}`, t);
const SP_SIGNINS = "/beta/auditLogs/signIns?$filter=signInEventTypes/any(t: t eq 'servicePrincipal')";

describe('the simulated Graph directory', () => {
  it('pages service principals with the real Graph client, each exactly once', async () => {
    const client = graphClient(sim, agent, () => Promise.resolve(token));
    const seen: string[] = [];
    const first = (await client.api('/servicePrincipals').version('v1.0').top(3).select('id,appId,displayName').get()) as PageCollection;
    await new PageIterator(client, first, (sp: ServicePrincipal) => {
      seen.push(sp.id);
      return true;
    }).iterate();
    const all = json<{ value: ServicePrincipal[] }>((await get('/v1.0/servicePrincipals?$top=999')).text).value;
    expect(seen.length).toBe(all.length);
    expect(new Set(seen)).toEqual(new Set(all.map((sp) => sp.id)));
    expect(sim.requests.filter((r) => r.path === '/v1.0/servicePrincipals' && r.query.includes('skiptoken')).length).toBe(Math.ceil(all.length / 3) - 1);
  });

  it('projects $select onto exactly the selected properties, as the List applications example shows', async () => {
    const body = json<{ '@odata.context': string; value: Record<string, unknown>[] }>(
      (await get('/v1.0/applications?$select=displayName,keyCredentials')).text,
    );
    expect(body['@odata.context']).toBe(`${sim.graphBaseUrl}/v1.0/$metadata#applications(displayName,keyCredentials)`);
    for (const app of body.value) expect(Object.keys(app).sort()).toEqual(['displayName', 'keyCredentials']);
  });

  it('returns the certificate only on a single-object read', async () => {
    const list = json<{ value: { id: string; displayName: string; keyCredentials: { key: string | null }[] }[] }>((await get('/v1.0/applications')).text).value;
    const backup = list.find((a) => a.displayName === 'Contoso Backup');
    expect(backup?.keyCredentials[0]?.key).toBeNull();
    const single = json<{ keyCredentials: { key: string }[] }>((await get(`/v1.0/applications/${backup?.id ?? ''}?$select=keyCredentials`)).text);
    const { X509Certificate } = await import('node:crypto');
    const cert = new X509Certificate(Buffer.from(single.keyCredentials[0]?.key ?? '', 'base64'));
    expect(cert.publicKey.asymmetricKeyDetails?.modulusLength).toBe(1024);
  });

  it("lists a resource's assignees with servicePrincipals(appId='…')/appRoleAssignedTo", async () => {
    const body = json<{ value: { appRoleId: string; principalDisplayName: string }[] }>(
      (await get("/v1.0/servicePrincipals(appId='00000002-0000-0ff1-ce00-000000000000')/appRoleAssignedTo")).text,
    );
    // Mimecast's full_access_as_app and the IMAP-only poller's IMAP.AccessAsApp (scenario-only role id).
    expect(body.value.map((a) => a.principalDisplayName).sort()).toEqual(['Contoso Support Inbox Poller', 'Mimecast (simulated)']);
    expect(body.value).toContainEqual(
      expect.objectContaining({ appRoleId: 'dc890d15-9560-4a4c-9b7f-a736ec74ec40', principalDisplayName: 'Mimecast (simulated)' }),
    );
  });

  it('filters by appId and rejects filters it does not support with 400', async () => {
    const body = json<{ value: ServicePrincipal[] }>((await get("/v1.0/servicePrincipals?$filter=appId eq 'bbbbbbbb-0000-4000-8000-0000000000a1'")).text);
    expect(body.value.map((sp) => sp.displayName)).toEqual(['Mimecast (simulated)']);
    const bad = await get("/v1.0/servicePrincipals?$filter=endswith(displayName,'C')");
    expect(bad.status).toBe(400);
  });

  it('answers 403 Authorization_RequestDenied when the token lacks every role the endpoint accepts', async () => {
    sim.setGrantedRoles(['AuditLog.Read.All']);
    const weak = await secretToken(sim, agent);
    sim.setGrantedRoles(['Application.Read.All', 'Directory.Read.All', 'AuditLog.Read.All', 'Policy.Read.All', 'Mail.Send']);
    const denied = await get('/v1.0/servicePrincipals', weak);
    expect(denied.status).toBe(403);
    expect(json<{ error: { code: string; innerError: Record<string, string> } }>(denied.text).error).toMatchObject({
      code: 'Authorization_RequestDenied',
      innerError: { 'request-id': denied.headers.get('request-id') ?? '' },
    });
    expect((await get('/v1.0/identity/conditionalAccess/namedLocations', weak)).status).toBe(403);
    expect((await get('/v1.0/oauth2PermissionGrants', weak)).status).toBe(403);
  });

  it('rejects a token after the injected clock passes its expiry with 401 InvalidAuthenticationToken', async () => {
    clock = new Date(NOW.getTime() + 2 * 3_600_000);
    try {
      const response = await get('/v1.0/applications');
      expect(response.status).toBe(401);
      expect(json<{ error: { code: string } }>(response.text).error.code).toBe('InvalidAuthenticationToken');
    } finally {
      clock = NOW;
    }
  });

  it('rejects a garbage skip token and one that expired', async () => {
    expect((await get('/v1.0/servicePrincipals?$skiptoken=garbage')).status).toBe(400);
    const first = json<{ '@odata.nextLink': string }>((await get('/v1.0/servicePrincipals?$top=2')).text);
    clock = new Date(NOW.getTime() + 61 * 60_000);
    const freshToken = await secretToken(sim, agent);
    try {
      const expired = await rawGet(agent, first['@odata.nextLink'], freshToken);
      expect(expired.status).toBe(400);
      expect(json<{ error: { code: string } }>(expired.text).error.code).toBe('Directory_ExpiredPageToken');
    } finally {
      clock = NOW;
    }
  });
});

describe('the simulated activity reports', () => {
  it('returns service-principal sign-ins only with the signInEventTypes filter, newest first', async () => {
    expect(json<{ value: unknown[] }>((await get('/beta/auditLogs/signIns')).text).value).toEqual([]);
    const body = json<{ value: SignIn[] }>((await get(SP_SIGNINS)).text);
    const times = body.value.map((s) => Date.parse(s.createdDateTime));
    expect(times.length).toBeGreaterThan(90);
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    expect(body.value[0]).toHaveProperty('servicePrincipalCredentialThumbprint');
  });

  it('restricts sign-ins to a createdDateTime window and honours $orderby', async () => {
    const from = new Date(NOW.getTime() - 24 * 3_600_000).toISOString();
    const to = NOW.toISOString();
    const url = `${SP_SIGNINS} and createdDateTime ge ${from} and createdDateTime le ${to}&$orderby=createdDateTime`;
    const body = json<{ value: SignIn[] }>((await get(url)).text);
    expect(body.value.length).toBeGreaterThan(12);
    for (const s of body.value) expect(s.createdDateTime >= from.slice(0, 19) && s.createdDateTime <= to).toBe(true);
    const times = body.value.map((s) => Date.parse(s.createdDateTime));
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    expect(body.value.filter((s) => s.ipAddress.startsWith('198.51.100.') || s.ipAddress.startsWith('2001:db8:bad:')).length).toBe(12);
  });

  it('pages sign-ins with $top and a skip token without losing or repeating one', async () => {
    const ids: string[] = [];
    let next: string | undefined = `${sim.graphBaseUrl}${SP_SIGNINS}&$top=25`;
    while (next) {
      const page: { value: SignIn[]; '@odata.nextLink'?: string } = json((await rawGet(agent, next, token)).text);
      ids.push(...page.value.map((s) => s.id));
      next = page['@odata.nextLink'];
    }
    expect(ids.length).toBe(new Set(ids).size);
    expect(ids.length).toBe(json<{ value: unknown[] }>((await get(SP_SIGNINS)).text).value.length);
  });

  it('refuses sign-ins in an unlicensed tenant with the premium-licence error', async () => {
    sim.setLicensed(false);
    try {
      const response = await get(SP_SIGNINS);
      expect(response.status).toBe(403);
      expect(json<{ error: { code: string; message: string } }>(response.text).error).toMatchObject({
        code: 'Authentication_RequestFromNonPremiumTenantOrB2CTenant',
        message: "Neither tenant is B2C or tenant doesn't have premium license",
      });
    } finally {
      sim.setLicensed(true);
    }
  });

  it('filters directory audits by activityDateTime and keeps the real activity name', async () => {
    const from = new Date(NOW.getTime() - 3 * 86_400_000).toISOString();
    const body = json<{ value: { activityDisplayName: string }[] }>((await get(`/v1.0/auditLogs/directoryAudits?$filter=activityDateTime ge ${from}`)).text);
    expect(body.value.map((a) => a.activityDisplayName)).toEqual(['Update application – Certificates and secrets management ']);
  });
});

describe('named locations and mail', () => {
  it('throttles named locations to one request per second with a 429 that has no Retry-After', async () => {
    sim.setEnforceThrottling(true);
    const first = await get('/v1.0/identity/conditionalAccess/namedLocations');
    const second = await get('/v1.0/identity/conditionalAccess/namedLocations');
    sim.setEnforceThrottling(false);
    expect(first.status).toBe(200);
    expect(json<{ value: { displayName: string }[] }>(first.text).value.map((l) => l.displayName)).toEqual(['Contoso HQ', 'Mimecast EU']);
    expect(second.status).toBe(429);
    expect(second.headers.get('retry-after')).toBeNull();
  });

  it('accepts a well-formed sendMail with 202 and records it', async () => {
    const { fetch } = await import('undici');
    const message = {
      message: { subject: 'credwatch', body: { contentType: 'HTML', content: '<p>hi</p>' }, toRecipients: [{ emailAddress: { address: 'soc@contoso.com' } }] },
      saveToSentItems: false,
    };
    const post = (body: unknown) =>
      fetch(`${sim.graphBaseUrl}/v1.0/users/credwatch@contoso.com/sendMail`, {
        method: 'POST',
        dispatcher: agent,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    expect((await post(message)).status).toBe(202);
    expect(sim.sentMail.at(-1)).toMatchObject({ mailbox: 'credwatch@contoso.com', body: message });
    expect((await post({ message: { subject: 'x' } })).status).toBe(400);
  });
});

describe('a large synthetic tenant', () => {
  it('serves 100,000 service principals through nextLinks in a few seconds', async () => {
    const big = await startSimulator({ scenario: syntheticScenario({ servicePrincipals: 100_000, signIns: 2_000_000, now: NOW }), now: () => NOW });
    const bigAgent = trustingAgent(big.caCertPem);
    try {
      const bigToken = await secretToken(big, bigAgent);
      const client = graphClient(big, bigAgent, () => Promise.resolve(bigToken));
      const started = Date.now();
      let count = 0;
      let page = (await client.api('/servicePrincipals').version('v1.0').top(999).select('id,appId').get()) as PageCollection;
      for (;;) {
        count += page.value.length;
        if (!page['@odata.nextLink']) break;
        page = (await client.api(page['@odata.nextLink']).get()) as PageCollection;
      }
      expect(count).toBe(100_000 + 3); // + credwatch's own app and two managed identities
      expect(Date.now() - started).toBeLessThan(15_000);

      const from = new Date(NOW.getTime() - 3_600_000).toISOString();
      const windowStarted = Date.now();
      const window = json<{ value: SignIn[] }>((await rawGet(bigAgent, `${big.graphBaseUrl}${SP_SIGNINS} and createdDateTime ge ${from}`, bigToken)).text);
      expect(window.value.length).toBeGreaterThan(100);
      expect(window.value.every((s) => s.createdDateTime >= from.slice(0, 19))).toBe(true);
      expect(Date.now() - windowStarted).toBeLessThan(2_000);
    } finally {
      await big.close();
      await bigAgent.close();
    }
  }, 60_000);
});
