/**
 * Microsoft's directory examples (servicePrincipal, application, keyCredential, appRoleAssignment,
 * oAuth2PermissionGrant, federatedIdentityCredential) through credwatch's directory readers and
 * the inventory collector. Pages: https://learn.microsoft.com/graph/api/serviceprincipal-list,
 * …/serviceprincipal-get, …/application-list, …/application-get,
 * …/serviceprincipal-addtokensigningcertificate, …/serviceprincipal-list-approleassignedto,
 * …/oauth2permissiongrant-list and …/application-list-federatedidentitycredentials.
 */
import { describe, expect, it } from 'vitest';
import { readFederatedCredentials } from '../../src/collect/details.js';
import { appFromServicePrincipal, credentialsOf, federatedCredentialsOf, grantOf, mergeApplication } from '../../src/collect/directory.js';
import { collectInventory } from '../../src/collect/inventory.js';
import type { Json } from '../../src/collect/values.js';
import type { InventoryApp } from '../../src/events.js';
import { mailboxPermissions } from '../../src/inventory/mailbox.js';
import { createLogger } from '../../src/logging.js';
import { body, example, onlyRow, rows } from './fixtures.js';
import { answerWith, replayGraph } from './replay-graph.js';

const TENANT = 'contoso.onmicrosoft.com';
const logger = createLogger({ level: 'silent' });

const spList = example('service-principals/list-example.json');
const spGet = example('service-principals/get-example-1.json');
const graphResource = example('service-principals/get-example-2-microsoft-graph-app-roles.json');
const appList = example('applications/list-example-1.json');
const appListNoAppId = example('applications/list-example-5-fewer-than-two-owners.json');
const appGet = example('applications/get-example-1.json');
const certificate = example('key-credentials/service-principal-add-token-signing-certificate.json');
const assignedTo = example('app-role-assigned-to/list-example.json');
const grants = example('oauth2-permission-grants/list-example.json');
const federated = example('federated-identity-credentials/list-example.json');

function app(entry: InventoryApp | undefined): InventoryApp {
  if (!entry) throw new Error('the reader dropped the object');
  return entry;
}

describe('the published keyCredential (addTokenSigningCertificate)', () => {
  const keyCredential = body(certificate);

  it('gives a certificate whose SHA-1 thumbprint, decoded from customKeyIdentifier, is the thumbprint Microsoft prints', () => {
    const [credential, ...rest] = credentialsOf({ keyCredentials: [keyCredential] }, 'servicePrincipal', true);
    expect(rest).toEqual([]);
    expect(credential).toMatchObject({
      keyId: '93bc223f-7235-4b9c-beea-d66847531c49',
      kind: 'certificate',
      holder: 'servicePrincipal',
      displayName: 'CN=customDisplayName',
      usage: 'Verify',
      thumbprintSha1: keyCredential.thumbprint,
      hint: undefined,
      federated: undefined,
    });
    expect(credential?.thumbprintSha1).toBe('DA20FCA696C4F83E8A9AED59BE33368ED421F3C1');
    expect(credential?.startDateTime?.toISOString()).toBe('2021-05-05T18:38:51.810Z');
    expect(credential?.endDateTime?.toISOString()).toBe('2024-01-25T00:00:00.000Z');
  });

  it('keeps the credential and its thumbprint when the published key is elided ("…EL...StP8s/w==") and cannot be read', () => {
    const [credential] = credentialsOf({ keyCredentials: [keyCredential] }, 'servicePrincipal', true);
    expect(credential?.certificate).toBeUndefined();
    expect(credential?.thumbprintSha1).toBe('DA20FCA696C4F83E8A9AED59BE33368ED421F3C1');
  });
});

describe('the servicePrincipal examples', () => {
  it('read the listed service principal as a third-party app with its ids exactly', () => {
    const entry = app(appFromServicePrincipal(onlyRow(spList), TENANT, false));
    expect(entry).toMatchObject({
      appId: '65415bb1-9267-4313-bbf5-ae259732ee12',
      servicePrincipalId: '59e617e5-e447-4adc-8b88-00af644d7c92',
      displayName: 'foo',
      appOwnerOrganizationId: '1bc1c026-2f7b-48a5-98da-afa2fd8bc7bc',
      ownership: 'thirdParty',
      servicePrincipalType: undefined,
      accountEnabled: true,
      createdDateTime: undefined,
      credentials: [],
    });
  });

  it('read a null servicePrincipalType as missing and keep the placeholder appId "appId-value" as published', () => {
    const entry = app(appFromServicePrincipal(body(spGet), TENANT, false));
    expect(entry.appId).toBe('appId-value');
    expect(entry.servicePrincipalType).toBeUndefined();
    expect(entry.displayName).toBe('My app instance in tenant');
  });

  it('call an app owned by this tenant its own', () => {
    expect(app(appFromServicePrincipal(onlyRow(spList), '1bc1c026-2f7b-48a5-98da-afa2fd8bc7bc', false)).ownership).toBe('own');
  });
});

