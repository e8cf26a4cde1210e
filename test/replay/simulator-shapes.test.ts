/**
 * The tenant simulator's answers checked against Microsoft's examples, not against credwatch: for
 * each endpoint credwatch calls, every property an example on learn.microsoft.com shows must be in
 * the simulator's objects with the same JSON type (shapes.ts). Where the simulator leaves out
 * properties, the gap is listed here by name, with whether credwatch reads it, so a change in either
 * direction shows up as a failing test.
 */
import type { Agent } from 'undici';
import { fetch as undiciFetch } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Json } from '../../src/collect/values.js';
import { mimecastScenario, startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { rawGet, secretToken, trustingAgent } from '../simulator/helpers.js';
import { body, example, rows } from './fixtures.js';
import { representationAsExample, shapeGaps } from './shapes.js';

const NOW = new Date('2026-03-02T12:00:00Z');
const FIC_APP_INDEX = 0;
// Microsoft's federated credential example, put on one of the scenario's apps: the Mimecast
// scenario has none, and without one the simulator's answer has no item to compare.
const FEDERATED = {
  id: 'bdad0963-4a7a-43ae-b569-e67e1da3f2c0',
  name: 'testing',
  issuer: 'https://login.microsoftonline.com/3d1e2be9-a10a-4a0c-8380-7ce190f98ed9/v2.0',
  subject: 'a7d388c3-5e3f-4959-ac7d-786b3383006a',
  audiences: ['api://AzureADTokenExchange'],
  description: 'This is my test  federated identity credential 03',
};

let sim: RunningSimulator;
let agent: Agent;
let token: string;
let ficAppId = '';

beforeAll(async () => {
  const scenario = mimecastScenario(NOW);
  const app = scenario.applications[FIC_APP_INDEX];
  if (!app) throw new Error('the Mimecast scenario has no application');
  scenario.applications[FIC_APP_INDEX] = { ...app, federatedIdentityCredentials: [FEDERATED] };
  ficAppId = app.id;
  sim = await startSimulator({ scenario, now: () => NOW, enforceThrottling: false });
  agent = trustingAgent(sim.caCertPem);
  token = await secretToken(sim, agent);
});
afterAll(async () => {
  await sim.close();
  await agent.close();
});

async function get(path: string): Promise<Json> {
  const response = await rawGet(agent, `${sim.graphBaseUrl}${path}`, token);
  if (response.status !== 200) throw new Error(`${path}: ${response.status} ${response.text}`);
  return JSON.parse(response.text) as Json;
}

async function items(path: string): Promise<Json[]> {
  const value = (await get(path)).value;
  if (!Array.isArray(value) || value.length === 0) throw new Error(`${path}: no items to compare`);
  return value as Json[];
}

async function post(path: string, payload: unknown): Promise<{ status: number; text: string }> {
  const response = await undiciFetch(`${sim.graphBaseUrl}${path}`, {
    method: 'POST',
    dispatcher: agent,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(payload),
  });
  return { status: response.status, text: await response.text() };
}

/** The gaps of every simulator item against one example, each listed once, minus documented exceptions. */
function gapsOf(expected: unknown, actual: readonly unknown[], except: readonly string[] = []): string[] {
  const all = actual.flatMap((a) => shapeGaps(expected, a));
  return [...new Set(all)].filter((g) => !except.some((e) => g.startsWith(`${e}:`)));
}

const SP_SIGNINS = "/beta/auditLogs/signIns?$filter=signInEventTypes/any(t: t eq 'servicePrincipal')&$top=20";

// Microsoft renamed authenticationAppPolicyDetails (2022 examples) to authenticationAppPolicyEvaluationDetails
// (2024 resource page); the simulator follows the resource page.
const RENAMED_SIGNIN_PROPERTY = 'authenticationAppPolicyDetails';

describe('service-principal sign-ins (beta List signIns)', () => {
  it.each(['signins/list-2022-example-1-client-credential-certificate.json', 'signins/list-2022-example-3-non-interactive.json'])(
    'carry every property of %s with its type',
    async (path) => {
      const simulated = await items(SP_SIGNINS);
      const [published] = rows(example(path));
      expect(gapsOf(published, simulated, [RENAMED_SIGNIN_PROPERTY])).toEqual([]);
      expect(simulated.every((s) => RENAMED_SIGNIN_PROPERTY in s)).toBe(false);
    },
  );

  it("carry every property of the signIn resource's JSON representation", async () => {
    // The representation shows appTokenProtectionStatus as a complex-type stub, while the property
    // table on the same page types it as the enum tokenProtectionStatus (a string), as the simulator does.
    const published = representationAsExample(body(example('signins/resource-representation-2024.json')));
    expect(gapsOf(published, await items(SP_SIGNINS), ['appTokenProtectionStatus'])).toEqual([]);
  });
});

describe('directory audits (List directoryAudits)', () => {
  it('carry every property of example 2 except three null user fields credwatch does not read', async () => {
    const published = rows(example('directory-audits/list-example-2-filter-initiated-by.json'))[0];
    expect(gapsOf(published, await items('/v1.0/auditLogs/directoryAudits?$top=50'))).toEqual([
      "initiatedBy.user.userType: missing (null in Microsoft's example)",
      "initiatedBy.user.homeTenantId: missing (null in Microsoft's example)",
      "initiatedBy.user.homeTenantName: missing (null in Microsoft's example)",
    ]);
  });

  it('carry every property of example 1 but its misspelt "Type"', async () => {
    const published = rows(example('directory-audits/list-example-1-add-member-to-group.json'))[0];
    expect(gapsOf(published, await items('/v1.0/auditLogs/directoryAudits?$top=50'), ['targetResources[].Type'])).toEqual([]);
  });
});

// Default properties of a directory object that credwatch never reads (it $selects what it needs);
// the simulator leaves them out of unselected answers, where Graph returns them.
const SP_UNREAD = [
  'addIns',
  'alternativeNames',
  'appRoleAssignmentRequired',
  'deletedDateTime',
  'disabledByMicrosoftStatus',
  'endpoints',
  'homepage',
  'info',
  'logoutUrl',
  'replyUrls',
  'resourceSpecificApplicationPermissions',
  'tokenEncryptionKeyId',
  'verifiedPublisher',
];
const APP_UNREAD = [
  '@odata.context',
  'addIns',
  'api',
  'appRoles',
  'applicationTemplateId',
  'certification',
  'deletedDateTime',
  'disabledByMicrosoftStatus',
  'groupMembershipClaims',
  'identifierUris',
  'info',
  'isDeviceOnlyAuthSupported',
  'isFallbackPublicClient',
  'optionalClaims',
  'parentalControlSettings',
  'publicClient',
  'samlMetadataUrl',
  'tags',
  'tokenEncryptionKeyId',
  'verifiedPublisher',
  'web',
];

function missingNames(gaps: readonly string[]): string[] {
  return gaps.map((g) => g.slice(0, g.indexOf(':'))).sort();
}

describe('service principals (List and Get servicePrincipal)', () => {
  it('carry every property credwatch reads; the gaps are default properties it does not read', async () => {
    const simulated = await items('/v1.0/servicePrincipals?$top=50');
    const gaps = [
      ...gapsOf(rows(example('service-principals/list-example.json'))[0], simulated),
      ...gapsOf(body(example('service-principals/get-example-1.json')), simulated),
    ];
    expect(gaps.every((g) => g.includes(': missing'))).toBe(true);
    expect([...new Set(missingNames(gaps))]).toEqual(SP_UNREAD);
  });

  it("of a resource, read by appId, carry Microsoft Graph's appRoles and permission scopes as example 2 shows them", async () => {
    const simulated = await get("/v1.0/servicePrincipals(appId='00000003-0000-0000-c000-000000000000')");
    expect(gapsOf(body(example('service-principals/get-example-2-microsoft-graph-app-roles.json')), [simulated])).toEqual([]);
  });
});

describe('applications (List and Get application)', () => {
  it('carry every property credwatch reads; the gaps are default properties it does not read', async () => {
    const simulated = await items('/v1.0/applications?$top=50');
    const gaps = [
      ...gapsOf(rows(example('applications/list-example-1.json'))[0], simulated),
      ...gapsOf(body(example('applications/get-example-1.json')), simulated),
    ];
    expect(gaps.every((g) => g.includes(': missing'))).toBe(true);
    expect([...new Set(missingNames(gaps))]).toEqual(APP_UNREAD);
  });

  it('return keyCredentials with every property of a published keyCredential, key included, when $select names them', async () => {
    const published = { ...body(example('key-credentials/service-principal-add-token-signing-certificate.json')) };
    // The response's own annotation, and the selfSignedCertificate's extra thumbprint.
    delete published['@odata.context'];
    delete published.thumbprint;
    const apps = await items('/v1.0/applications?$top=50');
    const withCertificate = apps.find((a) => Array.isArray(a.keyCredentials) && a.keyCredentials.length > 0);
    const single = await get(`/v1.0/applications/${String(withCertificate?.id)}?$select=id,keyCredentials`);
    const credentials = single.keyCredentials as Json[];
    expect(gapsOf(published, credentials)).toEqual([]);
    expect(credentials.every((c) => typeof c.key === 'string')).toBe(true);
  });
});

describe('the other directory reads', () => {
  it('appRoleAssignedTo items carry every property of the example', async () => {
    const simulated = await items("/v1.0/servicePrincipals(appId='00000002-0000-0ff1-ce00-000000000000')/appRoleAssignedTo");
    expect(gapsOf(rows(example('app-role-assigned-to/list-example.json'))[0], simulated)).toEqual([]);
  });

  it('oauth2PermissionGrants carry every property of the example', async () => {
    expect(gapsOf(rows(example('oauth2-permission-grants/list-example.json'))[0], await items('/v1.0/oauth2PermissionGrants'))).toEqual([]);
  });

  it('federatedIdentityCredentials carry every property of the example', async () => {
    const simulated = await items(`/v1.0/applications/${ficAppId}/federatedIdentityCredentials`);
    expect(gapsOf(rows(example('federated-identity-credentials/list-example.json'))[0], simulated)).toEqual([]);
  });
});

describe('named locations (List namedLocations)', () => {
  it('ipNamedLocation items carry every property of the example, ranges and their @odata.type included', async () => {
    const published = rows(example('named-locations/list-example-1-all.json')).filter((l) => l['@odata.type'] === '#microsoft.graph.ipNamedLocation');
    const simulated = await items('/v1.0/identity/conditionalAccess/namedLocations');
    // Locations differ in which range kinds they hold, so each example is compared with the simulated location closest to it.
    for (const location of published) {
      const closest = simulated.map((s) => shapeGaps(location, s)).sort((a, b) => a.length - b.length)[0];
      expect(closest).toEqual([]);
    }
  });

  it("has no countryNamedLocation to compare: the simulator's scenarios can hold IP locations only", async () => {
    const simulated = await items('/v1.0/identity/conditionalAccess/namedLocations');
    expect(new Set(simulated.map((s) => s['@odata.type']))).toEqual(new Set(['#microsoft.graph.ipNamedLocation']));
  });
});

describe('sendMail, $batch and throttling', () => {
  it("sendMail accepts Microsoft's attachment example with 202 and no body, as the page shows", async () => {
    const answer = await post('/v1.0/users/credwatch@contoso.onmicrosoft.com/sendMail', example('send-mail/example-3-file-attachment.json').requestBody);
    expect(answer).toEqual({ status: 202, text: '' });
  });

  it("$batch answers carry id, status, headers and body as Microsoft's example does (header names compared ignoring case)", async () => {
    const answer = await post('/v1.0/$batch', {
      requests: [
        { id: '1', method: 'GET', url: `/applications/${ficAppId}/federatedIdentityCredentials` },
        { id: '2', method: 'GET', url: '/applications/00000000-0000-4000-8000-000000000000/federatedIdentityCredentials' },
      ],
    });
    expect(answer.status).toBe(200);
    const responses = (JSON.parse(answer.text) as { responses: Json[] }).responses;
    const published = body(example('batch/example.json')).responses as Json[];
    const envelope = (r: Json | undefined) => ({ id: r?.id, status: r?.status, headers: {}, body: {} });
    const ok = responses.find((r) => r.status === 200);
    const failed = responses.find((r) => typeof r.status === 'number' && r.status >= 400);
    expect(shapeGaps(envelope(published[0]), ok)).toEqual([]);
    expect(shapeGaps(envelope(published[2]), failed)).toEqual([]);
    const lower = (h: unknown) => Object.keys(h as object).map((k) => k.toLowerCase());
    expect(lower(ok?.headers)).toContain('content-type');
    // Microsoft's inner answers also show Cache-Control and x-ms-resource-unit; the simulator sends content-type only.
    expect(lower(ok?.headers)).not.toContain('cache-control');
    expect(shapeGaps((published[2]?.body as Json).error, (failed?.body as Json | undefined)?.error).filter((g) => !g.startsWith('innerError'))).toEqual([]);
  });

  it("throttled report reads answer 429 with a Retry-After and Microsoft's sample body shape", async () => {
    sim.setEnforceThrottling(true);
    try {
      let answer: Awaited<ReturnType<typeof rawGet>> | undefined;
      for (let i = 0; i < 10 && answer?.status !== 429; i += 1) answer = await rawGet(agent, `${sim.graphBaseUrl}${SP_SIGNINS}`, token);
      expect(answer?.status).toBe(429);
      expect(answer?.headers.get('retry-after')).toMatch(/^\d+(\.\d+)?$/);
      expect(shapeGaps(body(example('throttling/429-sample.json')), JSON.parse(answer?.text ?? '{}'))).toEqual([]);
    } finally {
      sim.setEnforceThrottling(false);
    }
  });
});
