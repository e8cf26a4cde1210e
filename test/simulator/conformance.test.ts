import { fetch as undiciFetch, type Agent } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mimecastScenario, startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { json, rawGet, secretToken, trustingAgent } from './helpers.js';

const NOW = new Date('2026-03-02T12:00:00Z');
let sim: RunningSimulator;
let agent: Agent;
let token: string;

beforeAll(async () => {
  sim = await startSimulator({ scenario: mimecastScenario(NOW), now: () => NOW, enforceThrottling: false });
  agent = trustingAgent(sim.caCertPem);
  token = await secretToken(sim, agent);
});
afterAll(async () => {
  await sim.close();
  await agent.close();
});

type GraphErrorBody = { error: { code: string; message: string; innerError: Record<string, string> } };
const get = (path: string) => rawGet(agent, `${sim.graphBaseUrl}${path}`, token);
const SP = "signInEventTypes/any(t: t eq 'servicePrincipal')";
const values = async (path: string) => {
  const response = await get(path);
  expect(response.status, response.text).toBe(200);
  return json<{ value: Record<string, unknown>[] }>(response.text).value;
};
async function refusal(path: string): Promise<GraphErrorBody['error']> {
  const response = await get(path);
  expect(response.status, response.text).toBe(400);
  return json<GraphErrorBody>(response.text).error;
}
const notAllowed = (option: string) =>
  `Query option '${option}' is not allowed. To allow it, set the 'AllowedQueryOptions' property on EnableQueryAttribute or QueryValidationSettings.`;

describe('sign-ins hold to the List signIns page', () => {
  it('refuse $select with the OData validator 400 Graph gives', async () => {
    for (const version of ['beta', 'v1.0']) {
      const error = await refusal(`/${version}/auditLogs/signIns?$select=id,appId`);
      expect(error.code).toBe('');
      expect(error.message).toBe(`The query specified in the URI is not valid. ${notAllowed('Select')}`);
      expect(error.innerError).toMatchObject({ message: notAllowed('Select'), 'request-id': expect.any(String), date: expect.any(String) });
    }
  });

  it('refuse the other undocumented options by their validator names', async () => {
    expect((await refusal(`/beta/auditLogs/signIns?$filter=${SP}&$skip=5`)).innerError.message).toBe(notAllowed('Skip'));
    expect((await refusal('/beta/auditLogs/signIns?$count=true')).innerError.message).toBe(notAllowed('Count'));
  });

  it('refuse a filter on a property or with an operator the resource page does not list', async () => {
    for (const filter of ["userType eq 'member'", `${SP} and createdDateTime gt 2026-03-01T00:00:00Z`, "endswith(ipAddress,'.1')"]) {
      expect(await refusal(`/beta/auditLogs/signIns?$filter=${filter}`)).toMatchObject({ code: 'BadRequest', message: 'Invalid filter clause' });
    }
  });

  it('refuse a page larger than 1,000 and an $orderby other than createdDateTime', async () => {
    expect(await refusal(`/beta/auditLogs/signIns?$filter=${SP}&$top=1001`)).toMatchObject({
      code: 'BadRequest',
      message: "Invalid page size specified: '1001'. Must be between 1 and 1000 inclusive.",
    });
    expect(await refusal(`/beta/auditLogs/signIns?$filter=${SP}&$orderby=appId`)).toMatchObject({
      code: 'BadRequest',
      message: "Order by is not supported on 'appId'.",
    });
  });

  it('accept the documented filters: startswith, nested properties and the errorCode', async () => {
    expect((await values(`/beta/auditLogs/signIns?$filter=${SP} and startswith(ipAddress,'198.51.100.')&$top=1000`)).length).toBe(10);
    expect((await values(`/beta/auditLogs/signIns?$filter=${SP} and status/errorCode eq 700027`)).length).toBe(3);
    expect((await values(`/beta/auditLogs/signIns?$filter=${SP} and location/countryOrRegion eq 'NL'&$orderby=createdDateTime desc`)).length).toBe(12);
  });
});

describe('directory audits hold to the List directoryAudits page', () => {
  it('refuse $select and filters on properties without a filter note', async () => {
    expect((await refusal('/v1.0/auditLogs/directoryAudits?$select=id')).innerError.message).toBe(notAllowed('Select'));
    expect(await refusal("/v1.0/auditLogs/directoryAudits?$filter=category eq 'ApplicationManagement'")).toMatchObject({
      code: 'BadRequest',
      message: 'Invalid filter clause',
    });
  });

  it('accept startswith on activityDisplayName and order by activityDateTime', async () => {
    const audits = await values("/v1.0/auditLogs/directoryAudits?$filter=startswith(activityDisplayName,'Add')&$orderby=activityDateTime asc");
    expect(audits.map((a) => a.activityDisplayName)).toEqual(['Add service principal credentials', 'Add app role assignment to service principal']);
  });
});