describe('the application examples', () => {
  it("read the full application as this tenant's own registration with its object id, creation time and audience", () => {
    const entry = app(mergeApplication(undefined, body(appGet), TENANT));
    expect(entry).toMatchObject({
      appId: '631a96bc-a705-4eda-9f99-fdaf9f54f6a2',
      applicationObjectId: '03ef14b0-ca33-4840-8f4f-d6e91916010e',
      servicePrincipalId: undefined,
      displayName: 'Display name',
      ownership: 'own',
      signInAudience: 'AzureADandPersonalMicrosoftAccount',
      credentials: [],
    });
    expect(entry.createdDateTime?.toISOString()).toBe('2019-09-17T19:10:35.274Z');
  });

  it('merge a registration into the entry of its service principal, which keeps its service principal id', () => {
    const sp = app(appFromServicePrincipal({ ...onlyRow(spList), appId: '631a96bc-a705-4eda-9f99-fdaf9f54f6a2' }, TENANT, false));
    const merged = app(mergeApplication(sp, body(appGet), TENANT));
    expect(merged).toBe(sp);
    expect(merged).toMatchObject({
      servicePrincipalId: '59e617e5-e447-4adc-8b88-00af644d7c92',
      applicationObjectId: '03ef14b0-ca33-4840-8f4f-d6e91916010e',
      ownership: 'thirdParty',
    });
  });

  it('cannot place a listed application without an object id (example 1) or without an appId (example 5)', () => {
    expect(mergeApplication(undefined, onlyRow(appList), TENANT)).toBeUndefined();
    for (const row of rows(appListNoAppId)) expect(mergeApplication(undefined, row, TENANT)).toBeUndefined();
  });
});

describe('the oauth2PermissionGrant example', () => {
  const [userRead, wide] = rows(grants) as [Json, Json];
  // 943603e4-… is the Microsoft Graph service principal of the same demo tenant (the resourceServicePrincipalId
  // of the Microsoft Graph sign-in in List signIns example 3).
  const resources = new Map([['943603e4-e787-4fe9-93d1-e30f749aae39', { appId: '00000003-0000-0000-c000-000000000000', displayName: 'Microsoft Graph' }]]);

  it('reads the client, the consent type and every scope of the space-separated list', () => {
    const record = grantOf(wide, resources);
    expect(record?.clientId).toBe('263a5b01-03e5-408e-8557-bab681df104c');
    expect(record?.resourceId).toBe('943603e4-e787-4fe9-93d1-e30f749aae39');
    expect(record?.grant.consentType).toBe('AllPrincipals');
    expect(record?.grant.scopes).toEqual(String(wide.scope).split(' '));
    expect(record?.grant.scopes).toHaveLength(34);
  });

  it('finds eight mailbox permissions reaching all users in the wide grant to Microsoft Graph', () => {
    const record = grantOf(wide, resources);
    const reach = mailboxPermissions([], record ? [record.grant] : []);
    expect(reach.map((p) => p.permission)).toEqual([
      'Contacts.ReadWrite',
      'Calendars.ReadWrite',
      'Mail.ReadWrite',
      'Mail.ReadWrite.Shared',
      'Mail.Send.Shared',
      'Calendars.ReadWrite.Shared',
      'Contacts.ReadWrite.Shared',
      'MailboxSettings.ReadWrite',
    ]);
    expect(new Set(reach.map((p) => `${p.type}/${p.reach}/${p.resource}`))).toEqual(new Set(['delegated/allUsers/graph']));
  });

  it('names a resource it does not know by its service principal id and opens no mailbox through it', () => {
    const record = grantOf(userRead, resources);
    expect(record?.grant).toEqual({
      resourceAppId: undefined,
      resourceDisplayName: '1804a6f8-e623-4520-8f40-ba1b0c11c42d',
      consentType: 'AllPrincipals',
      scopes: ['User.Read', 'Group.ReadWrite.All'],
    });
    expect(mailboxPermissions([], record ? [record.grant] : [])).toEqual([]);
  });
});