describe('directory objects hold to their pages', () => {
  it('refuse a page larger than 999, $skip, and filters without a filter note', async () => {
    expect(await refusal('/v1.0/servicePrincipals?$top=1000')).toMatchObject({
      code: 'Request_BadRequest',
      message: "Invalid page size specified: '1000'. Must be between 1 and 999 inclusive.",
    });
    expect(await refusal('/v1.0/applications?$skip=1')).toMatchObject({ code: 'Request_BadRequest', message: "'$skip' is not supported by the service." });
    expect(await refusal("/v1.0/oauth2PermissionGrants?$filter=scope eq 'EWS.AccessAsUser.All'")).toMatchObject({
      code: 'Request_UnsupportedQuery',
      message: "Unsupported or invalid query filter clause specified for property 'scope' of resource 'OAuth2PermissionGrant'.",
    });
    expect(await refusal("/v1.0/oauth2PermissionGrants?$filter=consentType ne 'Principal'")).toMatchObject({
      code: 'Request_UnsupportedQuery',
      message: "Unsupported property filter clause operator 'NotEqualsMatch'.",
    });
    const backup = (await values("/v1.0/applications?$filter=displayName eq 'Contoso Backup'"))[0];
    expect(await refusal(`/v1.0/applications/${String(backup?.id)}?$top=1`)).toMatchObject({
      code: 'Request_BadRequest',
      message: "'$top' is not supported by the service.",
    });
  });

  it('accept startswith, $orderby=displayName and a lambda on servicePrincipalNames', async () => {
    const names = (await values("/v1.0/servicePrincipals?$filter=startswith(displayName,'contoso')&$orderby=displayName desc&$select=displayName")).map(
      (sp) => sp.displayName,
    );
    expect(names.length).toBeGreaterThan(5);
    expect([...names].sort().reverse()).toEqual(names);
    expect(
      await values("/v1.0/servicePrincipals?$filter=servicePrincipalNames/any(n: n eq 'bbbbbbbb-0000-4000-8000-0000000000a1')&$select=displayName"),
    ).toEqual([expect.objectContaining({ displayName: 'Mimecast (simulated)' })]);
  });

  it('serve $count and $search only as advanced queries, with ConsistencyLevel: eventual', async () => {
    expect(await refusal('/v1.0/applications?$count=true')).toMatchObject({ code: 'Request_BadRequest', message: '$count is not currently supported.' });
    expect((await refusal('/v1.0/applications?$search="displayName:archiver"')).code).toBe('Request_BadRequest');
    const eventual = await undiciFetch(`${sim.graphBaseUrl}/v1.0/applications?$search="displayName:archiver"&$count=true&$select=displayName`, {
      dispatcher: agent,
      headers: { authorization: `Bearer ${token}`, consistencylevel: 'eventual' },
    });
    expect(await eventual.json()).toMatchObject({ '@odata.count': 1, value: [{ displayName: 'Contoso Mail Archiver' }] });
  });

  it('return the certificate key only when keyCredentials is $selected, in lists and single reads', async () => {
    const keyOf = (app: Record<string, unknown> | undefined) => (app?.keyCredentials as { key: string | null }[] | undefined)?.[0]?.key;
    const listed = await values("/v1.0/applications?$filter=displayName eq 'Contoso Backup'");
    expect(keyOf(listed[0])).toBeNull();
    expect(keyOf((await values("/v1.0/applications?$filter=displayName eq 'Contoso Backup'&$select=id,keyCredentials"))[0])).toMatch(/^MII/);
    const single = (select: string) => get(`/v1.0/applications/${String(listed[0]?.id)}${select}`).then((r) => json<Record<string, unknown>>(r.text));
    expect(keyOf(await single(''))).toBeNull();
    expect(keyOf(await single('?$select=keyCredentials'))).toMatch(/^MII/);
  });
});

describe('named locations hold to the List namedLocations page', () => {
  const PATH = '/v1.0/identity/conditionalAccess/namedLocations';

  it('refuse an uncast ipRanges, which is not a property of microsoft.graph.namedLocation', async () => {
    expect(await refusal(`${PATH}?$select=id,displayName,ipRanges`)).toMatchObject({
      code: 'BadRequest',
      message: "Could not find a property named 'ipRanges' on type 'microsoft.graph.namedLocation'.",
    });
  });

  it('select derived properties through their cast, and always say each item’s type', async () => {
    const locations = await values(`${PATH}?$select=displayName,microsoft.graph.ipNamedLocation/ipRanges`);
    expect(locations).toHaveLength(2);
    for (const location of locations) expect(Object.keys(location).sort()).toEqual(['@odata.type', 'displayName', 'ipRanges']);
  });

  it('serve whole objects without $select, and honour isof, $skip and $top', async () => {
    const whole = await values(PATH);
    expect(whole[0]).toMatchObject({ '@odata.type': '#microsoft.graph.ipNamedLocation', isTrusted: true, ipRanges: expect.any(Array) });
    expect(await values(`${PATH}?$filter=isof('microsoft.graph.ipNamedLocation')`)).toHaveLength(2);
    expect((await values(`${PATH}?$skip=1&$top=1`)).map((l) => l.displayName)).toEqual(['Mimecast EU']);
  });
});