describe('the federatedIdentityCredential example', () => {
  it('reads the credential with its issuer, subject and audience exactly', () => {
    expect(federatedCredentialsOf(rows(federated))).toEqual([
      {
        keyId: 'bdad0963-4a7a-43ae-b569-e67e1da3f2c0',
        kind: 'federated',
        holder: 'application',
        displayName: 'testing',
        startDateTime: undefined,
        endDateTime: undefined,
        thumbprintSha1: undefined,
        hint: undefined,
        usage: undefined,
        federated: {
          issuer: 'https://login.microsoftonline.com/3d1e2be9-a10a-4a0c-8380-7ce190f98ed9/v2.0',
          subject: 'a7d388c3-5e3f-4959-ac7d-786b3383006a',
          audiences: ['api://AzureADTokenExchange'],
        },
        certificate: undefined,
      },
    ]);
  });

  it('reaches a mailbox-capable registration through $batch, the example being the inner answer', async () => {
    const replay = replayGraph({
      'POST /v1.0/$batch': {
        status: 200,
        body: { responses: [{ id: '0', status: 200, headers: { 'Content-Type': 'application/json' }, body: body(federated) }] },
      },
    });
    const registration: InventoryApp = { ...app(mergeApplication(undefined, { ...body(appGet), id: 'bcd7c908-1c4d-4d48-93ee-ff38349a75c8' }, TENANT)) };
    const status = await readFederatedCredentials(replay.graph, [registration], logger);
    expect(status).toEqual({ source: 'credentialDetails', status: 'complete', items: 1 });
    expect(registration.credentials.map((c) => [c.kind, c.keyId])).toEqual([['federated', 'bdad0963-4a7a-43ae-b569-e67e1da3f2c0']]);
    const inner = (replay.requests[0]?.body as { requests: Array<{ url: string }> }).requests.map((r) => r.url);
    expect(inner).toEqual(['/applications/bcd7c908-1c4d-4d48-93ee-ff38349a75c8/federatedIdentityCredentials?$select=id,name,issuer,subject,audiences']);
  });
});

describe('the inventory collector answered with the examples', () => {
  // Not a Microsoft example: the tenant of these examples has no Exchange Online service principal,
  // and Graph answers an unknown appId with 404 Request_ResourceNotFound.
  const noExchange = {
    status: 404,
    body: {
      error: {
        code: 'Request_ResourceNotFound',
        message: "Resource '00000002-0000-0ff1-ce00-000000000000' does not exist or one of its queried reference-property objects are not present.",
      },
    },
  };
  const routes = {
    "GET /v1.0/servicePrincipals(appId='00000002-0000-0ff1-ce00-000000000000')": noExchange,
    "GET /v1.0/servicePrincipals(appId='00000003-0000-0000-c000-000000000000')": answerWith(graphResource),
    "GET /v1.0/servicePrincipals(appId='00000003-0000-0000-c000-000000000000')/appRoleAssignedTo": answerWith(assignedTo),
    'GET /v1.0/oauth2PermissionGrants': answerWith(grants),
    'GET /v1.0/servicePrincipals': answerWith(spList),
    'GET /v1.0/applications': answerWith(appList),
  };

  async function inventory() {
    const replay = replayGraph(routes);
    return { replay, result: await collectInventory({ graph: replay.graph, logger, now: () => new Date('2026-11-26T12:00:00Z') }, TENANT) };
  }

  it("skips the absent Exchange resource and reads Microsoft Graph's roles, assignments and grants", async () => {
    const { result } = await inventory();
    expect(result.sources.slice(0, 3)).toEqual([
      { source: 'resource:00000002-0000-0ff1-ce00-000000000000', status: 'skipped', message: 'not present in this tenant' },
      { source: 'appRoleAssignedTo:Microsoft Graph', status: 'complete', items: 1 },
      { source: 'oauth2PermissionGrants', status: 'complete', items: 2 },
    ]);
  });

  it('lists the one service principal as a third-party app that reaches no mailbox', async () => {
    const { result } = await inventory();
    expect(result.apps.map((a) => [a.appId, a.servicePrincipalId, a.ownership, a.mailboxPermissions.length])).toEqual([
      ['65415bb1-9267-4313-bbf5-ae259732ee12', '59e617e5-e447-4adc-8b88-00af644d7c92', 'thirdParty', 0],
    ]);
    expect(result.sources.find((s) => s.source === 'servicePrincipals')).toEqual({ source: 'servicePrincipals', status: 'complete', items: 1 });
  });

  it('asks each mailbox resource for its roles and assignees by appId, as the reference pages address them', async () => {
    const { replay } = await inventory();
    expect(replay.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      "GET /v1.0/servicePrincipals(appId='00000002-0000-0ff1-ce00-000000000000')",
      "GET /v1.0/servicePrincipals(appId='00000003-0000-0000-c000-000000000000')",
      "GET /v1.0/servicePrincipals(appId='00000003-0000-0000-c000-000000000000')/appRoleAssignedTo",
      'GET /v1.0/oauth2PermissionGrants',
      'GET /v1.0/servicePrincipals',
      'GET /v1.0/applications',
    ]);
  });

  // Microsoft's List applications example 1 has no id: collectInventory cannot place it, so the
  // source is partial with the count, never complete with 0 items ("no apps" is not "unreadable apps").
  it('does not call the applications source complete when it skipped a registration it could not read', async () => {
    const { result } = await inventory();
    const source = result.sources.find((s) => s.source === 'applications');
    expect(source?.status).not.toBe('complete');
    expect(source?.message).toMatch(/1/);
  });
});
